import { z } from "zod";
import type { ProblemSink } from "./checks/refine";
import { durationSeconds } from "../lib/duration";

/*
 * Day-2 settings of the Talos cluster (`cluster.talos.rollout`, `cluster.talos.current`,
 * `cluster.talos.nodes[].maintenance`) and the version rules that decide whether a change can be rolled out.
 */

/**
 * `applyMode` values of ConfigurationApply (siderolabs/terraform-provider-talos@v0.11.0, bridged by
 * pulumi-talos 0.8.1: pkg/talos/talos_machine_configuration_apply_resource.go OneOf validator).
 */
export const APPLY_MODES = ["auto", "no_reboot", "reboot", "staged", "staged_if_needing_reboot"] as const;
export type ApplyMode = (typeof APPLY_MODES)[number];

/**
 * The default never reboots a node: Talos rejects a `no_reboot` apply whose change needs a reboot, before
 * touching the node (siderolabs/talos@v1.13.9 internal/app/machined/internal/server/v1alpha1/v1alpha1_server.go
 * ApplyConfiguration, NO_REBOOT case), so the rollout stops at the first control plane with the reason.
 * `staged_if_needing_reboot` is not a guarantee: its dry run falls back to `auto` when it cannot reach the node
 * (terraform-provider-talos@v0.11.0 talos_machine_configuration_apply_resource.go handleRebootPrevention).
 */
export const DEFAULT_APPLY_MODE: ApplyMode = "no_reboot";

const duration = z.string().regex(/^[1-9][0-9]*(s|m|h)$/, {
  error: "must be a duration in whole seconds, minutes or hours, like 90s or 15m",
});

