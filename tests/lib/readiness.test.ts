import { strict as assert } from "assert";
import {
  BACKEND_WAITS,
  CILIUM_BGP_CLUSTER_WAITS,
  CILIUM_POOL_WAITS,
  conditionIs,
  gatewayWaits,
  jsonPathIs,
  KAGENT_WAITS,
  policyAncestors,
  policyWaits,
  readinessAnnotations,
  routeWaits,
  TIMEOUT_ANNOTATION,
  WAIT_FOR_ANNOTATION,
} from "../../lib/readiness";
import { evaluateWait, parseJsonPath, waitExpressions, waitsOf } from "../../verify/waitFor";
import {
  backendStatus,
  ciliumStatus,
  cond,
  gatewayStatus,
  kagentStatus,
  Manifest,
  policyStatus,
  routeStatus,
} from "../support/controllerStatus";

type Obj = Record<string, unknown>;

function object(
  apiVersion: string,
  kind: string,
  name: string,
  spec: Obj,
  waits: readonly string[],
): Manifest {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: "ai-system", generation: 1, annotations: readinessAnnotations(waits, 60) },
    spec,
  };
}

const withStatus = (m: Manifest, status: Obj) => ({ ...m, status });

/** Every expression of the object's annotation against the object: the unmet ones with their reasons. */
function unmet(obj: Obj): string[] {
  return waitsOf(obj)
    .map((e) => evaluateWait(obj, e))
    .filter((r) => !r.met)
    .map((r) => r.reason ?? r.expression);
}

const gw = object(
  "gateway.networking.k8s.io/v1",
  "Gateway",
  "agentgateway",
  {
    gatewayClassName: "agentgateway",
    listeners: [
      { name: "http", protocol: "HTTP", port: 80 },
      { name: "https", protocol: "HTTPS", port: 443 },
    ],
  },
  gatewayWaits({ listeners: [{ name: "http" }, { name: "https" }], loadBalancerIp: "10.50.0.30" }),
);
const facts = { listeners: ["http", "https"], address: "10.50.0.30" };
const route = object(
  "gateway.networking.k8s.io/v1",
  "HTTPRoute",
  "llm-routes",
  {
    parentRefs: [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "agentgateway", sectionName: "https" },
    ],
    rules: [{ backendRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "openai" }] }],
  },
  routeWaits([{ name: "agentgateway", sectionName: "https" }]),
);
const policy = object(
  "agentgateway.dev/v1alpha1",
  "AgentgatewayPolicy",
  "prompt-guards",
  {
    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "llm-routes" }],
    traffic: { timeouts: { request: "60s" } },
  },
  policyWaits(["agentgateway"]),
);
const backend = object(
  "agentgateway.dev/v1alpha1",
  "AgentgatewayBackend",
  "openai",
  { ai: { provider: { openai: { model: "gpt-4o-mini" } } } },
  BACKEND_WAITS,
);
const kagent = (kind: string, spec: Obj, waits: readonly string[]) =>
  object("kagent.dev/v1alpha2", kind, kind.toLowerCase(), spec, waits);
const modelConfig = kagent(
  "ModelConfig",
  { model: "gpt-4o-mini", provider: "OpenAI" },
  KAGENT_WAITS.modelConfig,
);
const remoteMcp = kagent(
  "RemoteMCPServer",
  {
    description: "Slack tools",
    url: "http://mcp-gateway-proxy.agentgateway-system.svc.cluster.local:8090/slack",
  },
  KAGENT_WAITS.remoteMcpServer,
);
const agent = kagent(
  "Agent",
  { type: "Declarative", description: "d", declarative: { systemMessage: "s" } },
  KAGENT_WAITS.agent,
);
const pool = object("cilium.io/v2", "CiliumLoadBalancerIPPool", "homeops-services", {}, CILIUM_POOL_WAITS);
const bgp = object("cilium.io/v2", "CiliumBGPClusterConfig", "bgp", {}, CILIUM_BGP_CLUSTER_WAITS);

