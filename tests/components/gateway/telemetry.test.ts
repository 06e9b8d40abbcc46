import * as assert from "assert";
import { keepMetrics } from "../../../lib/monitoring";
import { PROXY_METRICS_KEEP } from "../../../components/gateway/telemetry";
import { manifestOf } from "../../../recording/manifests";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import { validateCustomResource } from "../../../conformance/crd";
import { describeWithSchemas } from "../../support/schemas";
import {
  gateway,
  gatewayConfig,
  kagentConfig,
  llmConfig,
  observabilityConfig,
  platformConfig,
  rawConfig,
  type RawConfig,
} from "../../support/builders";
import { byType, one, recordPlatform } from "../../support/record";

/*
 * Each layer emits its own telemetry: the AI gateway its tracing and access-log policies, proxy and controller
 * monitors and dashboard; kagent its controller monitor and agents dashboard. Recorded through the composition.
 */

const PROM = "kubernetes:monitoring.coreos.com/v1";
const POLICY = "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayPolicy";
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

type Manifest = { metadata: { name: string; namespace: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;
const manifest = (r: RecordedResource) => manifestOf(r) as Manifest;
const byObject = (rec: Recording, type: string, name: string): RecordedResource => {
  const found = byType(rec, type).filter((r) => manifest(r).metadata.name === name);
  assert.strictEqual(found.length, 1, `${type} ${name}`);
  return found[0]!;
};
const specOf = (r: RecordedResource) => manifest(r)["spec"] as Record<string, unknown>;
const component = (rec: Recording, type: string) => byType(rec, type)[0]!;

/** Two gateways, kagent on the LLM route, and a collector `otel` in `monitoring` exporting to Langfuse. */
const withCollector = (observability: Parameters<typeof observabilityConfig>[0] = {}): RawConfig =>
  rawConfig(
    gatewayConfig([gateway("gw"), gateway("mcp", 8090)]),
    llmConfig(),
    kagentConfig(),
    observabilityConfig({
      collector: { enabled: true, name: "otel", namespace: "monitoring" },
      metrics: { enabled: true, labels: { release: "prom" } },
      ...observability,
    }),
  );

/** One gateway, no kagent, and no collector: access logs only, in `ops`. */
const withoutCollector = (): RawConfig =>
  rawConfig(
    gatewayConfig(),
    llmConfig(),
    observabilityConfig({
      collector: { enabled: false, namespace: "ops" },
      langfuse: undefined,
      gatewayTracing: { enabled: false, accessLogs: true },
    }),
  );

const variants: Record<string, () => RawConfig> = {
  "collector and kagent": () => withCollector(),
  "no collector": withoutCollector,
};

/**
 * The moved objects and the resource names the observability component gave them (`observability-<suffix>`):
 * telemetry policies and monitors by their object name, dashboards by `dashboard-<gateway|agents>`.
 */
function formerName(r: RecordedResource): string | undefined {
  const name = (r.inputs["metadata"] as { name?: unknown } | undefined)?.name;
  if (!r.type.startsWith("kubernetes:") || typeof name !== "string") return undefined;
  if (r.type === POLICY && name.endsWith("-telemetry")) return `observability-${name}`;
  if (r.type === `${PROM}:PodMonitor` && name === "agentgateway-proxies") return `observability-${name}`;
  if (r.type === `${PROM}:ServiceMonitor` && ["agentgateway-controller", "kagent-controller"].includes(name))
    return `observability-${name}`;
  if (r.type === CONFIGMAP && name === "ai-gateway-overview-dashboard")
    return "observability-dashboard-gateway";
  if (r.type === CONFIGMAP && name === "ai-agents-overview-dashboard")
    return "observability-dashboard-agents";
  return undefined;
}

for (const [variant, raw] of Object.entries(variants)) {
  describe(`telemetry owned by its layer: ${variant}`, () => {
    const config = platformConfig(raw());
    let rec: Recording;
    before(async () => {
      rec = await recordPlatform(raw());
    });

    it("each moved object aliases the URN it had under the observability component, and nothing else does", () => {
      const moved = rec.resources.filter((r) => formerName(r) !== undefined);
      assert.ok(moved.length >= 4, moved.map((r) => r.name).join(", "));
      const owners = new Set(moved.map((r) => rec.resources.find((p) => p.urn === r.parent)!.type));
      for (const owner of owners)
        assert.ok(["platform:gateway:AiGateway", "platform:kagent:Kagent"].includes(owner));
      const urns = new Set(rec.resources.map((r) => r.urn));
      // The URN each object had as a child of the recorded Observability component (the engine's rule).
      const [prefix, project, parentType] = component(rec, "platform:observability:Observability").urn.split(
        "::",
      );
      for (const r of moved) {
        const old = `${prefix}::${project}::${parentType}$${r.type}::${formerName(r)}`;
        assert.deepStrictEqual(r.options.aliases, [old], r.name);
        assert.ok(!urns.has(old), `${old} is no longer registered`);
      }
      // No other resource claims one of those URNs.
      const claimed = rec.resources.flatMap((r) => r.options.aliases);
      for (const r of moved) assert.strictEqual(claimed.filter((a) => a === r.options.aliases[0]).length, 1);
    });

    it("the gateway writes JSON access logs and, without tracing when the collector is off, logs only", () => {
      const obs = config.observability;
      for (const gw of config.agentgateway.gateways) {
        const policy = byObject(rec, POLICY, `${gw.name}-telemetry`);
        assert.strictEqual(manifest(policy).metadata.namespace, config.agentgateway.namespace);
        const frontend = specOf(policy)["frontend"] as Record<string, unknown>;
        assert.deepStrictEqual(
          Object.keys(frontend).sort(),
          obs.collector.enabled ? ["accessLog", "tracing"] : ["accessLog"],
        );
      }
    });

    it("monitors, rules and dashboards all land in the monitoring namespace with the Prometheus labels", () => {
      const obs = config.observability;
      const objects = rec.resources.filter(
        (r) =>
          (r.type.startsWith(PROM) && !r.name.startsWith("tenant-") && !r.name.includes("slack-bot")) ||
          (r.type === CONFIGMAP && manifest(r).metadata.name.endsWith("-dashboard")),
      );
      assert.ok(objects.length >= 4);
      for (const r of objects) {
        assert.strictEqual(manifest(r).metadata.namespace, obs.collector.namespace, r.name);
        if (r.type.startsWith(PROM))
          for (const [k, v] of Object.entries(obs.metrics.labels))
            assert.strictEqual(manifest(r).metadata.labels![k], v, r.name);
      }
    });
  });
}

describe("telemetry owned by its layer: objects", () => {
  let rec: Recording;
  before(async () => {
    rec = await recordPlatform(withCollector());
  });

  it("points every Gateway's tracing at the collector and waits for it and the agentgateway CRDs", () => {
    const crds = one(rec, "kubernetes:helm.sh/v4:Chart", "ai-gateway-control-plane-crds");
    const collector = one(rec, "kubernetes:helm.sh/v4:Chart", "observability-collector");
    const gateway = component(rec, "platform:gateway:AiGateway");
    const policies = byType(rec, POLICY).filter((p) => manifest(p).metadata.name.endsWith("-telemetry"));
    assert.strictEqual(policies.length, 2, "one per Gateway");
    for (const p of policies) {
      assert.strictEqual(p.parent, gateway.urn);
      const tracing = (specOf(p)["frontend"] as Record<string, Record<string, unknown>>)["tracing"]!;
      assert.deepStrictEqual(tracing["backendRef"], {
        group: "",
        kind: "Service",
        name: "otel",
        namespace: "monitoring",
        port: 4317,
      });
      assert.strictEqual(tracing["randomSampling"], "true");
      assert.ok(p.dependencies.includes(crds.urn) && p.dependencies.includes(collector.urn), p.name);
    }
  });

  it("scrapes proxies on their metrics port keeping only the metric families homeops scrapes today", () => {
    const pm = byType(rec, `${PROM}:PodMonitor`);
    assert.strictEqual(pm.length, 1, "the proxies' one scrape path");
    assert.strictEqual(pm[0]!.parent, component(rec, "platform:gateway:AiGateway").urn);
    const spec = specOf(pm[0]!);
    assert.deepStrictEqual(spec["namespaceSelector"], { matchNames: ["agentgateway-system"] });
    const endpoint = (spec["podMetricsEndpoints"] as Array<Record<string, unknown>>)[0]!;
    assert.strictEqual(endpoint["port"], "metrics");
    assert.strictEqual(endpoint["interval"], "30s");
    assert.deepStrictEqual(endpoint["metricRelabelings"], keepMetrics(PROXY_METRICS_KEEP));
  });

  it("scrapes the agentgateway controller, the collector and kagent on their metrics Services", () => {
    const endpoints = (name: string) => {
      const spec = specOf(byObject(rec, `${PROM}:ServiceMonitor`, name));
      const e = (spec["endpoints"] as Array<Record<string, unknown>>)[0]!;
      return [
        spec["selector"],
        spec["namespaceSelector"],
        e["port"],
        (e["metricRelabelings"] as Array<Record<string, string>>)[0]!["action"],
      ];
    };
    assert.deepStrictEqual(endpoints("agentgateway-controller"), [
      {
        matchLabels: {
          "app.kubernetes.io/name": "agentgateway",
          "app.kubernetes.io/instance": "agentgateway-controller",
        },
      },
      { matchNames: ["agentgateway-system"] },
      "metrics",
      "keep",
    ]);
    assert.deepStrictEqual(endpoints("otel-metrics"), [
      {
        matchLabels: {
          "app.kubernetes.io/name": "opentelemetry-collector",
          "app.kubernetes.io/instance": "otel",
          component: "standalone-collector",
        },
      },
      { matchNames: ["monitoring"] },
      "metrics",
      "keep",
    ]);
    assert.deepStrictEqual(endpoints("kagent-controller"), [
      {
        matchLabels: {
          "app.kubernetes.io/name": "kagent",
          "app.kubernetes.io/instance": "kagent",
          "app.kubernetes.io/component": "controller",
        },
      },
      { matchNames: ["kagent"] },
      "http-metrics",
      "drop",
    ]);
    assert.strictEqual(
      byObject(rec, `${PROM}:ServiceMonitor`, "kagent-controller").parent,
      component(rec, "platform:kagent:Kagent").urn,
    );
  });

  it("labels dashboards for the Grafana sidecar and ships valid dashboard JSON; the outputs list them", () => {
    for (const [name, file] of [
      ["ai-gateway-overview-dashboard", "ai-gateway-overview.json"],
      ["ai-agents-overview-dashboard", "ai-agents-overview.json"],
    ] as const) {
      const m = manifest(byObject(rec, CONFIGMAP, name));
      assert.strictEqual(m.metadata.labels!["grafana_dashboard"], "1");
      const dashboard = JSON.parse((m["data"] as Record<string, string>)[file]!) as {
        panels: unknown[];
        uid: string;
      };
      assert.ok(dashboard.panels.length >= 6 && dashboard.uid.length > 0, name);
    }
    const agents = (
      manifest(byObject(rec, CONFIGMAP, "ai-agents-overview-dashboard"))["data"] as Record<string, string>
    )["ai-agents-overview.json"]!;
    assert.match(agents, /route=~\\"agentgateway-system\/openai\\"/);
    assert.deepStrictEqual(rec.outputs["dashboards"], [
      "ai-gateway-overview-dashboard",
      "ai-agents-overview-dashboard",
    ]);
  });

  describeWithSchemas("conformance", () => {
    it("every telemetry policy and gateway or kagent monitor validates against the upstream CRDs", () => {
      const custom = rec.resources.filter((r) => formerName(r) !== undefined && r.type !== CONFIGMAP);
      // Two Gateways' telemetry policies, the proxies' PodMonitor, the two controllers' ServiceMonitors.
      assert.strictEqual(custom.length, 5);
      for (const r of custom) assert.deepStrictEqual(validateCustomResource(manifestOf(r)), [], r.name);
    });

    it("a misspelled monitor field is caught", () => {
      const pm = manifestOf(byType(rec, `${PROM}:PodMonitor`)[0]!);
      const spec = pm["spec"] as Record<string, unknown>;
      const broken = { ...pm, spec: { ...spec, podMetricEndpoints: spec["podMetricsEndpoints"] } };
      assert.notDeepStrictEqual(validateCustomResource(broken), []);
    });
  });
});

describe("telemetry owned by its layer: switches", () => {
  const layerTelemetry = (rec: Recording) =>
    rec.resources.filter(
      (r) =>
        formerName(r) !== undefined ||
        r.type === `${PROM}:PrometheusRule` ||
        (r.type === CONFIGMAP && manifest(r).metadata.name.endsWith("-dashboard")),
    );

  it("with metrics, alerts, dashboards, tracing and access logs off, the gateway and kagent emit no telemetry", async () => {
    const rec = await recordPlatform(
      withCollector({
        metrics: { enabled: false },
        alerts: { enabled: false },
        dashboards: { enabled: false },
        gatewayTracing: { enabled: false, accessLogs: false },
      }),
    );
    assert.deepStrictEqual(layerTelemetry(rec), []);
    assert.deepStrictEqual(rec.outputs["dashboards"], []);
    const params = byType(rec, "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayParameters");
    for (const p of params) assert.strictEqual(specOf(p)["logging"], undefined, p.name);
  });

  it("every monitor and rule of the gateway and kagent carries the Prometheus selector labels", async () => {
    const rec = await recordPlatform(
      withCollector({ metrics: { enabled: true, labels: { release: "kube-prometheus-stack" } } }),
    );
    const objects = layerTelemetry(rec).filter((r) => r.type.startsWith(PROM));
    assert.strictEqual(objects.length, 5);
    for (const r of objects)
      assert.strictEqual(manifest(r).metadata.labels!["release"], "kube-prometheus-stack", r.name);
  });
});
