import * as assert from "assert";
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { langfuseBasicAuth, Observability, ObservabilityArgs } from "../../../components/observability";
import { agentRouteLabels } from "../../../components/kagent/telemetry";
import { collectorEndpoints } from "../../../lib/collector";
import { ANY_PEER, cidrPeer, namespacePeer, rule, tcp } from "../../../lib/networkPolicy";
import {
  collectorConfig,
  collectorExporters,
  egressTarget,
  LANGFUSE_EXPORTER,
  langfuseOtlpEndpoint,
  otlpExporterName,
} from "../../../components/observability/collector";
import { keepMetrics } from "../../../lib/monitoring";
import { PROXY_METRICS_KEEP } from "../../../components/gateway/telemetry";
import {
  gatewayTelemetryPolicySpec,
  proxyLoggingParameters,
  samplingExpression,
} from "../../../components/gateway/tracing";
import { charts, images } from "../../../lib/versions";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as path from "path";
import {
  closeSchema,
  manifestOf,
  schemasDir,
  validateCoreObject,
  validateCustomResource,
} from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import { formatAjvError } from "../../../conformance/crd";
import {
  configIssues,
  gatewayConfig,
  kagentConfig,
  langfuse,
  llmConfig,
  observabilityConfig,
  platformConfig,
  rawConfig,
  type RawConfig,
} from "../../support/builders";
import { byType, descendantsOf, one, recordPlatform, recordProgram } from "../../support/record";

const PROM = "kubernetes:monitoring.coreos.com/v1";

type ObservabilityRaw = NonNullable<RawConfig["observability"]>;

/** The gateway, kagent tracing, and a collector in `telemetry` exporting to Langfuse on a LAN address. */
const tracedRaw = (overrides: Partial<ObservabilityRaw> = {}): RawConfig =>
  rawConfig(
    gatewayConfig(),
    llmConfig(),
    kagentConfig({ telemetry: { enabled: true } }),
    observabilityConfig({
      collector: { enabled: true, name: "langfuse-otel-collector", namespace: "telemetry" },
      langfuse: langfuse("http://192.0.2.10:3000"),
      ...overrides,
    }),
  );

/** The gateway alone, without collector: access logs only, monitors and rules in `ops`. */
const logsOnlyRaw = (): RawConfig =>
  rawConfig(
    gatewayConfig(),
    llmConfig(),
    observabilityConfig({
      collector: { enabled: false, namespace: "ops" },
      langfuse: undefined,
      gatewayTracing: { enabled: false, accessLogs: true },
    }),
  );

const traced = platformConfig(tracedRaw());

/** Records the component with a k8s provider, the way index.ts builds it from the stack config. */
function recordObservability(args: ObservabilityArgs): Promise<Recording> {
  return recordProgram(async () => {
    const provider = new k8s.Provider("k8s", { kubeconfig: "offline" });
    const obs = new Observability("observability", args, { providers: [provider] });
    const outputs = { otlpGrpcEndpoint: obs.otlpGrpcEndpoint };
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
  });
}

function tracedArgs(overrides: Partial<ObservabilityArgs> = {}): ObservabilityArgs {
  return {
    config: traced.observability,
    namespace: traced.observability.collector.namespace,
    otlpClientNamespaces: [traced.agentgateway.namespace, traced.kagent.namespace],
    secrets: {
      [traced.observability.langfuse!.publicKeySecret]: pulumi.secret("pk-lf-1234-public"),
      [traced.observability.langfuse!.secretKeySecret]: pulumi.secret("sk-lf-5678-secret"),
    },
    ...overrides,
  };
}

/**
 * The PrometheusRule CRD carries a Go inline-flag pattern (`^(?i)(abort|warn)?$` on partial_response_strategy)
 * that JavaScript regexes reject; when the shared validator cannot compile a CRD for that reason, the schema is
 * compiled here with the inline flag removed (stricter, and the field is unused by this layer).
 */
const fallbackValidators = new Map<string, ValidateFunction>();

