import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { durationSeconds } from "../../lib/duration";
import type { TalosNode, TalosRolloutSettings } from "./args";
import * as talos from "../talos";
import { plugins } from "../../lib/versions";
import { talosRelease } from "../../lib/talosReleases";
import {
  healthScript,
  KUBERNETES_UPGRADE_SCRIPT,
  NOTHING_ON_UPDATE_SCRIPT,
  RECORD_ONLY_SCRIPT,
  UPGRADE_SCRIPT,
} from "./talosScripts";
import { roleOf, TalosSettings } from "./talosPatches";

/** The order in which a change reaches the nodes. */
export interface RolloutOrder {
  /** OS upgrades, one node at a time: control planes first, then workers. */
  upgrades: TalosNode[];
  /** Configuration waves: one control plane per wave, then workers in batches. */
  applyWaves: TalosNode[][];
  /** Nodes under maintenance: left out of every wave. */
  skipped: TalosNode[];
}

/** Rollout order of the node table (node order within a role is the table's order). */
export function rolloutOrder(nodes: TalosNode[], workerBatchSize: number): RolloutOrder {
  const active = nodes.filter((n) => !n.maintenance);
  const controlPlanes = active.filter((n) => n.controller);
  const workers = active.filter((n) => !n.controller);
  const workerWaves: TalosNode[][] = [];
  for (let i = 0; i < workers.length; i += workerBatchSize)
    workerWaves.push(workers.slice(i, i + workerBatchSize));
  return {
    upgrades: [...controlPlanes, ...workers],
    applyWaves: [...controlPlanes.map((n) => [n]), ...workerWaves],
    skipped: nodes.filter((n) => n.maintenance),
  };
}

/**
 * The rollout as ordered, readable steps. Exported as a stack output, so `pulumi preview` shows a version or
 * extension change as a changed list naming each node, its installer image and its place in the order.
 */
export function describeRollout(
  order: RolloutOrder,
  settings: Pick<TalosSettings, "kubernetesVersion" | "rollout">,
  installerImage: string,
): string[] {
  // "talos", not "upgrade": whether a step upgrades, downgrades or only checks its node is decided by the
  // version the node runs, which the preflight reports and the step reads before it acts.
  const steps = order.upgrades.map(
    (n, i) => `talos ${i + 1}/${order.upgrades.length}: ${n.name} (${n.address}) to ${installerImage}`,
  );
  const via = order.upgrades.find((n) => n.controller)!;
  steps.push(`kubernetes: upgrade-k8s to ${settings.kubernetesVersion} through ${via.name}`);
  order.applyWaves.forEach((wave, i) =>
    steps.push(
      `apply ${i + 1}/${order.applyWaves.length} (${settings.rollout.applyMode}): ${wave.map((n) => n.name).join(", ")}, then health`,
    ),
  );
  for (const n of order.skipped) steps.push(`maintenance: ${n.name} (${n.address}) left alone`);
  return steps;
}

export interface TalosRolloutArgs {
  settings: TalosSettings;
  /** talosconfig (secret), handed to talosctl on stdin. */
  talosconfig: pulumi.Output<string>;
  /** Image Factory installer image of the declared schematic and Talos version. */
  installerImage: pulumi.Output<string>;
  schematicId: pulumi.Output<string>;
  /** Registers a node's configuration apply with the given options. */
  apply: (node: TalosNode, opts: pulumi.CustomResourceOptions) => talos.machine.ConfigurationApply;
  parent: pulumi.Resource;
}

/** Inputs of a ConfigurationApply, all ignored while its node is under maintenance. */
const APPLY_INPUTS = [
  "node",
  "endpoint",
  "clientConfiguration",
  "machineConfigurationInput",
  "configPatches",
  "applyMode",
  "onDestroy",
  "timeouts",
];
/** Inputs of a Command, all ignored while its node is under maintenance. */
const COMMAND_INPUTS = [
  "create",
  "update",
  "delete",
  "environment",
  "stdin",
  "triggers",
  "interpreter",
  "dir",
];

