/*
 * The status each upstream controller writes on the objects the program declares, in the controllers' own
 * shapes and words, accepted or rejected. Sources (the pinned releases):
 * - Gateway, HTTPRoute: agentgateway/agentgateway@v1.4.1 controller/pkg/reports/status.go (BuildGWStatus,
 *   addMissingGatewayConditions, AddMissingListenerConditions, addMissingParentRefConditions),
 *   controller/pkg/controller/gw_controller.go (InvalidParameters, getDesiredAddresses);
 * - AgentgatewayBackend: controller/pkg/syncer/backend/backend_plugin.go TranslateAgwBackend;
 * - AgentgatewayPolicy: controller/pkg/agentgateway/plugins/traffic_plugin.go (PolicyConditionMap,
 *   resolvePolicyAncestorRefs, the "StatusSummary" entry);
 * - kagent: kagent-dev/kagent@v0.9.12 go/core/internal/controller/reconciler/reconciler.go;
 * - Cilium: cilium/cilium@v1.20.1 operator/pkg/lbipam/lbipam.go, operator/pkg/bgpv2.
 */

export const AGW_CONTROLLER = "agentgateway.dev/agentgateway";
const KGATEWAY_CONTROLLER = "kgateway.dev/agentgateway";
const TIME = "2026-12-07T10:00:00Z";

type Obj = Record<string, unknown>;

/** A declared Kubernetes object, as the plan records it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Obj;
  spec: Obj;
}

export function cond(type: string, status: string, reason: string, message = "", generation = 1): Obj {
  return { type, status, reason, message, lastTransitionTime: TIME, observedGeneration: generation };
}

/** Gateway API ListenerStatus of an accepted listener (AddMissingListenerConditions). */
function listenerStatus(name: string, programmed = true): Obj {
  return {
    name,
    attachedRoutes: 1,
    supportedKinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
    conditions: programmed
      ? [
          cond("Accepted", "True", "Accepted", "Listener accepted"),
          cond("Conflicted", "False", "NoConflicts", "No conflicts"),
          cond("ResolvedRefs", "True", "ResolvedRefs", "All references resolved"),
          cond("Programmed", "True", "Programmed", "Listener programmed"),
        ]
      : [
          cond("Accepted", "True", "Accepted", "Listener accepted"),
          cond("Conflicted", "False", "NoConflicts", "No conflicts"),
          cond(
            "ResolvedRefs",
            "False",
            "InvalidCertificateRef",
            "secret ai-system/sklab-dev-production-tls not found",
          ),
          cond("Programmed", "False", "Invalid", "secret ai-system/sklab-dev-production-tls not found"),
        ],
  };
}

export interface GatewayFacts {
  listeners: string[];
  /** The address the deployer copies from the proxy Service. */
  address: string;
}

export const gatewayStatus = {
  accepted: (g: GatewayFacts): Obj => ({
    addresses: [{ type: "IPAddress", value: g.address }],
    conditions: [
      cond("Accepted", "True", "Accepted", "Gateway accepted"),
      cond("Programmed", "True", "Programmed", "Gateway programmed"),
    ],
    listeners: g.listeners.map((l) => listenerStatus(l)),
  }),
  invalidParameters: (g: GatewayFacts): Obj => ({
    conditions: [
      cond(
        "Accepted",
        "False",
        "InvalidParameters",
        "AgentgatewayParameters ai-system/agentgateway not found",
      ),
      cond("Programmed", "False", "Invalid", "AgentgatewayParameters ai-system/agentgateway not found"),
    ],
    listeners: g.listeners.map((l) => listenerStatus(l)),
  }),
  /** A LoadBalancer Service without an ingress address: the deployer publishes no address. */
  noAddress: (g: GatewayFacts): Obj => {
    const status = gatewayStatus.accepted(g);
    delete status["addresses"];
    return status;
  },
  /** The last listener's certificate does not resolve; the Gateway stays Accepted (ListenersNotValid). */
  listenerNotProgrammed: (g: GatewayFacts): Obj => ({
    ...gatewayStatus.accepted(g),
    listeners: g.listeners.map((l, i) => listenerStatus(l, i < g.listeners.length - 1)),
  }),
};

function parentStatus(ref: Obj, controller: string, resolved: boolean, accepted = true): Obj {
  return {
    parentRef: ref,
    controllerName: controller,
    conditions: [
      accepted
        ? cond("Accepted", "True", "Accepted", "Route was valid")
        : cond("Accepted", "False", "NotAllowedByListeners", "No listener allows routes from this namespace"),
      resolved
        ? cond("ResolvedRefs", "True", "ResolvedRefs", "All references resolved")
        : cond(
            "ResolvedRefs",
            "False",
            "BackendNotFound",
            "backend agentgateway.dev/AgentgatewayBackend openai not found",
          ),
    ],
  };
}

const parentRefs = (route: Manifest) => (route.spec["parentRefs"] ?? []) as Obj[];

