/*
 * Deploy-time readiness: what `pulumi up` waits for on each object whose controller reports acceptance.
 *
 * pulumi-kubernetes waits on a custom resource only when it carries `pulumi.com/waitFor`: one expression, or a
 * JSON list of expressions that must all hold; `condition=<Type>[=<Status>]` reads `.status.conditions` like
 * `kubectl wait` (a condition whose observedGeneration, or else `.status.observedGeneration`, is behind
 * `metadata.generation` does not count), and `jsonpath={<path>}[=<value>]` evaluates an RFC 9535 JSONPath
 * (github.com/theory/jsonpath) against the object, compares the FIRST node it selects with the value, and
 * splits the expression on single `=` signs (so paths use `==` only and contain no `}`). A wait that is not met
 * fails the run after `pulumi.com/timeoutSeconds` (default 10 minutes), and a waiting object holds back every
 * resource that depends on it. (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/metadata/overrides.go
 * ReadyCondition, provider/pkg/await/condition/{custom.go,kubectl.go,jsonpath.go}, provider/pkg/jsonpath/
 * jsonpath.go, read at v4.32.0; the program pins 4.34.2.)
 *
 * Per-parent and per-ancestor statuses are filtered by the agentgateway controller's name, so a status another
 * controller wrote (kgateway's, for a GatewayClass it still owns) never satisfies a wait.
 */

export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";
export const TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";

/** The controller name agentgateway writes into route parents and policy ancestors (AGW controller/api/settings/settings.go). */
export const AGENTGATEWAY_CONTROLLER = "agentgateway.dev/agentgateway";

/** How long `pulumi up` waits per kind, in seconds, and why. */
export const READINESS_TIMEOUTS = {
  // Accepted/Programmed come from translation; the address needs the proxy Service (and an LB IPAM address).
  gateway: 300,
  route: 180,
  backend: 120,
  policy: 180,
  // kagent reconciles a ModelConfig as soon as its key Secret exists.
  modelConfig: 120,
  // kagent retries tool discovery every 60 s while the route, proxy or MCP server come up.
  remoteMcpServer: 420,
  // The agent Deployment pulls its image and starts the ADK runtime.
  agent: 600,
  ciliumPool: 120,
  ciliumBgp: 120,
} as const;

/** A `condition=` expression (kubectl wait syntax; the status defaults to True). */
export function conditionIs(type: string, status: "True" | "False" = "True"): string {
  return status === "True" ? `condition=${type}` : `condition=${type}=${status}`;
}

/** A string literal of the JSONPath filter language. */
function literal(s: string): string {
  return JSON.stringify(s);
}

/** A `jsonpath=` expression, refused here when the provider's parser would split or cut it. */
export function jsonPathIs(path: string, value: string): string {
  if (/[{}]/.test(path) || /(^|[^=!<>])=($|[^=])/.test(path) || /[!<>]=/.test(path))
    throw new Error(`JSONPath ${path} would be split by the provider's parser`);
  if (value.includes("=")) throw new Error(`value ${value} would be split by the provider's parser`);
  return `jsonpath={${path}}=${value}`;
}

const conditionStatus = (type: string) => `.conditions[?(@.type==${literal(type)})].status`;

/** The annotations of a wait: a single expression stays plain, several become a JSON list. */
export function readinessAnnotations(
  waits: readonly string[],
  timeoutSeconds: number,
): Record<string, string> {
  if (waits.length === 0) throw new Error("a readiness wait needs at least one expression");
  return {
    [WAIT_FOR_ANNOTATION]: waits.length === 1 ? waits[0]! : JSON.stringify(waits),
    [TIMEOUT_ANNOTATION]: String(timeoutSeconds),
  };
}

/**
 * Gateway: Accepted and Programmed (agentgateway v1.4.1 sets both from translation and adds the missing
 * positive ones, controller/pkg/reports/status.go addMissingGatewayConditions; InvalidParameters comes from the
 * deployer, controller/pkg/controller/gw_controller.go), each listener Programmed (a listener with an
 * unresolved certificate is not, while the Gateway stays Accepted: status.go BuildGWStatus), and an address:
 * the deployer copies the proxy Service's LoadBalancer ingress, or its cluster IPs for a NodePort or
 * ClusterIP Service, into `status.addresses` (gw_controller.go getDesiredAddresses). A pinned LoadBalancer IP
 * must be the one Cilium LB IPAM assigned.
 */
export function gatewayWaits(gw: {
  listeners: readonly { name: string }[];
  loadBalancerIp?: string;
}): string[] {
  return [
    conditionIs("Accepted"),
    conditionIs("Programmed"),
    ...gw.listeners.map((l) =>
      jsonPathIs(`.status.listeners[?(@.name==${literal(l.name)})]${conditionStatus("Programmed")}`, "True"),
    ),
    gw.loadBalancerIp !== undefined
      ? jsonPathIs(`.status.addresses[?(@.value==${literal(gw.loadBalancerIp)})].value`, gw.loadBalancerIp)
      : jsonPathIs(".status.addresses[0].type", "IPAddress"),
  ];
}

/** A route's parent as declared in its parentRefs. */
export interface RouteParent {
  name: string;
  sectionName?: string;
}

