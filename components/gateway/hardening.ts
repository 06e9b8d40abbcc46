import type * as k8s from "@pulumi/kubernetes";
import { collectorEndpoints } from "../../lib/collector";
import {
  ANY_PEER,
  ANYWHERE,
  cidrPeer,
  dedupeRules,
  dnsEgress,
  hostPeer,
  namespacePeer,
  networkPolicySpec,
  NetworkPolicySpec,
  publicHttpsEgress,
  rule,
  Rule,
  tcp,
} from "../../lib/networkPolicy";
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

/** The egress a host:port needs: a cluster Service is its namespace, an IPv4 is itself, a DNS name anywhere. */
export function egressTo(host: string, port: number): Rule<string> {
  return rule(hostPeer(host) ?? cidrPeer(ANYWHERE), tcp(port));
}

/** Egress of the LLM backends that is not a provider's public HTTPS API (static hosts, host overrides). */
export function llmEgress(backends: readonly LlmBackend[]): Array<Rule<string>> {
  const out: Array<Rule<string>> = [];
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
export function policyEgress(policies: readonly PolicyEgress[]): Array<Rule<string>> {
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
export function peerEgressTargets(mcp: McpEgress, observability: TracingEgress): Array<Rule<string>> {
  const out: Array<Rule<string>> = [];
  if (mcp.enabled) {
    for (const s of mcp.servers)
      out.push(
        s.kind === "inCluster" ? rule(namespacePeer(mcp.namespace), tcp(s.port)) : egressTo(s.host, s.port),
      );
  }
  if (observability.enabled && observability.collector.enabled && observability.gatewayTracing.enabled) {
    const collector = collectorEndpoints(observability.collector);
    out.push(rule(namespacePeer(collector.service.namespace), tcp(collector.grpcPort, collector.httpPort)));
  }
  return out;
}

/** A DNS name on 443: public HTTPS, which every proxy already reaches. */
const isNamedHttps = (r: Rule<string>) =>
  r.peers.every((p) => p.kind === "cidr" && p.cidr === ANYWHERE && p.except === undefined) &&
  r.ports.every((p) => p.port === 443 && p.protocol === "TCP");

/**
 * NetworkPolicy of one gateway's proxies (as Flux applies it today: ingress from the edge namespace, metrics from monitoring;
 * egress to public HTTPS, in-cluster backends and DNS), plus the controller's xDS port the proxies need.
 */
export function proxyNetworkPolicySpec(
  gw: GatewaySettings,
  opts: { namespace: string; hardening: ProxyHardening; egress: ReadonlyArray<Rule<string>> },
): NetworkPolicySpec {
  const { hardening } = opts;
  const sources = [
    ...hardening.ingressNamespaces.map((ns) => namespacePeer(ns)),
    ...hardening.ingressCidrs.map((cidr) => cidrPeer(cidr)),
  ];
  const listenerPorts = [...new Set(gw.listeners.map((l) => l.port))].sort((a, b) => a - b);
  return networkPolicySpec({
    podSelector: proxySelector(gw.name),
    ingress: [
      rule(sources.length > 0 ? sources : ANY_PEER, tcp(...listenerPorts)),
      rule(
        hardening.metricsNamespaces.map((ns) => namespacePeer(ns)),
        tcp(PROXY_METRICS_PORT),
      ),
    ],
    egress: [
      dnsEgress(),
      rule(namespacePeer(opts.namespace), tcp(CONTROLLER_XDS_PORT)),
      publicHttpsEgress(),
      // DNS names on 443 are public HTTPS, allowed above; a 0.0.0.0/0 rule would also open private ranges.
      ...dedupeRules(opts.egress).filter((r) => !isNamedHttps(r)),
    ],
  });
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