function validateCr(manifest: Record<string, unknown>): string[] {
  const kind = String(manifest["kind"]);
  const fallback = fallbackValidators.get(kind);
  if (fallback === undefined) {
    try {
      return validateCustomResource(manifest);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      fallbackValidators.set(kind, compileWithoutInlineFlags(kind));
      return validateCr(manifest);
    }
  }
  return fallback(manifest) ? [] : (fallback.errors ?? []).map((err) => formatAjvError(kind, err));
}

function compileWithoutInlineFlags(kind: string): ValidateFunction {
  const file = path.join(
    schemasDir()!,
    "crds",
    "prometheus-operator-v0.93.0",
    `monitoring.coreos.com_${kind.toLowerCase()}s.yaml`,
  );
  const crd = parse(fs.readFileSync(file, "utf8")) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> };
  };
  const schema = JSON.parse(
    JSON.stringify(crd.spec.versions.find((v) => v.name === "v1")!.schema.openAPIV3Schema)
      .split("(?i)")
      .join(""),
  );
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  return ajv.compile(closeSchema(schema) as object);
}

const valuesOf = (chart: RecordedResource) => chart.inputs["values"] as Record<string, unknown>;
const specOf = (r: RecordedResource) => manifestOf(r)["spec"] as Record<string, unknown>;

describe("observability: pure builders", () => {
  it("appends Langfuse's OTLP path once", () => {
    assert.strictEqual(
      langfuseOtlpEndpoint("http://172.16.10.173:3000"),
      "http://172.16.10.173:3000/api/public/otel",
    );
    assert.strictEqual(
      langfuseOtlpEndpoint("https://cloud.langfuse.com/"),
      "https://cloud.langfuse.com/api/public/otel",
    );
    assert.strictEqual(
      langfuseOtlpEndpoint("https://x.example/api/public/otel"),
      "https://x.example/api/public/otel",
    );
  });

  it("builds base64(public:secret) for Langfuse Basic auth", () => {
    const value = langfuseBasicAuth("pk-lf-1", "sk-lf-2");
    assert.strictEqual(Buffer.from(value, "base64").toString("utf8"), "pk-lf-1:sk-lf-2");
  });

  it("names exporters by protocol and lists every one in the traces pipeline", () => {
    const otlp = [
      {
        name: "solo-telemetry",
        endpoint: "solo.kagent.svc.cluster.local:4317",
        protocol: "grpc" as const,
        insecure: true,
      },
      { name: "tempo", endpoint: "https://tempo.example.com", protocol: "http" as const, insecure: false },
    ];
    assert.deepStrictEqual(otlp.map(otlpExporterName), ["otlp/solo-telemetry", "otlphttp/tempo"]);
    const langfuse = traced.observability.langfuse!;
    const config = collectorConfig(langfuse, otlp) as {
      exporters: Record<string, unknown>;
      service: { pipelines: Record<string, { exporters: string[] } | null> };
    };
    const traces = config.service.pipelines["traces"]!;
    assert.deepStrictEqual(traces.exporters, [LANGFUSE_EXPORTER, "otlp/solo-telemetry", "otlphttp/tempo"]);
    for (const e of traces.exporters) assert.ok(config.exporters[e] !== undefined, e);
    assert.deepStrictEqual(Object.keys(collectorExporters({ ...langfuse, enabled: false }, otlp)), [
      "otlp/solo-telemetry",
      "otlphttp/tempo",
    ]);
    assert.strictEqual(config.service.pipelines["logs"], null);
  });

  it("keeps the Langfuse credential out of the exporter config", () => {
    const exporter = collectorExporters(traced.observability.langfuse, [])[LANGFUSE_EXPORTER]!;
    assert.deepStrictEqual(exporter["headers"], {
      Authorization: "Basic ${env:LANGFUSE_AUTH}",
      "x-langfuse-ingestion-version": "4",
    });
  });

  it("classifies exporter destinations for the egress policy", () => {
    assert.deepStrictEqual(
      egressTarget("http://172.16.10.173:3000", 443),
      rule(cidrPeer("172.16.10.173/32"), tcp(3000)),
    );
    assert.deepStrictEqual(
      egressTarget("solo-enterprise-telemetry-collector.kagent.svc.cluster.local:4317", 4317),
      rule(namespacePeer("kagent"), tcp(4317)),
    );
    assert.deepStrictEqual(egressTarget("https://cloud.langfuse.com", 4318), rule(ANY_PEER, tcp(443)));
    assert.deepStrictEqual(egressTarget("tempo.example.com", 4317), rule(ANY_PEER, tcp(4317)));
  });

  it("asks for JSON proxy logs only when access logs are on", () => {
    assert.deepStrictEqual(proxyLoggingParameters(true), { format: "json" });
    assert.strictEqual(proxyLoggingParameters(false), undefined);
  });

  it("turns the sampling ratio into agentgateway's randomSampling expression", () => {
    assert.deepStrictEqual([1, 0, 0.25].map(samplingExpression), ["true", "false", "0.25"]);
  });

  it("builds one frontend policy per Gateway with tracing and access logs as configured", () => {
    const both = gatewayTelemetryPolicySpec({
      gateway: "gw",
      collector: collectorEndpoints({ name: "c", namespace: "ns" }),
      sampling: 1,
      accessLogs: true,
    })!;
    assert.deepStrictEqual(both["targetRefs"], [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" },
    ]);
    const frontend = both["frontend"] as Record<string, Record<string, unknown>>;
    assert.deepStrictEqual(frontend["tracing"]!["backendRef"], {
      group: "",
      kind: "Service",
      name: "c",
      namespace: "ns",
      port: 4317,
    });
    assert.strictEqual(frontend["tracing"]!["protocol"], "GRPC");
    const logsOnly = gatewayTelemetryPolicySpec({ gateway: "gw", sampling: 1, accessLogs: true })!;
    assert.deepStrictEqual(Object.keys(logsOnly["frontend"] as object), ["accessLog"]);
    assert.strictEqual(
      gatewayTelemetryPolicySpec({ gateway: "gw", sampling: 1, accessLogs: false }),
      undefined,
    );
  });

  it("keeps only the proxy metric families homeops scrapes today", () => {
    assert.deepStrictEqual(keepMetrics(PROXY_METRICS_KEEP), [
      { sourceLabels: ["__name__"], regex: "agentgateway_.*|envoy_.*|llm_.*", action: "keep" },
    ]);
  });

  it("derives agent routes and the collector's OTLP URL", () => {
    assert.deepStrictEqual(agentRouteLabels(traced.kagent, "agentgateway-system"), [
      "agentgateway-system/openai",
    ]);
    const url = collectorEndpoints({
      name: "langfuse-otel-collector",
      namespace: "agentgateway-system",
    }).grpcUrl;
    assert.strictEqual(url, "http://langfuse-otel-collector.agentgateway-system.svc.cluster.local:4317");
  });
});