/** Each kind's accepted status, and the rejections with a fragment of the reason the wait reports. */
const CASES: Array<{ obj: Manifest; accepted: Obj; rejected: Array<[string, Obj, string]> }> = [
  {
    obj: gw,
    accepted: gatewayStatus.accepted(facts),
    rejected: [
      ["invalid parameters", gatewayStatus.invalidParameters(facts), "InvalidParameters"],
      ["no LoadBalancer address", gatewayStatus.noAddress(facts), "addresses"],
      [
        "listener certificate missing",
        gatewayStatus.listenerNotProgrammed(facts),
        "sklab-dev-production-tls not found",
      ],
    ],
  },
  {
    obj: route,
    accepted: routeStatus.accepted(route),
    rejected: [
      ["backend not found", routeStatus.backendNotFound(route), "BackendNotFound"],
      ["not allowed by listeners", routeStatus.notAllowed(route), "NotAllowedByListeners"],
      ["accepted by another controller only", routeStatus.otherController(route), "selected nothing"],
    ],
  },
  {
    obj: policy,
    accepted: policyStatus.accepted(["agentgateway"], "ai-system"),
    rejected: [
      ["invalid", policyStatus.invalid(["agentgateway"], "ai-system"), "invalid regex"],
      ["target missing", policyStatus.notAttached(), "not found"],
    ],
  },
  {
    obj: backend,
    accepted: backendStatus.accepted(),
    rejected: [["translation error", backendStatus.translationError(), "failed to translate backend"]],
  },
  {
    obj: modelConfig,
    accepted: kagentStatus.modelConfig.accepted(),
    rejected: [["secret missing", kagentStatus.modelConfig.rejected(), "not found"]],
  },
  {
    obj: remoteMcp,
    accepted: kagentStatus.remoteMcpServer.accepted(),
    rejected: [["tool discovery failed", kagentStatus.remoteMcpServer.rejected(), "502 Bad Gateway"]],
  },
  {
    obj: agent,
    accepted: kagentStatus.agent.accepted(),
    rejected: [
      ["deployment not ready", kagentStatus.agent.notReady(), "0/1 pods are ready"],
      ["compile failed", kagentStatus.agent.rejected(), "github-pr"],
    ],
  },
  {
    obj: pool,
    accepted: ciliumStatus.pool.accepted(),
    rejected: [["overlapping pool", ciliumStatus.pool.rejected(), "overlaps range"]],
  },
  {
    obj: bgp,
    accepted: ciliumStatus.bgpCluster.accepted(),
    rejected: [["no matching node", ciliumStatus.bgpCluster.rejected(), "No node matches"]],
  },
];

describe("readiness waits (pulumi.com/waitFor)", () => {
  it("writes one expression plainly and several as a JSON list, with the timeout", () => {
    assert.deepEqual(readinessAnnotations(["condition=Accepted"], 90), {
      [WAIT_FOR_ANNOTATION]: "condition=Accepted",
      [TIMEOUT_ANNOTATION]: "90",
    });
    const two = readinessAnnotations(["condition=Accepted", "condition=Ready"], 90);
    assert.deepEqual(waitExpressions(two[WAIT_FOR_ANNOTATION]!), ["condition=Accepted", "condition=Ready"]);
    assert.throws(() => readinessAnnotations([], 90));
  });

  it("refuses a JSONPath the provider would split on '=' or cut at '}'", () => {
    assert.throws(() => jsonPathIs(`.status.parents[?(@.name!="x")].x`, "True"));
    assert.throws(() => jsonPathIs(`.status.parents[?(@.name="x")].x`, "True"));
    assert.throws(() => jsonPathIs(`.status.x}`, "True"));
    assert.equal(conditionIs("cilium.io/PoolConflict", "False"), "condition=cilium.io/PoolConflict=False");
    for (const e of [...gatewayWaits({ listeners: [{ name: "a" }] }), ...routeWaits([{ name: "g" }])])
      if (e.startsWith("jsonpath=")) assert.ok(parseJsonPath(e).value !== undefined, e);
  });

  it("finds the Gateways a policy reaches through routes and backends", () => {
    const topology = {
      routes: new Map([["llm", ["gw-a", "gw-b"]]]),
      backends: new Map([["mcp-everything", ["mcp-gw"]]]),
    };
    const targets = [
      { kind: "Gateway", name: "gw-c" },
      { kind: "HTTPRoute", name: "llm" },
      { kind: "AgentgatewayBackend", name: "mcp-everything" },
    ];
    assert.deepEqual(policyAncestors(targets, topology), ["gw-c", "gw-a", "gw-b", "mcp-gw"]);
    assert.equal(policyWaits(["gw-b", "gw-a", "gw-b"]).length, 4);
  });

  for (const c of CASES) {
    describe(`${c.obj.kind} in the controller's status shape`, () => {
      it("is met once the controller accepts it", () => {
        assert.deepEqual(unmet(withStatus(c.obj, c.accepted)), []);
      });
      it("is not met before the controller wrote a status", () => {
        assert.ok(unmet(c.obj as unknown as Obj).length > 0);
      });
      for (const [what, status, reason] of c.rejected) {
        it(`is not met when ${what}, naming why`, () => {
          const reasons = unmet(withStatus(c.obj, status));
          assert.ok(reasons.length > 0, "the wait passed a rejected object");
          assert.ok(
            reasons.some((r) => r.includes(reason)),
            `${reason} not in ${reasons.join(" | ")}`,
          );
        });
      }
    });
  }

  it("does not count a condition observed for an older generation", () => {
    const stale = withStatus(
      { ...backend, metadata: { ...backend.metadata, generation: 2 } },
      backendStatus.accepted(),
    );
    assert.match(unmet(stale).join(), /generation 2/);
    const current = withStatus(backend, { conditions: [cond("Accepted", "True", "Accepted", "", 1)] });
    assert.deepEqual(unmet(current), []);
  });
});
