/** The cluster layer: Talos nodes, the Kubernetes provider, Cilium, Longhorn and the Gateway API CRDs. */
export { clusterLayer } from "./clusterLayer";
export type { ClusterLayer, ClusterLayerArgs } from "./clusterLayer";
export { Cilium, CILIUM_NAMESPACE } from "./cilium";
export type { CiliumArgs } from "./cilium";
export { GatewayApiCrds } from "./gatewayApiCrds";
export { Longhorn } from "./longhorn";
export type { LonghornArgs } from "./longhorn";
export { TalosCluster } from "./talosCluster";
export type { TalosClusterArgs } from "./talosCluster";
