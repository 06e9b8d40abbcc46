import { strict as assert } from "assert";
import { listStacks, rawConfigOf, readStackFile } from "../recording/stackFile";
import type { RecordedResource, Recording } from "../recording/runtime";
import { loadPlatformConfig } from "../stacks/load";
import { rawConfig } from "./support/builders";
import { byType, one, recordedStack, recordPlatform } from "./support/record";

const K8S_PROVIDER = "pulumi:providers:kubernetes";

function clusterName(stack: string): string {
  return loadPlatformConfig(rawConfigOf(readStackFile(stack))).cluster.name;
}

/** Every URN the resource waits for through its inputs, options or provider. */
function directDependencies(r: RecordedResource): string[] {
  return [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
}

describe("providers on real runs: Kubernetes provider identity", () => {
  // pulumi-kubernetes provider/pkg/provider/provider.go (DiffConfig): while `clusterIdentifier` is unchanged
  // the provider is never replaced, not even when the kubeconfig is unknown at preview; without it an unknown
  // kubeconfig replaces the provider and, with it, every Kubernetes object.
  // On the production stacks as they run: every Kubernetes object of each uses the identified provider.
  for (const stack of listStacks()) {
    it(`${stack}: the registered provider carries the cluster name as a plain, known clusterIdentifier`, async () => {
      const rec = await recordedStack(stack);
      const provider = one(rec, K8S_PROVIDER, "cluster-k8s");
      assert.equal(provider.inputs["clusterIdentifier"], clusterName(stack));
      assert.ok(!provider.secretPaths.includes("clusterIdentifier"), "a secret identifier diffs as changed");
      assert.deepEqual(provider.propertyDependencies["clusterIdentifier"] ?? [], []);
      const kubernetes = rec.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
      assert.ok(kubernetes.length > 0);
      for (const r of kubernetes)
        assert.equal(r.provider, provider.urn, `${r.name} uses the identified provider`);
    });
  }

  it("does not follow the kubeconfig: an existing cluster's kubeconfig from a secret gives the same identifier", async () => {
    // The minimal builder config: cluster "test", reached through the kubeconfig secret.
    const rec = await recordPlatform(rawConfig(), ["cluster"]);
    const provider = one(rec, K8S_PROVIDER, "cluster-k8s");
    assert.deepEqual(provider.secretPaths, ["kubeconfig"]);
    assert.equal(provider.inputs["clusterIdentifier"], "test");
  });
});

describe("providers on real runs: BIG-IP replacements", () => {
  // ForceNew inputs in F5Networks/terraform-provider-bigip v1.26.0 (bridged by f5bigip 3.24.0):
  // resource_bigip_ltm_node.go name+address, _virtual_server.go name, _pool.go name, _monitor.go name+parent.
  // A node keeps its address (BIG-IP: one node per address) and a virtual server its destination:port (one
  // per destination) across a rename, so a replacement created first collides: those delete first. A pool or
  // monitor replacement always has a new name and must be created first, because the old one is still in use.
  const DELETE_FIRST = new Set(["f5bigip:ltm/node:Node", "f5bigip:ltm/virtualServer:VirtualServer"]);
  const CREATE_FIRST = new Set([
    "f5bigip:ltm/pool:Pool",
    "f5bigip:ltm/monitor:Monitor",
    "f5bigip:ltm/poolAttachment:PoolAttachment",
  ]);

  it("rooster: nodes and virtual servers are replaced delete-first, pools and monitors create-first", async () => {
    const rec: Recording = await recordedStack("rooster");
    const bigip = rec.resources.filter((r) => r.type.startsWith("f5bigip:ltm/"));
    assert.ok(bigip.length > 0);
    for (const type of [...DELETE_FIRST, ...CREATE_FIRST])
      assert.ok(byType(rec, type).length > 0, `rooster declares ${type}`);
    for (const r of bigip) {
      assert.ok(DELETE_FIRST.has(r.type) || CREATE_FIRST.has(r.type), `${r.type} is classified`);
      assert.equal(r.options.deleteBeforeReplace, DELETE_FIRST.has(r.type), r.name);
    }
  });
});

describe("providers on real runs: Cloudflare tunnel DNS", () => {
  it("homeops: a tunnel hostname is published only after cloudflared runs and the tunnel routes it", async () => {
    const rec = await recordedStack("homeops");
    const deployment = one(rec, "kubernetes:apps/v1:Deployment", "cloudflare-cloudflared-deployment");
    const config = one(
      rec,
      "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
      "cloudflare-tunnel-config",
    );
    const tunnelRecords = byType(rec, "cloudflare:index/dnsRecord:DnsRecord").filter((r) =>
      String(r.inputs["content"]).endsWith(".cfargotunnel.com"),
    );
    assert.ok(tunnelRecords.length > 0);
    for (const r of tunnelRecords) {
      assert.ok(r.dependencies.includes(deployment.urn), `${r.name} waits for the cloudflared Deployment`);
      assert.ok(directDependencies(r).includes(config.urn), `${r.name} waits for the tunnel ingress`);
    }
  });
});
