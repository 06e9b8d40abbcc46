import * as assert from "assert";
import { plannedAction, planDocument, treeSummary } from "../../../recording/plan";
import type { Recording, RecordedResource } from "../../../recording/runtime";
import { readStackFile } from "../../../recording/stackFile";
import { adoptionOn, DNS_RECORD_ID, issuesOf, SECRETS_FIXTURE } from "../../support/adoption";
import { recordVariant } from "../../support/record";

/*
 * Adoption of the running clusters: with `ai-platform:adoption` on, both stacks' plans take over every object
 * that exists (Talos secrets and bootstrap, Kubernetes objects and charts, Helm releases, BIG-IP objects, the
 * DNS record) and create only what cannot collide; with the run off nothing is imported or upserted, and what
 * the block maps keeps its existing names and its retention.
 */

const isKubernetesObject = (r: RecordedResource) =>
  r.custom &&
  r.type.startsWith("kubernetes:") &&
  !r.type.startsWith("kubernetes:helm.sh/") &&
  !r.type.startsWith("kubernetes:yaml");

/** What may be created on a running cluster: nothing that exists under another owner. */
const CREATED_ON_PURPOSE = new Set([
  "pulumi:providers:kubernetes",
  "pulumi:providers:f5bigip",
  "pulumi:providers:cloudflare",
  // Content-addressed: the Image Factory returns the existing schematic.
  "talos:imageFactory/schematic:Schematic",
  // Sends the rendered configuration (no-reboot mode); there is no import.
  "talos:machine/configurationApply:ConfigurationApply",
  // Reads the admin kubeconfig through the API.
  "talos:cluster/kubeconfig:Kubeconfig",
  // talosctl steps run on the machine running Pulumi: health gates, and upgrades that leave a node already on
  // the declared version alone (components/cluster/talosScripts.ts).
  "pulumi:providers:command",
  "command:local:Command",
  // A locally managed tunnel cannot be imported as remotely managed: the program's tunnel is new.
  "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared",
  "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
]);

function ofType(rec: Recording, type: string): RecordedResource[] {
  return rec.resources.filter((r) => r.type === type);
}

