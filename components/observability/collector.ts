import type * as pulumi from "@pulumi/pulumi";
import { collectorPodLabels, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "../../lib/collector";
import {
  ANY_PEER,
  dnsEgress,
  hostPeer,
  namespacePeer,
  networkPolicySpec,
  NetworkPolicySpec,
  rule,
  Rule,
  tcp,
} from "../../lib/networkPolicy";
import { images } from "../../lib/versions";
import type { Resources } from "../workload/podSpec";

/** Environment variable holding base64(public:secret) for the Langfuse exporter's Basic auth header. */
export const LANGFUSE_AUTH_ENV = "LANGFUSE_AUTH";
/** Key of that value in the collector's Kubernetes Secret. */
export const LANGFUSE_AUTH_KEY = "basic-auth";

export const COLLECTOR_METRICS_PORT = 8888;
/** Collector metric families kept by its ServiceMonitor: its own pipeline telemetry. */
export const COLLECTOR_METRICS_KEEP = "otelcol_.*";
export const HEALTH_CHECK_PORT = 13133;

/** The Langfuse destination of the collector. */
export interface LangfuseConfig {
  enabled: boolean;
  /** Langfuse base URL; the collector appends /api/public/otel. */
  endpoint: string;
}

/** An extra OTLP destination of the collector. */
export interface OtlpExporterConfig {
  name: string;
  /** host:port for grpc, a URL for http. */
  endpoint: string;
  protocol: "grpc" | "http";
  insecure: boolean;
}

/** Langfuse's OTLP/HTTP base path; the exporter appends /v1/traces (Langfuse OpenAPI: POST /api/public/otel/v1/traces). */
export function langfuseOtlpEndpoint(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return base.endsWith("/api/public/otel") ? base : `${base}/api/public/otel`;
}

/** Name of the collector exporter for an OTLP destination (`otlp/<name>` gRPC, `otlphttp/<name>` HTTP). */
export function otlpExporterName(e: OtlpExporterConfig): string {
  return `${e.protocol === "grpc" ? "otlp" : "otlphttp"}/${e.name}`;
}

export const LANGFUSE_EXPORTER = "otlphttp/langfuse";

/** The collector's exporters, keyed by name: Langfuse (when enabled) and every configured OTLP endpoint. */
export function collectorExporters(
  langfuse: LangfuseConfig | undefined,
  otlp: OtlpExporterConfig[],
): Record<string, Record<string, unknown>> {
  const exporters: Record<string, Record<string, unknown>> = {};
  if (langfuse?.enabled) {
    exporters[LANGFUSE_EXPORTER] = {
      endpoint: langfuseOtlpEndpoint(langfuse.endpoint),
      headers: {
        // Resolved by the collector from the pod environment, which reads it from the Secret.
        Authorization: `Basic \${env:${LANGFUSE_AUTH_ENV}}`,
        // Langfuse's real-time ingestion path for direct OTLP exporters.
        "x-langfuse-ingestion-version": "4",
      },
    };
  }
  for (const e of otlp) {
    exporters[otlpExporterName(e)] = { endpoint: e.endpoint, tls: { insecure: e.insecure } };
  }
  return exporters;
}

/**
 * The collector's `config` chart value. The chart merges it into its defaults, so the default receivers,
 * exporter and pipelines this collector does not use are set to null, which removes a key from Helm defaults
 * (https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key).
 */
export function collectorConfig(
  langfuse: LangfuseConfig | undefined,
  otlp: OtlpExporterConfig[],
): Record<string, unknown> {
  const exporters = collectorExporters(langfuse, otlp);
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_GRPC_PORT}` },
          http: { endpoint: `\${env:MY_POD_IP}:${OTLP_HTTP_PORT}` },
        },
      },
      jaeger: null,
      zipkin: null,
      prometheus: null,
    },
    processors: {
      memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 512, timeout: "5s" },
    },
    exporters: { debug: null, ...exporters },
    // The chart fails to render without the health_check extension (NOTES.txt).
    extensions: { health_check: { endpoint: `\${env:MY_POD_IP}:${HEALTH_CHECK_PORT}` } },
    service: {
      extensions: ["health_check"],
      pipelines: {
        logs: null,
        metrics: null,
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "batch"],
          exporters: Object.keys(exporters),
        },
      },
    },
  };
}

export interface CollectorValuesOptions {
  /** Release and Service name. */
  name: string;
  replicas: number;
  resources?: Resources;
  langfuse: LangfuseConfig | undefined;
  otlpExporters: OtlpExporterConfig[];
  /** Secret holding the Langfuse Basic auth value (set when Langfuse is enabled). */
  langfuseSecretName?: string;
}

const DEFAULT_RESOURCES = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};

/** Values of the opentelemetry-collector chart (charts.otelCollector) for the fan-out collector. */
export function collectorChartValues(o: CollectorValuesOptions): Record<string, unknown> {
  const image = images.otelCollectorContrib;
  const extraEnvs =
    o.langfuse?.enabled && o.langfuseSecretName !== undefined
      ? [
          {
            name: LANGFUSE_AUTH_ENV,
            valueFrom: { secretKeyRef: { name: o.langfuseSecretName, key: LANGFUSE_AUTH_KEY } },
          },
        ]
      : [];
  return {
    mode: "deployment",
    // The Service (and every object) is named exactly like the release: proxies and kagent address it by name.
    fullnameOverride: o.name,
    image: { repository: image.repository, tag: image.tag },
    command: { name: "otelcol-contrib" },
    replicaCount: o.replicas,
    resources: o.resources ?? DEFAULT_RESOURCES,
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    // Chart defaults that create workloads, RBAC or credentials, set here so none arrives unseen (values.yaml):
    // a ServiceAccount without a mounted token (no receiver here reads the Kubernetes API), no ClusterRole, no
    // preset that adds RBAC or host mounts, and no HorizontalPodAutoscaler (replicas come from config).
    serviceAccount: { create: true, automountServiceAccountToken: false },
    clusterRole: { create: false },
    presets: {
      logsCollection: { enabled: false },
      hostMetrics: { enabled: false },
      kubernetesAttributes: { enabled: false },
      kubeletMetrics: { enabled: false },
      kubernetesEvents: { enabled: false },
      kubernetesObjects: { enabled: false },
      clusterMetrics: { enabled: false },
    },
    autoscaling: { enabled: false },
    // One pod at a time may be evicted; never blocks a node drain, even at one replica.
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    ports: {
      otlp: { enabled: true },
      "otlp-http": { enabled: true },
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
      metrics: { enabled: true },
    },
    extraEnvs,
    config: collectorConfig(o.langfuse, o.otlpExporters),
  };
}

/**
 * The egress rule of an exporter endpoint (`host:port` or `scheme://host[:port][/path]`): its cluster Service's
 * namespace or its IPv4 address, and for a DNS name any destination on that port.
 */
export function egressTarget(endpoint: string, defaultPort: number): Rule<string> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `tcp://${endpoint}`;
  const url = new URL(withScheme);
  const scheme = url.protocol.replace(/:$/, "");
  const port =
    url.port !== "" ? Number(url.port) : scheme === "https" ? 443 : scheme === "http" ? 80 : defaultPort;
  return rule(hostPeer(url.hostname) ?? ANY_PEER, tcp(port));
}

