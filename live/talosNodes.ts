import { parseAllDocuments } from "yaml";
import * as crypto from "crypto";
import { canonicalSchematic } from "../lib/talosSchematic";
import {
  compareVersions,
  kubernetesSupportProblem,
  minorOf,
  parseVersion,
  talosRelease,
} from "../lib/talosReleases";
import {
  ApplyMode,
  ConfigDifference,
  configDifferences,
  machineConfigSpec,
  parseMachineConfig,
} from "./talosConfigDiff";

/*
 * The preflight's per-node Talos section: pure functions over the snapshot's
 * `talos/<node>/{machineconfig,version,extensions}.yaml` (`talosctl -n <ip> get <resource> -o yaml`: one YAML
 * document per resource, `node`, `metadata`, `spec`; siderolabs/talos@v1.13.9
 * cmd/talosctl/cmd/talos/output/yaml.go) and the patches the program sends to each node.
 *
 * Versions come from the nodes: `Version` resources carry the running Talos version
 * (pkg/machinery/resources/runtime/version.go), `ExtensionStatus` resources list the system extensions, among
 * them the virtual extension `schematic` whose version is the Image Factory schematic ID
 * (siderolabs/image-factory@v1.5.0 internal/artifacts/schematic.go), and the configuration names the
 * Kubernetes version in its kubelet and API server images.
 */

type Obj = Record<string, unknown>;

/** The snapshot files of one node (a missing file: that read failed). */
export interface TalosNodeFiles {
  machineconfig?: string;
  version?: string;
  extensions?: string;
}

/** One node as the program will roll it out. */
export interface PlannedTalosNode {
  name: string;
  address: string;
  controller: boolean;
  maintenance: boolean;
  /** The `configPatches` the provider applies, in order: the role's (getConfiguration), then the node's. */
  patches: readonly string[];
}

/** What the stack declares for every node. */
export interface DeclaredTalos {
  talosVersion: string;
  kubernetesVersion: string;
  /** The schematic ID of the declared extensions (schematicId). */
  schematicId: string;
  applyMode: ApplyMode;
  allowDowngrade: boolean;
}

/** What the next `pulumi up` does to one node, or why it must not run. */
export interface TalosNodeReport {
  node: string;
  address: string;
  /** What the node runs (from the snapshot). */
  live: { talosVersion?: string; schematicId?: string; kubernetesVersion?: string };
  blockers: string[];
  /** Changes to review: version moves and the configuration differences that are not blockers. */
  changes: string[];
  differences: ConfigDifference[];
}

function resources(output: string | undefined): Obj[] {
  if (output === undefined) return [];
  return parseAllDocuments(output)
    .map((d) => d.toJS() as unknown)
    .filter((r): r is Obj => r !== null && typeof r === "object" && !Array.isArray(r));
}

const specOf = (r: Obj) => (r["spec"] ?? {}) as Obj;

/** The running Talos version of `talosctl get version -o yaml` output. */
export function liveTalosVersion(output: string | undefined): string | undefined {
  const version = resources(output).map(specOf)[0]?.["version"];
  return typeof version === "string" ? version : undefined;
}

/** The schematic ID of `talosctl get extensions -o yaml` output (undefined: not an Image Factory image). */
export function liveSchematicId(output: string | undefined): string | undefined {
  for (const r of resources(output)) {
    const metadata = specOf(r)["metadata"] as Obj | undefined;
    if (metadata?.["name"] === "schematic" && typeof metadata["version"] === "string")
      return metadata["version"];
  }
  return undefined;
}

/** The Kubernetes version of a configuration: the API server image tag, else the kubelet's. */
function liveKubernetesVersion(docs: readonly unknown[]): string | undefined {
  for (const doc of docs) {
    const d = doc as {
      cluster?: { apiServer?: { image?: unknown } };
      machine?: { kubelet?: { image?: unknown } };
    };
    for (const image of [d?.cluster?.apiServer?.image, d?.machine?.kubelet?.image])
      if (typeof image === "string") {
        const tag = /:v?([0-9]+\.[0-9]+\.[0-9]+)$/.exec(image)?.[1];
        if (tag !== undefined) return tag;
      }
  }
  return undefined;
}

/** The schematic ID Image Factory gives a schematic with these official extensions. */
export function schematicId(extensions: readonly string[]): string {
  return crypto.createHash("sha256").update(canonicalSchematic(extensions)).digest("hex");
}

/** A version step the rollout refuses or cannot take, with what to do about it. */
export interface VersionStepProblem {
  message: string;
  hint: string;
}