export const talosVersionSchema = z
  .string()
  .regex(/^v[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Talos version like v1.13.9" });
export const kubernetesVersionSchema = z
  .string()
  .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Kubernetes version like 1.36.3" });

/** `cluster.talos.rollout`: how configuration changes and upgrades reach the nodes. */
export const talosRolloutSchema = z
  .strictObject({
    /** Apply mode of every machine-configuration apply. */
    applyMode: z.enum(APPLY_MODES).default(DEFAULT_APPLY_MODE),
    /** Workers whose configuration is applied at the same time, after every control plane. */
    workerBatchSize: z.number().int().min(1, { error: "must be at least 1" }).default(1),
    /** How long a node may take to report healthy after a change. */
    healthTimeout: duration.default("15m"),
    /** `talosctl upgrade --timeout` of one node. */
    upgradeTimeout: duration.default("30m"),
    /** How long a node must stay healthy before the next one is touched (a reboot may still be starting). */
    settleTime: duration.default("30s"),
  })
  .prefault({});

/**
 * `cluster.talos.current`: the versions the nodes run before this change. Kubernetes upgrades must be
 * stepped one minor at a time and Talos upgrades from a minimum host version, which the program cannot
 * learn offline; after a successful `pulumi up` this is set to the declared versions.
 */
export const talosCurrentSchema = z.strictObject({
  talosVersion: talosVersionSchema,
  kubernetesVersion: kubernetesVersionSchema,
});

/** `cluster.talos.nodes[].maintenance`: the node is left alone (no apply, upgrade or health check). */
export const nodeMaintenanceSchema = z.boolean().default(false);

// ---------------------------------------------------------------- version compatibility

interface TalosRelease {
  /** Lowest Kubernetes version supported (inclusive). */
  minKubernetes: [number, number];
  /** Highest Kubernetes minor supported. */
  maxKubernetes: [number, number];
  /** Lowest Talos version a node can be upgraded from (inclusive). */
  minHost: [number, number];
  /** Talos minor a node can no longer be downgraded from (exclusive). */
  maxHostDowngrade: [number, number];
}

/**
 * Talos releases and what they accept, from siderolabs/talos@v1.13.9
 * pkg/machinery/compatibility/talos1{8,9,10,11,12,13}/*.go (Minimum/MaximumKubernetesVersion,
 * MinimumHostUpgradeVersion, MaximumHostDowngradeVersion), enforced by kubernetes_version.go SupportedWith and
 * talos_version.go UpgradeableFrom. Provider 0.8.1 bundles machinery v1.13.0, which knows no later release.
 */
export const TALOS_RELEASES: Record<string, TalosRelease> = {
  "1.8": { minKubernetes: [1, 26], maxKubernetes: [1, 31], minHost: [1, 5], maxHostDowngrade: [1, 10] },
  "1.9": { minKubernetes: [1, 27], maxKubernetes: [1, 32], minHost: [1, 8], maxHostDowngrade: [1, 11] },
  "1.10": { minKubernetes: [1, 28], maxKubernetes: [1, 33], minHost: [1, 8], maxHostDowngrade: [1, 12] },
  "1.11": { minKubernetes: [1, 29], maxKubernetes: [1, 34], minHost: [1, 9], maxHostDowngrade: [1, 13] },
  "1.12": { minKubernetes: [1, 30], maxKubernetes: [1, 35], minHost: [1, 10], maxHostDowngrade: [1, 14] },
  "1.13": { minKubernetes: [1, 31], maxKubernetes: [1, 36], minHost: [1, 11], maxHostDowngrade: [1, 15] },
};

type Version = [number, number, number];

function parse(version: string): Version {
  const [major, minor, patch] = version.replace(/^v/, "").split(".").map(Number);
  return [major!, minor!, patch!];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const minorOf = (v: Version) => `${v[0]}.${v[1]}`;

/** Why Talos `talos` cannot run Kubernetes `kubernetes`, or undefined when it can. */
export function kubernetesSupportProblem(talos: string, kubernetes: string): string | undefined {
  const release = TALOS_RELEASES[minorOf(parse(talos))];
  if (release === undefined) return undefined;
  const k = parse(kubernetes);
  const [lo, hi] = [release.minKubernetes, release.maxKubernetes];
  if (compare(k, lo) < 0 || compare([k[0], k[1]], hi) > 0)
    return `Talos ${talos} supports Kubernetes ${lo.join(".")} to ${hi.join(".")}.x, not ${kubernetes}`;
  return undefined;
}

/** What the version rules read of `cluster.talos` when Talos is on. */
interface TalosVersionFacts {
  talosVersion: string;
  kubernetesVersion: string;
  current: z.infer<typeof talosCurrentSchema>;
  rollout: z.infer<typeof talosRolloutSchema>;
  nodes: Array<{ name: string; controller: boolean; maintenance: boolean }>;
}

/**
 * Problems of the Talos and Kubernetes versions, of the upgrade path from the running ones, and of the rollout
 * (the talos-versions invariant of `cluster.talos`, ./layerRules/cluster.ts).
 */
export function talosVersionProblems(talos: TalosVersionFacts, problems: ProblemSink): void {
  const base = "cluster.talos";
  const target = parse(talos.talosVersion);
  const release = TALOS_RELEASES[minorOf(target)];
  if (release === undefined) {
    problems.add(
      ["talosVersion"],
      `Talos ${minorOf(target)} is not a release this program knows (${Object.keys(TALOS_RELEASES).join(", ")})`,
      "the Talos provider 0.8.1 generates configuration up to the v1.13 contract",
    );
    return;
  }
  const k8sProblem = kubernetesSupportProblem(talos.talosVersion, talos.kubernetesVersion);
  if (k8sProblem !== undefined)
    problems.add(["kubernetesVersion"], k8sProblem, "pick a Kubernetes version the Talos release supports");

  const current = talos.current;
  const from = parse(current.kubernetesVersion);
  const to = parse(talos.kubernetesVersion);
  if (to[0] !== from[0] || to[1] < from[1]) {
    problems.add(
      ["kubernetesVersion"],
      `${talos.kubernetesVersion} is a downgrade from the running ${current.kubernetesVersion}`,
      "talosctl upgrade-k8s only moves forward (siderolabs/go-kubernetes upgrade path)",
    );
  } else if (to[1] - from[1] > 1) {
    problems.add(
      ["kubernetesVersion"],
      `${talos.kubernetesVersion} is more than one minor version above the running ${current.kubernetesVersion}`,
      `upgrade to 1.${from[1] + 1}.x first, then set ${base}.current.kubernetesVersion to it`,
    );
  }

  const host = parse(current.talosVersion);
  if (compare(host, target) !== 0) {
    if (compare([host[0], host[1]], release.minHost) < 0) {
      problems.add(
        ["talosVersion"],
        `nodes on ${current.talosVersion} cannot be upgraded to ${talos.talosVersion} (needs ${release.minHost.join(".")}.0 or later)`,
        `upgrade to an intermediate release first, then set ${base}.current.talosVersion to it`,
      );
    } else if (compare([host[0], host[1]], release.maxHostDowngrade) >= 0) {
      problems.add(
        ["talosVersion"],
        `nodes on ${current.talosVersion} cannot be downgraded to ${talos.talosVersion}`,
        `Talos ${minorOf(target)} accepts hosts below ${release.maxHostDowngrade.join(".")}.0 only`,
      );
    }
    // Nodes are upgraded before Kubernetes, so they briefly run the current Kubernetes on the new Talos.
    const duringUpgrade = kubernetesSupportProblem(talos.talosVersion, current.kubernetesVersion);
    if (duringUpgrade !== undefined && k8sProblem === undefined)
      problems.add(
        ["current", "kubernetesVersion"],
        `${duringUpgrade}: the nodes run it between their Talos upgrade and the Kubernetes upgrade`,
        "upgrade Kubernetes on the current Talos release first",
      );
  }

  const { rollout } = talos;
  if (durationSeconds(rollout.settleTime) >= durationSeconds(rollout.healthTimeout))
    problems.add(
      ["rollout", "settleTime"],
      `${rollout.settleTime} is not shorter than rollout.healthTimeout ${rollout.healthTimeout}`,
      "a node must stay healthy for settleTime within healthTimeout, so no health gate could pass",
    );

  talos.nodes.forEach((n, i) => {
    if (!n.maintenance) return;
    if (n.controller && talos.nodes.filter((m) => m.controller && !m.maintenance).length === 0)
      problems.add(["nodes", i, "maintenance"], "every control-plane node is under maintenance");
    if (talos.kubernetesVersion !== current.kubernetesVersion)
      problems.add(
        ["nodes", i, "maintenance"],
        `node ${n.name} is under maintenance while Kubernetes changes to ${talos.kubernetesVersion}`,
        "talosctl upgrade-k8s upgrades every node it finds in the cluster; finish the maintenance first",
      );
  });
}