export interface TalosRolloutSteps {
  /** Day-1 gate of the Kubernetes layers: the first control plane runs etcd and the API server. */
  apiReady: command.local.Command;
  applies: Record<string, talos.machine.ConfigurationApply>;
  order: RolloutOrder;
}

/**
 * Registers the day-2 steps of a Talos cluster in this order:
 * 1. OS upgrades (`<name>-<node>-upgrade`), one node at a time, control planes first; each runs
 *    `talosctl upgrade --image <factory installer>` when its target changes and waits for the node's health;
 * 2. the Kubernetes upgrade (`<name>-kubernetes-upgrade`), once, after every OS upgrade;
 * 3. configuration applies, control planes one at a time and workers in batches, each wave after the
 *    previous wave's health gates (`<name>-<node>-health`).
 * A step only runs when its inputs change, so an unchanged cluster is never contacted, and a node down
 * blocks only the steps after it. A node under maintenance keeps its steps in the state, ignoring every
 * change, and nothing waits for it.
 */
export function talosRollout(name: string, args: TalosRolloutArgs): TalosRolloutSteps {
  const { settings } = args;
  const rollout: TalosRolloutSettings = settings.rollout;
  const order = rolloutOrder(settings.nodes, rollout.workerBatchSize);
  const applies: TalosRolloutSteps["applies"] = {};
  const stdin = pulumi.secret(args.talosconfig);
  // etcd of a control plane's gate has at least the members rolled out up to it (a new cluster grows one
  // member per wave) and at most one per control plane of the table (a member under maintenance still counts).
  const controlPlaneOrder = order.upgrades.filter((n) => n.controller);
  const etcdMembersMin = (node: TalosNode) =>
    node.maintenance ? 1 : controlPlaneOrder.findIndex((n) => n.name === node.name) + 1;
  const nodeEnv = (node: TalosNode) => ({
    NODE: node.address,
    NODE_NAME: node.name,
    ROLE: roleOf(node),
    HEALTH_TIMEOUT_SECONDS: String(durationSeconds(rollout.healthTimeout)),
    SETTLE_SECONDS: String(durationSeconds(rollout.settleTime)),
    ...(node.controller
      ? {
          ETCD_MEMBERS_MIN: String(etcdMembersMin(node)),
          ETCD_MEMBERS_MAX: String(settings.nodes.filter((n) => n.controller).length),
        }
      : {}),
  });
  const options = (
    node: TalosNode | undefined,
    dependsOn: pulumi.Resource[],
    inputs: string[],
  ): pulumi.CustomResourceOptions => ({
    parent: args.parent,
    // dependsOn: the previous step of the rollout has finished and its node reported healthy.
    dependsOn,
    // ignoreChanges: a node under maintenance is left alone until the flag is removed.
    ...(node?.maintenance === true ? { ignoreChanges: inputs } : {}),
  });
  const localCommand = (
    stepName: string,
    cmd: command.local.CommandArgs,
    opts: pulumi.CustomResourceOptions,
  ) =>
    new command.local.Command(
      stepName,
      // The previous run's output is not handed to the next one: the scripts read the node instead.
      { stdin, addPreviousOutputInEnv: false, ...cmd },
      { ...opts, version: plugins.command.version },
    );

  // The warning is shown in preview and up; its completion is not awaited by anything.
  for (const node of order.skipped)
    void pulumi.log.warn(
      `Talos node ${node.name} (${node.address}) is under maintenance: no apply, upgrade or health check`,
    );

  // 0. Created once, with no dependency, so it never waits for (or re-runs after) a rollout step: on a new
  // cluster it holds the kubeconfig back until the first control plane is configured, bootstrapped and
  // runs its static pods; on a running cluster it passes at once, and no node's state blocks it later.
  const firstControlPlane = order.upgrades.find((n) => n.controller)!;
  const apiReady = localCommand(
    `${name}-api-ready`,
    {
      create: healthScript("talos"),
      update: NOTHING_ON_UPDATE_SCRIPT,
      environment: {
        ...nodeEnv(firstControlPlane),
        // Covers the install, the bootstrap and the static pods of a new cluster.
        HEALTH_TIMEOUT_SECONDS: String(2 * durationSeconds(rollout.healthTimeout)),
      },
    },
    { parent: args.parent },
  );

  // Config validation (the talos-versions rule) admits only known releases.
  const release = talosRelease(settings.talosVersion)!;
  // 1. OS upgrades, chained node by node. The target lives in `environment`, not `triggers`: a trigger
  // change replaces the step and so runs `create` (pulumi/pulumi-command@v1.2.1
  // provider/pkg/provider/common/inputs.go: Triggers is replaceOnChanges), and creation must stay inert so
  // that the first run on a running cluster upgrades nothing. A changed target runs `update`; when it fails,
  // the state keeps the old target (or records an init error, which forces an update:
  // pulumi/pulumi@v3.248.0 pkg/resource/deploy/step_generator.go:2053-2068), so the next `up` runs the step
  // again, and the script skips a node already on the target.
  const upgrade = (node: TalosNode, after: pulumi.Resource[]) =>
    localCommand(
      `${name}-${node.name}-upgrade`,
      {
        create: RECORD_ONLY_SCRIPT,
        update: UPGRADE_SCRIPT,
        environment: {
          ...nodeEnv(node),
          TARGET_VERSION: settings.talosVersion,
          MIN_HOST_VERSION: `v${release.minHost.join(".")}.0`,
          DOWNGRADE_LIMIT: `v${release.maxHostDowngrade.join(".")}.0`,
          ALLOW_DOWNGRADE: String(rollout.allowDowngrade),
          TARGET_SCHEMATIC: args.schematicId,
          TARGET_IMAGE: args.installerImage,
          UPGRADE_TIMEOUT: rollout.upgradeTimeout,
        },
      },
      options(node, after, COMMAND_INPUTS),
    );
  let previous: pulumi.Resource[] = [];
  for (const node of order.upgrades) previous = [upgrade(node, previous)];
  for (const node of order.skipped) upgrade(node, previous);

  // 2. Kubernetes, once, through the first active control plane.
  const kubernetesUpgrade = localCommand(
    `${name}-kubernetes-upgrade`,
    {
      create: RECORD_ONLY_SCRIPT,
      update: KUBERNETES_UPGRADE_SCRIPT,
      environment: {
        NODE: firstControlPlane.address,
        CONTROL_PLANES: controlPlaneOrder.map((n) => n.address).join(","),
        NODES: order.upgrades.map((n) => n.address).join(","),
        TO_VERSION: settings.kubernetesVersion,
        MAINTENANCE_NODES: order.skipped.map((n) => n.name).join(","),
      },
    },
    options(undefined, previous, COMMAND_INPUTS),
  );

  // 3. Configuration applies in waves, each after the previous wave's health gates.
  const applyAndGate = (node: TalosNode, after: pulumi.Resource[]) => {
    const apply = args.apply(node, options(node, after, APPLY_INPUTS));
    applies[node.name] = apply;
    return localCommand(
      `${name}-${node.name}-health`,
      {
        // A new node may join before the CNI runs; a changed node must be fully Ready again.
        create: healthScript("talos"),
        update: healthScript("full"),
        environment: { ...nodeEnv(node), CONFIG_HASH: apply.machineConfigurationHash },
      },
      options(node, [apply], COMMAND_INPUTS),
    );
  };
  let gates: pulumi.Resource[] = [kubernetesUpgrade];
  for (const wave of order.applyWaves) {
    const after = gates;
    gates = wave.map((node) => applyAndGate(node, after));
  }
  for (const node of order.skipped) applyAndGate(node, [kubernetesUpgrade]);
  return { apiReady, applies, order };
}
