import type * as k8s from "@pulumi/kubernetes";
import { collectorEndpoints } from "../../lib/collector";
import { isIPv4 } from "../../lib/net";
import { LlmBackend, XAI_DEFAULTS } from "./backends";
import { GatewaySettings, proxySelector } from "./gateways";
import { jwksEndpoint } from "./policies";
import { CONTROLLER_XDS_PORT, PROXY_METRICS_PORT } from "./refs";

/** Who may reach a gateway's proxies. */
export interface ProxyHardening {
  /** Namespaces whose pods may reach the listeners; with ingressCidrs both empty, any source may. */
  ingressNamespaces: string[];
  /** Address ranges that may reach the listeners. */
  ingressCidrs: string[];
  /** Namespaces whose pods may scrape proxy metrics. */
  metricsNamespaces: string[];
}

/** A gateway policy as far as its egress goes: JWT policies fetch signing keys from their JWKS URL. */
export interface PolicyEgress {
  type: string;
  jwksUrl?: string;
}

/** The MCP layer as far as the proxies' egress goes: the servers they front. */
export interface McpEgress {
  enabled: boolean;
  /** Namespace of the in-cluster servers. */
  namespace: string;
  servers: ({ kind: "inCluster"; port: number } | { kind: "remote"; host: string; port: number })[];
}

/** The observability layer as far as the proxies' egress goes: the trace collector when gateway tracing is on. */
export interface TracingEgress {
  enabled: boolean;
  collector: { enabled: boolean; name: string; namespace: string };
  gatewayTracing: { enabled: boolean };
}

/** Somewhere the proxies must reach besides the public HTTPS endpoints of the LLM providers. */
export interface EgressTarget {
  /** In-cluster destination: pods of this namespace. */
  namespace?: string;
  /** Out-of-cluster destination (IPv4 CIDR). */
  cidr?: string;
  port: number;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const ANYWHERE = "0.0.0.0/0";
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The egress a host:port needs: `<svc>.<ns>.svc[.cluster.local]` is a namespace, an IPv4 is itself, else anywhere. */
export function egressTo(host: string, port: number): EgressTarget {
  const svc = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  if (svc !== null) return { namespace: svc[1]!, port };
  if (isIPv4(host)) return { cidr: `${host}/32`, port };
  return { cidr: ANYWHERE, port };
}

/** Egress of the LLM backends that is not a provider's public HTTPS API (static hosts, host overrides). */
export function llmEgress(backends: readonly LlmBackend[]): EgressTarget[] {
  const out: EgressTarget[] = [];
  const member = (p: { provider: string; hostOverride?: { host: string; port: number } }) => {
    const override = p.hostOverride ?? (p.provider === "xai" ? XAI_DEFAULTS : undefined);
    if (override !== undefined) out.push(egressTo(override.host, override.port));
  };
  for (const b of backends) {
    if (b.provider === "static") out.push(egressTo(b.host, b.port));
    else if (b.provider === "failover") b.groups.forEach((g) => g.providers.forEach(member));
    else member(b);
  }
  return out;
}

/** Egress of the JWKS endpoints JWT policies fetch signing keys from. */
export function policyEgress(policies: readonly PolicyEgress[]): EgressTarget[] {
  return policies.flatMap((p) => {
    if (p.type !== "jwt" || p.jwksUrl === undefined) return [];
    const jwks = jwksEndpoint(p.jwksUrl);
    return [egressTo(jwks.host, jwks.port)];
  });
}

/**
 * Egress the proxies need towards other layers: in-cluster and remote MCP servers they front, and the trace
 * collector when gateway tracing is on.
 */
export function peerEgressTargets(mcp: McpEgress, observability: TracingEgress): EgressTarget[] {
  const out: EgressTarget[] = [];
  if (mcp.enabled) {
    for (const s of mcp.servers)
      out.push(
        s.kind === "inCluster" ? { namespace: mcp.namespace, port: s.port } : egressTo(s.host, s.port),
      );
  }
  if (observability.enabled && observability.collector.enabled && observability.gatewayTracing.enabled) {
    const collector = collectorEndpoints(observability.collector);
    for (const port of [collector.grpcPort, collector.httpPort])
      out.push({ namespace: collector.service.namespace, port });
  }
  return out;
}

function dedupe(targets: readonly EgressTarget[]): EgressTarget[] {
  const seen = new Map<string, EgressTarget>();
  for (const t of targets) seen.set(`${t.namespace ?? ""}|${t.cidr ?? ""}|${t.port}`, t);
  return [...seen.values()].sort((a, b) =>
    `${a.namespace ?? ""}|${a.cidr ?? ""}|${String(a.port).padStart(5, "0")}`.localeCompare(
      `${b.namespace ?? ""}|${b.cidr ?? ""}|${String(b.port).padStart(5, "0")}`,
    ),
  );
}

const namespacePeer = (ns: string) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
});

/**
 * NetworkPolicy of one gateway's proxies (seed: ingress from the edge namespace, metrics from monitoring;
 * egress to public HTTPS, in-cluster backends and DNS), plus the controller's xDS port the proxies need.
 */
export function networkPolicySpec(
  gw: GatewaySettings,
  opts: { namespace: string; hardening: ProxyHardening; egress: readonly EgressTarget[] },
): k8s.types.input.networking.v1.NetworkPolicySpec {
  const { hardening } = opts;
  const sources = [
    ...hardening.ingressNamespaces.map(namespacePeer),
    ...hardening.ingressCidrs.map((cidr) => ({ ipBlock: { cidr } })),
  ];
  const listenerPorts = [...new Set(gw.listeners.map((l) => l.port))]
    .sort((a, b) => a - b)
    .map((port) => ({ protocol: "TCP", port }));
  const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [
    { ...(sources.length > 0 ? { from: sources } : {}), ports: listenerPorts },
  ];
  if (hardening.metricsNamespaces.length > 0) {
    ingress.push({
      from: hardening.metricsNamespaces.map(namespacePeer),
      ports: [{ protocol: "TCP", port: PROXY_METRICS_PORT }],
    });
  }
  const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
    {
      to: [{ namespaceSelector: {} }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    },
    { to: [namespacePeer(opts.namespace)], ports: [{ protocol: "TCP", port: CONTROLLER_XDS_PORT }] },
    {
      to: [{ ipBlock: { cidr: ANYWHERE, except: PRIVATE_RANGES } }],
      ports: [{ protocol: "TCP", port: 443 }],
    },
    // External names on 443 are public HTTPS, already allowed above; a 0.0.0.0/0 rule would also open private ranges.
    ...dedupe(opts.egress.filter((t) => !(t.cidr === ANYWHERE && t.port === 443))).map((t) => ({
      to: [
        t.namespace !== undefined ? namespacePeer(t.namespace) : { ipBlock: { cidr: t.cidr ?? ANYWHERE } },
      ],
      ports: [{ protocol: "TCP", port: t.port }],
    })),
  ];
  return {
    podSelector: { matchLabels: proxySelector(gw.name) },
    policyTypes: ["Ingress", "Egress"],
    ingress,
    egress,
  };
}

/**
 * A PodDisruptionBudget only for gateways with more than one replica: minAvailable 1 on a single replica
 * would block every node drain.
 */
export function podDisruptionBudgetSpec(gw: GatewaySettings): Record<string, unknown> | undefined {
  if (gw.replicas < 2) return undefined;
  return {
    minAvailable: 1,
    selector: { matchLabels: proxySelector(gw.name) },
  } satisfies k8s.types.input.policy.v1.PodDisruptionBudgetSpec;
}
