import type { ExposureConfig } from "../../stacks/schema";

/*
 * Pure views of the exposure table (config `exposures`), the single source of NodePorts: the AI gateway sets
 * them on its proxy Services (components/gateway/nodePorts.ts) and the BIG-IP pools use the same numbers for
 * their members.
 */

/** A cluster node that becomes a pool member on every NodePort. */
export interface EdgeNode {
  /** Node name (the Talos node name); also the BIG-IP node object's name. */
  name: string;
  /** Node IPv4 address; NodePorts answer on every node (Cilium kube-proxy replacement). */
  address: string;
}

/** The Kubernetes Service an exposure fronts. */
export interface BackendService {
  namespace: string;
  name: string;
}

/** BIG-IP full path of an object: `/<partition>/<name>` (F5 sdk/nodejs/ltm/virtualServer.ts, pool.ts). */
export function bigipPath(partition: string, name: string): string {
  return `/${partition}/${name}`;
}

/**
 * The Service behind an exposure. agentgateway v1.4 names a Gateway's proxy Service after the Gateway, in
 * the Gateway's namespace (the agentgateway namespace here).
 */
export function backendServiceOf(
  target: ExposureConfig["target"],
  agentgatewayNamespace: string,
): BackendService {
  if ("gateway" in target) return { namespace: agentgatewayNamespace, name: target.gateway };
  return { namespace: target.service.namespace, name: target.service.name };
}

/** Pool members of a NodePort: every node, as `<address>:<nodePort>`. */
export function poolMembers(nodes: EdgeNode[], nodePort: number): string[] {
  return nodes.map((n) => `${n.address}:${nodePort}`);
}

/** One row of the VIP table (one per exposure and VIP port). */
export interface VipRow {
  /** Exposure name. */
  exposure: string;
  /** DNS name clients use. */
  hostname: string;
  /** `<vip>:<port>` of the BIG-IP virtual server. */
  vip: string;
  /** `<namespace>/<service>` the pool members forward to. */
  backend: string;
  /** NodePort of that Service, and the port of every pool member. */
  nodePort: number;
  /** False for rows kept in the table for reference: nothing is deployed for them. */
  enabled: boolean;
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

/** The VIP table of seed 000's form (DNS, VIP:port, backend Service, NodePort), disabled rows included and marked. */
export function vipTable(exposures: ExposureConfig[], agentgatewayNamespace: string): VipRow[] {
  return exposures.flatMap((e) => {
    if (e.bigip === undefined) return [];
    const backend = backendServiceOf(e.target, agentgatewayNamespace);
    return e.bigip.ports.map((p) => ({
      exposure: e.name,
      hostname: e.hostname,
      vip: `${e.bigip!.vip}:${p.port}`,
      backend: `${backend.namespace}/${backend.name}`,
      nodePort: p.nodePort,
      enabled: e.enabled,
    }));
  });
}

/** What BIG-IP gets for one VIP port of an enabled exposure. */
export interface VipPlan {
  exposure: string;
  hostname: string;
  /** Stable key of the exposure port, used in resource and object names: `<exposure>-<port>`. */
  key: string;
  address: string;
  port: number;
  nodePort: number;
  backend: BackendService;
}

/** The enabled exposures' VIP ports, in table order. */
export function vipPlans(exposures: ExposureConfig[], agentgatewayNamespace: string): VipPlan[] {
  return exposures.flatMap((e) =>
    !e.enabled || e.bigip === undefined
      ? []
      : e.bigip.ports.map((p) => ({
          exposure: e.name,
          hostname: e.hostname,
          key: `${e.name}-${p.port}`,
          address: e.bigip!.vip,
          port: p.port,
          nodePort: p.nodePort,
          backend: backendServiceOf(e.target, agentgatewayNamespace),
        })),
  );
}
