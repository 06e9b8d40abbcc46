import * as pulumi from "@pulumi/pulumi";
import * as talos from "../talos";
import {
  clusterEndpoint,
  MachineRole,
  nodePatches,
  PatchOptions,
  rolePatches,
  roleOf,
  schematicYaml,
  serializePatch,
  talosContract,
  TalosSettings,
} from "./talosPatches";
import { describeRollout, talosRollout } from "./talosRollout";

export interface TalosClusterArgs {
  /** Cluster name (Kubernetes and talosconfig context). */
  clusterName: string;
  /** Talos settings and the node table (config `cluster.talos`). */
  talos: TalosSettings;
  /** Cilium replaces the default CNI and kube-proxy. */
  ciliumCni: boolean;
  /** Longhorn's data path when Longhorn runs on this cluster (adds the kubelet mounts it needs). */
  longhornDataPath?: string;
}

/**
 * Talos nodes end to end: Image Factory schematic from the declared extensions, machine secrets, one
 * machine configuration per role and one apply per node, a single bootstrap on the first control plane,
 * then the admin kubeconfig and the talosconfig (both secret).
 */
export class TalosCluster extends pulumi.ComponentResource {
  /** Image Factory schematic ID of the declared extensions. */
  public readonly schematicId: pulumi.Output<string>;
  /** Installer image every node installs from. */
  public readonly installerImage: pulumi.Output<string>;
  /** The rollout order in words: which node is upgraded to which image, then applied, in which order. */
  public readonly rolloutPlan: pulumi.Output<string[]>;
  /** Admin kubeconfig (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** talosconfig for talosctl (secret). */
  public readonly talosconfig: pulumi.Output<string>;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:TalosCluster", name, {}, opts);
    const settings = args.talos;
    const controlPlanes = settings.nodes.filter((n) => n.controller);
    // Config validation (rule control-plane-present) guarantees a control-plane node.
    const first = controlPlanes[0]!;
    const endpoint = clusterEndpoint(settings.apiVip);

    const schematic = new talos.imagefactory.Schematic(
      `${name}-schematic`,
      { schematic: schematicYaml(settings.extensions) },
      { parent: this },
    );
    this.schematicId = schematic.id;
    const urls = talos.imagefactory.getUrlsOutput(
      { schematicId: schematic.id, talosVersion: settings.talosVersion, platform: "metal" },
      { parent: this },
    );
    this.installerImage = urls.urls.installer;

    const machineSecrets = new talos.machine.Secrets(
      `${name}-secrets`,
      { talosVersion: talosContract(settings.talosVersion) },
      // protect: regenerating the secrets replaces the cluster CA and tokens, locking every node out.
      // ignoreChanges: a later Talos contract must not regenerate the secrets of a running cluster.
      { parent: this, protect: true, ignoreChanges: ["talosVersion"] },
    );
    const clientConfiguration = machineSecrets.clientConfiguration;

    const patchOptions: PatchOptions = { ciliumCni: args.ciliumCni, longhornDataPath: args.longhornDataPath };
    const roles = new Set<MachineRole>(settings.nodes.map(roleOf));
    const machineConfigs = new Map<MachineRole, pulumi.Output<string>>();
    for (const role of roles) {
      const config = talos.machine.getConfigurationOutput(
        {
          clusterName: args.clusterName,
          clusterEndpoint: endpoint,
          machineType: role,
          machineSecrets: machineSecrets.machineSecrets,
          talosVersion: settings.talosVersion,
          kubernetesVersion: settings.kubernetesVersion,
          configPatches: rolePatches(settings, role, patchOptions).map(serializePatch),
          docs: false,
          examples: false,
        },
        { parent: this },
      );
      machineConfigs.set(role, config.machineConfiguration);
    }

    this.talosconfig = pulumi.secret(
      talos.client.getConfigurationOutput(
        {
          clusterName: args.clusterName,
          clientConfiguration,
          endpoints: controlPlanes.map((n) => n.address),
          nodes: settings.nodes.map((n) => n.address),
        },
        { parent: this },
      ).talosConfig,
    );

    const rollout = talosRollout(name, {
      settings,
      // Without endpoints or nodes (every step names its node): adding a node then changes no step's
      // talosconfig, so it re-runs no other node's steps.
      talosconfig: talos.client.getConfigurationOutput(
        { clusterName: args.clusterName, clientConfiguration },
        { parent: this },
      ).talosConfig,
      installerImage: this.installerImage,
      schematicId: this.schematicId,
      parent: this,
      apply: (node, opts) =>
        new talos.machine.ConfigurationApply(
          `${name}-${node.name}`,
          {
            node: node.address,
            endpoint: node.address,
            clientConfiguration,
            machineConfigurationInput: machineConfigs.get(roleOf(node))!,
            configPatches: this.installerImage.apply((image) =>
              nodePatches(settings, node, image).map(serializePatch),
            ),
            applyMode: settings.rollout.applyMode,
          },
          opts,
        ),
    });
    this.rolloutPlan = this.installerImage.apply((image) => describeRollout(rollout.order, settings, image));

    new talos.machine.Bootstrap(
      `${name}-bootstrap`,
      { node: first.address, endpoint: first.address, clientConfiguration },
      // dependsOn: etcd can only be bootstrapped once the first control plane runs its configuration.
      { parent: this, dependsOn: [rollout.applies[first.name]!] },
    );

    // No cluster-wide health check gates the kubeconfig: an invoke would run at every preview and one node
    // down would fail the whole program (terraform-provider-talos@v0.11.0 talos_cluster_health_data_source.go
    // Read; pulumi/pulumi@v3.248.0 sdk/nodejs/runtime/invoke.ts). Health is checked per node by the rollout.
    const kubeconfigResource = new talos.cluster.Kubeconfig(
      `${name}-kubeconfig`,
      { node: first.address, endpoint: first.address, clientConfiguration },
      // dependsOn: on a new cluster the API server exists only once the first control plane is bootstrapped;
      // not the bootstrap itself, which follows that node's rollout steps: a registration waits for every
      // dependency's step, so the Kubernetes layers would wait for (or fail with) each upgrade and apply.
      { parent: this, dependsOn: [rollout.apiReady] },
    );
    this.kubeconfig = pulumi.secret(kubeconfigResource.kubeconfigRaw);

    this.registerOutputs({
      schematicId: this.schematicId,
      installerImage: this.installerImage,
      endpoint: endpoint,
      kubeconfig: this.kubeconfig,
      talosconfig: this.talosconfig,
      rolloutPlan: this.rolloutPlan,
    });
  }
}
