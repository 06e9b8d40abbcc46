import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTROLLER_RELEASE } from "../../lib/agentgatewayController";
import type { CollectorEndpoints } from "../../lib/collector";
import {
  DASHBOARD_FILES,
  dashboardConfigMap,
  dashboardMapName,
  formerObservabilityChild,
  keepMetrics,
  MonitoringSettings,
  monitoringObject,
  PLATFORM_LABELS,
  serviceMonitorSpec,
} from "../../lib/monitoring";
import { aiGatewayAlertRules } from "./alerts";
import { gatewayOverviewDashboard } from "./dashboard";
import { AGW_VERSION } from "./refs";
import { gatewayTelemetryPolicySpec } from "./tracing";
import { policyWaits, READINESS_TIMEOUTS, readinessAnnotations } from "../../lib/readiness";

/*
 * The AI gateway's own telemetry: one AgentgatewayPolicy per Gateway with tracing and access logs, the proxy
 * PodMonitor, the controller ServiceMonitor, the gateway alerts and dashboard, placed by the shared monitoring
 * settings. Metric relabelling keeps only the families dashboards and alerts use, as homeops's kgateway ServiceMonitor does today.
 */

/** Proxy metric families kept (homeops's kgateway ServiceMonitor: agentgateway_*, envoy_*, llm_*). */
export const PROXY_METRICS_KEEP = "agentgateway_.*|envoy_.*|llm_.*";
/** Controller families kept: its own, controller-runtime reconcile/workqueue and process health. */
const CONTROLLER_METRICS_KEEP =
  "agentgateway_.*|controller_runtime_reconcile_.*|workqueue_(depth|adds_total|retries_total)|process_(resident_memory_bytes|cpu_seconds_total)|go_goroutines";

/** What the gateway layer needs to watch itself. */
export interface GatewayTelemetry {
  /** The shared monitoring settings (the observability layer's). */
  monitoring: MonitoringSettings;
  /** Proxy traces to the collector, `sampling` the share of new traces; absent: no tracing. */
  tracing?: { collector: pulumi.Output<CollectorEndpoints>; sampling: number };
  /** Access logs on every proxy (JSON lines, with the model and LLM usage). */
  accessLogs: boolean;
}

/**
 * PodMonitor of the agentgateway proxies: the generated proxy Services only carry listener ports, so the
 * metrics port (container port `metrics`, 15020) is scraped from the pods. Proxy pods carry the
 * `gateway.networking.k8s.io/gateway-class-name` label, the selector agentgateway's own chart uses
 * (agentgateway/agentgateway controller/install/helm/agentgateway/templates/monitoring.yaml).
 */
function proxyPodMonitorSpec(
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

/** ServiceMonitor spec of the agentgateway controller's metrics Service. */
function controllerServiceMonitorSpec(
  namespace: pulumi.Input<string>,
  interval: string,
): Record<string, unknown> {
  return serviceMonitorSpec({
    // The chart's selector labels: its name and the release, since a Gateway named `agentgateway` gives its
    // proxy Service the same `app.kubernetes.io/name` (controller/install/helm/agentgateway/templates/_helpers.tpl).
    serviceLabels: {
      "app.kubernetes.io/name": "agentgateway",
      "app.kubernetes.io/instance": CONTROLLER_RELEASE,
    },
    namespace,
    // Controller metrics: Service port `metrics` (9092) (agentgateway.md; chart controller.service.ports.metrics).
    port: "metrics",
    interval,
    metricRelabelings: keepMetrics(CONTROLLER_METRICS_KEEP),
  });
}

export interface GatewayTelemetryObjects {
  /** Resource name prefix (the AI gateway component's name). */
  name: string;
  /** The gateway namespace (Namespace metadata.name output). */
  namespace: pulumi.Input<string>;
  /** Names of the Gateways. */
  gateways: string[];
  telemetry: GatewayTelemetry;
  /** The agentgateway CRD chart; the telemetry policies are of one of its kinds. */
  crds: pulumi.Resource;
}

/**
 * Emits the gateway layer's telemetry under `parent`. Each object keeps the name, namespace and state it had
 * when the observability layer emitted it: its alias is its URN there. Returns the dashboard ConfigMap names.
 */
export function emitGatewayTelemetry(parent: pulumi.Resource, o: GatewayTelemetryObjects): string[] {
  const { monitoring, tracing, accessLogs } = o.telemetry;
  for (const gateway of o.gateways) {
    const options = { gateway, sampling: tracing?.sampling ?? 1, accessLogs };
    // Tracing waits for the collector's endpoints, which the collector publishes once its chart exists.
    const spec =
      tracing === undefined
        ? gatewayTelemetryPolicySpec(options)
        : tracing.collector.apply((collector) => gatewayTelemetryPolicySpec({ ...options, collector })!);
    if (spec === undefined) continue;
    new k8s.apiextensions.CustomResource(
      `${o.name}-telemetry-${gateway}`,
      {
        apiVersion: AGW_VERSION,
        kind: "AgentgatewayPolicy",
        metadata: {
          name: `${gateway}-telemetry`,
          namespace: o.namespace,
          labels: PLATFORM_LABELS,
          // It targets its Gateway only (tracing.ts), so that Gateway is its one ancestor.
          annotations: readinessAnnotations(policyWaits([gateway]), READINESS_TIMEOUTS.policy),
        },
        spec,
      },
      {
        parent,
        // AgentgatewayPolicy is a CRD of the agentgateway CRD chart.
        dependsOn: [o.crds],
        // Emitted by the observability layer before each layer owned its telemetry.
        aliases: [formerObservabilityChild(`observability-${gateway}-telemetry`)],
      },
    );
  }
  if (monitoring.metrics) {
    // The proxies' one scrape path: a PodMonitor over the pods of the controller's GatewayClass.
    monitoringObject(
      `${o.name}-proxies-monitor`,
      "PodMonitor",
      "agentgateway-proxies",
      proxyPodMonitorSpec("agentgateway", o.namespace, monitoring.interval),
      monitoring,
      // Emitted by the observability layer before each layer owned its telemetry.
      { parent, aliases: [formerObservabilityChild("observability-agentgateway-proxies")] },
    );
    monitoringObject(
      `${o.name}-controller-monitor`,
      "ServiceMonitor",
      "agentgateway-controller",
      controllerServiceMonitorSpec(o.namespace, monitoring.interval),
      monitoring,
      // Emitted by the observability layer before each layer owned its telemetry.
      { parent, aliases: [formerObservabilityChild("observability-agentgateway-controller")] },
    );
  }
  if (monitoring.alerts !== undefined) {
    monitoringObject(
      `${o.name}-alerts`,
      "PrometheusRule",
      "ai-gateway-alerts",
      { groups: [{ name: "ai-gateway", rules: aiGatewayAlertRules(monitoring.alerts) }] },
      monitoring,
      { parent },
    );
  }
  if (!monitoring.dashboards) return [];
  dashboardConfigMap(
    `${o.name}-dashboard`,
    DASHBOARD_FILES.gateway,
    gatewayOverviewDashboard(),
    monitoring,
    // Emitted by the observability layer before each layer owned its telemetry.
    { parent, aliases: [formerObservabilityChild("observability-dashboard-gateway")] },
  );
  return [dashboardMapName(DASHBOARD_FILES.gateway)];
}
