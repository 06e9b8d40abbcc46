import { parseAllDocuments } from "yaml";
import { isRedacted, redactedHash } from "./redact";

/*
 * A node's live machine configuration against the configuration the program will apply to it, and what Talos
 * does with each difference under the stack's apply mode.
 *
 * What the program applies: the provider renders `talosctl gen config`'s output (both build it with
 * bundle.NewBundle over generate.Input: siderolabs/terraform-provider-talos@v0.11.0 pkg/talos/util.go generate;
 * siderolabs/talos@v1.13.9 cmd/talosctl/cmd/mgmt/gen/config.go GenerateConfigBundle), with the role's patches,
 * then applies the node's patches on top (talos_machine_configuration_apply_resource.go, configpatcher.Apply),
 * and the apply replaces the node's whole configuration. Offline, without talosctl and the secrets bundle, the
 * generated part is known only by which fields the generator fills (GENERATED below): every setting a patch
 * sets is compared with the live value, and every live setting that neither a patch nor the generator can
 * give is reported as removed (extra documents, `.machine.files`, ...). Secrets are compared by hash only.
 *
 * What Talos does with it (siderolabs/talos@v1.13.9 internal/app/machined/pkg/runtime/v1alpha1/v1alpha1_runtime.go
 * CanApplyImmediate, l.130-216; internal/app/machined/internal/server/v1alpha1/v1alpha1_server.go
 * ApplyConfiguration, l.244-266): only the v1alpha1 document is compared, after copying the fields that may
 * change live (LIVE below) from the new configuration; any other difference makes `no_reboot` fail with
 * InvalidArgument before anything is applied, `auto` apply with a reboot, and `staged` store the configuration
 * for the next reboot. Documents other than v1alpha1 are not compared, so their changes always go live.
 */

type Obj = Record<string, unknown>;

/** The apply modes of the provider's ConfigurationApply. */
export type ApplyMode = "auto" | "no_reboot" | "reboot" | "staged" | "staged_if_needing_reboot";

/** What Talos does with one difference. */
export type Effect = "goes live" | "refused under no_reboot" | "active after the next reboot" | "staged";

export interface ConfigDifference {
  /** `v1alpha1`, or `<kind>` / `<kind>/<name>` of a typed document. */
  document: string;
  /** Dotted path in the document; empty for a whole document. */
  path: string;
  change: "changed" | "added" | "removed";
  live?: unknown;
  planned?: unknown;
  effect: Effect;
}

/**
 * v1alpha1 paths Talos copies from the new configuration before comparing, i.e. changes that apply without a
 * reboot (v1alpha1_runtime.go l.151-202). `machine.install` is applied, but only read at the next install or
 * upgrade.
 */
const LIVE = [
  "debug",
  "cluster",
  "machine.ca",
  "machine.acceptedCAs",
  "machine.time",
  "machine.certSANs",
  "machine.install",
  "machine.network",
  "machine.sysfs",
  "machine.sysctls",
  "machine.logging",
  "machine.controlplane",
  "machine.kubelet",
  "machine.kernel",
  "machine.registries",
  "machine.pods",
  "machine.seccompProfiles",
  "machine.nodeAnnotations",
  "machine.nodeLabels",
  "machine.nodeTaints",
  "machine.features.kubernetesTalosAPIAccess",
  "machine.features.kubePrism",
  "machine.features.hostDNS",
  "machine.features.imageCache",
  "machine.features.nodeAddressSortAlgorithm",
];

/**
 * v1alpha1 paths the generator fills from the secrets, the versions and its defaults (siderolabs/talos@v1.13.9
 * pkg/machinery/config/generate/init.go, controlplane.go, worker.go; the provider's defaults in
 * terraform-provider-talos@v0.11.0 pkg/talos/util.go generate). Offline their values are not known, so a live
 * value there is not reported as removed.
 */
const GENERATED = [
  "version",
  "debug",
  "persist",
  "machine.type",
  "machine.token",
  "machine.ca",
  "machine.certSANs",
  "machine.kubelet.image",
  "machine.kubelet.defaultRuntimeSeccompProfileEnabled",
  "machine.kubelet.disableManifestsDirectory",
  "machine.install",
  "machine.features",
  "machine.nodeLabels.node\\.kubernetes\\.io/exclude-from-external-load-balancers",
  "cluster.id",
  "cluster.secret",
  "cluster.controlPlane",
  "cluster.clusterName",
  "cluster.network.dnsDomain",
  "cluster.network.podSubnets",
  "cluster.network.serviceSubnets",
  "cluster.token",
  "cluster.secretboxEncryptionSecret",
  "cluster.aescbcEncryptionSecret",
  "cluster.ca",
  "cluster.aggregatorCA",
  "cluster.serviceAccount",
  "cluster.apiServer.image",
  "cluster.apiServer.certSANs",
  "cluster.apiServer.disablePodSecurityPolicy",
  "cluster.apiServer.admissionControl",
  "cluster.apiServer.auditPolicy",
  "cluster.controllerManager.image",
  "cluster.proxy.image",
  "cluster.scheduler.image",
  "cluster.discovery",
  "cluster.etcd.ca",
  "cluster.extraManifests",
  "cluster.inlineManifests",
];