describe("observability: collector, Langfuse, tracing, kagent (recorded through the composition)", () => {
  let rec: Recording;
  before(async () => {
    rec = await recordPlatform(tracedRaw());
  });

  it("creates the collector, its secret, policy and monitor under the component", () => {
    const component = one(rec, "platform:observability:Observability", "observability");
    const children = rec.resources
      .filter((r) => r.parent === component.urn)
      .map((r) => `${r.type.split(":").pop()} ${r.name}`);
    assert.deepStrictEqual(children.sort(), [
      "Chart observability-collector",
      "NetworkPolicy observability-collector",
      "Secret observability-langfuse-auth",
      "ServiceMonitor observability-langfuse-otel-collector-metrics",
    ]);
  });

  it("installs the pinned collector chart as the configured Service name with the contrib image", () => {
    const chart = one(rec, "kubernetes:helm.sh/v4:Chart", "observability-collector");
    assert.strictEqual(chart.inputs["chart"], charts.otelCollector.chart);
    assert.strictEqual(chart.inputs["version"], charts.otelCollector.version);
    assert.deepStrictEqual(chart.inputs["repositoryOpts"], { repo: charts.otelCollector.repo });
    assert.strictEqual(chart.inputs["name"], "langfuse-otel-collector");
    assert.strictEqual(chart.inputs["namespace"], "telemetry");
    const values = valuesOf(chart);
    assert.strictEqual(values["mode"], "deployment");
    assert.strictEqual(values["fullnameOverride"], "langfuse-otel-collector");
    assert.deepStrictEqual(values["image"], {
      repository: images.otelCollectorContrib.repository,
      tag: images.otelCollectorContrib.tag,
    });
    assert.deepStrictEqual(values["podDisruptionBudget"], { enabled: true, maxUnavailable: 1 });
    assert.deepStrictEqual((values["resources"] as Record<string, unknown>)["limits"], {
      cpu: "500m",
      memory: "512Mi",
    });
    assert.strictEqual(
      (values["securityContext"] as Record<string, unknown>)["readOnlyRootFilesystem"],
      true,
    );
    const config = values["config"] as {
      extensions: Record<string, unknown>;
      service: { extensions: string[]; pipelines: Record<string, Record<string, string[]>> };
    };
    assert.ok("health_check" in config.extensions && config.service.extensions.includes("health_check"));
    assert.deepStrictEqual(config.service.pipelines["traces"], {
      receivers: ["otlp"],
      processors: ["memory_limiter", "batch"],
      exporters: ["otlphttp/langfuse"],
    });
    assert.strictEqual(
      (values["config"] as Record<string, Record<string, Record<string, unknown>>>)["exporters"]![
        "otlphttp/langfuse"
      ]!["endpoint"],
      "http://192.0.2.10:3000/api/public/otel",
    );
  });

  it("feeds the Langfuse credential from a secret Kubernetes Secret, never as plain text", () => {
    const secret = one(rec, "kubernetes:core/v1:Secret", "observability-langfuse-auth");
    assert.deepStrictEqual(secret.secretPaths, ["stringData"]);
    const metadata = secret.inputs["metadata"] as Record<string, unknown>;
    const chart = one(rec, "kubernetes:helm.sh/v4:Chart", "observability-collector");
    assert.deepStrictEqual(valuesOf(chart)["extraEnvs"], [
      { name: "LANGFUSE_AUTH", valueFrom: { secretKeyRef: { name: metadata["name"], key: "basic-auth" } } },
    ]);
    assert.ok(chart.dependencies.includes(secret.urn), "the chart waits for the Secret");
    const everything = JSON.stringify(rec.resources);
    assert.ok(rec.secretValues.length >= 2, "the Langfuse keys were resolved");
    const plain = [
      ...rec.secretValues,
      ...rec.secretValues.flatMap((a) => rec.secretValues.map((b) => langfuseBasicAuth(a, b))),
    ];
    for (const value of plain) assert.ok(!everything.includes(value), `${value} leaked into the recording`);
  });

  it("exports the collector's OTLP endpoint and hands it to kagent", () => {
    const url = "http://langfuse-otel-collector.telemetry.svc.cluster.local:4317";
    assert.strictEqual(rec.outputs["otlpEndpoint"], url);
    const kagent = one(rec, "kubernetes:helm.sh/v4:Chart", "kagent-chart");
    const tracing = (valuesOf(kagent)["otel"] as Record<string, Record<string, unknown>>)["tracing"]!;
    assert.deepStrictEqual(
      (tracing["exporter"] as Record<string, Record<string, unknown>>)["otlp"]!["endpoint"],
      url,
    );
  });

  it("lets OTLP in from its clients, metrics in from Prometheus, and out only DNS and the exporters", () => {
    const spec = specOf(one(rec, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "observability-collector"));
    assert.deepStrictEqual(spec["podSelector"], {
      matchLabels: {
        "app.kubernetes.io/name": "opentelemetry-collector",
        "app.kubernetes.io/instance": "langfuse-otel-collector",
        component: "standalone-collector",
      },
    });
    const ingress = spec["ingress"] as Array<Record<string, unknown>>;
    assert.deepStrictEqual(
      (ingress[0]!["from"] as Array<Record<string, Record<string, Record<string, string>>>>).map(
        (f) => f["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"],
      ),
      ["agentgateway-system", "kagent"],
    );
    assert.deepStrictEqual(ingress[1], {
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
      ports: [{ port: 8888, protocol: "TCP" }],
    });
    const egress = spec["egress"] as Array<Record<string, unknown>>;
    assert.deepStrictEqual(egress[0], {
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    });
    // Langfuse is the only exporter.
    assert.deepStrictEqual(egress.slice(1), [
      { to: [{ ipBlock: { cidr: "192.0.2.10/32" } }], ports: [{ port: 3000, protocol: "TCP" }] },
    ]);
  });

  describeWithSchemas("conformance", () => {
    it("the collector monitor validates against the prometheus-operator v0.93.0 CRDs", () => {
      const component = one(rec, "platform:observability:Observability", "observability");
      const custom = descendantsOf(rec, component).filter((r) => r.type.startsWith(PROM));
      assert.strictEqual(custom.length, 1);
      for (const r of custom) assert.deepStrictEqual(validateCr(manifestOf(r)), [], r.name);
    });

    it("the core objects validate against the Kubernetes schemas", () => {
      for (const type of [
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      ]) {
        for (const r of byType(rec, type))
          assert.deepStrictEqual(validateCoreObject(manifestOf(r)), [], r.name);
      }
    });
  });
});

