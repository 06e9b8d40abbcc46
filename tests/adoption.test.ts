import * as pulumi from "@pulumi/pulumi";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AdoptionPlan, adoptionPlan } from "../components/adoption/plan";
import { adopt } from "../components/adoption/transform";
import { nodePatches, rolePatches } from "../components/cluster/talosPatches";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import { plannedAction, planDocument, treeSummary } from "../recording/plan";
import type { Recording, RecordedResource } from "../recording/runtime";
import { formatIssue } from "../stacks/issues";
import { loadPlatformConfig, parsePlatformConfig } from "../stacks/load";
import { describeWithSchemas, schemasDir } from "./conformance";
import { applyFixture } from "./support/fixtures";
import { recordVariant } from "./support/record";

/*
 * Adoption of the running clusters: with `ai-platform:adoption` on, both stacks' plans take over every object
 * that exists (Talos secrets and bootstrap, Kubernetes objects and charts, Helm releases, BIG-IP objects, the
 * DNS record) and create only what cannot collide; with it off the plans are unchanged.
 */

const SECRETS_FIXTURE = path.resolve(__dirname, "fixtures", "adoption", "talos-secrets.yaml");
const DNS_RECORD_ID = "0123456789abcdef0123456789abcdef";

/** rooster's pools and virtual servers as a Terraform state would name them (test values). */
const ROOSTER_VIPS = Object.fromEntries(
  ["solo-8080", "xai-8081", "mcp-8090", "model-8085", "github-8092"].map((key) => [
    key,
    { pool: `/Common/tf_${key}_pool`, virtualServer: `/Common/tf_${key}_vs` },
  ]),
);

/** The stack file's own adoption block, switched on with the fixture bundle and the values only a live system has. */
function adoptionOn(stack: "rooster" | "homeops", extra: Record<string, unknown> = {}) {
  const block = JSON.parse(readStackFile(stack).config["ai-platform:adoption"]!) as Record<string, unknown>;
  const set: Record<string, unknown> = {
    "adoption.enabled": true,
    "adoption.talos.secretsFile": SECRETS_FIXTURE,
    ...extra,
  };
  if (stack === "rooster") {
    set["adoption.bigip.vips"] = structuredClone(ROOSTER_VIPS);
    set["adoption.bigip.monitor"] = "/Common/tf_nodeport_tcp";
    set["adoption.bigip.create"] = [];
  } else {
    set["adoption.cloudflare.dnsRecords"] = { ai: DNS_RECORD_ID };
  }
  assert.equal(block["enabled"], false, `${stack}: the committed adoption block is off`);
  return { base: stack, set };
}