/** Typed documents the generator adds for a v1.13 contract (generate/network.go: the stable hostname). */
const GENERATED_DOCUMENTS = ["HostnameConfig"];

/** A section a patch deletes: nothing of it is planned, whatever the generator puts there. */
const DELETED = Symbol("deleted");

/**
 * Sections the generator always writes for a control plane (generate/init.go: the PodSecurity admission
 * configuration and the audit policy): when the live configuration lacks one, the apply brings it back.
 */
const GENERATED_ALWAYS = ["cluster.apiServer.admissionControl", "cluster.apiServer.auditPolicy"];

/** v1alpha1 lists a patch replaces instead of appending to (`merge:"replace"` in v1alpha1_types.go). */
const REPLACED_LISTS = [
  "cluster.network.podSubnets",
  "cluster.network.serviceSubnets",
  "cluster.apiServer.auditPolicy",
];

const escape = (key: string) => key.replace(/\./g, "\\.");
const join = (path: string, key: string) => (path === "" ? escape(key) : `${path}.${escape(key)}`);
const under = (path: string, prefixes: readonly string[]) =>
  prefixes.some((p) => path === p || path.startsWith(`${p}.`));

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Leaves of a document: scalars, lists (whole) and empty maps, by dotted path (dots in keys escaped). */
function leaves(doc: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (isObject(doc) && Object.keys(doc).length > 0) {
    for (const [k, v] of Object.entries(doc)) leaves(v, join(path, k), out);
  } else if (path !== "") out.set(path, doc);
  return out;
}

interface Documents {
  v1alpha1: Map<string, unknown>;
  typed: Map<string, Map<string, unknown>>;
}

function documentKey(doc: Obj): string {
  return typeof doc["name"] === "string" ? `${String(doc["kind"])}/${doc["name"]}` : String(doc["kind"]);
}

/** Splits configuration documents into the v1alpha1 leaves and each typed document's leaves. */
function documents(docs: readonly unknown[], v1alpha1 = new Map<string, unknown>()): Documents {
  const typed = new Map<string, Map<string, unknown>>();
  for (const doc of docs) {
    if (!isObject(doc)) continue;
    if (typeof doc["kind"] === "string" && typeof doc["apiVersion"] === "string") {
      const body = Object.fromEntries(
        Object.entries(doc).filter(([k]) => k !== "apiVersion" && k !== "kind"),
      );
      typed.set(documentKey(doc), leaves(body));
    } else mergeLeaves(v1alpha1, leaves(doc));
  }
  return { v1alpha1, typed };
}

/**
 * A strategic-merge patch's leaves on top of others: lists append unless Talos replaces them, and
 * `$patch: delete` removes the section (siderolabs/talos@v1.13.9 pkg/machinery/config/configpatcher/strategic.go).
 */
function mergeLeaves(into: Map<string, unknown>, patch: Map<string, unknown>): void {
  for (const [leaf, value] of patch) {
    const deleted = leaf.endsWith(".$patch") && value === "delete";
    const path = deleted ? leaf.slice(0, -".$patch".length) : leaf;
    if (deleted) {
      for (const existing of [...into.keys()])
        if (existing === path || existing.startsWith(`${path}.`)) into.delete(existing);
      into.set(path, DELETED);
      continue;
    }
    for (const existing of [...into.keys()])
      if (existing.startsWith(`${path}.`) || path.startsWith(`${existing}.`)) into.delete(existing);
    const previous = into.get(path);
    into.set(
      path,
      Array.isArray(value) && Array.isArray(previous) && !REPLACED_LISTS.includes(path)
        ? [...previous, ...value]
        : value,
    );
  }
}

/** The documents of a live machine configuration text (the spec of `talosctl get machineconfig -o yaml`). */
export function parseMachineConfig(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown);
}

/** The machine configuration text of `talosctl -n <ip> get machineconfig -o yaml` output. */
export function machineConfigSpec(output: string): string | undefined {
  for (const doc of parseAllDocuments(output)) {
    const resource = doc.toJS() as unknown;
    if (isObject(resource) && typeof resource["spec"] === "string") return resource["spec"];
  }
  return undefined;
}