/**
 * Why a node on Talos `running` cannot move to `target`: a downgrade unless `allowDowngrade`, and any step the
 * target's installer refuses (UpgradeableFrom). Undefined when the step is fine or there is none.
 */
export function talosStepProblem(
  running: string,
  target: string,
  allowDowngrade: boolean,
): VersionStepProblem | undefined {
  const release = talosRelease(target);
  const host = parseVersion(running);
  const to = parseVersion(target);
  const direction = compareVersions(host, to);
  if (direction === 0) return undefined;
  if (direction > 0 && !allowDowngrade)
    return {
      message: `runs Talos ${running}, newer than the declared ${target}: that is a downgrade`,
      hint: "correct cluster.talos.talosVersion, or set cluster.talos.rollout.allowDowngrade: true to downgrade on purpose",
    };
  if (release === undefined) return undefined;
  const hostMinor = [host[0], host[1]];
  if (compareVersions(hostMinor, release.minHost) < 0)
    return {
      message: `runs Talos ${running}, which cannot be upgraded to ${target} (needs ${release.minHost.join(".")}.0 or later)`,
      hint: "upgrade to an intermediate release first",
    };
  if (compareVersions(hostMinor, release.maxHostDowngrade) >= 0)
    return {
      message: `runs Talos ${running}, which cannot be downgraded to ${target}`,
      hint: `Talos ${minorOf(to)} accepts hosts below ${release.maxHostDowngrade.join(".")}.0 only`,
    };
  return undefined;
}

/**
 * Why the cluster cannot move from Kubernetes `running` to `target`: `talosctl upgrade-k8s` goes forward one
 * minor at a time (siderolabs/talos@v1.13.9 pkg/cluster/kubernetes/talos_managed.go Upgrade, through
 * siderolabs/go-kubernetes upgrade paths).
 */
export function kubernetesStepProblem(running: string, target: string): VersionStepProblem | undefined {
  const from = parseVersion(running);
  const to = parseVersion(target);
  if (to[0] !== from[0] || to[1] < from[1] || (to[1] === from[1] && to[2] < from[2]))
    return {
      message: `Kubernetes ${target} is a downgrade from the running ${running}`,
      hint: "talosctl upgrade-k8s only moves forward",
    };
  if (to[1] - from[1] > 1)
    return {
      message: `Kubernetes ${target} is more than one minor version above the running ${running}`,
      hint: `upgrade to 1.${from[1] + 1}.x first`,
    };
  return undefined;
}

const show = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));

function describe(d: ConfigDifference): string {
  const where =
    d.path === "" ? d.document : d.document === "v1alpha1" ? `.${d.path}` : `${d.document} .${d.path}`;
  const what =
    d.change === "removed"
      ? `removed (live ${show(d.live)})`
      : d.change === "added"
        ? `added ${show(d.planned)}`
        : `${show(d.live)} -> ${show(d.planned)}`;
  return `${where}: ${what}: ${d.effect}`;
}

