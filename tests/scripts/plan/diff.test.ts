import { strict as assert } from "assert";
import { planDocument } from "../../../recording/plan";
import type { RecordedResource } from "../../../recording/runtime";
import { diffPlans, type PlanDoc } from "../../../scripts/plan/diff";
import { diffMarkdown } from "../../../scripts/plan/diffReport";
import { component, k8s, recordingOf, resource } from "../../support/planRecordings";
import { describeWithSchemas } from "../../support/schemas";

const doc = (resources: RecordedResource[]): PlanDoc =>
  JSON.parse(JSON.stringify(planDocument(recordingOf(resources)))) as PlanDoc;

const gw = component("gateway", "AiGateway", "ai-gateway");
const under = { parent: gw.urn };
const route = (path: string) =>
  k8s(
    "gateway.networking.k8s.io/v1",
    "HTTPRoute",
    "anthropic",
    { spec: { rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }] }] } },
    { ...under, name: "ai-gateway-route-anthropic" },
  );
const deployment = (app: string, extra: Parameters<typeof k8s>[4] = {}) =>
  k8s(
    "apps/v1",
    "Deployment",
    "web",
    { spec: { selector: { matchLabels: { app } }, replicas: 1 } },
    { ...under, name: "web", ...extra },
  );

describe("plan diff", () => {
  it("a changed route path is that one field of that one resource, and nothing else", () => {
    const diff = diffPlans(
      doc([gw, route("/anthropic"), deployment("web")]),
      doc([gw, route("/claude"), deployment("web")]),
    );
    assert.deepEqual(diff.counts, { create: 0, update: 1, replace: 0, delete: 0, unchanged: 3 });
    assert.equal(diff.changes.length, 1);
    assert.deepEqual(diff.changes[0]!.fields, [
      { path: "spec.rules[0].matches[0].path.value", before: "/anthropic", after: "/claude" },
    ]);
    assert.equal(diff.changes[0]!.action, "update");
  });

  it("a changed Deployment selector replaces it, deleted first since the name stays", () => {
    const diff = diffPlans(doc([gw, deployment("web")]), doc([gw, deployment("web2")]));
    const [change] = diff.changes;
    assert.equal(change?.action, "replace");
    assert.match(change!.reasons[0]!.because, /forceNewProperties: `\.spec\.selector` of Deployment/);
    assert.equal(change!.reasons[0]!.path, "spec.selector.matchLabels.app");
    assert.match(change!.order!, /deletes the object first/);
  });

  it("a changed secret is shown as changed, without either value", () => {
    const secret = (digest: string) =>
      k8s(
        "v1",
        "Secret",
        "key",
        { stringData: { token: "[secret]" } },
        {
          ...under,
          secretPaths: ["stringData.token"],
          secretDigests: { "stringData.token": digest },
        },
      );
    const same = diffPlans(doc([gw, secret("aaaa")]), doc([gw, secret("aaaa")]));
    assert.equal(same.changes.length, 0);
    const diff = diffPlans(doc([gw, secret("aaaa")]), doc([gw, secret("bbbb")]));
    assert.deepEqual(diff.changes[0]!.fields, [{ path: "stringData.token", secret: true }]);
    const md = diffMarkdown(diff, "base");
    assert.match(md, /`stringData\.token`: \(secret\) changed/);
    assert.doesNotMatch(md, /aaaa|bbbb|\[secret\]/);
  });

  it("deleting a protected Namespace comes first, with why it matters", () => {
    const ns = k8s("v1", "Namespace", "ai", {}, { name: "ns-ai", options: { protect: true } });
    const diff = diffPlans(
      doc([gw, ns, route("/a"), deployment("x")]),
      doc([gw, route("/b"), deployment("y")]),
    );
    const first = diff.changes[0]!;
    assert.equal(first.action, "delete");
    assert.equal(first.name, "ns-ai");
    assert.match(first.stateful!, /deletes every object in it/);
    assert.match(first.hazards.join("\n"), /protected: the engine refuses to delete it/);
    const md = diffMarkdown(diff, "base");
    assert.ok(
      md.indexOf("### Deletions and replacements of stateful or protected resources") <
        md.indexOf("### Replacements"),
    );
  });

  it("a Kubernetes resource renamed with the same object name is paired and its collision named", () => {
    const renamed = deployment("web", { name: "web-renamed" });
    const diff = diffPlans(doc([gw, deployment("web")]), doc([gw, renamed]));
    assert.equal(diff.changes.length, 1);
    const [change] = diff.changes;
    assert.equal(change?.action, "replace");
    assert.equal(change?.from, deployment("web").urn);
    assert.match(change!.hazards[0]!, /pulumi-kubernetes#2948/);
  });

  it("a resource moved by alias is the same resource; an ignored field is no change", () => {
    const moved = deployment("web", {
      name: "web2",
      options: { aliases: [deployment("web").urn], ignoreChanges: ["spec.replicas"] },
    });
    moved.inputs["spec"] = { selector: { matchLabels: { app: "web" } }, replicas: 3 };
    const diff = diffPlans(doc([gw, deployment("web")]), doc([gw, moved]));
    assert.equal(diff.changes.length, 1);
    assert.deepEqual(
      diff.changes[0]!.fields.map((f) => f.path),
      ["options.ignoreChanges[0]"],
      "only the option itself changed; the ignored replica count is not a change",
    );
    assert.equal(diff.changes[0]!.action, "update");
  });
});

describeWithSchemas("plan diff: provider schemas", () => {
  const edge = component("edge", "BigipEdge", "bigip");
  const vs = (name: string, resourceName = "bigip-github-8092-vs") =>
    resource(
      "f5bigip:ltm/virtualServer:VirtualServer",
      resourceName,
      { name, destination: "172.16.20.125", port: 8092, pool: "/Common/p" },
      { parent: edge.urn, options: { deleteBeforeReplace: true } },
    );

  it("a renamed VIP (same URN) is replaced because the f5bigip schema marks name willReplaceOnChanges", () => {
    const diff = diffPlans(doc([edge, vs("/Common/a-vs")]), doc([edge, vs("/Common/b-vs")]));
    const [change] = diff.changes;
    assert.equal(change?.action, "replace");
    assert.match(
      change!.reasons[0]!.because,
      /`name` is willReplaceOnChanges in the f5bigip-3\.24\.0 provider schema/,
    );
    assert.match(change!.order!, /deleted first/);
  });

  it("a VIP under a new URN on the same destination is paired, with the BIG-IP collision first", () => {
    const diff = diffPlans(
      doc([edge, vs("/Common/github-vs"), route("/a")]),
      doc([edge, vs("/Common/gh-vs", "bigip-gh-8092-vs"), route("/b")]),
    );
    assert.equal(diff.changes[0]!.action, "replace");
    assert.equal(diff.changes[0]!.name, "bigip-gh-8092-vs");
    assert.match(
      diff.changes[0]!.hazards[0]!,
      /BIG-IP refuses a second virtual server on 172\.16\.20\.125:8092/,
    );
    assert.equal(diff.changes[1]!.action, "update");
  });
});
