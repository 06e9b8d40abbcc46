import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CiliumSettings, ClusterSettings } from "./args";
import type { LonghornConfig } from "./longhorn";
import { Cilium } from "./cilium";
import { GatewayApiCrds } from "./gatewayApiCrds";
import { TalosCluster } from "./talosCluster";

export interface ClusterLayerArgs {
  /** Config `cluster`: name, Talos settings and node table. */
  cluster: ClusterSettings;
  /** Config `cilium`. */
  cilium: CiliumSettings;
  /** Config `longhorn` (Talos adds Longhorn's kubelet mounts when it is enabled). */
  longhorn: { enabled: boolean } & Pick<LonghornConfig, "dataPath">;
  /**
   * Kubeconfig of an existing cluster (already a secret Output); config validation (rule kubeconfig-required)
   * guarantees one whenever Talos is disabled.
   */
  existingKubeconfig?: pulumi.Input<string>;
}

export interface ClusterLayer {
  /** The Talos cluster, when Talos is managed here. */
  talos?: TalosCluster;
  /** Kubernetes provider of every later layer, built from the kubeconfig. */
  kubernetesProvider: k8s.Provider;
  /** Admin kubeconfig (secret). */
  kubeconfig: pulumi.Output<string>;
  /** talosconfig (secret), when Talos is managed here. */
  talosconfig?: pulumi.Output<string>;
  /** The CNI: PlatformNamespaces depends on it, so every namespaced object starts after it. */
  cni?: pulumi.Resource;
  /** The Gateway API CRDs: depend on them before creating any Gateway API object. */
  gatewayApiCrds: GatewayApiCrds;
}

/**
 * The cluster layer: Talos nodes (or an existing cluster's kubeconfig), the Kubernetes provider built from
 * the kubeconfig, Cilium and the Gateway API CRDs. A function rather than a component because it creates
 * the provider that its own Kubernetes children are given through `providers`.
 */
export function clusterLayer(
  name: string,
  args: ClusterLayerArgs,
  opts: { parent?: pulumi.Resource } = {},
): ClusterLayer {
  const { cluster, cilium, longhorn } = args;
  let talosCluster: TalosCluster | undefined;
  let kubeconfig: pulumi.Output<string>;
  if (cluster.talos.enabled) {
    talosCluster = new TalosCluster(
      `${name}-talos`,
      {
        clusterName: cluster.name,
        talos: cluster.talos,
        ciliumCni: cilium.enabled,
        longhornDataPath: longhorn.enabled ? longhorn.dataPath : undefined,
      },
      { parent: opts.parent },
    );
    kubeconfig = talosCluster.kubeconfig;
  } else {
    kubeconfig = pulumi.secret(pulumi.output(args.existingKubeconfig!));
  }

  // clusterIdentifier: while it stays the same, the provider's DiffConfig drops every replacement, so a kubeconfig
  // that is unknown at preview (new node, renewed certificate) or rotated updates the provider instead of
  // replacing it and every Kubernetes object with it (pulumi-kubernetes provider/pkg/provider/provider.go,
  // DiffConfig). It is the cluster's name from config: known at preview and independent of the kubeconfig.
  // Adding it to an existing provider does not replace it by itself; the protection holds from the next run on,
  // so add it on a run where the kubeconfig is known (same file).
  const kubernetesProvider = new k8s.Provider(
    `${name}-k8s`,
    { kubeconfig, clusterIdentifier: cluster.name },
    { parent: opts.parent },
  );
  const k8sOpts = { parent: opts.parent, providers: [kubernetesProvider] };

  // Cilium's values reach the API through KubePrism, so an existing cluster is expected to be Talos as well
  // (KubePrism is on by default in generated Talos configs).
  const ciliumComponent = cilium.enabled
    ? new Cilium(
        `${name}-cilium`,
        // An existing cluster's size is not in the config: two operator replicas, the chart's own default
        // (cilium/cilium@v1.20.0: install/kubernetes/cilium/values.yaml, operator.replicas).
        { cilium, nodeCount: cluster.talos.enabled ? cluster.talos.nodes.length : 2 },
        k8sOpts,
      )
    : undefined;
  const gatewayApiCrds = new GatewayApiCrds(`${name}-gateway-api`, k8sOpts);

  return {
    talos: talosCluster,
    kubernetesProvider,
    kubeconfig,
    talosconfig: talosCluster?.talosconfig,
    cni: ciliumComponent?.release,
    gatewayApiCrds,
  };
}
