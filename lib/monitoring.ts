import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AlertThresholds } from "./alerts";
import type { CollectorEndpoints } from "./collector";
import { Dashboard, GRAFANA_DASHBOARD_LABEL } from "./dashboards";

/*
 * The monitoring vocabulary every layer that watches itself shares: the settings the observability layer
 * publishes, prometheus-operator scrape specs (monitoring.coreos.com/v1, prometheus-operator v0.93.0
 * pkg/apis/monitoring/v1) and the objects that carry monitors, rules and dashboards. The prometheus-operator
 * CRDs come from kube-prometheus-stack, which this program does not manage.
 */

/** Labels on every monitor, rule and dashboard the platform emits. */
export const PLATFORM_LABELS = {
  "app.kubernetes.io/managed-by": "pulumi",
  "app.kubernetes.io/part-of": "ai-platform",
};

/**
 * The shared monitoring settings: published by the observability layer, read by every layer that emits its
 * own monitors, rules, dashboards and traces (the AI gateway and kagent).
 */
export interface MonitoringSettings {
  /** Namespace of every monitor, rule and dashboard (the collector's; a Namespace metadata.name output). */
  namespace: pulumi.Input<string>;
  /** Labels of monitors and rules: the Prometheus selectors' (kube-prometheus-stack: `release`) and the platform's. */
  labels: Record<string, string>;
  /** The labels the Prometheus selectors match alone, for monitors that carry their own workload labels. */
  selectorLabels: Record<string, string>;
  /** Scrape interval of every monitor. */
  interval: string;
  /** Namespace of the Prometheus that scrapes workloads. */
  prometheusNamespace: string;
  /** Monitors are emitted. */
  metrics: boolean;
  /** Alert thresholds, when alerts are emitted. */
  alerts?: AlertThresholds;
  /** Dashboards are emitted. */
  dashboards: boolean;
  /** The trace collector's endpoints once it runs; absent when the collector is off. */
  collector?: pulumi.Output<CollectorEndpoints>;
}

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
  /** Service port name (a ServiceMonitor's `port`; PodMonitors name a container port). */
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
 * Earlier identity of a monitoring object that the observability component (named `observability`) used to
 * emit as `observability-<suffix>`; as an alias it lets `pulumi up` move the state to the owning layer. The old
 * parent was a top-level component, so its URN has no parent prefix (pulumi/pulumi sdk/nodejs/resource.ts
 * `createUrn`; the engine's `generateURN` in pkg/resource/deploy/deployment.go skips the root stack); the alias's
 * type defaults to the resource's own.
 */
export function formerObservabilityChild(oldName: string): pulumi.Alias {
  return { name: oldName, parent: pulumi.createUrn("observability", "platform:observability:Observability") };
}

/** A ServiceMonitor, PodMonitor or PrometheusRule named `objectName` in the monitoring namespace. */
export function monitoringObject(
  resourceName: string,
  kind: "ServiceMonitor" | "PodMonitor" | "PrometheusRule",
  objectName: string,
  spec: pulumi.Input<Record<string, unknown>>,
  monitoring: MonitoringSettings,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    resourceName,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind,
      metadata: { name: objectName, namespace: monitoring.namespace, labels: monitoring.labels },
      spec,
    },
    opts,
  );
}

/** The dashboard files of the layers that draw one: the AI gateway's and kagent's agents'. */
export const DASHBOARD_FILES = { gateway: "ai-gateway-overview", agents: "ai-agents-overview" } as const;

/** Name of the ConfigMap holding the dashboard `<file>.json`. */
export function dashboardMapName(file: string): string {
  return `${file}-dashboard`;
}

/** A Grafana dashboard as a ConfigMap `<file>-dashboard` holding `<file>.json`, for the Grafana sidecar. */
export function dashboardConfigMap(
  resourceName: string,
  file: string,
  dashboard: pulumi.Input<Dashboard>,
  monitoring: MonitoringSettings,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    resourceName,
    {
      metadata: {
        name: dashboardMapName(file),
        namespace: monitoring.namespace,
        labels: { ...PLATFORM_LABELS, ...GRAFANA_DASHBOARD_LABEL },
      },
      data: { [`${file}.json`]: pulumi.output(dashboard).apply((d) => JSON.stringify(d, null, 2)) },
    },
    opts,
  );
}
