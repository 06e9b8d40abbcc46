import type { NamespaceSpec, PodSecurityLevel } from "../components/platform/namespaces";
import type { PlatformConfig } from "./schema";

const rank: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/** What one layer needs of a namespace; the reasons are declared to the policy pack on the Namespace. */
interface Need {
  podSecurity: PodSecurityLevel;
  podSecurityReason?: string;
  /** Why the layer's pods cannot sit behind a namespace default-deny yet (undefined: they can). */
  networkException?: string;
  rbacWildcardReason?: string;
}

const LONGHORN: Need = {
  podSecurity: "privileged",
  // longhorn/longhorn@v1.12.1 chart/templates/daemonset-sa.yaml (privileged manager, hostPath /dev, /proc, data path).
  podSecurityReason:
    "longhorn-manager, the CSI plugin and instance managers run privileged with hostPath mounts",
  networkException:
    "Longhorn's manager, CSI and instance-manager pods reach each other, the kubelet and the API server; the chart's own policies (networkPolicies.enabled) do not cover that",
  // chart/templates/clusterrole.yaml: longhorn-role grants verbs "*"; no value narrows it.
  rbacWildcardReason:
    "the Longhorn chart's longhorn-role grants verbs * on storage and longhorn.io resources, not value-controlled",
};

const AGENTGATEWAY: Need = {
  podSecurity: "baseline",
  podSecurityReason:
    "the controller creates the gateway proxy pods at runtime with its own security context, not declared here; Talos's default baseline stays",
  networkException:
    "the agentgateway controller (chart) needs the kube-apiserver, which a Kubernetes NetworkPolicy cannot select under Cilium's default policy-cidr-match-mode; proxies, MCP servers and the collector carry their own policies",
};

const KAGENT: Need = {
  podSecurity: "baseline",
  podSecurityReason:
    "the kagent controller creates agent and MCP server pods at runtime with its own security context, not declared here; Talos's default baseline stays",
  networkException:
    "the kagent chart's controller, UI and tools and the agent pods its controller creates have no NetworkPolicies of their own yet",
};

/**
 * The namespaces the enabled layers need, each once. When two layers share a namespace the more permissive
 * Pod Security level wins (e.g. the agentgateway proxies next to restricted MCP servers), and a network
 * exception of any layer keeps the namespace-wide default-deny off. Tenant namespaces belong to their Tenant
 * components, which label them with the tenant and cost center.
 */
export function namespacesOf(c: PlatformConfig): NamespaceSpec[] {
  const wanted = new Map<string, Need>();
  const want = (name: string, need: Need) => {
    const current = wanted.get(name);
    if (current === undefined) return void wanted.set(name, need);
    const looser = rank[need.podSecurity] > rank[current.podSecurity] ? need : current;
    wanted.set(name, {
      podSecurity: looser.podSecurity,
      podSecurityReason: looser.podSecurityReason,
      networkException: current.networkException ?? need.networkException,
      rbacWildcardReason: current.rbacWildcardReason ?? need.rbacWildcardReason,
    });
  };
  const restricted: Need = { podSecurity: "restricted" };
  // Longhorn's manager and CSI pods need host access (Talos enforces baseline by default).
  if (c.longhorn.enabled) want(c.longhorn.namespace, LONGHORN);
  if (c.agentgateway.enabled) want(c.agentgateway.namespace, AGENTGATEWAY);
  if (c.mcp.enabled) want(c.mcp.namespace, restricted);
  if (c.kagent.enabled) want(c.kagent.namespace, KAGENT);
  // Observability places its monitors, rules and dashboards in the collector's namespace whether or not the
  // collector runs, so the namespace follows the layer (as the namespaces validation reserves, stacks/rules.ts).
  if (c.observability.enabled) want(c.observability.collector.namespace, restricted);
  if (c.cloudflare?.enabled && c.cloudflare.tunnel?.enabled) want(c.cloudflare.tunnel.namespace, restricted);
  return [...wanted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => ({
      name,
      podSecurity: n.podSecurity,
      podSecurityReason: n.podSecurityReason,
      network: n.networkException === undefined ? "default-deny" : { exception: n.networkException },
      rbacWildcardReason: n.rbacWildcardReason,
    }));
}
