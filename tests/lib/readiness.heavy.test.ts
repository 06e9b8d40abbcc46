import { strict as assert } from "assert";
import { isKubernetesObject, manifestOf, validateCustomResource } from "../../conformance";
import { TIMEOUT_ANNOTATION } from "../../lib/readiness";
import type { Recording } from "../../recording/runtime";
import { evaluateWait, waitsOf } from "../../verify/waitFor";
import { controllerStatuses, Manifest } from "../support/controllerStatus";
import { recordedStack, recordVariant } from "../support/record";
import { describeWithSchemas } from "../support/schemas";

type Obj = Record<string, unknown>;

/*
 * Every object of both plans whose controller reports acceptance carries `pulumi.com/waitFor`, and each of its
 * expressions holds against the status its controller writes on acceptance and fails against a rejection.
 * The statuses are built from the plan's own objects the way the controllers resolve them (a route's parents,
 * the Gateways a policy's targets reach), not from the wait expressions.
 */

/** Kinds whose controller reports acceptance (a wait each), and kinds with nothing to wait for. */
const REPORTING = new Set([
  "Gateway",
  "HTTPRoute",
  "AgentgatewayBackend",
  "AgentgatewayPolicy",
  "ModelConfig",
  "RemoteMCPServer",
  "Agent",
  "CiliumLoadBalancerIPPool",
  "CiliumBGPClusterConfig",
]);
const SILENT = new Set([
  "ReferenceGrant",
  "AgentgatewayParameters",
  "ServiceMonitor",
  "PodMonitor",
  "PrometheusRule",
  "CiliumL2AnnouncementPolicy",
  "CiliumBGPPeerConfig",
  "CiliumBGPAdvertisement",
]);
const BUILT_IN = /^(v1|(apps|policy|networking\.k8s\.io|rbac\.authorization\.k8s\.io|autoscaling)\/v\d+)$/;

function manifests(recording: Recording): Manifest[] {
  return recording.resources.filter(isKubernetesObject).map((r) => manifestOf(r) as unknown as Manifest);
}

const nameOf = (m: Manifest) => String(m.metadata["name"]);

/** The LoadBalancer IP of each gateway, from the plan's outputs. */
function gatewayIps(recording: Recording): Record<string, string | undefined> {
  const services = (recording.outputs["gatewayServices"] ?? {}) as Record<
    string,
    { loadBalancerIp?: string }
  >;
  return Object.fromEntries(Object.entries(services).map(([k, v]) => [k, v.loadBalancerIp]));
}

const live = (m: Manifest, status: Obj) => ({ ...m, metadata: { ...m.metadata, generation: 1 }, status });
const unmet = (obj: Obj) => waitsOf(obj).filter((e) => !evaluateWait(obj, e).met);

const PLANS: Array<[string, () => Promise<Recording>]> = [
  ["rooster", () => recordedStack("rooster")],
  ["homeops", () => recordedStack("homeops")],
  [
    "rooster with its MCP policies on",
    () =>
      recordVariant({
        base: "rooster",
        set: { "policies.items[3].enabled": true, "policies.items[4].enabled": true },
      }),
  ],
  [
    "homeops with BGP",
    () =>
      recordVariant({
        base: "homeops",
        set: { "cilium.bgp": { routerAddress: "10.50.0.1", routerAsn: 64513, nodeAsn: 64514 } },
      }),
  ],
];

for (const [plan, record] of PLANS) {
  describe(`readiness waits of the ${plan} plan`, () => {
    let all: Manifest[];
    let recording: Recording;
    before(async function () {
      this.timeout(120_000);
      recording = await record();
      all = manifests(recording);
    });

    it("classifies every custom kind it declares as reporting status or not", () => {
      const unknown = all
        .filter((m) => !BUILT_IN.test(m.apiVersion) && !REPORTING.has(m.kind) && !SILENT.has(m.kind))
        .map((m) => `${m.apiVersion} ${m.kind}`);
      assert.deepEqual([...new Set(unknown)], []);
    });

    it("waits, with a timeout, on every object whose controller reports status, and on no other", () => {
      for (const m of all) {
        const waits = waitsOf(m as unknown as Obj);
        const label = `${m.kind} ${nameOf(m)}`;
        assert.equal(waits.length > 0, REPORTING.has(m.kind), label);
        if (waits.length > 0)
          assert.match(String((m.metadata["annotations"] as Obj)[TIMEOUT_ANNOTATION]), /^\d+$/);
      }
      assert.ok(all.some((m) => REPORTING.has(m.kind)));
    });

    it("holds every wait once the controllers accept the objects", () => {
      for (const m of all.filter((m) => REPORTING.has(m.kind))) {
        const obj = live(m, controllerStatuses(m, all, gatewayIps(recording)).accepted);
        assert.deepEqual(unmet(obj), [], `${m.kind} ${nameOf(m)}`);
      }
    });

    it("fails a wait of every object a controller rejects", () => {
      for (const m of all.filter((m) => REPORTING.has(m.kind))) {
        for (const status of controllerStatuses(m, all, gatewayIps(recording)).rejected)
          assert.ok(unmet(live(m, status)).length > 0, `${m.kind} ${nameOf(m)}: ${JSON.stringify(status)}`);
      }
    });
  });
}

describeWithSchemas(
  "controller statuses of the rooster and homeops objects conform to the pinned CRDs",
  () => {
    for (const stack of ["rooster", "homeops"]) {
      it(stack, async function () {
        this.timeout(120_000);
        const recording = await recordedStack(stack);
        const all = manifests(recording);
        for (const m of all.filter((m) => REPORTING.has(m.kind) && !m.apiVersion.startsWith("cilium.io/"))) {
          const { accepted, rejected } = controllerStatuses(m, all, gatewayIps(recording));
          for (const status of [accepted, ...rejected])
            assert.deepEqual(validateCustomResource({ ...m, status }), [], `${m.kind} ${nameOf(m)}`);
        }
      });
    }
  },
);
