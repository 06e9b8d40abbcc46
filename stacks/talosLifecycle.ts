import { z } from "zod";
import type { ProblemSink } from "./checks/refine";
import { durationSeconds } from "../lib/duration";
import {
  kubernetesSupportProblem,
  minorOf,
  parseVersion,
  TALOS_RELEASES,
  talosRelease,
  unknownReleaseHint,
} from "../lib/talosReleases";

/*
 * Day-2 settings of the Talos cluster (`cluster.talos.rollout`, `cluster.talos.nodes[].maintenance`) and the
 * rules on the declared versions.
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
    /**
     * A node that runs a newer Talos than the declared one is downgraded instead of stopping the rollout.
     * Off by default: a version typo must not downgrade a cluster.
     */
    allowDowngrade: z.boolean().default(false),
  })
  .prefault({});

/** `cluster.talos.nodes[].maintenance`: the node is left alone (no apply, upgrade or health check). */
export const nodeMaintenanceSchema = z.boolean().default(false);

/** What the version rules read of `cluster.talos` when Talos is on. */
interface TalosVersionFacts {
  talosVersion: string;
  kubernetesVersion: string;
  rollout: z.infer<typeof talosRolloutSchema>;
  nodes: Array<{ name: string; controller: boolean; maintenance: boolean }>;
}

/**
 * Problems of the declared Talos and Kubernetes versions and of the rollout (the talos-versions invariant of
 * `cluster.talos`, ./layerRules/cluster.ts). The path from the versions the nodes run is checked against the
 * nodes themselves: by the preflight on a snapshot, and by each upgrade step before it touches its node.
 */
export function talosVersionProblems(talos: TalosVersionFacts, problems: ProblemSink): void {
  const target = parseVersion(talos.talosVersion);
  if (talosRelease(talos.talosVersion) === undefined) {
    problems.add(
      ["talosVersion"],
      `Talos ${minorOf(target)} is not a release this program knows (${Object.keys(TALOS_RELEASES).join(", ")})`,
      unknownReleaseHint(minorOf(target)),
    );
    return;
  }
  const k8sProblem = kubernetesSupportProblem(talos.talosVersion, talos.kubernetesVersion);
  if (k8sProblem !== undefined)
    problems.add(["kubernetesVersion"], k8sProblem, "pick a Kubernetes version the Talos release supports");

  const { rollout } = talos;
  if (durationSeconds(rollout.settleTime) >= durationSeconds(rollout.healthTimeout))
    problems.add(
      ["rollout", "settleTime"],
      `${rollout.settleTime} is not shorter than rollout.healthTimeout ${rollout.healthTimeout}`,
      "a node must stay healthy for settleTime within healthTimeout, so no health gate could pass",
    );

  talos.nodes.forEach((n, i) => {
    if (
      n.maintenance &&
      n.controller &&
      talos.nodes.filter((m) => m.controller && !m.maintenance).length === 0
    )
      problems.add(["nodes", i, "maintenance"], "every control-plane node is under maintenance");
  });
}
