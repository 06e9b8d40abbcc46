import { strict as assert } from "assert";
import { kubernetesFindings } from "../../../live/preflight/kubernetes";
import { liveOf, managedBy, planned, planOf } from "../../support/preflight";

type Obj = Record<string, unknown>;

const deployment = (image: string, selector: Obj = { app: "web" }, extraMeta: Obj = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps", ...extraMeta },
  spec: { selector: { matchLabels: selector }, template: { spec: { containers: [{ name: "web", image }] } } },
});

const containerImage = {
  "f:spec": {
    "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {} } } } },
  },
};

function one(plannedObj: ReturnType<typeof planned>, live: Obj[]) {
  const findings = kubernetesFindings(planOf({ objects: [plannedObj] }), liveOf(live));
  return findings.find((f) => f.object === "Deployment apps/web")!;
}

describe("preflight/kubernetes: each declared object against the live one", () => {
  it("creates what does not run", () => {
    const f = one(planned(deployment("web:2")), []);
    assert.deepEqual([f.action, f.severity], ["create", "change"]);
  });

  it("blocks a plain create of an object that exists (AlreadyExists) and says what the takeover would meet", () => {
    const live = {
      ...deployment("web:1"),
      metadata: {
        name: "web",
        namespace: "apps",
        managedFields: [managedBy("kubectl-client-side-apply", containerImage, "Update")],
      },
    };
    const f = one(planned(deployment("web:2")), [live]);
    assert.deepEqual([f.action, f.severity], ["blocked", "blocker"]);
    assert.match(f.message, /AlreadyExists/);
    assert.match(f.message, /kubectl-client-side-apply owns 1 field the program sets to other values/);
    assert.deepEqual(
      f.changes!.map((c) => [c.path, c.live, c.planned]),
      [["spec.template.spec.containers[name=web].image", "web:1", "web:2"]],
    );
  });

  it("takes over an object with its field-level changes under upsert", () => {
    const f = one(planned(deployment("web:2"), { action: "upsert" }), [deployment("web:1")]);
    assert.deepEqual([f.action, f.severity], ["take-over-with-changes", "change"]);
    assert.equal(
      one(planned(deployment("web:1"), { action: "upsert" }), [deployment("web:1")]).action,
      "take-over",
    );
  });

  it("calls a field another manager owns with another value a conflict that blocks, unless forced", () => {
    const live = {
      ...deployment("web:1"),
      metadata: {
        name: "web",
        namespace: "apps",
        managedFields: [managedBy("helm", containerImage, "Update")],
      },
    };
    const blocked = one(planned(deployment("web:2"), { action: "upsert" }), [live]);
    assert.deepEqual([blocked.action, blocked.severity], ["conflict", "blocker"]);
    assert.match(blocked.changes![0]!.note!, /owned by helm/);
    const forced = one(planned(deployment("web:2"), { action: "upsert", force: true }), [live]);
    assert.deepEqual([forced.action, forced.severity], ["conflict", "change"]);
  });

  it("blocks on an owner that applies the object again, whatever the values", () => {
    const tracking = {
      annotations: { "argocd.argoproj.io/tracking-id": "web-app:apps/Deployment:apps/web" },
    };
    const live = deployment("web:1", { app: "web" }, tracking);
    const app = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "web-app", namespace: "argocd" },
      spec: { syncPolicy: { automated: {} } },
    };
    const f = one(planned(deployment("web:1"), { action: "upsert" }), [live, app]);
    assert.deepEqual([f.action, f.severity], ["conflict", "blocker"]);
    assert.match(f.message, /Application argocd\/web-app \(automated sync;/);
    assert.match(f.hint!, /argocd app set web-app --sync-policy none/);
    const stopped = one(planned(deployment("web:1"), { action: "upsert" }), [live]);
    assert.equal(stopped.action, "take-over", "a deleted Application applies nothing");
  });

  it("blocks a takeover that changes an immutable field (Deployment selector)", () => {
    const f = one(planned(deployment("web:1", { "app.kubernetes.io/name": "web" }), { action: "upsert" }), [
      deployment("web:1"),
    ]);
    assert.deepEqual([f.action, f.severity], ["blocked", "blocker"]);
    assert.match(f.message, /spec\.selector \(immutable\)/);
  });

  it("updates, replaces (ForceNew) or leaves alone an object the program already manages", () => {
    const mine = (d: Obj) => ({
      ...d,
      metadata: { ...(d["metadata"] as Obj), managedFields: [managedBy("pulumi-kubernetes-1a2b3c4d", {})] },
    });
    assert.equal(one(planned(deployment("web:1")), [mine(deployment("web:1"))]).action, "unchanged");
    assert.equal(one(planned(deployment("web:2")), [mine(deployment("web:1"))]).action, "update");
    const secret = (value: string): Obj => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "apps" },
      stringData: { k: value },
    });
    const live = { ...mine(secret("x")), data: { k: Buffer.from("old").toString("base64") } };
    const findings = kubernetesFindings(planOf({ objects: [planned(secret("new"))] }), liveOf([live]));
    assert.deepEqual([findings[0]!.action, findings[0]!.severity], ["replace", "change"]);
    assert.ok(
      !JSON.stringify(findings).includes('"new"') && !JSON.stringify(findings).includes('"old"'),
      "secret values appear only as hashes",
    );
  });

  it("lists objects an old tool manages that the program does not declare", () => {
    const stray = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "old",
        namespace: "apps",
        labels: {
          "kustomize.toolkit.fluxcd.io/name": "apps",
          "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
        },
      },
    };
    const unrelated = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kube-root-ca.crt", namespace: "apps" },
    };
    const findings = kubernetesFindings(planOf({ objects: [] }), liveOf([stray, unrelated]));
    assert.deepEqual(
      findings.map((f) => [f.object, f.action, f.severity]),
      [["ConfigMap apps/old", "left-behind", "info"]],
    );
  });
});