/** Egress targets of every exporter the collector runs. */
export function collectorEgressTargets(
  langfuse: LangfuseConfig | undefined,
  otlp: OtlpExporterConfig[],
): Array<Rule<string>> {
  const targets: Array<Rule<string>> = [];
  if (langfuse?.enabled) targets.push(egressTarget(langfuse.endpoint, 443));
  for (const e of otlp)
    targets.push(egressTarget(e.endpoint, e.protocol === "grpc" ? OTLP_GRPC_PORT : OTLP_HTTP_PORT));
  return targets;
}

/** NetworkPolicy spec of the collector: OTLP in from its clients, metrics in from Prometheus, exporters and DNS out. */
export function collectorNetworkPolicySpec(
  release: string,
  otlpClientNamespaces: Array<pulumi.Input<string>>,
  prometheusNamespace: string,
  egress: ReadonlyArray<Rule<string>>,
): NetworkPolicySpec {
  return networkPolicySpec({
    podSelector: collectorPodLabels(release),
    ingress: [
      rule(
        otlpClientNamespaces.map((ns) => namespacePeer(ns)),
        tcp(OTLP_GRPC_PORT, OTLP_HTTP_PORT),
      ),
      rule(namespacePeer(prometheusNamespace), tcp(COLLECTOR_METRICS_PORT)),
    ],
    egress: [dnsEgress(), ...egress],
  });
}
