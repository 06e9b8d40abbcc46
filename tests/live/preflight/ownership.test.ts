import { strict as assert } from "assert";
import type { Segment } from "../../../live/preflight/fieldDiff";
import { foreignOwners, managedFieldsOf, owns } from "../../../live/preflight/managedFields";
import { gitopsOwners, stopHint } from "../../../live/preflight/owners";

const f = (field: string): Segment => ({ field });

describe("preflight/managedFields: who owns a field", () => {
  const tree = {
    "f:metadata": { "f:labels": { "f:app": {} } },
    "f:spec": {
      "f:args": {},
      "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} } },
    },
  };

  it("follows f: fields and k: list items by their key fields", () => {
    assert.ok(owns(tree, [f("metadata"), f("labels"), f("app")]));
    assert.ok(!owns(tree, [f("metadata"), f("labels"), f("tier")]));
    assert.ok(
      owns(tree, [f("spec"), f("containers"), { index: 3, item: { name: "app", image: "x" } }, f("image")]),
    );
    assert.ok(!owns(tree, [f("spec"), f("containers"), { index: 0, item: { name: "sidecar" } }, f("image")]));
  });

  it("owns an atomic field (no children) with everything inside it", () => {
    assert.ok(owns(tree, [f("spec"), f("args"), { index: 1, item: "x" }]));
  });

  it("names managers other than pulumi-kubernetes and leaves status writers out", () => {
    const entries = managedFieldsOf({
      metadata: {
        managedFields: [
          { manager: "argocd-controller", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: tree },
          { manager: "pulumi-kubernetes-a1b2c3", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: tree },
          {
            manager: "kgateway",
            operation: "Update",
            subresource: "status",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:spec": {} },
          },
        ],
      },
    });
    assert.deepEqual(foreignOwners(entries, [f("spec"), f("args")]), ["argocd-controller"]);
  });
});

describe("preflight/owners: GitOps owners that apply again", () => {
  const app = (automated: boolean) => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "llm-gateways", namespace: "argocd" },
    spec: { syncPolicy: automated ? { automated: { selfHeal: true } } : {} },
  });
  const tracked = {
    metadata: {
      annotations: {
        "argocd.argoproj.io/tracking-id":
          "llm-gateways:gateway.networking.k8s.io/Gateway:agentgateway-system/agentgateway-proxy",
      },
    },
  };

  it("reads ArgoCD's tracking annotation and whether its Application still syncs automatically", () => {
    const [owner] = gitopsOwners(tracked, [app(true)], []);
    assert.deepEqual(
      { owner: owner!.owner, active: owner!.active, state: owner!.state },
      { owner: "Application argocd/llm-gateways", active: true, state: "automated sync, selfHeal" },
    );
    assert.equal(gitopsOwners(tracked, [app(false)], [])[0]!.active, false);
    assert.equal(gitopsOwners(tracked, [], [])[0]!.active, false, "a deleted Application applies nothing");
    assert.match(stopHint(owner!), /argocd app set llm-gateways --sync-policy none/);
  });

  it("takes app.kubernetes.io/instance as ArgoCD's only when ArgoCD manages the object (Helm sets it too)", () => {
    const labelled = { metadata: { labels: { "app.kubernetes.io/instance": "llm-gateways" } } };
    assert.equal(gitopsOwners(labelled, [app(true)], ["helm"]).length, 0);
    assert.equal(gitopsOwners(labelled, [app(true)], ["argocd-controller"])[0]!.active, true);
  });

  it("reads Flux's owner labels and whether the Kustomization or HelmRelease is suspended", () => {
    const obj = {
      metadata: {
        labels: {
          "kustomize.toolkit.fluxcd.io/name": "agentgateway",
          "kustomize.toolkit.fluxcd.io/namespace": "ai-system",
        },
      },
    };
    const ks = (suspend: boolean) => ({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "agentgateway", namespace: "ai-system" },
      spec: { suspend },
    });
    assert.equal(gitopsOwners(obj, [ks(false)], [])[0]!.active, true);
    assert.equal(gitopsOwners(obj, [ks(true)], [])[0]!.state, "suspended");
    assert.match(
      stopHint(gitopsOwners(obj, [ks(false)], [])[0]!),
      /flux suspend ks agentgateway -n ai-system/,
    );
  });
});