export const routeStatus = {
  accepted: (route: Manifest): Obj => ({
    parents: parentRefs(route).map((p) => parentStatus(p, AGW_CONTROLLER, true)),
  }),
  backendNotFound: (route: Manifest): Obj => ({
    parents: parentRefs(route).map((p) => parentStatus(p, AGW_CONTROLLER, false)),
  }),
  notAllowed: (route: Manifest): Obj => ({
    parents: parentRefs(route).map((p) => parentStatus(p, AGW_CONTROLLER, true, false)),
  }),
  /** kgateway still owns the GatewayClass: its controller accepted the route, agentgateway never saw it. */
  otherController: (route: Manifest): Obj => ({
    parents: parentRefs(route).map((p) => parentStatus(p, KGATEWAY_CONTROLLER, true)),
  }),
};

function ancestor(gateway: string, namespace: string, conditions: Obj[]): Obj {
  return {
    ancestorRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway, namespace },
    controllerName: AGW_CONTROLLER,
    conditions,
  };
}

const POLICY_OK = [
  cond("Accepted", "True", "Valid", "Policy accepted"),
  cond("Attached", "True", "Attached", "Attached to all targets"),
];

export const policyStatus = {
  accepted: (gateways: string[], namespace: string): Obj => ({
    ancestors: gateways.map((g) => ancestor(g, namespace, POLICY_OK)),
  }),
  invalid: (gateways: string[], namespace: string): Obj => ({
    ancestors: gateways.map((g) =>
      ancestor(g, namespace, [
        cond("Accepted", "False", "Invalid", "invalid regex in promptGuard: missing closing )"),
        cond("Attached", "False", "Pending", "Policy is not attached due to invalid status"),
      ]),
    ),
  }),
  /** The target is missing: only the controller's summary entry, never Attached. */
  notAttached: (): Obj => ({
    ancestors: [
      {
        ancestorRef: { group: "agentgateway.dev", name: "StatusSummary" },
        controllerName: AGW_CONTROLLER,
        conditions: [
          cond("Accepted", "True", "Valid", "Policy accepted"),
          cond(
            "Attached",
            "False",
            "Pending",
            "Policy is not attached: HTTPRoute ai-system/llm-routes not found",
          ),
        ],
      },
    ],
  }),
};

export const backendStatus = {
  accepted: (): Obj => ({
    conditions: [cond("Accepted", "True", "Accepted", "Backend successfully accepted")],
  }),
  translationError: (): Obj => ({
    conditions: [
      cond(
        "Accepted",
        "False",
        "TranslationError",
        "failed to translate backend: secret openai-api-key not found",
      ),
    ],
  }),
};

export const kagentStatus = {
  modelConfig: {
    accepted: (): Obj => ({
      conditions: [cond("Accepted", "True", "ModelConfigReconciled", "Model configuration accepted")],
      observedGeneration: 1,
      secretHash: "0f1e2d",
    }),
    rejected: (): Obj => ({
      conditions: [
        cond(
          "Accepted",
          "False",
          "ModelConfigReconcileFailed",
          'failed to get secret kagent-openai: secrets "kagent-openai" not found',
        ),
      ],
      observedGeneration: 1,
    }),
  },
  remoteMcpServer: {
    accepted: (): Obj => ({
      conditions: [cond("Accepted", "True", "Reconciled", "Remote MCP server configuration accepted")],
      discoveredTools: [{ name: "echo", description: "Echoes back the input" }],
      observedGeneration: 1,
    }),
    rejected: (): Obj => ({
      conditions: [
        cond(
          "Accepted",
          "False",
          "ReconcileFailed",
          "failed to connect client for toolServer kagent/slack: 502 Bad Gateway",
        ),
      ],
      observedGeneration: 1,
    }),
  },
  agent: {
    accepted: (): Obj => ({
      conditions: [
        cond("Accepted", "True", "Reconciled", "Agent configuration accepted"),
        cond("Ready", "True", "DeploymentReady", "Deployment is ready"),
      ],
      observedGeneration: 1,
    }),
    notReady: (): Obj => ({
      conditions: [
        cond("Accepted", "True", "Reconciled", "Agent configuration accepted"),
        cond("Ready", "False", "DeploymentNotReady", "Deployment is not ready, 0/1 pods are ready"),
      ],
      observedGeneration: 1,
    }),
    rejected: (): Obj => ({
      conditions: [
        cond(
          "Accepted",
          "False",
          "ReconcileFailed",
          'failed to compile agent kagent/team-lead: agent "github-pr" not found',
        ),
        cond("Ready", "Unknown", "DeploymentNotFound", 'deployments.apps "team-lead" not found'),
      ],
      observedGeneration: 1,
    }),
  },
};