function issuesOf(edits: { base: string; set?: Record<string, unknown>; delete?: string[] }): string[] {
  const { issues } = parsePlatformConfig(
    rawConfigOf(applyFixture({ file: "x.yaml", description: "", ...edits })),
  );
  return issues.map(formatIssue);
}

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

  it("keeps the existing names once adoption is completed, importing nothing", async () => {
    const done = await recordVariant({
      ...adoptionOn("rooster"),
      set: { ...adoptionOn("rooster").set, "adoption.enabled": false, "adoption.completed": true },
    });
    const vs = ofType(done, "f5bigip:ltm/virtualServer:VirtualServer").map((r) => String(r.inputs["name"]));
    assert.ok(
      vs.every((n) => n.startsWith("/Common/tf_")),
      vs.join(", "),
    );
    assert.deepEqual(
      done.resources.filter((r) => r.options.import !== "").map((r) => r.name),
      [],
    );
    assert.ok(done.resources.every((r) => !r.options.upsert));
    assert.ok(ofType(done, "kubernetes:core/v1:Namespace").every((r) => r.options.retainOnDelete));
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

describe("adoption: off", function () {
  this.timeout(60000);
  for (const stack of ["rooster", "homeops"] as const) {
    it(`${stack}: the disabled block changes nothing, and nothing is imported or upserted`, async () => {
      const withBlock = await recordVariant({ base: stack });
      const without = await recordVariant({ base: stack, delete: ["adoption"] });
      assert.deepEqual(planDocument(withBlock), planDocument(without));
      assert.deepEqual(
        withBlock.resources.filter((r) => r.options.import !== "" || r.options.upsert).map((r) => r.name),
        [],
      );
      assert.ok(withBlock.resources.every((r) => plannedAction(r) !== "take-ownership"));
      assert.doesNotMatch(treeSummary(withBlock), /taken over/);
    });
  }
});

describe("adoption: config validation", () => {
  it("both stacks validate with adoption on and the values only the live systems have", () => {
    assert.deepEqual(issuesOf(adoptionOn("rooster")), []);
    assert.deepEqual(issuesOf(adoptionOn("homeops")), []);
  });

  it("rejects a relative secrets path, a missing file and an encrypted one, saying how to produce the bundle", () => {
    const at = (file: string) => issuesOf(adoptionOn("homeops", { "adoption.talos.secretsFile": file }));
    const relative = at("talos/secrets.yaml");
    assert.equal(relative.length, 1);
    assert.match(
      relative[0]!,
      /^ai-platform:adoption\.talos\.secretsFile: "talos\/secrets\.yaml" is relative/,
    );
    assert.match(
      relative[0]!,
      /hint: .*sops -d talos\/talsecret\.sops\.yaml.*talosctl gen secrets --from-controlplane-config/,
    );
    assert.match(
      at("/nonexistent/secrets.yaml")[0]!,
      /secretsFile: "\/nonexistent\/secrets\.yaml" does not exist \(hint: /,
    );
    const encrypted = path.resolve(__dirname, "fixtures", "adoption", "talos-secrets.sops.yaml");
    assert.match(at(encrypted)[0]!, /is SOPS-encrypted \(hint: .*sops -d/);
    const notBundle = path.resolve(__dirname, "..", "package.json");
    assert.match(at(notBundle)[0]!, /is not a Talos secrets bundle/);
  });

  it("never falls back to new secrets: adoption on without a secrets file while Talos is on is an error", () => {
    const errors = issuesOf({ ...adoptionOn("rooster"), delete: ["adoption.talos.secretsFile"] });
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^ai-platform:adoption\.talos\.secretsFile: is required when adoption is on and Talos is managed/,
    );
    assert.match(errors[0]!, /hint: /);
  });

  it("rejects a BIG-IP mapping to an unknown object and refuses unmapped objects BIG-IP would reject", () => {
    const unknown = issuesOf(
      adoptionOn("rooster", { "adoption.bigip.nodes.rooster-05": "/Common/172.16.10.137" }),
    );
    assert.deepEqual(unknown, [
      'ai-platform:adoption.bigip.nodes.rooster-05: unknown cluster node "rooster-05" (hint: did you mean "rooster-01"?)',
    ]);
    const unmapped = issuesOf({ ...adoptionOn("rooster"), delete: ["adoption.bigip.vips.solo-8080"] });
    assert.equal(unmapped.length, 1);
    assert.match(
      unmapped[0]!,
      /^ai-platform:adoption\.bigip\.vips\.solo-8080: virtual server on 172\.16\.20\.120:8080 is neither mapped/,
    );
    assert.match(unmapped[0]!, /hint: .*"vip\/solo-8080" to adoption\.bigip\.create/);
    const twice = issuesOf(
      adoptionOn("rooster", { "adoption.bigip.nodes.rooster-02": "/Common/172.16.10.130" }),
    );
    assert.deepEqual(twice, [
      "ai-platform:adoption.bigip.nodes.rooster-02: /Common/172.16.10.130 is already mapped at adoption.bigip.nodes.rooster-01 (hint: each existing object backs one program object)",
    ]);
  });

  it("refuses an unmapped DNS record and a tunnel name that exists", () => {
    const record = issuesOf({ ...adoptionOn("homeops"), delete: ["adoption.cloudflare.dnsRecords.ai"] });
    assert.equal(record.length, 1);
    assert.match(
      record[0]!,
      /^ai-platform:adoption\.cloudflare\.dnsRecords\.ai: the record for ai\.sklab\.dev is neither imported/,
    );
    const tunnel = issuesOf(adoptionOn("homeops", { "adoption.cloudflare.existingTunnel": "homeops" }));
    assert.equal(tunnel.length, 1);
    assert.match(tunnel[0]!, /^ai-platform:cloudflare\.tunnel\.name: tunnel "homeops" already exists/);
  });

  it("asks how every Helm release exists, and rejects releases the program does not install", () => {
    const missing = issuesOf({ ...adoptionOn("homeops"), delete: ["adoption.helm.releases"] });
    assert.equal(missing.length, 1);
    assert.match(missing[0]!, /^ai-platform:adoption\.helm\.releases\.kube-system\/cilium: is required/);
    const stray = issuesOf(
      adoptionOn("homeops", { "adoption.helm.releases.ai-system/agentgateway": "release" }),
    );
    assert.equal(stray.length, 1);
    assert.match(stray[0]!, /the program installs no Helm release "ai-system\/agentgateway"/);
  });

  it("rejects a run and a completed adoption at once, and reports every problem together", () => {
    const errors = issuesOf(
      adoptionOn("rooster", { "adoption.completed": true, "adoption.talos.secretsFile": "relative.yaml" }),
    );
    assert.equal(errors.length, 2);
    assert.ok(errors.some((e) => e.startsWith("ai-platform:adoption.completed: cannot be true")));
  });
});

describe("adoption: transform of resources a chart renders", () => {
  const plan = (): AdoptionPlan => {
    const config = loadPlatformConfig(
      rawConfigOf(
        applyFixture({
          file: "x.yaml",
          description: "",
          ...adoptionOn("homeops", {
            "adoption.kubernetes.patchForce": [{ chart: "ai-gateway-control-plane-crds" }],
          }),
        }),
      ),
    );
    return adoptionPlan(config)!;
  };
  const child = (parent: string, kind: string) => ({
    type: `kubernetes:apiextensions.k8s.io/v1:${kind}`,
    name: "agentgatewaypolicies.agentgateway.dev",
    custom: true,
    props: { kind, metadata: { name: "agentgatewaypolicies.agentgateway.dev" } },
    opts: {
      parent: new pulumi.DependencyResource(`urn:pulumi:s::p::kubernetes:helm.sh/v4:Chart::${parent}`),
    },
  });

  it("forces field ownership of a listed chart's children and retains its CRDs", async () => {
    const result = await adopt(plan(), child("ai-gateway-control-plane-crds", "CustomResourceDefinition"));
    const meta = result!.props["metadata"] as { annotations: Record<string, string> };
    assert.equal(meta.annotations["pulumi.com/patchForce"], "true");
    assert.equal(result!.opts.retainOnDelete, true);
  });

  it("leaves the children of other charts to a plain upsert", async () => {
    const result = await adopt(plan(), child("ai-gateway-control-plane-controller", "ConfigMap"));
    assert.equal(result, undefined);
  });
});

describe("adoption: the stacks' own Talos patches", () => {
  const homeops = () => loadPlatformConfig(rawConfigOf(readStackFile("homeops")));

  it("come after the program's patches, so that the live settings win the merge", () => {
    const t = homeops().cluster.talos;
    const docs = rolePatches(t, "controlplane", { ciliumCni: true });
    assert.deepEqual(docs.slice(-t.patches.controlplane.length), t.patches.controlplane);
    assert.deepEqual(
      (docs.at(-2) as { cluster: { coreDNS: unknown } }).cluster.coreDNS,
      { disabled: true },
      "cluster-template runs CoreDNS from Helm; Talos's must stay off",
    );
    const node = { ...t.nodes[0]!, patches: [{ machine: { sysctls: { "vm.nr_hugepages": "1024" } } }] };
    assert.deepEqual(nodePatches(t, node, "installer:v1").at(-1), node.patches[0]);
  });

  it("must be v1alpha1 patches or typed documents", () => {
    const errors = issuesOf({
      base: "homeops",
      set: {
        "cluster.talos.patches.worker": [{ machine: {}, spec: {} }],
        "cluster.talos.nodes[0].patches": [{}],
      },
    });
    assert.deepEqual(errors, [
      "ai-platform:cluster.talos.nodes[0].patches[0]: must not be empty",
      "ai-platform:cluster.talos.patches.worker[0]: must be a v1alpha1 patch (machine, cluster) or a typed document (apiVersion, kind); unexpected spec",
    ]);
  });
});

describeWithSchemas("adoption: the stacks' own Talos patches against the Talos v1.13.9 schema", () => {
  const validate = () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(schemasDir()!, "talos-v1.13.9", "config.schema.json"), "utf8"),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    return ajv.compile(schema);
  };

  it("accepts every document the stacks carry and rejects a misspelled one", () => {
    const check = validate();
    for (const stack of ["rooster", "homeops"]) {
      const t = loadPlatformConfig(rawConfigOf(readStackFile(stack))).cluster.talos;
      const docs = [...t.patches.controlplane, ...t.patches.worker, ...t.nodes.flatMap((n) => n.patches)];
      for (const doc of docs) assert.ok(check(doc), `${stack}: ${JSON.stringify(check.errors?.slice(0, 2))}`);
    }
    assert.ok(!check({ cluster: { coreDNS: { disable: true } } }), "coreDNS.disable is not a field");
    assert.ok(!check({ machine: { sysctls: { "vm.swappiness": 10 } } }), "sysctl values are strings");
  });
});