/**
 * HTTPRoute: per parentRef, the agentgateway controller's entry in `status.parents` is Accepted and has
 * ResolvedRefs (Gateway API v1.6.1 RouteParentStatus; agentgateway v1.4.1 fills the missing positive
 * conditions per parent, controller/pkg/reports/status.go addMissingParentRefConditions). ResolvedRefs turns
 * True once the backend exists, whichever is created first.
 */
export function routeWaits(parents: readonly RouteParent[]): string[] {
  return parents.flatMap((p) => {
    const match = [
      `@.parentRef.name==${literal(p.name)}`,
      ...(p.sectionName !== undefined ? [`@.parentRef.sectionName==${literal(p.sectionName)}`] : []),
      `@.controllerName==${literal(AGENTGATEWAY_CONTROLLER)}`,
    ].join(" && ");
    return ["Accepted", "ResolvedRefs"].map((type) =>
      jsonPathIs(`.status.parents[?(${match})]${conditionStatus(type)}`, "True"),
    );
  });
}

/**
 * AgentgatewayPolicy: one `status.ancestors` entry per Gateway its targets resolve to, each Accepted (False:
 * Invalid with the translation error) and Attached (False: Pending, e.g. "HTTPRoute x is not attached to any
 * Gateway") (agentgateway v1.4.1 controller/pkg/agentgateway/plugins/traffic_plugin.go PolicyConditionMap,
 * resolvePolicyAncestorRefs).
 */
export function policyWaits(ancestorGateways: readonly string[]): string[] {
  const controller = `@.controllerName==${literal(AGENTGATEWAY_CONTROLLER)}`;
  // Targets that reach no Gateway leave only the controller's summary entry, which is never Attached: the wait
  // then fails with its "not attached" message instead of passing on a policy that does nothing.
  const matches =
    ancestorGateways.length === 0
      ? [controller]
      : [...new Set(ancestorGateways)]
          .sort()
          .map((gw) => `@.ancestorRef.name==${literal(gw)} && ${controller}`);
  return matches.flatMap((match) => {
    return ["Accepted", "Attached"].map((type) =>
      jsonPathIs(`.status.ancestors[?(${match})]${conditionStatus(type)}`, "True"),
    );
  });
}

/** What a policy target resolves to, by the objects of the gateway layer. */
export interface PolicyTopology {
  /** HTTPRoute name -> the Gateways it attaches to. */
  routes: ReadonlyMap<string, readonly string[]>;
  /** AgentgatewayBackend name -> the Gateways of the routes that reference it. */
  backends: ReadonlyMap<string, readonly string[]>;
}

/**
 * The Gateways a policy's targetRefs resolve to: a Gateway itself, a route's parents, a backend's routes'
 * parents (agentgateway v1.4.1 references.LookupGatewaysForPolicyTarget / LookupGatewaysForBackend).
 */
export function policyAncestors(
  targetRefs: readonly { kind: string; name: string }[],
  topology: PolicyTopology,
): string[] {
  return targetRefs.flatMap((t) => {
    if (t.kind === "Gateway") return [t.name];
    if (t.kind === "HTTPRoute") return [...(topology.routes.get(t.name) ?? [])];
    return [...(topology.backends.get(t.name) ?? [])];
  });
}

/**
 * AgentgatewayBackend: Accepted, False with the translation error (agentgateway v1.4.1
 * controller/pkg/syncer/backend/backend_plugin.go TranslateAgwBackend).
 */
export const BACKEND_WAITS: readonly string[] = [conditionIs("Accepted")];

/**
 * kagent v0.9.12 (go/core/internal/controller/reconciler/reconciler.go): a ModelConfig is Accepted once its
 * Secrets resolve (reconcileModelConfigStatus); a RemoteMCPServer once tool discovery through its URL succeeds
 * (reconcileRemoteMCPServerStatus, retried every 60 s by remote_mcp_server_controller.go); an Agent is
 * Accepted when it compiles and Ready when its Deployment has its replicas available
 * (updateAgentObjectStatus, reconcileAgentStatus).
 */
export const KAGENT_WAITS = {
  modelConfig: [conditionIs("Accepted")],
  remoteMcpServer: [conditionIs("Accepted")],
  agent: [conditionIs("Accepted"), conditionIs("Ready")],
} as const;

/**
 * Cilium 1.20 operator LB IPAM marks every new pool `cilium.io/PoolConflict=False` and a pool overlapping
 * another `True` with the overlap in its message (cilium/cilium@v1.20.1 operator/pkg/lbipam/lbipam.go
 * handleNewPool, markPoolConflicting).
 */
export const CILIUM_POOL_WAITS: readonly string[] = [conditionIs("cilium.io/PoolConflict", "False")];

/**
 * CiliumBGPClusterConfig: the operator always sets `cilium.io/NoMatchingNode` and `cilium.io/MissingPeerConfigs`,
 * False when healthy (cilium/cilium@v1.20.1 pkg/k8s/apis/cilium.io/v2/bgp_cluster_types.go,
 * operator/pkg/bgpv2 updateNoMatchingNodeCondition, updateMissingPeerConfigsCondition).
 */
export const CILIUM_BGP_CLUSTER_WAITS: readonly string[] = [
  conditionIs("cilium.io/NoMatchingNode", "False"),
  conditionIs("cilium.io/MissingPeerConfigs", "False"),
];