export const ciliumStatus = {
  pool: {
    accepted: (): Obj => ({
      conditions: [
        cond("cilium.io/PoolConflict", "False", "resolved"),
        cond("cilium.io/IPsTotal", "Unknown", "noreason", "30"),
        cond("cilium.io/IPsAvailable", "Unknown", "noreason", "29"),
        cond("cilium.io/IPsUsed", "Unknown", "noreason", "1"),
      ],
    }),
    rejected: (): Obj => ({
      conditions: [
        cond(
          "cilium.io/PoolConflict",
          "True",
          "cidr_overlap",
          "Pool conflicts since range '10.50.0.20-10.50.0.49' overlaps range '10.50.0.0/24' from IP Pool 'default'",
        ),
      ],
    }),
  },
  bgpCluster: {
    accepted: (): Obj => ({
      conditions: [
        cond("cilium.io/NoMatchingNode", "False", "NoMatchingNode", "No node matches spec.nodeSelector"),
        cond("cilium.io/MissingPeerConfigs", "False", "MissingPeerConfigs"),
      ],
    }),
    rejected: (): Obj => ({
      conditions: [
        cond("cilium.io/NoMatchingNode", "True", "NoMatchingNode", "No node matches spec.nodeSelector"),
        cond("cilium.io/MissingPeerConfigs", "False", "MissingPeerConfigs"),
      ],
    }),
  },
};

const nameOf = (m: Manifest) => String(m.metadata["name"]);
const nsOf = (m: Manifest) => String(m.metadata["namespace"] ?? "");

/** The Gateways a policy's targets reach, resolved over the plan's routes like the controller does. */
function ancestorsOf(policy: Manifest, all: Manifest[]): string[] {
  const routes = all.filter((m) => m.kind === "HTTPRoute");
  const parents = (r: Manifest) => ((r.spec["parentRefs"] ?? []) as Obj[]).map((p) => String(p["name"]));
  const backendsOf = (r: Manifest) =>
    ((r.spec["rules"] ?? []) as Obj[]).flatMap((rule) =>
      ((rule["backendRefs"] ?? []) as Obj[]).map((b) => b["name"]),
    );
  const gateways = ((policy.spec["targetRefs"] ?? []) as Obj[]).flatMap((t) => {
    if (t["kind"] === "Gateway") return [String(t["name"])];
    if (t["kind"] === "HTTPRoute") return routes.filter((r) => nameOf(r) === t["name"]).flatMap(parents);
    return routes.filter((r) => backendsOf(r).includes(t["name"])).flatMap(parents);
  });
  return [...new Set(gateways)];
}

/** The controller's status on acceptance, and its rejections. */
export function controllerStatuses(
  m: Manifest,
  all: Manifest[],
  loadBalancerIps: Record<string, string | undefined>,
): { accepted: Obj; rejected: Obj[] } {
  switch (m.kind) {
    case "Gateway": {
      const ip = loadBalancerIps[nameOf(m)];
      const facts = {
        listeners: ((m.spec["listeners"] ?? []) as Obj[]).map((l) => String(l["name"])),
        address: ip ?? "10.43.0.17",
      };
      const rejected = [gatewayStatus.invalidParameters(facts), gatewayStatus.listenerNotProgrammed(facts)];
      if (ip !== undefined) rejected.push(gatewayStatus.noAddress(facts));
      return { accepted: gatewayStatus.accepted(facts), rejected };
    }
    case "HTTPRoute":
      return {
        accepted: routeStatus.accepted(m),
        rejected: [routeStatus.backendNotFound(m), routeStatus.notAllowed(m), routeStatus.otherController(m)],
      };
    case "AgentgatewayPolicy": {
      const gateways = ancestorsOf(m, all);
      const ns = nsOf(m);
      return {
        accepted: policyStatus.accepted(gateways, ns),
        rejected: [policyStatus.invalid(gateways, ns), policyStatus.notAttached()],
      };
    }
    case "AgentgatewayBackend":
      return { accepted: backendStatus.accepted(), rejected: [backendStatus.translationError()] };
    case "ModelConfig":
      return {
        accepted: kagentStatus.modelConfig.accepted(),
        rejected: [kagentStatus.modelConfig.rejected()],
      };
    case "RemoteMCPServer":
      return {
        accepted: kagentStatus.remoteMcpServer.accepted(),
        rejected: [kagentStatus.remoteMcpServer.rejected()],
      };
    case "Agent":
      return {
        accepted: kagentStatus.agent.accepted(),
        rejected: [kagentStatus.agent.notReady(), kagentStatus.agent.rejected()],
      };
    case "CiliumLoadBalancerIPPool":
      return { accepted: ciliumStatus.pool.accepted(), rejected: [ciliumStatus.pool.rejected()] };
    case "CiliumBGPClusterConfig":
      return { accepted: ciliumStatus.bgpCluster.accepted(), rejected: [ciliumStatus.bgpCluster.rejected()] };
  }
  throw new Error(`no controller status for ${m.kind}`);
}