for (const stack of ["rooster", "homeops"] as const) {
  describe(`adoption: ${stack} plan with adoption on`, function () {
    this.timeout(60000);
    let rec: Recording;
    before(async () => {
      rec = await recordVariant(adoptionOn(stack));
    });

    it("imports the Talos machine secrets from the bundle and the bootstrap as done", () => {
      const [secrets] = ofType(rec, "talos:machine/secrets:Secrets");
      assert.equal(secrets!.options.import, SECRETS_FIXTURE);
      const [bootstrap] = ofType(rec, "talos:machine/bootstrap:Bootstrap");
      assert.equal(bootstrap!.options.import, "machine_bootstrap");
    });

    it("applies every node's configuration without a reboot", () => {
      const applies = ofType(rec, "talos:machine/configurationApply:ConfigurationApply");
      assert.ok(applies.length > 0);
      for (const a of applies) assert.equal(a.inputs["applyMode"], "no_reboot", a.name);
      const rebooting = issuesOf(adoptionOn(stack, { "cluster.talos.rollout.applyMode": "auto" }));
      assert.deepEqual(rebooting, [
        'ai-platform:cluster.talos.rollout.applyMode: "auto" may reboot nodes, which the adoption run must never do unplanned (hint: use "no_reboot" (a change that needs a reboot fails the apply) or "staged" (applied at the next reboot))',
      ]);
    });

    it("takes over every Kubernetes object and chart it declares, and imports or owns every Helm release", () => {
      const provider = ofType(rec, "pulumi:providers:kubernetes");
      assert.deepEqual(
        provider.map((p) => p.inputs["upsertExistingObjects"]),
        provider.map(() => "true"),
      );
      const objects = rec.resources.filter(
        (r) =>
          isKubernetesObject(r) ||
          r.type === "kubernetes:helm.sh/v4:Chart" ||
          r.type.startsWith("kubernetes:yaml"),
      );
      assert.ok(objects.length > 10);
      for (const r of objects) assert.equal(plannedAction(r), "upsert", `${r.type} ${r.name}`);
      const releases = ofType(rec, "kubernetes:helm.sh/v3:Release");
      assert.ok(releases.length > 0);
      for (const r of releases) {
        const id = `${String(r.inputs["namespace"])}/${String(r.inputs["name"])}`;
        const declared = JSON.parse(readStackFile(stack).config["ai-platform:adoption"]!).helm.releases[id];
        if (declared === "release") assert.equal(r.options.import, id, r.name);
        else assert.equal(plannedAction(r), "take-ownership", r.name);
      }
    });

    it("keeps a release it imports at its live chart version and values, upgrading it only once the stack says upgrade", async () => {
      const kept = ofType(rec, "kubernetes:helm.sh/v3:Release").filter((r) => r.options.import !== "");
      assert.ok(kept.length > 0);
      for (const r of kept) assert.deepEqual(r.options.ignoreChanges, ["version", "values"], r.name);
      const upgraded = await recordVariant(
        adoptionOn(stack, { "adoption.helm.releases.kube-system/cilium": "upgrade" }),
      );
      const [cilium] = ofType(upgraded, "kubernetes:helm.sh/v3:Release").filter(
        (r) => r.inputs["name"] === "cilium",
      );
      assert.equal(cilium!.options.import, "kube-system/cilium");
      assert.deepEqual(cilium!.options.ignoreChanges, []);
    });

    it("registers everything it imports or takes ownership of as retained, so a corrected import id deletes nothing", () => {
      const adopted = rec.resources.filter(
        (r) => r.options.import !== "" || plannedAction(r) === "take-ownership",
      );
      assert.ok(adopted.length > 3);
      assert.deepEqual(
        adopted.filter((r) => !r.options.retainOnDelete).map((r) => `${r.type} ${r.name}`),
        [],
      );
    });

    it("retains namespaces and CRDs on a later destroy or rename", () => {
      const retained = rec.resources.filter(
        (r) =>
          isKubernetesObject(r) &&
          ["Namespace", "CustomResourceDefinition"].includes(String(r.inputs["kind"])),
      );
      assert.ok(retained.length > 0);
      for (const r of retained) assert.ok(r.options.retainOnDelete, r.name);
      const others = rec.resources.filter((r) => isKubernetesObject(r) && !retained.includes(r));
      assert.ok(others.every((r) => !r.options.retainOnDelete));
    });

    it("forces field ownership only where the stack asks for it", () => {
      const forced = (r: RecordedResource) =>
        ((r.inputs["metadata"] as Record<string, Record<string, string>> | undefined)?.["annotations"] ?? {})[
          "pulumi.com/patchForce"
        ] === "true";
      const namespaces = stack === "rooster" ? ["agentgateway-system", "kagent"] : ["ai-system", "network"];
      for (const r of rec.resources.filter(isKubernetesObject)) {
        const ns = (r.inputs["metadata"] as Record<string, string>)["namespace"];
        assert.equal(forced(r), namespaces.includes(ns ?? ""), `${r.type} ${r.name} in ${ns}`);
      }
    });

    it("creates nothing that exists under another owner", () => {
      const created = rec.resources.filter((r) => plannedAction(r) === "create");
      assert.deepEqual(
        created.filter((r) => !CREATED_ON_PURPOSE.has(r.type)).map((r) => `${r.type} ${r.name}`),
        [],
      );
    });

    it("shows per resource whether it is created or taken over, in plan.json and the tree", () => {
      const doc = planDocument(rec) as {
        resources: Array<{ action: string | null; options: { import: string } }>;
      };
      assert.ok(doc.resources.some((r) => r.action === "import" && r.options.import !== ""));
      assert.ok(doc.resources.some((r) => r.action === "upsert"));
      assert.match(treeSummary(rec), /Namespace x\d+ \(\d+ taken over\)/);
      assert.match(treeSummary(rec), /, \d+ taken over$/);
    });
  });
}