describe("alert rules: each layer's own PrometheusRule", () => {
  const rule = (rec: Recording, name: string) =>
    byType(rec, `${PROM}:PrometheusRule`).filter(
      (r) => (manifestOf(r)["metadata"] as { name: string }).name === name,
    );
  const groups = (r: RecordedResource) =>
    (manifestOf(r)["spec"] as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> })
      .groups;

  let recording: Promise<Recording> | undefined;
  const tracedRecording = () => (recording ??= recordPlatform(tracedRaw()));

  it("the gateway's eight alerts and kagent's five, each rule under its layer", async () => {
    const rec = await tracedRecording();
    const [gateway] = rule(rec, "ai-gateway-alerts");
    const [agents] = rule(rec, "ai-agents-alerts");
    assert.deepStrictEqual(
      groups(gateway!).map((g) => [g.name, g.rules.length]),
      [["ai-gateway", 8]],
    );
    assert.deepStrictEqual(
      groups(agents!).map((g) => [g.name, g.rules.length]),
      [["agents", 5]],
    );
    assert.strictEqual(gateway!.parent, one(rec, "platform:gateway:AiGateway", "ai-gateway").urn);
    assert.strictEqual(agents!.parent, one(rec, "platform:kagent:Kagent", "kagent").urn);
    assert.deepStrictEqual(rule(rec, "ai-platform-alerts"), [], "the shared rule is gone");
    for (const r of [gateway!, agents!])
      assert.strictEqual((manifestOf(r)["metadata"] as Record<string, unknown>)["namespace"], "telemetry");
  });

  it("without kagent: the gateway alerts in the collector's namespace, no agent rule", async () => {
    const rec = await recordPlatform(logsOnlyRaw());
    const [gateway] = rule(rec, "ai-gateway-alerts");
    assert.strictEqual((manifestOf(gateway!)["metadata"] as Record<string, unknown>)["namespace"], "ops");
    assert.deepStrictEqual(byType(rec, `${PROM}:PrometheusRule`).length, 1);
  });

  describeWithSchemas("conformance", () => {
    it("both rules validate against the prometheus-operator v0.93.0 CRD", async () => {
      const rec = await tracedRecording();
      const rules = byType(rec, `${PROM}:PrometheusRule`);
      assert.strictEqual(rules.length, 2);
      for (const r of rules) assert.deepStrictEqual(validateCr(manifestOf(r)), [], r.name);
    });

    it("a rule with a misspelled field or a bad duration is caught", async () => {
      const [gateway] = rule(await tracedRecording(), "ai-gateway-alerts");
      const manifest = manifestOf(gateway!);
      const first = groups(gateway!)[0]!.rules[0]!;
      const withRule = (r: Record<string, unknown>) => ({
        ...manifest,
        spec: { groups: [{ name: "g", rules: [r] }] },
      });
      assert.deepStrictEqual(validateCr(withRule(first)), []);
      assert.notDeepStrictEqual(validateCr(withRule({ ...first, for: "five minutes" })), []);
      assert.notDeepStrictEqual(validateCr(withRule({ ...first, severity: "warning" })), []);
    });
  });
});

