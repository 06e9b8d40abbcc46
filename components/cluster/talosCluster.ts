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

export interface TalosClusterArgs {
  /** Cluster name (Kubernetes and talosconfig context). */
  clusterName: string;
  /** Talos settings and the node table (config `cluster.talos`). */
  talos: TalosSettings;
  /** Cilium replaces the default CNI and kube-proxy. */
  ciliumCni: boolean;
  /** Longhorn's data path when Longhorn runs on this cluster (adds the kubelet mounts it needs). */
  longhornDataPath?: string;
  /** Image Factory platform of the installer (default "metal"). */
  platform?: string;
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
  public readonly secrets: talos.machine.Secrets;
  public readonly applies: Record<string, talos.machine.ConfigurationApply>;
  public readonly bootstrap: talos.machine.Bootstrap;
  public readonly kubeconfigResource: talos.cluster.Kubeconfig;
  /** Admin kubeconfig (secret); resolves once the Talos health check passes. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** talosconfig for talosctl (secret). */
  public readonly talosconfig: pulumi.Output<string>;
  public readonly endpoint: string;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:TalosCluster", name, {}, opts);
    const settings = args.talos;
    const controlPlanes = settings.nodes.filter((n) => n.controller);
    const workers = settings.nodes.filter((n) => !n.controller);
    const first = controlPlanes[0];
    if (first === undefined) throw new Error(`cluster ${args.clusterName} has no control-plane node`);
    this.endpoint = clusterEndpoint(settings.apiVip);

    const schematic = new talos.imagefactory.Schematic(
      `${name}-schematic`,
      { schematic: schematicYaml(settings.extensions) },
      { parent: this },
    );
    this.schematicId = schematic.id;
    const urls = talos.imagefactory.getUrlsOutput(
      { schematicId: schematic.id, talosVersion: settings.talosVersion, platform: args.platform ?? "metal" },
      { parent: this },
    );
    this.installerImage = urls.urls.installer;

    this.secrets = new talos.machine.Secrets(
      `${name}-secrets`,
      { talosVersion: talosContract(settings.talosVersion) },
      // protect: regenerating the secrets replaces the cluster CA and tokens, locking every node out.
      // ignoreChanges: a later Talos contract must not regenerate the secrets of a running cluster.
      { parent: this, protect: true, ignoreChanges: ["talosVersion"] },
    );
    const clientConfiguration = this.secrets.clientConfiguration;

    const patchOptions: PatchOptions = { ciliumCni: args.ciliumCni, longhornDataPath: args.longhornDataPath };
    const roles = new Set<MachineRole>(settings.nodes.map(roleOf));
    const machineConfigs = new Map<MachineRole, pulumi.Output<string>>();
    for (const role of roles) {
      const config = talos.machine.getConfigurationOutput(
        {
          clusterName: args.clusterName,
          clusterEndpoint: this.endpoint,
          machineType: role,
          machineSecrets: this.secrets.machineSecrets,
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

    this.applies = {};
    for (const node of settings.nodes) {
      this.applies[node.name] = new talos.machine.ConfigurationApply(
        `${name}-${node.name}`,
        {
          node: node.address,
          endpoint: node.address,
          clientConfiguration,
          machineConfigurationInput: machineConfigs.get(roleOf(node))!,
          configPatches: this.installerImage.apply((image) =>
            nodePatches(settings, node, image).map(serializePatch),
          ),
        },
        { parent: this },
      );
    }

    this.bootstrap = new talos.machine.Bootstrap(
      `${name}-bootstrap`,
      { node: first.address, endpoint: first.address, clientConfiguration },
      // dependsOn: etcd can only be bootstrapped once the first control plane runs its configuration.
      { parent: this, dependsOn: [this.applies[first.name]!] },
    );

    this.kubeconfigResource = new talos.cluster.Kubeconfig(
      `${name}-kubeconfig`,
      { node: first.address, endpoint: first.address, clientConfiguration },
      // dependsOn: the API server exists only after the bootstrap.
      { parent: this, dependsOn: [this.bootstrap] },
    );

    // Talos-level checks only: with `cni: none` nodes stay NotReady until Cilium runs, so Kubernetes checks
    // would wait for something this check gates (talos-0.8.1 schema, getHealth skipKubernetesChecks).
    const health = talos.cluster.getHealthOutput(
      {
        clientConfiguration,
        controlPlaneNodes: controlPlanes.map((n) => n.address),
        workerNodes: workers.map((n) => n.address),
        endpoints: controlPlanes.map((n) => n.address),
        skipKubernetesChecks: true,
      },
      // dependsOn: check only once every node has its configuration and etcd is bootstrapped.
      { parent: this, dependsOn: [this.bootstrap, ...Object.values(this.applies)] },
    );
    this.kubeconfig = pulumi.secret(
      pulumi.all([this.kubeconfigResource.kubeconfigRaw, health.id]).apply(([kubeconfig]) => kubeconfig),
    );

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

    this.registerOutputs({
      schematicId: this.schematicId,
      installerImage: this.installerImage,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      talosconfig: this.talosconfig,
    });
  }
}
