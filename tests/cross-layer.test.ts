import { strict as assert } from "assert";
import { manifestOf } from "../recording/manifests";
import type { RecordedResource, Recording } from "../recording/runtime";
import { conformanceProblems, isUnshippedCrd } from "../conformance";
import { describeWithSchemas } from "./support/schemas";
import { byType, one, recordedStack } from "./support/record";
import { listStacks } from "../recording/stackFile";

/** Every URN a resource waits for, directly or through what it waits for. */
function transitiveDependencies(recording: Recording, resource: RecordedResource): Set<string> {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const stack = [resource];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const direct = [...current.dependencies, ...Object.values(current.propertyDependencies).flat()];
    if (current.provider) direct.push(current.provider);
    for (const urn of direct) {
      if (seen.has(urn)) continue;
      seen.add(urn);
      const next = byUrn.get(urn);
      if (next) stack.push(next);
    }
  }
  return seen;
}

function kubernetesObjects(recording: Recording, group: string): RecordedResource[] {
  return recording.resources.filter((r) => r.custom && r.type.startsWith(`kubernetes:${group}`));
}

describeWithSchemas("stacks: whole-program conformance", () => {
  for (const stack of listStacks()) {
    it(`${stack}: every object, registration and invoke matches its upstream schema`, async () => {
      const problems = conformanceProblems(await recordedStack(stack)).filter((p) => !isUnshippedCrd(p));
      assert.deepEqual(problems, []);
    });
  }
});

describe("stacks: ordering and wiring", () => {
  for (const stack of listStacks()) {
    it(`${stack}: custom resources wait for their CRDs`, async () => {
      const rec = await recordedStack(stack);
      const gatewayApi = one(rec, "kubernetes:yaml/v2:ConfigFile", "cluster-gateway-api-standard");
      const agwCrds = one(rec, "kubernetes:helm.sh/v4:Chart", "ai-gateway-control-plane-crds");
      const checks: Array<[string, RecordedResource]> = [
        ["gateway.networking.k8s.io/", gatewayApi],
        ["agentgateway.dev/", agwCrds],
      ];
      const kagentCrds = rec.resources.find((r) => r.name === "kagent-crds");
      if (kagentCrds) checks.push(["kagent.dev/", kagentCrds]);
      for (const [group, crds] of checks) {
        const objects = kubernetesObjects(rec, group);
        assert.ok(objects.length > 0, `${stack} declares ${group} objects`);
        for (const o of objects) {
          assert.ok(transitiveDependencies(rec, o).has(crds.urn), `${o.name} waits for ${crds.name}`);
        }
      }
    });

    it(`${stack}: the CNI comes first and every namespaced object waits for its namespace`, async () => {
      const rec = await recordedStack(stack);
      const cilium = one(rec, "kubernetes:helm.sh/v3:Release", "cluster-cilium-release");
      const namespaces = new Map(
        byType(rec, "kubernetes:core/v1:Namespace").map((ns) => [
          (manifestOf(ns)["metadata"] as { name: string }).name,
          ns,
        ]),
      );
      for (const ns of namespaces.values())
        assert.ok(ns.dependencies.includes(cilium.urn), `${ns.name} after Cilium`);
      let checked = 0;
      for (const r of rec.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
        const namespace =
          (r.inputs["metadata"] as { namespace?: string } | undefined)?.namespace ?? r.inputs["namespace"];
        const ns = typeof namespace === "string" ? namespaces.get(namespace) : undefined;
        if (ns === undefined) continue;
        assert.ok(transitiveDependencies(rec, r).has(ns.urn), `${r.name} waits for namespace ${namespace}`);
        assert.ok(transitiveDependencies(rec, r).has(cilium.urn), `${r.name} waits for Cilium`);
        checked++;
      }
      assert.ok(checked > 10, `${checked} namespaced objects checked`);
    });

    it(`${stack}: every Kubernetes object goes through the provider built from the Talos kubeconfig`, async () => {
      const rec = await recordedStack(stack);
      const [provider] = byType(rec, "pulumi:providers:kubernetes");
      assert.equal(byType(rec, "pulumi:providers:kubernetes").length, 1);
      assert.deepEqual(provider!.secretPaths, ["kubeconfig"]);
      const kubeconfig = one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig");
      assert.ok(transitiveDependencies(rec, provider!).has(kubeconfig.urn));
      for (const r of rec.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
        assert.equal(r.provider, provider!.urn, r.name);
      }
    });
  }
});

describe("stacks: rooster's exposure table end to end", () => {
  const terraformVips: Array<[string, string, number, number]> = [
    ["solo.rooster.maniak.com", "172.16.20.120", 8080, 31572],
    ["xai.rooster.maniak.com", "172.16.20.122", 8081, 31990],
    ["mcp.rooster.maniak.com", "172.16.20.123", 8090, 30168],
    ["model.rooster.maniak.com", "172.16.20.124", 8085, 30689],
    ["github.rooster.maniak.com", "172.16.20.125", 8092, 31313],
  ];
  const nodes = ["172.16.10.130", "172.16.10.132", "172.16.10.133", "172.16.10.136"];

  it("exports rooster's Terraform VIP table", async () => {
    const rec = await recordedStack("rooster");
    const table = rec.outputs["vipTable"] as Array<Record<string, unknown>>;
    const enabled = table.filter((row) => row["enabled"] === true);
    assert.deepEqual(
      enabled.map((row) => [row["hostname"], row["vip"], row["nodePort"]]),
      terraformVips.map(([host, vip, port, nodePort]) => [host, `${vip}:${port}`, nodePort]),
    );
    assert.deepEqual(
      table.filter((row) => row["enabled"] === false).map((row) => [row["vip"], row["nodePort"]]),
      [
        ["172.16.20.121:443", 31988],
        ["172.16.20.121:80", 32178],
      ],
    );
  });

  it("uses one NodePort per VIP on both sides: the proxy Service and the BIG-IP pool members", async () => {
    const rec = await recordedStack("rooster");
    const servers = byType(rec, "f5bigip:ltm/virtualServer:VirtualServer");
    assert.equal(servers.length, terraformVips.length);
    for (const [, vip, port, nodePort] of terraformVips) {
      const server = servers.find((s) => s.inputs["destination"] === vip && s.inputs["port"] === port);
      assert.ok(server, `virtual server ${vip}:${port}`);
      assert.equal(server.inputs["sourceAddressTranslation"], "automap");
      const pool = String(server.inputs["pool"]);
      const members = byType(rec, "f5bigip:ltm/poolAttachment:PoolAttachment")
        .filter((a) => a.inputs["pool"] === pool)
        .map((a) => String(a.inputs["node"]));
      assert.equal(members.length, nodes.length, pool);
      assert.ok(
        members.every((m) => m.endsWith(`:${nodePort}`)),
        `${pool}: ${members.join(", ")}`,
      );
      const parameters = byType(rec, "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayParameters").filter(
        (p) => JSON.stringify(p.inputs["spec"]).includes(`"nodePort":${nodePort}`),
      );
      assert.equal(parameters.length, 1, `exactly one proxy Service carries NodePort ${nodePort}`);
      const spec = parameters[0]!.inputs["spec"] as {
        service: { spec: { ports: Array<Record<string, unknown>> } };
      };
      const ports = spec.service.spec.ports;
      assert.deepEqual(
        ports.filter((p) => p["nodePort"] === nodePort).map((p) => p["port"]),
        [port],
      );
    }
    const bigipNodes = byType(rec, "f5bigip:ltm/node:Node").map((n) => n.inputs["address"]);
    assert.deepEqual([...bigipNodes].sort(), nodes);
  });
});
