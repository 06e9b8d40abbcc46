import { strict as assert } from "assert";
import { isKubernetesObject, manifestOf, validateCustomResource } from "../../conformance";
import { TIMEOUT_ANNOTATION } from "../../lib/readiness";
import type { Recording } from "../../recording/runtime";
import { evaluateWait, waitsOf } from "../../verify/waitFor";
import {
  backendStatus,
  ciliumStatus,
  gatewayStatus,
  kagentStatus,
  Manifest,
  policyStatus,
  routeStatus,
} from "../support/controllerStatus";
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
function statuses(m: Manifest, all: Manifest[], recording: Recording): { accepted: Obj; rejected: Obj[] } {
  switch (m.kind) {
    case "Gateway": {
      const services = (recording.outputs["gatewayServices"] ?? {}) as Record<
        string,
        { loadBalancerIp?: string }
      >;
      const facts = {
        listeners: ((m.spec["listeners"] ?? []) as Obj[]).map((l) => String(l["name"])),
        address: services[nameOf(m)]?.loadBalancerIp ?? "10.43.0.17",
      };
      const rejected = [gatewayStatus.invalidParameters(facts), gatewayStatus.listenerNotProgrammed(facts)];
      if (services[nameOf(m)]?.loadBalancerIp !== undefined) rejected.push(gatewayStatus.noAddress(facts));
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
        const obj = live(m, statuses(m, all, recording).accepted);
        assert.deepEqual(unmet(obj), [], `${m.kind} ${nameOf(m)}`);
      }
    });

    it("fails a wait of every object a controller rejects", () => {
      for (const m of all.filter((m) => REPORTING.has(m.kind))) {
        for (const status of statuses(m, all, recording).rejected)
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
          const { accepted, rejected } = statuses(m, all, recording);
          for (const status of [accepted, ...rejected])
            assert.deepEqual(validateCustomResource({ ...m, status }), [], `${m.kind} ${nameOf(m)}`);
        }
      });
    }
  },
);