/** One node's report: its versions and schematic against the declared ones, and its configuration diff. */
export function talosNodeReport(
  node: PlannedTalosNode,
  declared: DeclaredTalos,
  files: TalosNodeFiles,
): TalosNodeReport {
  const blockers: string[] = [];
  const changes: string[] = [];
  const label = `${node.name} (${node.address})`;
  const spec = files.machineconfig === undefined ? undefined : machineConfigSpec(files.machineconfig);
  const liveDocs = spec === undefined ? [] : parseMachineConfig(spec);
  const live = {
    talosVersion: liveTalosVersion(files.version),
    schematicId: liveSchematicId(files.extensions),
    kubernetesVersion: liveKubernetesVersion(liveDocs),
  };
  const report = { node: node.name, address: node.address, live, blockers, changes, differences: [] };
  if (node.maintenance) {
    changes.push(`${label} is under maintenance: the run leaves it alone`);
    return report;
  }

  if (live.talosVersion === undefined)
    blockers.push(`${label}: the snapshot has no Talos version for the node`);
  else if (live.talosVersion !== declared.talosVersion) {
    const problem = talosStepProblem(live.talosVersion, declared.talosVersion, declared.allowDowngrade);
    const move = `${label} runs Talos ${live.talosVersion}, the stack declares ${declared.talosVersion}`;
    if (problem !== undefined) blockers.push(`${label} ${problem.message} (hint: ${problem.hint})`);
    else
      changes.push(
        `${move}: its upgrade step ${compareVersions(parseVersion(live.talosVersion), parseVersion(declared.talosVersion)) > 0 ? "downgrades" : "upgrades"} it`,
      );
  }
  if (live.schematicId !== declared.schematicId)
    changes.push(
      `${label} runs schematic ${live.schematicId ?? "(none: not an Image Factory image)"}, the declared extensions are schematic ${declared.schematicId}: its upgrade step reinstalls it`,
    );

  if (live.kubernetesVersion !== undefined && live.kubernetesVersion !== declared.kubernetesVersion) {
    const step = kubernetesStepProblem(live.kubernetesVersion, declared.kubernetesVersion);
    if (step !== undefined) blockers.push(`${label}: ${step.message} (hint: ${step.hint})`);
    else
      changes.push(
        `${label} runs Kubernetes ${live.kubernetesVersion}, upgraded to ${declared.kubernetesVersion}`,
      );
  }
  // Nodes are upgraded before Kubernetes, so they briefly run their current Kubernetes on the new Talos.
  if (live.kubernetesVersion !== undefined && live.talosVersion !== declared.talosVersion) {
    const during = kubernetesSupportProblem(declared.talosVersion, live.kubernetesVersion);
    if (during !== undefined)
      blockers.push(
        `${label}: ${during}, which it runs between its Talos upgrade and the Kubernetes upgrade (hint: upgrade Kubernetes on the current Talos release first)`,
      );
  }

  if (spec === undefined) {
    blockers.push(`${label}: the snapshot has no machine configuration for the node`);
    return report;
  }
  const patches = node.patches.map((p) => JSON.parse(p) as unknown);
  const differences = configDifferences(liveDocs, patches, declared.applyMode, {
    controlPlane: node.controller,
  });
  const refused = differences.filter((d) => d.effect === "refused under no_reboot");
  if (refused.length > 0)
    blockers.push(
      `${label}: the no_reboot apply is refused (Talos answers InvalidArgument and the rollout stops here) because of ${refused.map(describe).join("; ")} (hint: carry the live settings in cluster.talos.patches, or run this change with rollout.applyMode auto or staged)`,
    );
  for (const d of differences)
    if (d.effect !== "refused under no_reboot") changes.push(`${label} ${describe(d)}`);
  return { ...report, differences };
}

/** Every node's report, plus a blocker when the nodes do not run one Talos version and schematic. */
export function talosNodeReports(
  nodes: readonly PlannedTalosNode[],
  declared: DeclaredTalos,
  files: (node: string) => TalosNodeFiles,
): { nodes: TalosNodeReport[]; blockers: string[] } {
  const reports = nodes.map((n) => talosNodeReport(n, declared, files(n.name)));
  const seen = new Map<string, string[]>();
  for (const r of reports) {
    if (r.live.talosVersion === undefined) continue;
    const key = `Talos ${r.live.talosVersion} schematic ${r.live.schematicId ?? "(none)"}`;
    seen.set(key, [...(seen.get(key) ?? []), r.node]);
  }
  const blockers =
    seen.size > 1
      ? [
          `the nodes do not run one image: ${[...seen].map(([image, names]) => `${names.join(", ")} ${image}`).join("; ")} (hint: finish or undo the interrupted upgrade before other changes)`,
        ]
      : [];
  return { nodes: reports, blockers };
}

/** What `plannedTalosNodes` reads of the offline recording. */
interface RecordedTalos {
  invokes: ReadonlyArray<{ token: string; args: Record<string, unknown> }>;
  resources: ReadonlyArray<{ type: string; inputs: Record<string, unknown> }>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The patches the program sends to each node, from the offline recording of the stack: the role's
 * `getConfiguration` patches, then the node's `ConfigurationApply` patches.
 */
export function plannedTalosNodes(
  recording: RecordedTalos,
  nodes: ReadonlyArray<{ name: string; address: string; controller: boolean; maintenance: boolean }>,
): PlannedTalosNode[] {
  const rolePatches = (role: string) =>
    strings(
      recording.invokes.find(
        (i) =>
          i.token === "talos:machine/getConfiguration:getConfiguration" && i.args["machineType"] === role,
      )?.args["configPatches"],
    );
  return nodes.map((n) => ({
    ...n,
    patches: [
      ...rolePatches(n.controller ? "controlplane" : "worker"),
      ...strings(
        recording.resources.find(
          (r) =>
            r.type === "talos:machine/configurationApply:ConfigurationApply" &&
            r.inputs["node"] === n.address,
        )?.inputs["configPatches"],
      ),
    ],
  }));
}
