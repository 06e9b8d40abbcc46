import type { AddressBook } from "./addressBook";

/*
 * The exposure table (config `exposures`) compiled once into an exposure plan: the NodePorts the AI gateway
 * sets on its proxy Services, the BIG-IP virtual servers and the VIP table, the Cloudflare DNS records and
 * the tunnel's ingress. Every edge takes its slice of one plan, so a proxy Service and the pool members, or
 * a DNS record and its tunnel rule, cannot disagree; tunnel origins come from the gateway layer's address
 * book, and config validation compiles the same plan.
 */

/** What the plan reads of the address book: the gateways' namespace and tunnel origins. */
export type ExposureAddresses = Pick<AddressBook, "namespace" | "gateways">;

/** One row of the exposure table, as config declares it. */
export interface Exposure {
  name: string;
  /** False keeps the row in the VIP table for reference; nothing is deployed for it. */
  enabled: boolean;
  /** DNS name clients use. */
  hostname: string;
  target: { gateway: string } | { service: { namespace: string; name: string } };
  /** BIG-IP virtual server: one per port; pool members are every node at the NodePort. */
  bigip?: { vip: string; ports: ReadonlyArray<{ port: number; nodePort: number }> };
  dns: { provider: "cloudflare" | "external"; mode: "record" | "tunnel"; proxied: boolean };
}

/** What the plan reads of a gateway: its name and Service type. */
export interface ExposedGateway {
  name: string;
  service: { type: "NodePort" } | { type: "LoadBalancer"; ip: string } | { type: "ClusterIP" };
}

/** Listener port -> NodePort of one gateway. */
export type NodePortMap = Record<number, number>;