/** What Talos does with a difference in `document` at `path` under `mode`, given whether the node reboots. */
function effectOf(document: string, path: string, mode: ApplyMode, needsReboot: boolean): Effect {
  if (mode === "staged" || (mode === "staged_if_needing_reboot" && needsReboot)) return "staged";
  if (mode === "reboot") return "active after the next reboot";
  if (document !== "v1alpha1" || under(path, LIVE)) return "goes live";
  return mode === "no_reboot" ? "refused under no_reboot" : "active after the next reboot";
}

/**
 * Equal as configuration values: maps regardless of key order; a value the snapshot hashed
 * (`[redacted:sha256:…]`, ./redact.ts) equals the planned value with that hash.
 */
function same(live: unknown, planned: unknown): boolean {
  if (isRedacted(live) && (typeof planned === "string" || typeof planned === "number"))
    return redactedHash(String(planned)) === live;
  if (Array.isArray(live) || Array.isArray(planned))
    return (
      Array.isArray(live) &&
      Array.isArray(planned) &&
      live.length === planned.length &&
      live.every((v, i) => same(v, planned[i]))
    );
  if (isObject(live) && isObject(planned)) {
    const keys = Object.keys(live);
    return (
      keys.length === Object.keys(planned).length &&
      keys.every((k) => Object.prototype.hasOwnProperty.call(planned, k) && same(live[k], planned[k]))
    );
  }
  return live === planned;
}

/**
 * The differences between a node's live configuration documents and the patches the program applies to the
 * generated configuration (in the provider's order: role patches, then node patches), each with its effect.
 */
export function configDifferences(
  liveDocs: readonly unknown[],
  patches: readonly unknown[],
  mode: ApplyMode,
  options: { controlPlane: boolean },
): ConfigDifference[] {
  const live = documents(liveDocs);
  const planned = documents(patches);
  const found: Array<Omit<ConfigDifference, "effect">> = [];

  for (const [path, value] of planned.v1alpha1) {
    if (value === DELETED) continue;
    const current = live.v1alpha1.get(path);
    if (current === undefined) found.push({ document: "v1alpha1", path, change: "added", planned: value });
    else if (Array.isArray(value) && Array.isArray(current) && under(path, GENERATED)) {
      // The generator's own entries come first in the list: only the patch's entries are known offline.
      const missing = value.filter((v) => !current.some((c) => same(c, v)));
      if (missing.length > 0)
        found.push({ document: "v1alpha1", path, change: "changed", live: current, planned: value });
    } else if (!same(current, value))
      found.push({ document: "v1alpha1", path, change: "changed", live: current, planned: value });
  }
  for (const [path, value] of live.v1alpha1) {
    const covered = [...planned.v1alpha1.keys()].some(
      (p) => path === p || path.startsWith(`${p}.`) || p.startsWith(`${path}.`),
    );
    const deleted = [...planned.v1alpha1].some(
      ([p, v]) => v === DELETED && (path === p || path.startsWith(`${p}.`)),
    );
    if (deleted || (!covered && !under(path, GENERATED)))
      found.push({ document: "v1alpha1", path, change: "removed", live: value });
  }
  if (options.controlPlane)
    for (const path of GENERATED_ALWAYS) {
      const present = [...live.v1alpha1.keys()].some((p) => p === path || p.startsWith(`${path}.`));
      if (!present && planned.v1alpha1.get(path) !== DELETED)
        found.push({ document: "v1alpha1", path, change: "added", planned: "(the generator's default)" });
    }

  for (const [key, doc] of live.typed) {
    const next = planned.typed.get(key);
    if (next === undefined) {
      if (!GENERATED_DOCUMENTS.includes(key.split("/")[0]!))
        found.push({ document: key, path: "", change: "removed", live: Object.fromEntries(doc) });
      continue;
    }
    for (const path of new Set([...doc.keys(), ...next.keys()]))
      if (!same(doc.get(path), next.get(path)))
        found.push({
          document: key,
          path,
          change: !doc.has(path) ? "added" : !next.has(path) ? "removed" : "changed",
          live: doc.get(path),
          planned: next.get(path),
        });
  }
  for (const [key, doc] of planned.typed)
    if (!live.typed.has(key))
      found.push({ document: key, path: "", change: "added", planned: Object.fromEntries(doc) });

  const needsReboot = found.some((d) => d.document === "v1alpha1" && !under(d.path, LIVE));
  return found.map((d) => ({ ...d, effect: effectOf(d.document, d.path, mode, needsReboot) }));
}