describe("adoption: BIG-IP objects of rooster", function () {
  this.timeout(60000);
  let rec: Recording;
  before(async () => {
    rec = await recordVariant(adoptionOn("rooster"));
  });

  it("imports nodes, monitor, pools and virtual servers by their existing full path, keeping that name", () => {
    const named = [
      "f5bigip:ltm/node:Node",
      "f5bigip:ltm/monitor:Monitor",
      "f5bigip:ltm/pool:Pool",
      "f5bigip:ltm/virtualServer:VirtualServer",
    ].flatMap((t) => ofType(rec, t));
    assert.equal(named.length, 4 + 1 + 5 + 5);
    for (const r of named) {
      assert.match(r.options.import, /^\/Common\/[^/]+$/, r.name);
      // Names are ForceNew upstream: a different name would turn the import into a replacement.
      assert.equal(r.inputs["name"], r.options.import, r.name);
    }
    const nodes = ofType(rec, "f5bigip:ltm/node:Node")
      .map((r) => r.options.import)
      .sort();
    assert.deepEqual(nodes, [
      "/Common/172.16.10.130",
      "/Common/172.16.10.132",
      "/Common/172.16.10.133",
      "/Common/172.16.10.136",
    ]);
    const vs = ofType(rec, "f5bigip:ltm/virtualServer:VirtualServer").find(
      (r) => r.inputs["destination"] === "172.16.20.120",
    )!;
    assert.equal(vs.options.import, "/Common/tf_solo-8080_vs");
    assert.equal(vs.inputs["pool"], "/Common/tf_solo-8080_pool");
  });

  it("imports every pool attachment by its JSON id: the pool's full path and <node full path>:<NodePort>", () => {
    const attachments = ofType(rec, "f5bigip:ltm/poolAttachment:PoolAttachment");
    assert.equal(attachments.length, 4 * 5);
    for (const a of attachments) {
      const id = JSON.parse(a.options.import) as Record<string, string>;
      assert.deepEqual(Object.keys(id).sort(), ["node", "pool"]);
      assert.equal(id["pool"], a.inputs["pool"]);
      assert.equal(id["node"], a.inputs["node"]);
      assert.match(id["node"]!, /^\/Common\/172\.16\.10\.\d+:3\d{4}$/);
    }
    const solo = attachments.filter((a) => a.inputs["pool"] === "/Common/tf_solo-8080_pool");
    assert.deepEqual(
      solo.map((a) => String(a.inputs["node"]).split(":")[1]),
      ["31572", "31572", "31572", "31572"],
    );
  });

  it("keeps the existing names and the retention after the run, importing nothing: there is no switch to forget", async () => {
    const after = await recordVariant({
      ...adoptionOn("rooster"),
      set: { ...adoptionOn("rooster").set, "adoption.enabled": false },
    });
    const named = [
      "f5bigip:ltm/node:Node",
      "f5bigip:ltm/pool:Pool",
      "f5bigip:ltm/virtualServer:VirtualServer",
    ];
    const objects = named.flatMap((t) => ofType(after, t));
    assert.deepEqual(
      objects
        .filter((r) => !/^\/Common\/(tf_|172\.16\.10\.)/.test(String(r.inputs["name"])))
        .map((r) => r.name),
      [],
    );
    assert.ok(objects.every((r) => r.options.retainOnDelete));
    assert.deepEqual(
      after.resources.filter((r) => r.options.import !== "").map((r) => r.name),
      [],
    );
    assert.ok(after.resources.every((r) => !r.options.upsert));
    assert.ok(ofType(after, "kubernetes:core/v1:Namespace").every((r) => r.options.retainOnDelete));
  });

  it("lets destroy delete the adopted objects once the stack says onDestroy: delete", async () => {
    const after = await recordVariant({
      ...adoptionOn("rooster"),
      set: { ...adoptionOn("rooster").set, "adoption.enabled": false, "adoption.onDestroy": "delete" },
    });
    const vs = ofType(after, "f5bigip:ltm/virtualServer:VirtualServer");
    assert.ok(
      vs.every((r) => String(r.inputs["name"]).startsWith("/Common/tf_") && !r.options.retainOnDelete),
    );
  });
});

describe("adoption: homeops DNS record", function () {
  this.timeout(60000);
  it("imports the record external-dns created as <zone id>/<record id>", async () => {
    const rec = await recordVariant(adoptionOn("homeops"));
    const [record] = ofType(rec, "cloudflare:index/dnsRecord:DnsRecord");
    assert.equal(record!.options.import, `${String(record!.inputs["zoneId"])}/${DNS_RECORD_ID}`);
    assert.match(record!.options.import, /^[0-9a-f]{32}\/[0-9a-f]{32}$/);
  });
});

describe("adoption: the block with the run off", function () {
  this.timeout(60000);
  for (const stack of ["rooster", "homeops"] as const) {
    it(`${stack}: imports and upserts nothing, and changes only what the block maps`, async () => {
      const withBlock = await recordVariant({ base: stack });
      const without = await recordVariant({ base: stack, delete: ["adoption"] });
      assert.deepEqual(
        withBlock.resources.filter((r) => r.options.import !== "" || r.options.upsert).map((r) => r.name),
        [],
      );
      assert.doesNotMatch(treeSummary(without), /taken over/);
      assert.deepEqual(
        withBlock.resources.map((r) => r.urn),
        without.resources.map((r) => r.urn),
      );
      // Everything else is the same resource with the same inputs, apart from the mapped names, releases and kinds.
      const mapped = (r: RecordedResource) =>
        r.options.retainOnDelete || r.options.ignoreChanges.length > 0 || r.type.startsWith("f5bigip:");
      const byUrn = new Map(without.resources.map((r) => [r.urn, r]));
      for (const r of withBlock.resources.filter((x) => !mapped(x)))
        assert.deepEqual(r.inputs, byUrn.get(r.urn)!.inputs, r.urn);
    });
  }
});
