import type { NamespaceSpec, PodSecurityLevel } from "../components/platform/namespaces";
import type { PlatformConfig } from "./schema";

const rank: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/**
 * The namespaces the enabled layers need, each once. When two layers share a namespace the more permissive
 * Pod Security level wins (e.g. the agentgateway proxies next to restricted MCP servers). Tenant namespaces
 * belong to their Tenant components, which label them with the tenant and cost center.
 */
export function namespacesOf(c: PlatformConfig): NamespaceSpec[] {
  const wanted = new Map<string, PodSecurityLevel>();
  const want = (name: string, level: PodSecurityLevel) => {
    const current = wanted.get(name);
    if (current === undefined || rank[level] > rank[current]) wanted.set(name, level);
  };
  // Longhorn's manager and CSI pods need host access (Talos enforces baseline by default).
  if (c.longhorn.enabled) want(c.longhorn.namespace, "privileged");
  if (c.agentgateway.enabled) want(c.agentgateway.namespace, "baseline");
  if (c.mcp.enabled) want(c.mcp.namespace, "restricted");
  if (c.kagent.enabled) want(c.kagent.namespace, "baseline");
  // Observability places its monitors, rules and dashboards in the collector's namespace whether or not the
  // collector runs, so the namespace follows the layer (as the namespaces validation reserves, stacks/rules.ts).
  if (c.observability.enabled) want(c.observability.collector.namespace, "restricted");
  if (c.cloudflare?.enabled && c.cloudflare.tunnel?.enabled)
    want(c.cloudflare.tunnel.namespace, "restricted");
  return [...wanted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, podSecurity]) => ({ name, podSecurity }));
}
