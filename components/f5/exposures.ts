/*
 * BIG-IP naming and pool members over the exposure plan (lib/exposures.ts), the single source of NodePorts:
 * the AI gateway sets them on its proxy Services and the BIG-IP pools use the same numbers for their members.
 */

/** A cluster node that becomes a pool member on every NodePort. */
export interface EdgeNode {
  /** Node name (the Talos node name); also the BIG-IP node object's name. */
  name: string;
  /** Node IPv4 address; NodePorts answer on every node (Cilium kube-proxy replacement). */
  address: string;
}

/** BIG-IP full path of an object: `/<partition>/<name>` (F5 sdk/nodejs/ltm/virtualServer.ts, pool.ts). */
export function bigipPath(partition: string, name: string): string {
  return `/${partition}/${name}`;
}

/** Full paths the program gives its BIG-IP objects; BigipEdge and the adoption mapping both use them. */
export interface BigipObjectNames {
  node(nodeName: string): string;
  monitor: string;
  pool(vipKey: string): string;
  virtualServer(vipKey: string): string;
}

export function bigipObjectNames(
  partition: string,
  namePrefix: string,
  monitorType: string,
): BigipObjectNames {
  const at = (name: string) => bigipPath(partition, name);
  return {
    node: (nodeName) => at(nodeName),
    monitor: at(`${namePrefix}-nodeport-${monitorType}`),
    pool: (vipKey) => at(`${namePrefix}-${vipKey}-pool`),
    virtualServer: (vipKey) => at(`${namePrefix}-${vipKey}-vs`),
  };
}
