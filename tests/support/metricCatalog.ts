/**
 * Metrics that alerts and dashboards may name, each with where it comes from. A query that names anything
 * else would silently evaluate to nothing, so the tests parse every expression and check it against this list.
 */

export type MetricType = "counter" | "gauge" | "histogram";

export interface CatalogEntry {
  type: MetricType;
  /** Component that exposes the metric. */
  source: string;
  /** Upstream code or documentation naming it. */
  citation: string;
}

// agentgateway proxy metrics (port 15020): prefix `agentgateway_`, counters get `_total`, units are suffixed.
const AGW_SOURCE =
  "agentgateway/agentgateway:crates/agentgateway/src/telemetry/metrics.rs (commit 07c3dc43); agentgateway/website:assets/agw-docs/pages/observability/metrics/dataplane.md";
const agw = (type: MetricType): CatalogEntry => ({
  type,
  source: "agentgateway proxy :15020/metrics",
  citation: AGW_SOURCE,
});

const KSM = (file: string): CatalogEntry => ({
  type: "gauge",
  source: "kube-state-metrics (kube-prometheus-stack)",
  citation: `kubernetes/kube-state-metrics:docs/metrics/workload/${file}`,
});

export const METRIC_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  agentgateway_requests_total: agw("counter"),
  agentgateway_request_duration_seconds: agw("histogram"),
  agentgateway_response_bytes_total: agw("counter"),
  agentgateway_retries_total: agw("counter"),
  agentgateway_mcp_requests_total: agw("counter"),
  agentgateway_guardrail_checks_total: agw("counter"),
  agentgateway_downstream_connections_total: agw("counter"),
  agentgateway_upstream_connect_duration_seconds: agw("histogram"),
  agentgateway_gen_ai_client_token_usage: agw("histogram"),
  agentgateway_gen_ai_server_request_duration: agw("histogram"),
  agentgateway_gen_ai_server_time_to_first_token: agw("histogram"),
  agentgateway_gen_ai_server_time_per_output_token: agw("histogram"),
  container_memory_working_set_bytes: {
    type: "gauge",
    source: "kubelet cAdvisor (kube-prometheus-stack)",
    citation: "google/cadvisor:docs/storage/prometheus.md",
  },
  kube_pod_container_resource_limits: KSM("pod-metrics.md"),
  kube_pod_container_status_restarts_total: { ...KSM("pod-metrics.md"), type: "counter" },
  kube_deployment_status_replicas_available: KSM("deployment-metrics.md"),
  kube_deployment_spec_replicas: KSM("deployment-metrics.md"),
};

const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"];

/** The catalog entry a series name belongs to (histogram series map to their family), or undefined. */
export function catalogEntry(series: string): CatalogEntry | undefined {
  const direct = METRIC_CATALOG[series];
  if (direct !== undefined) return direct.type === "histogram" ? undefined : direct;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!series.endsWith(suffix)) continue;
    const family = METRIC_CATALOG[series.slice(0, -suffix.length)];
    if (family?.type === "histogram") return family;
  }
  return undefined;
}
