/** Pod Security Standards level of a namespace (the `pod-security.kubernetes.io/enforce` label). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** A namespace the platform creates, as PlatformNamespaces takes it. */
export interface NamespacePlan {
  name: string;
  podSecurity: PodSecurityLevel;
  podSecurityReason?: string;
  network: "default-deny" | { exception: string };
  rbacWildcardReason?: string;
}

/** The layers of the platform, in the order the composition builds them. */
export const LAYERS = [
  "cluster",
  "longhorn",
  "gateway",
  "observability",
  "mcp",
  "kagent",
  "bigip",
  "cloudflare",
  "tenants",
] as const;
export type Layer = (typeof LAYERS)[number];

/** The config toggles the layer plan reads; the validated platform config satisfies it as is. */
export interface LayerToggles {
  longhorn: { enabled: boolean; namespace: string };
  agentgateway: { enabled: boolean; namespace: string };
  mcp: { enabled: boolean; namespace: string };
  kagent: { enabled: boolean; namespace: string };
  observability: { enabled: boolean; collector: { namespace: string } };
  bigip?: { enabled: boolean };
  cloudflare?: { enabled: boolean; tunnel?: { enabled: boolean; namespace: string } };
  tenants: { enabled: boolean };
}

/**
 * The layers a config builds: the cluster always, every other layer when enabled. `only` narrows the plan to
 * a subset (a layer outside it is not built even when enabled). MCP routing needs the AI gateway; validation
 * rejects MCP without it.
 */
export function layerPlan(c: LayerToggles, only?: readonly Layer[]): ReadonlySet<Layer> {
  const enabled: Record<Layer, boolean> = {
    cluster: true,
    longhorn: c.longhorn.enabled,
    gateway: c.agentgateway.enabled,
    observability: c.observability.enabled,
    mcp: c.mcp.enabled && c.agentgateway.enabled,
    kagent: c.kagent.enabled,
    bigip: c.bigip?.enabled === true,
    cloudflare: c.cloudflare?.enabled === true,
    tenants: c.tenants.enabled,
  };
  return new Set(LAYERS.filter((l) => enabled[l] && (only === undefined || only.includes(l))));
}

/**
 * Namespaces the API server itself creates and keeps (kubernetes/kubernetes@v1.36:
 * pkg/controlplane/controller/systemnamespaces/system_namespaces_controller.go, and `default`); no layer or
 * tenant may take one over.
 */
export const KUBERNETES_NAMESPACES: readonly string[] = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
];

/** A layer of the plan and the namespace it owns (layers may share one). */
export interface LayerNamespace {
  layer: Layer;
  namespace: string;
}

/** The namespace each layer of a plan owns, in plan order; the cluster and edge layers own none of their own. */
export function layerNamespaces(
  c: LayerToggles,
  layers: ReadonlySet<Layer> = layerPlan(c),
): LayerNamespace[] {
  const owned: Partial<Record<Layer, string | undefined>> = {
    longhorn: c.longhorn.namespace,
    gateway: c.agentgateway.namespace,
    // Observability places its monitors, rules and dashboards in the collector's namespace whether or not
    // the collector runs, so the namespace follows the layer.
    observability: c.observability.collector.namespace,
    mcp: c.mcp.namespace,
    kagent: c.kagent.namespace,
    cloudflare: c.cloudflare?.tunnel?.enabled ? c.cloudflare.tunnel.namespace : undefined,
  };
  return LAYERS.flatMap((layer) => {
    const namespace = owned[layer];
    return layers.has(layer) && namespace !== undefined ? [{ layer, namespace }] : [];
  });
}

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
  // kagent-dev/kagent helm/kagent/templates/rbac/clusterrole.yaml: getter and writer roles over resources "*".
  rbacWildcardReason:
    "the kagent chart's getter and writer ClusterRoles grant resources * in the core, apps, batch, rbac and apiextensions groups, not value-controlled",
};

/** A namespace the program shares with workloads it does not declare (config `cluster.sharedNamespaces`). */
interface SharedNamespace {
  name: string;
  /** Who else runs there. */
  sharedWith: string;
  /** The Pod Security level those workloads pass. */
  podSecurity: PodSecurityLevel;
}

/**
 * A shared namespace gets no namespace-wide default-deny: it would select the pods the program does not declare
 * and cut them off (policies select pods, not owners). The program's own pods there carry pod-scoped policies.
 */
function sharedNeed(s: SharedNamespace): Need {
  return {
    podSecurity: s.podSecurity,
    podSecurityReason: `shared with ${s.sharedWith}, whose pods this program does not declare`,
    networkException: `shared with ${s.sharedWith}: a namespace-wide default-deny would cut off their pods, so only the program's own pods carry (pod-scoped) NetworkPolicies`,
  };
}

/**
 * The namespaces the layers of a plan need, each once. When two layers share a namespace the more permissive
 * Pod Security level wins (e.g. the agentgateway proxies next to restricted MCP servers), and a network
 * exception of any layer keeps the namespace-wide default-deny off; a namespace the stack declares shared with
 * workloads the program does not own (`cluster.sharedNamespaces`) is treated as one more layer with those needs.
 * Tenant namespaces belong to their Tenant components, which label them with the tenant and cost center.
 */
export function namespacesOf(
  c: LayerToggles & { cluster?: { sharedNamespaces: readonly SharedNamespace[] } },
  layers: ReadonlySet<Layer> = layerPlan(c),
): NamespacePlan[] {
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
  // Longhorn's manager and CSI pods need host access (Talos enforces baseline by default); the others run
  // restricted in their own namespaces.
  const needs: Partial<Record<Layer, Need>> = { longhorn: LONGHORN, gateway: AGENTGATEWAY, kagent: KAGENT };
  for (const { layer, namespace } of layerNamespaces(c, layers))
    want(namespace, needs[layer] ?? { podSecurity: "restricted" });
  // Config validation admits only namespaces a layer deploys into (rule shared-namespace).
  for (const s of c.cluster?.sharedNamespaces ?? []) if (wanted.has(s.name)) want(s.name, sharedNeed(s));
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