describe("observability: no collector, access logs only, no kagent", () => {
  let rec: Recording;
  before(async () => {
    rec = await recordPlatform(logsOnlyRaw(), ["observability"]);
  });

  it("deploys no collector and no secret, and exports no endpoint", () => {
    const children = descendantsOf(rec, one(rec, "platform:observability:Observability", "observability"));
    for (const type of [
      "kubernetes:helm.sh/v4:Chart",
      "kubernetes:core/v1:Secret",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ]) {
      assert.deepStrictEqual(
        children.filter((r) => r.type === type),
        [],
        type,
      );
    }
    assert.strictEqual(rec.outputs["otlpEndpoint"], undefined);
  });
});

describe("observability: switches and invalid input", () => {
  it("creates nothing but the collector when every other part is switched off", async () => {
    const rec = await recordPlatform(
      tracedRaw({
        metrics: { enabled: false },
        alerts: { enabled: false },
        dashboards: { enabled: false },
        gatewayTracing: { enabled: false, accessLogs: false },
      }),
      ["observability"],
    );
    const component = one(rec, "platform:observability:Observability", "observability");
    const kinds = rec.resources.filter((r) => r.parent === component.urn).map((r) => r.type.split(":").pop());
    assert.deepStrictEqual(kinds.sort(), ["Chart", "NetworkPolicy", "Secret"]);
  });

  it("labels monitors and rules for the Prometheus selectors", async () => {
    const rec = await recordPlatform(
      tracedRaw({ metrics: { enabled: true, labels: { release: "kube-prometheus-stack" } } }),
    );
    assert.ok(rec.resources.filter((x) => x.type.startsWith(PROM)).length >= 5);
    for (const r of rec.resources.filter((x) => x.type.startsWith(PROM))) {
      assert.strictEqual(
        (manifestOf(r)["metadata"] as Record<string, Record<string, string>>)["labels"]!["release"],
        "kube-prometheus-stack",
        r.name,
      );
    }
  });

  it("rejects Langfuse without its resolved keys, naming the setting", async () => {
    const { publicKeySecret } = traced.observability.langfuse!;
    await assert.rejects(
      recordObservability(tracedArgs({ secrets: {} })),
      new RegExp(`observability\\.langfuse\\.publicKeySecret: secret "${publicKeySecret}" was not resolved`),
    );
  });

  it("reports a critical error rate below the warning rate in the stack config", () => {
    assert.deepStrictEqual(
      configIssues(tracedRaw({ alerts: { enabled: true, errorRateWarning: 0.2, errorRateCritical: 0.1 } })),
      [
        "ai-platform:observability.alerts.errorRateCritical: critical error rate 0.1 is below the warning rate 0.2 (hint: the critical threshold must be at least the warning threshold)",
      ],
    );
  });
  it("reports an OTLP/HTTP exporter without a URL", () => {
    assert.deepStrictEqual(
      configIssues(
        tracedRaw({
          otlpExporters: [{ name: "tempo", endpoint: "tempo.example.com:4318", protocol: "http" }],
        }),
      ),
      [
        "ai-platform:observability.otlpExporters[0].endpoint: an OTLP/HTTP exporter needs a URL (hint: write it like https://host:4318)",
      ],
    );
  });
});

describe("observability: secrets resolved from 1Password", () => {
  it("never lets a resolved Langfuse key reach resource inputs or outputs in plain text", async () => {
    const rec = await recordPlatform(tracedRaw(), ["observability"]);
    assert.ok(rec.secretValues.length >= 2, "the 1Password placeholders were handed out");
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(rec.resources.map((r) => r.inputs));
    walk(rec.outputs);
    for (const s of strings) {
      for (const value of rec.secretValues)
        assert.ok(!s.includes(value), `secret placeholder ${value} reached the recording`);
      if (/^[A-Za-z0-9+/]{24,}={0,2}$/.test(s)) {
        assert.ok(
          !Buffer.from(s, "base64").toString("utf8").includes("PLACEHOLDER-SECRET"),
          `base64-encoded secret ${s} reached the recording`,
        );
      }
    }
    assert.deepStrictEqual(one(rec, "kubernetes:core/v1:Secret", "observability-langfuse-auth").secretPaths, [
      "stringData",
    ]);
  });
});
