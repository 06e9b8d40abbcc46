import type * as k8s from "@pulumi/kubernetes";
import { mcpWorkloadName } from "../../lib/addressBook";
import { controllerPodLabels } from "../../lib/agentgatewayController";
import { collectorEndpoints } from "../../lib/collector";
import type { PolicyTarget } from "../../lib/guards";
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
import { selectorLabels } from "../workload";
import { LlmBackend, XAI_DEFAULTS } from "./backends";
import { GatewaySettings, proxySelector } from "./gateways";
import { jwksEndpoint } from "./policies";
import { CONTROLLER_XDS_PORT, PROXY_METRICS_PORT } from "./refs";
import type { LlmRoute } from "./routes";

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
  targets: readonly PolicyTarget[];
}

/** The MCP layer as far as the proxies' egress goes: the servers each gateway fronts. */
export interface McpEgress {
  enabled: boolean;
  /** Namespace of the in-cluster servers. */
  namespace: string;
  servers: (
    | { kind: "inCluster"; name: string; gateway: string; port: number }
    | { kind: "remote"; name: string; gateway: string; host: string; port: number }
  )[];
}

/** The observability layer as far as the proxies' egress goes: the trace collector when gateway tracing is on. */
export interface TracingEgress {
  enabled: boolean;
  collector: { enabled: boolean; name: string; namespace: string };
  gatewayTracing: { enabled: boolean };
}

/** What one gateway's proxies reach: the routes, backends, policies and peers of the whole layer. */
export interface ProxyEgressInput {
  llm: { enabled: boolean; backends: readonly LlmBackend[]; routes: readonly LlmRoute[] };
  policies: readonly PolicyEgress[];
  mcp: McpEgress;
  observability: TracingEgress;
}

/**
 * The egress a host:port needs: a cluster Service is its namespace, an IPv4 is itself, a DNS name on 443 is
 * public HTTPS (private ranges stay closed), any other DNS name anywhere on that port.
 */
export function egressTo(host: string, port: number): Rule<string> {
  const peer = hostPeer(host);
  if (peer !== undefined) return rule(peer, tcp(port));
  return port === 443 ? publicHttpsEgress() : rule(cidrPeer(ANYWHERE), tcp(port));
}

/** Egress of one provider: its host override (xAI's API by default), else its public HTTPS API. */
function providerEgress(p: {
  provider: string;
  hostOverride?: { host: string; port: number };
}): Rule<string> {
  const override = p.hostOverride ?? (p.provider === "xai" ? XAI_DEFAULTS : undefined);
  return override !== undefined ? egressTo(override.host, override.port) : publicHttpsEgress();
}

/** Egress of the LLM backends: static hosts, host overrides, and the public HTTPS APIs of hosted providers. */
export function llmEgress(backends: readonly LlmBackend[]): Array<Rule<string>> {
  return backends.flatMap((b) => {
    if (b.provider === "static") return [egressTo(b.host, b.port)];
    if (b.provider === "failover") return b.groups.flatMap((g) => g.providers.map(providerEgress));
    return [providerEgress(b)];
  });
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
 * The egress of one gateway's proxies: the backends of its own routes, the MCP servers it fronts (the server
 * pods, selected by label), the JWKS endpoints of the policies on it, its routes or its backends, and the
 * collector's OTLP/gRPC port, the only one the tracing policy sends to (tracing.ts), when gateway tracing is on.
 */
export function proxyEgress(gateway: string, input: ProxyEgressInput): Array<Rule<string>> {
  const routes = input.llm.enabled ? input.llm.routes.filter((r) => r.gateway === gateway) : [];
  const routed = new Set(routes.flatMap((r) => r.rules.map((x) => x.backend)));
  const servers = input.mcp.enabled ? input.mcp.servers.filter((s) => s.gateway === gateway) : [];
  const out = llmEgress(input.llm.enabled ? input.llm.backends.filter((b) => routed.has(b.name)) : []);
  for (const s of servers)
    out.push(
      s.kind === "inCluster"
        ? rule(
            namespacePeer(input.mcp.namespace, selectorLabels({ name: mcpWorkloadName(s.name) })),
            tcp(s.port),
          )
        : egressTo(s.host, s.port),
    );
  const mine = (t: PolicyTarget) =>
    t.kind === "Gateway"
      ? t.name === gateway
      : t.kind === "HTTPRoute"
        ? routes.some((r) => r.name === t.name)
        : routed.has(t.name) || servers.some((s) => s.name === t.name);
  out.push(...policyEgress(input.policies.filter((p) => p.targets.some(mine))));
  const o = input.observability;
  if (o.enabled && o.collector.enabled && o.gatewayTracing.enabled) {
    const collector = collectorEndpoints(o.collector);
    out.push(rule(namespacePeer(collector.service.namespace, collector.pods), tcp(collector.grpcPort)));
  }
  return out;
}

/**
 * NetworkPolicy of one gateway's proxies: listeners from the configured sources, metrics from the metrics
 * namespaces; out to the cluster DNS, the controller pods' xDS port and exactly `egress` (proxyEgress).
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
      // The controller pods, not the namespace: MCP servers or the collector may share it
      // (controller/install/helm/agentgateway/templates/deployment.yaml serves xDS on CONTROLLER_XDS_PORT).
      rule(namespacePeer(opts.namespace, controllerPodLabels()), tcp(CONTROLLER_XDS_PORT)),
      ...dedupeRules(opts.egress),
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
