import { strict as assert } from "assert";
import fc from "fast-check";
import { manifestOf } from "../recording/manifests";
import type { RecordedResource, Recording } from "../recording/runtime";
import { namespacesOf } from "../lib/layers";
import {
  gatewayConfig,
  kagentConfig,
  llmConfig,
  observabilityConfig,
  platformConfig,
  rawConfig,
  RawConfig,
  tenant,
  tenantsConfig,
  tenantWorkload,
} from "./support/builders";
import { byType, recordedStack, recordPlatform } from "./support/record";
import { listStacks } from "../recording/stackFile";

/** A tenant with one agent reaching its model through the AI gateway's `openai` route. */
const agentTenant = (name: string, agent: string) =>
  tenant(name, {
    workloads: [
      tenantWorkload(agent, {
        kind: "agent",
        image: "agentopsLlmAgent",
        model: { name: "gpt-4o-mini", route: "openai", pathPrefix: "/openai" },
      }),
    ],
  });
const withTenants = (...items: ReturnType<typeof tenant>[]) =>
  rawConfig(gatewayConfig(), llmConfig(), tenantsConfig(items));

/** Every string anywhere in a value (keys included). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

describe("outputs: stack outputs are values, not Output stringifications", () => {
  // Every output of the production stacks as they run.
  for (const stack of listStacks()) {
    it(`${stack}: no output key or value is an Output's toString warning`, async () => {
      const rec = await recordedStack(stack);
      assert.ok(Object.keys(rec.outputs).length > 0);
      for (const text of strings(rec.outputs)) assert.ok(!text.includes("Calling [toString]"), text);
    });
  }

  it("tenantModelEndpoints is keyed by the tenant name", async () => {
    const rec = await recordPlatform(withTenants(agentTenant("agents-demo", "claude-assistant")));
    assert.deepEqual(rec.outputs["tenantNamespaces"], ["agents-demo"]);
    assert.deepEqual(Object.keys(rec.outputs["tenantModelEndpoints"] as object), ["agents-demo"]);
    assert.deepEqual(
      Object.keys((rec.outputs["tenantModelEndpoints"] as Record<string, object>)["agents-demo"]!),
      ["claude-assistant"],
    );
  });

  it("no tenants, no tenant outputs", async () => {
    const rec = await recordPlatform(rawConfig(gatewayConfig(), llmConfig()));
    assert.equal(rec.outputs["tenantModelEndpoints"], undefined);
    assert.equal(rec.outputs["tenantNamespaces"], undefined);
  });

  it("two tenants: both appear, each with its own endpoints", async () => {
    const rec = await recordPlatform(
      withTenants(agentTenant("agents-demo", "claude-assistant"), agentTenant("agents-two", "assistant-two")),
    );
    const endpoints = rec.outputs["tenantModelEndpoints"] as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(endpoints).sort(), ["agents-demo", "agents-two"]);
    assert.deepEqual(Object.keys(endpoints["agents-two"]!), ["assistant-two"]);
    assert.deepEqual(Object.keys(endpoints["agents-demo"]!), ["claude-assistant"]);
    assert.deepEqual(rec.outputs["tenantNamespaces"], ["agents-demo", "agents-two"]);
  });
});

function namespaceObjects(rec: Recording): Map<string, RecordedResource> {
  return new Map(
    byType(rec, "kubernetes:core/v1:Namespace").map((ns) => [
      (manifestOf(ns)["metadata"] as { name: string }).name,
      ns,
    ]),
  );
}

/** Objects the recording places in `namespace` (metadata.namespace of objects, `namespace` of charts). */
function placedIn(rec: Recording, namespace: string): RecordedResource[] {
  return rec.resources.filter((r) => {
    if (!r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes") return false;
    const ns =
      (r.inputs["metadata"] as { namespace?: unknown } | undefined)?.namespace ?? r.inputs["namespace"];
    return ns === namespace;
  });
}

function assertNamespaceManaged(rec: Recording, namespace: string): void {
  const ns = namespaceObjects(rec).get(namespace);
  assert.ok(ns !== undefined, `namespace ${namespace} is created`);
  const placed = placedIn(rec, namespace);
  assert.ok(placed.length > 0, `something is placed in ${namespace}`);
  for (const r of placed)
    assert.ok(
      r.dependencies.includes(ns.urn) || Object.values(r.propertyDependencies).flat().includes(ns.urn),
      `${r.name} waits for namespace ${namespace}`,
    );
}

/** Observability with its collector off (and what needs it) in namespace `observability`. */
const collectorOff = (namespace = "observability") =>
  observabilityConfig({
    collector: { enabled: false, namespace },
    langfuse: undefined,
    gatewayTracing: { enabled: false, accessLogs: false },
  });

describe("namespaces: a layer's namespace exists whenever something is placed in it", () => {
  it("observability without its collector still gets its namespace (namespacesOf)", () => {
    const config = platformConfig(gatewayConfig(), collectorOff());
    assert.equal(config.observability.collector.enabled, false);
    assert.ok(namespacesOf(config).some((n) => n.name === "observability"));
    config.observability.enabled = false;
    assert.ok(!namespacesOf(config).some((n) => n.name === "observability"));
  });

  it("observability on, collector off, in its own namespace: monitors, rules and dashboards land there", async () => {
    // With kagent too, whose monitor and alerts observability places there as well.
    const rec = await recordPlatform(rawConfig(gatewayConfig(), llmConfig(), kagentConfig(), collectorOff()));
    assertNamespaceManaged(rec, "observability");
    assert.equal(
      byType(rec, "kubernetes:helm.sh/v4:Chart").filter((c) => c.name.includes("collector")).length,
      0,
    );
  });

  it("observability without the AI gateway in the program", async () => {
    const rec = await recordPlatform(rawConfig(collectorOff()));
    // Without the gateway (and kagent) and with the collector off, no layer has anything to monitor: only the
    // namespace's own default-deny policy is there.
    assert.deepEqual(
      placedIn(rec, "observability").map((r) => r.type),
      ["kubernetes:networking.k8s.io/v1:NetworkPolicy"],
    );
    assert.ok(
      !namespaceObjects(rec).has("agentgateway-system"),
      "nothing is placed in the gateway namespace",
    );
    assert.equal(placedIn(rec, "agentgateway-system").length, 0);
    assert.equal(
      rec.resources.filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com/")).length,
      0,
    );
  });

  it("any valid mix of observability parts and the AI gateway: every object placed in a layer namespace waits for it", async function () {
    this.timeout(60000);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          gateway: fc.boolean(),
          metrics: fc.boolean(),
          alerts: fc.boolean(),
          dashboards: fc.boolean(),
          namespace: fc.constantFrom("agentgateway-system", "observability"),
        }),
        async (mix) => {
          const pieces: Partial<RawConfig>[] = [
            observabilityConfig({
              collector: { enabled: false, namespace: mix.namespace },
              langfuse: undefined,
              gatewayTracing: { enabled: false, accessLogs: true },
              metrics: { enabled: mix.metrics },
              alerts: { enabled: mix.alerts },
              dashboards: { enabled: mix.dashboards },
            }),
            ...(mix.gateway ? [gatewayConfig(), llmConfig()] : []),
          ];
          const rec = await recordPlatform(rawConfig(...pieces));
          const namespaces = namespaceObjects(rec);
          for (const name of ["agentgateway-system", "observability"]) {
            const placed = placedIn(rec, name);
            if (placed.length > 0) assertNamespaceManaged(rec, name);
            else
              assert.ok(!namespaces.has(name) || name === mix.namespace, `${name} is created only when used`);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
