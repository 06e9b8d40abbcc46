import type * as pulumi from "@pulumi/pulumi";

/*
 * Scrape targets as prometheus-operator objects (monitoring.coreos.com/v1, prometheus-operator v0.93.0
 * pkg/apis/monitoring/v1). `port` is a Service port name for ServiceMonitors and a container port name for
 * PodMonitors. Metric relabelling keeps only the families dashboards and alerts use, as seed 002 does.
 */

/** Proxy metric families kept (seed 002: agentgateway_*, envoy_*, llm_*). */
export const PROXY_METRICS_KEEP = "agentgateway_.*|envoy_.*|llm_.*";
/** Controller families kept: its own, controller-runtime reconcile/workqueue and process health. */
export const CONTROLLER_METRICS_KEEP =
  "agentgateway_.*|controller_runtime_reconcile_.*|workqueue_(depth|adds_total|retries_total)|process_(resident_memory_bytes|cpu_seconds_total)|go_goroutines";
/** Collector families kept: its own pipeline telemetry. */
export const COLLECTOR_METRICS_KEEP = "otelcol_.*";
/** kagent controller families dropped: Go runtime histograms and allocator detail. */
export const KAGENT_METRICS_DROP = "go_gc_.*|go_memstats_.*|go_sched_.*|rest_client_.*";

export interface RelabelConfig {
  sourceLabels: string[];
  regex: string;
  action: "keep" | "drop";
}

/** A metricRelabelings list keeping only series whose name matches `regex`. */
export function keepMetrics(regex: string): RelabelConfig[] {
  return [{ sourceLabels: ["__name__"], regex, action: "keep" }];
}

/** A metricRelabelings list dropping series whose name matches `regex`. */
export function dropMetrics(regex: string): RelabelConfig[] {
  return [{ sourceLabels: ["__name__"], regex, action: "drop" }];
}

export interface ServiceMonitorOptions {
  /** Labels of the Service(s) to scrape. */
  serviceLabels: Record<string, string>;
  namespace: pulumi.Input<string>;
  /** Service port name. */
  port: string;
  path?: string;
  /** http (default) or https. */
  scheme?: "http" | "https";
  interval: string;
  metricRelabelings: RelabelConfig[];
}

export function serviceMonitorSpec(o: ServiceMonitorOptions): Record<string, unknown> {
  return {
    selector: { matchLabels: o.serviceLabels },
    namespaceSelector: { matchNames: [o.namespace] },
    endpoints: [
      {
        port: o.port,
        path: o.path ?? "/metrics",
        interval: o.interval,
        scheme: o.scheme ?? "http",
        metricRelabelings: o.metricRelabelings,
      },
    ],
  };
}

/**
 * PodMonitor of the agentgateway proxies: the generated proxy Services only carry listener ports, so the
 * metrics port (container port `metrics`, 15020) is scraped from the pods. Proxy pods carry the
 * `gateway.networking.k8s.io/gateway-class-name` label, the selector agentgateway's own chart uses
 * (agentgateway/agentgateway controller/install/helm/agentgateway/templates/monitoring.yaml).
 */
export function proxyPodMonitorSpec(
  gatewayClassName: string,
  namespace: pulumi.Input<string>,
  interval: string,
): Record<string, unknown> {
  return {
    selector: {
      matchExpressions: [
        { key: "gateway.networking.k8s.io/gateway-class-name", operator: "In", values: [gatewayClassName] },
      ],
    },
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [
      {
        port: "metrics",
        path: "/metrics",
        interval,
        scheme: "http",
        metricRelabelings: keepMetrics(PROXY_METRICS_KEEP),
      },
    ],
  };
}
