import * as pulumi from "@pulumi/pulumi";
import { exactRegex } from "../../lib/alerts";
import { dashboard, Dashboard, PanelSpec, RATE } from "../../lib/dashboards";
import {
  DASHBOARD_FILES,
  dashboardConfigMap,
  dashboardMapName,
  dropMetrics,
  formerObservabilityChild,
  MonitoringSettings,
  monitoringObject,
  serviceMonitorSpec,
} from "../../lib/monitoring";
import { agentAlertRules } from "./alerts";
import { KAGENT_METRICS_SERVICE } from "./specs";

/*
 * kagent's own telemetry: the controller's ServiceMonitor, the agent alerts and the agents dashboard, placed
 * by the shared monitoring settings. The agents' model calls are watched through the AI gateway's proxy metrics, filtered
 * by the routes the agents' model configs call.
 */

/** kagent controller families dropped: Go runtime histograms and allocator detail. */
const KAGENT_METRICS_DROP = "go_gc_.*|go_memstats_.*|go_sched_.*|rest_client_.*";

/** What the agent alerts and dashboard look at. */
export interface AgentScope {
  /** Namespaces the agent pods run in (kagent). */
  namespaces: string[];
  /** Gateway routes (`<namespace>/<name>`, the proxy's `route` label) that the agents' model configs call. */
  routes: string[];
}

/** The proxy `route` label values (`<namespace>/<route>`) of the LLM routes the kagent model configs use. */
export function agentRouteLabels(
  kagent: { modelConfigs: ReadonlyArray<{ route: string }> },
  routesNamespace: string,
): string[] {
  return [...new Set(kagent.modelConfigs.map((m) => `${routesNamespace}/${m.route}`))].sort();
}

/** ServiceMonitor spec of the controller's metrics Service (which the chart serves whenever metrics are scraped). */
function kagentServiceMonitorSpec(
  namespace: pulumi.Input<string>,
  interval: string,
): Record<string, unknown> {
  return serviceMonitorSpec({
    serviceLabels: KAGENT_METRICS_SERVICE.labels,
    namespace,
    port: KAGENT_METRICS_SERVICE.port,
    scheme: KAGENT_METRICS_SERVICE.scheme,
    interval,
    metricRelabelings: dropMetrics(KAGENT_METRICS_DROP),
  });
}

/** Agents overview: the agents' model calls through the gateway, and their pods' memory, restarts and availability. */
export function agentsOverviewDashboard(scope: AgentScope): Dashboard {
  const ns = `namespace=~"${exactRegex(scope.namespaces)}"`;
  const specs: PanelSpec[] = [];
  if (scope.routes.length > 0) {
    const route = `route=~"${exactRegex(scope.routes)}"`;
    specs.push(
      {
        title: "Agent model calls per second",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (route) (rate(agentgateway_requests_total{${route}}[${RATE}]))`,
            legendFormat: "{{route}}",
          },
        ],
      },
      {
        title: "Agent model call error ratio",
        unit: "percentunit",
        targets: [
          {
            expr: `sum by (route) (rate(agentgateway_requests_total{${route}, status=~"5.."}[${RATE}])) / sum by (route) (rate(agentgateway_requests_total{${route}}[${RATE}]))`,
            legendFormat: "{{route}}",
          },
        ],
      },
      {
        title: "Agent model call latency (p95)",
        unit: "s",
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (route, le) (rate(agentgateway_request_duration_seconds_bucket{${route}}[${RATE}])))`,
            legendFormat: "{{route}}",
          },
        ],
      },
    );
  }
  specs.push(
    {
      title: "Memory used of limit",
      unit: "percentunit",
      targets: [
        {
          expr: `max by (pod, container) (container_memory_working_set_bytes{${ns}, container!=""}) / max by (pod, container) (kube_pod_container_resource_limits{${ns}, resource="memory"})`,
          legendFormat: "{{pod}}/{{container}}",
        },
      ],
    },
    {
      title: "Container restarts (1h)",
      unit: "short",
      targets: [
        {
          expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h]))`,
          legendFormat: "{{pod}}",
        },
      ],
    },
    {
      title: "Available replicas",
      unit: "percentunit",
      targets: [
        {
          expr: `sum by (deployment) (kube_deployment_status_replicas_available{${ns}}) / sum by (deployment) (kube_deployment_spec_replicas{${ns}})`,
          legendFormat: "{{deployment}}",
        },
      ],
    },
  );
  return dashboard("ai-agents-overview", "AI Agents Overview", [], specs);
}

/**
 * Emits kagent's telemetry under `parent` (resource names prefixed by `name`). Each object keeps the name,
 * namespace and state it had when the observability layer emitted it: its alias is its URN there. Returns
 * the dashboard ConfigMap names.
 */
export function emitKagentTelemetry(
  parent: pulumi.Resource,
  name: string,
  namespace: pulumi.Input<string>,
  routes: string[],
  monitoring: MonitoringSettings,
): string[] {
  if (monitoring.metrics) {
    monitoringObject(
      `${name}-controller-monitor`,
      "ServiceMonitor",
      "kagent-controller",
      kagentServiceMonitorSpec(namespace, monitoring.interval),
      monitoring,
      // Emitted by the observability layer before each layer owned its telemetry.
      { parent, aliases: [formerObservabilityChild("observability-kagent-controller")] },
    );
  }
  const scope = pulumi.output(namespace).apply((ns) => ({ namespaces: [ns], routes }));
  if (monitoring.alerts !== undefined) {
    const thresholds = monitoring.alerts;
    monitoringObject(
      `${name}-alerts`,
      "PrometheusRule",
      "ai-agents-alerts",
      { groups: scope.apply((s) => [{ name: "agents", rules: agentAlertRules(thresholds, s) }]) },
      monitoring,
      { parent },
    );
  }
  if (!monitoring.dashboards) return [];
  dashboardConfigMap(
    `${name}-dashboard`,
    DASHBOARD_FILES.agents,
    scope.apply(agentsOverviewDashboard),
    monitoring,
    // Emitted by the observability layer before each layer owned its telemetry.
    { parent, aliases: [formerObservabilityChild("observability-dashboard-agents")] },
  );
  return [dashboardMapName(DASHBOARD_FILES.agents)];
}
