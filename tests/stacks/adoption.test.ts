import * as pulumi from "@pulumi/pulumi";
import { talosValidator } from "../../conformance/talos";
import * as assert from "assert";
import * as path from "path";
import { AdoptionPlan, adoptionPlan } from "../../components/adoption/plan";
import { adopt } from "../../components/adoption/transform";
import { nodePatches, rolePatches } from "../../components/cluster/talosPatches";
import { listStacks, PROJECT_ROOT, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import { describeWithSchemas } from "../support/schemas";
import { adoptionOn, issuesOf } from "../support/adoption";
import { applyFixture } from "../support/fixtures";
import { talosOn } from "../support/layers";
import { exposurePlanOf } from "../support/stacks";

/* Adoption config: validation with paths and hints, the transform on chart children, the stacks' Talos patches. */

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
    const encrypted = path.resolve(PROJECT_ROOT, "tests", "fixtures", "adoption", "talos-secrets.sops.yaml");
    assert.match(at(encrypted)[0]!, /is SOPS-encrypted \(hint: .*sops -d/);
    const notBundle = path.resolve(PROJECT_ROOT, "package.json");
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

  it("refuses the former completed switch, whose job the block's mappings now do, and reports every problem together", () => {
    const errors = issuesOf(
      adoptionOn("rooster", { "adoption.completed": true, "adoption.talos.secretsFile": "relative.yaml" }),
    );
    assert.equal(errors.length, 2);
    assert.ok(errors.some((e) => e.startsWith("ai-platform:adoption.completed: is not a setting")));
  });

  it("refuses onDestroy: delete during the run, where a corrected import id would delete the object first imported", () => {
    assert.deepEqual(issuesOf(adoptionOn("homeops", { "adoption.onDestroy": "delete" })), [
      "ai-platform:adoption.onDestroy: cannot be delete during the adoption run: correcting an import id after a partly failed run would delete the object first imported (hint: keep onDestroy: keep for the adoption run; set delete afterwards, run pulumi up once, then destroy)",
    ]);
    assert.deepEqual(
      issuesOf({ base: "homeops", set: { "adoption.onDestroy": "delete" } }),
      [],
      "after the run the program may take over their lifecycle",
    );
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
    const exposures = exposurePlanOf(config);
    return adoptionPlan(config, {
      vips: exposures.vips,
      dnsRecords: exposures.cloudflare?.dnsRecords ?? [],
    })!;
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
    const t = talosOn(homeops());
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
  const validate = talosValidator;

  it("accepts every document the stacks carry and rejects a misspelled one", () => {
    const check = validate();
    for (const stack of listStacks()) {
      const t = talosOn(loadPlatformConfig(rawConfigOf(readStackFile(stack))));
      const docs = [...t.patches.controlplane, ...t.patches.worker, ...t.nodes.flatMap((n) => n.patches)];
      for (const doc of docs) assert.ok(check(doc), `${stack}: ${JSON.stringify(check.errors?.slice(0, 2))}`);
    }
    assert.ok(!check({ cluster: { coreDNS: { disable: true } } }), "coreDNS.disable is not a field");
    assert.ok(!check({ machine: { sysctls: { "vm.swappiness": 10 } } }), "sysctl values are strings");
  });
});