/** The Kubernetes Service an exposure fronts. */
export interface BackendService {
  namespace: string;
  name: string;
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

/**
 * The Service behind an exposure. agentgateway v1.4 names a Gateway's proxy Service after the Gateway, in
 * the Gateway's namespace (the agentgateway namespace here).
 */
export function backendServiceOf(target: Exposure["target"], agentgatewayNamespace: string): BackendService {
  if ("gateway" in target) return { namespace: agentgatewayNamespace, name: target.gateway };
  return { namespace: target.service.namespace, name: target.service.name };
}

/** The VIP table in the form rooster's Terraform README keeps (DNS, VIP:port, backend Service, NodePort), disabled rows included and marked. */
export function vipTable(exposures: readonly Exposure[], agentgatewayNamespace: string): VipRow[] {
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

/** The enabled exposures' VIP ports, in table order. */
export function vipPlans(exposures: readonly Exposure[], agentgatewayNamespace: string): VipPlan[] {
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

/**
 * The fixed NodePorts of a gateway's listeners, read from the exposure table: the single source shared with
 * the BIG-IP pools, so the Service and the pool members cannot disagree. Disabled exposures and exposures of
 * other targets are ignored; a listener port exposed twice keeps its first NodePort (the config rules reject
 * the duplicate).
 */
export function nodePortsFor(gatewayName: string, exposures: readonly Exposure[]): NodePortMap {
  const out: NodePortMap = {};
  for (const e of exposures) {
    if (!e.enabled || e.bigip === undefined || !("gateway" in e.target) || e.target.gateway !== gatewayName)
      continue;
    for (const p of e.bigip.ports) if (out[p.port] === undefined) out[p.port] = p.nodePort;
  }
  return out;
}

/** `nodePortsFor` for every gateway name given, keyed by gateway name. */
export function nodePortsByGateway(
  gatewayNames: readonly string[],
  exposures: readonly Exposure[],
): Record<string, NodePortMap> {
  return Object.fromEntries(gatewayNames.map((g) => [g, nodePortsFor(g, exposures)]));
}

/** Cloudflare's "automatic" TTL (required input of DnsRecord; 1 = automatic, CF sdk/nodejs/dnsRecord.ts). */
export const AUTOMATIC_TTL = 1;

/** Deployment and Service name of the tunnel connector the Cloudflare edge runs in its namespace. */
export const CLOUDFLARED_NAME = "cloudflared";

/** Catch-all ingress rule; cloudflared requires the last rule to match everything. */
export const CATCH_ALL = { service: "http_status:404" } as const;

function gatewayOf(e: Exposure, gateways: readonly ExposedGateway[]): ExposedGateway | undefined {
  return "gateway" in e.target
    ? gateways.find((g) => "gateway" in e.target && g.name === e.target.gateway)
    : undefined;
}

export interface TunnelIngressRule {
  hostname?: string;
  service: string;
  originRequest?: { originServerName: string; http2Origin: boolean };
}

export type DnsRecordPlan =
  | { exposure: string; hostname: string; kind: "tunnel"; type: "CNAME"; proxied: true }
  | { exposure: string; hostname: string; kind: "address"; type: "A"; content: string; proxied: boolean };

/** A row of the exposure table the plan cannot compile; config validation reports it at the row's field. */
export interface ExposureProblem {
  /** Index of the row in the exposure table. */
  index: number;
  exposure: string;
  /**
   * `tunnelTarget`: a tunnel name fronts a Service, not a gateway; `tunnelGateway`: it fronts an unknown
   * gateway; `recordAddress`: a DNS record has neither a LoadBalancer gateway nor a BIG-IP VIP to point at.
   */
  cause: "tunnelTarget" | "tunnelGateway" | "recordAddress";
  /** The row's field at fault, relative to the row. */
  field: "target" | "target.gateway" | "dns.mode";
  problem: string;
  hint: string;
}

/** The Cloudflare edge's slice: DNS records, tunnel ingress (ending in the catch-all) and the origins it dials. */
export interface CloudflarePlan {
  dnsRecords: DnsRecordPlan[];
  tunnelIngress: TunnelIngressRule[];
  /** Namespace and ports of the gateway origins the tunnel connects to, for cloudflared's egress policy. */
  tunnelOrigins: { namespace: string; ports: number[] };
}

/**
 * The DNS record of each published name (tunnel names are proxied CNAMEs to `<tunnel id>.cfargotunnel.com`,
 * HO dnsendpoint.yaml; others are A records to the gateway's LoadBalancer IP, else to the BIG-IP VIP) and the
 * tunnel's ingress: each tunnel name to its gateway's origin from the address book (HTTPS with the public
 * name as SNI, so the gateway's certificate for that name is verified), then the catch-all 404.
 */
function cloudflarePlan(
  exposures: readonly Exposure[],
  gateways: readonly ExposedGateway[],
  addresses: ExposureAddresses,
  problems: ExposureProblem[],
): CloudflarePlan {
  const dnsRecords: DnsRecordPlan[] = [];
  const ingress: TunnelIngressRule[] = [];
  const ports = new Set<number>();
  exposures.forEach((e, index) => {
    if (!e.enabled || e.dns.provider !== "cloudflare") return;
    const problem = (p: Omit<ExposureProblem, "index" | "exposure">) =>
      problems.push({ index, exposure: e.name, ...p });
    if (e.dns.mode === "tunnel") {
      dnsRecords.push({
        exposure: e.name,
        hostname: e.hostname,
        kind: "tunnel",
        type: "CNAME",
        proxied: true,
      });
      const origin = "gateway" in e.target ? addresses.gateways[e.target.gateway]?.origin : undefined;
      if (origin === undefined) {
        if (!("gateway" in e.target))
          problem({
            cause: "tunnelTarget",
            field: "target",
            problem: "a tunnel hostname must front a gateway",
            hint: "use target: { gateway: <name> }",
          });
        else
          problem({
            cause: "tunnelGateway",
            field: "target.gateway",
            problem: `a tunnel hostname must front a known gateway, not "${e.target.gateway}"`,
            hint: `gateways: ${Object.keys(addresses.gateways).join(", ")}`,
          });
        return;
      }
      ports.add(origin.port);
      ingress.push(
        origin.tls
          ? {
              hostname: e.hostname,
              service: origin.service,
              originRequest: { originServerName: e.hostname, http2Origin: true },
            }
          : { hostname: e.hostname, service: origin.service },
      );
      return;
    }
    const gateway = gatewayOf(e, gateways);
    const address = gateway?.service.type === "LoadBalancer" ? gateway.service.ip : e.bigip?.vip;
    if (address === undefined) {
      problem({
        cause: "recordAddress",
        field: "dns.mode",
        problem: "a DNS record needs an address: a LoadBalancer gateway or a BIG-IP VIP",
        hint: "use mode: tunnel, or add a bigip block",
      });
      return;
    }
    dnsRecords.push({
      exposure: e.name,
      hostname: e.hostname,
      kind: "address",
      type: "A",
      content: address,
      proxied: e.dns.proxied,
    });
  });
  return {
    dnsRecords,
    tunnelIngress: [...ingress, { ...CATCH_ALL }],
    tunnelOrigins: { namespace: addresses.namespace, ports: [...ports].sort((a, b) => a - b) },
  };
}

/** The exposure table compiled once; each consumer takes its slice. */
export interface ExposurePlan {
  /** Listener port -> NodePort of every gateway (empty for a gateway no BIG-IP VIP fronts). */
  nodePorts: Record<string, NodePortMap>;
  /** BIG-IP virtual servers of the enabled exposures, in table order. */
  vips: VipPlan[];
  /** The VIP table output, disabled rows included and marked. */
  vipTable: VipRow[];
  /** What Cloudflare publishes, when that edge is built. */
  cloudflare?: CloudflarePlan;
}

/**
 * The exposure plan and the rows it cannot compile. Config validation reports the problems; the program
 * compiles through `exposurePlan`, which refuses them.
 */
export function compileExposurePlan(
  exposures: readonly Exposure[],
  gateways: readonly ExposedGateway[],
  addresses: ExposureAddresses,
  edges: { cloudflare: boolean },
): { plan: ExposurePlan; problems: ExposureProblem[] } {
  const problems: ExposureProblem[] = [];
  const plan: ExposurePlan = {
    nodePorts: nodePortsByGateway(
      gateways.map((g) => g.name),
      exposures,
    ),
    vips: vipPlans(exposures, addresses.namespace),
    vipTable: vipTable(exposures, addresses.namespace),
    cloudflare: edges.cloudflare ? cloudflarePlan(exposures, gateways, addresses, problems) : undefined,
  };
  return { plan, problems };
}

/** The exposure plan of a validated config; throws on a row validation would have rejected. */
export function exposurePlan(
  exposures: readonly Exposure[],
  gateways: readonly ExposedGateway[],
  addresses: ExposureAddresses,
  edges: { cloudflare: boolean },
): ExposurePlan {
  const { plan, problems } = compileExposurePlan(exposures, gateways, addresses, edges);
  if (problems.length > 0)
    throw new Error(problems.map((p) => `exposure ${p.exposure}: ${p.problem}`).join("; "));
  return plan;
}
