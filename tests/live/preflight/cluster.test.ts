import { strict as assert } from "assert";
import { controllerFindings } from "../../../live/preflight/controllers";
import { networkPolicyFindings, selects } from "../../../live/preflight/networkPolicy";
import type { PlannedChart } from "../../../live/plan";
import { liveOf, planned, planOf } from "../../support/preflight";

type Obj = Record<string, unknown>;

const controllerChart: PlannedChart = {
  urn: "urn:ctrl",
  form: "chart",
  release: "agentgateway-controller",
  namespace: "ai-system",
  chart: "oci://cr.agentgateway.dev/charts/agentgateway",
  version: "v1.4.1",
  values: {},
  secretValuePaths: [],
  action: "upsert",
  keptAtLive: false,
};
const gateway = planned({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "agentgateway", namespace: "ai-system" },
  spec: { gatewayClassName: "agentgateway" },
});
const gatewayClass = (controllerName: string, annotations: Obj = {}): Obj => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "GatewayClass",
  metadata: { name: "agentgateway", annotations },
  spec: { controllerName },
});

describe("preflight/controllers: GatewayClasses the program's controller claims", () => {
  const plan = planOf({ objects: [gateway], charts: [controllerChart] });

  it("blocks on a class another controller owns, naming it and what installed it, and the Gateways left unreconciled", () => {
    const live = liveOf([
      gatewayClass("kgateway.dev/agentgateway", {
        "meta.helm.sh/release-name": "agentgateway",
        "meta.helm.sh/release-namespace": "ai-system",
      }),
    ]);
    const [f] = controllerFindings(plan, live);
    assert.deepEqual(
      [f!.object, f!.action, f!.severity],
      ["GatewayClass agentgateway", "blocked", "blocker"],
    );
    assert.match(
      f!.message,
      /owned by kgateway\.dev\/agentgateway \(installed by Helm release ai-system\/agentgateway\)/,
    );
    assert.match(f!.message, /Gateways ai-system\/agentgateway are not reconciled/);
    assert.match(f!.hint!, /kubectl delete gatewayclass agentgateway/);
  });

  it("is fine with no class (the controller creates it) or its own", () => {
    assert.equal(controllerFindings(plan, liveOf([]))[0]!.severity, "change");
    assert.equal(
      controllerFindings(plan, liveOf([gatewayClass("agentgateway.dev/agentgateway")]))[0]!.severity,
      "info",
    );
  });
});

describe("preflight/networkPolicy: a namespace-wide default-deny against the workloads it cuts off", () => {
  const deny = planned({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: "network" },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  const allow = planned({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "cloudflared", namespace: "network" },
    spec: {
      podSelector: { matchLabels: { app: "cloudflared" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{}],
      egress: [{ ports: [{ port: 7844 }] }],
    },
  });
  const workload = (name: string, labels: Obj): Obj => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "network" },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } },
  });
  const pod = (labels: Obj): Obj => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `p-${Object.values(labels).join("")}`, namespace: "network", labels },
  });

  it("names each undeclared workload no policy allows, with its running pods", () => {
    const live = liveOf([
      workload("external-dns", { app: "external-dns" }),
      pod({ app: "external-dns" }),
      workload("old-tunnel", { app: "cloudflared" }),
    ]);
    const findings = networkPolicyFindings(planOf({ objects: [deny, allow] }), live);
    assert.deepEqual(
      findings.map((f) => [f.object, f.severity]),
      [["Deployment network/external-dns", "blocker"]],
    );
    assert.match(
      findings[0]!.message,
      /denies all ingress and egress in network.*its 1 running pod is cut off/,
    );
  });

  it("leaves alone a workload a live policy the program does not replace already allows, and declared workloads", () => {
    const livePolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "external-dns", namespace: "network" },
      spec: {
        podSelector: { matchLabels: { app: "external-dns" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{}],
        egress: [{}],
      },
    };
    const declared = planned({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "cloudflared", namespace: "network" },
    });
    const live = liveOf([
      workload("external-dns", { app: "external-dns" }),
      livePolicy,
      workload("cloudflared", { app: "x" }),
    ]);
    assert.deepEqual(networkPolicyFindings(planOf({ objects: [deny, declared] }), live), []);
  });

  it("says nothing where the plan adds no namespace-wide deny", () => {
    assert.deepEqual(
      networkPolicyFindings(
        planOf({ objects: [allow] }),
        liveOf([workload("external-dns", { app: "external-dns" })]),
      ),
      [],
    );
  });

  it("matches label selectors as Kubernetes does", () => {
    const labels = { app: "web", tier: "front" };
    assert.ok(selects({}, labels));
    assert.ok(
      selects(
        {
          matchLabels: { app: "web" },
          matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }],
        },
        labels,
      ),
    );
    assert.ok(
      !selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, labels),
    );
    assert.ok(selects({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels));
  });
});
