import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTROLLER_RELEASE } from "../../lib/agentgatewayController";
import { charts } from "../../lib/versions";
import { AgentAlertScope, AlertSettings, alertRuleGroups, alertThresholds } from "./alerts";
import {
  collectorChartValues,
  collectorEgressTargets,
  collectorNetworkPolicySpec,
  collectorSelectorLabels,
  LANGFUSE_AUTH_KEY,
  LangfuseConfig,
  OtlpExporterConfig,
} from "./collector";
import { CollectorEndpoints, collectorEndpoints } from "../../lib/collector";
import {
  agentsOverviewDashboard,
  Dashboard,
  GRAFANA_DASHBOARD_LABEL,
  gatewayOverviewDashboard,
} from "./dashboards";
import {
  COLLECTOR_METRICS_KEEP,
  CONTROLLER_METRICS_KEEP,
  dropMetrics,
  KAGENT_METRICS_DROP,
  keepMetrics,
  proxyPodMonitorSpec,
  serviceMonitorSpec,
} from "./monitors";
import { gatewayTelemetryPolicySpec } from "./tracing";
import type { Resources } from "../workload/podSpec";

/** The observability settings this layer reads (the composition passes the `observability` config). */
export interface ObservabilitySettings {
  /** The fan-out collector: switch, release and Service name, replicas, resources. */
  collector: { enabled: boolean; name: string; replicas: number; resources?: Resources };
  /** Langfuse destination; its keys come in as `langfusePublicKey`/`langfuseSecretKey`. */
  langfuse?: LangfuseConfig;
  /** Further OTLP destinations. */
  otlpExporters: OtlpExporterConfig[];
  /** Proxy traces to the collector (share `sampling` of new traces) and access logs. */
  gatewayTracing: { enabled: boolean; accessLogs: boolean; sampling: number };
  /** Monitors: switch, scrape interval, labels for the Prometheus selectors, the Prometheus's namespace. */
  metrics: {
    enabled: boolean;
    interval: string;
    labels: Record<string, string>;
    prometheusNamespace: string;
  };
  alerts: AlertSettings;
  dashboards: { enabled: boolean };
}

export interface ObservabilityKagentArgs {
  /** kagent namespace (Namespace metadata.name output): agent alerts, agent dashboard, kagent scrape, collector ingress. */
  namespace: pulumi.Input<string>;
  /** Gateway routes (`<namespace>/<name>`) the agents' model configs call; see agentRouteLabels. */
  routes: string[];
  /** The kagent controller's metrics Service as the kagent layer has the chart render it (KAGENT_METRICS_SERVICE). */
  metricsService: { labels: Record<string, string>; port: string; scheme: "http" | "https" };
}

export interface ObservabilityArgs {
  /** The `observability` slice of the stack config. */
  config: ObservabilitySettings;
  /** Namespace of the collector, monitors, rules and dashboards (Namespace metadata.name output). */
  namespace: pulumi.Input<string>;
  /** Namespace of the AI gateways; their telemetry policies live there (Namespace metadata.name output). */
  gatewayNamespace: pulumi.Input<string>;
  /** Names of the Gateways whose traces, access logs and metrics this layer wires. */
  gateways: string[];
  /** kagent, when it is deployed. */
  kagent?: ObservabilityKagentArgs;
  /** Langfuse public key (secret Output), required when Langfuse is enabled. */
  langfusePublicKey?: pulumi.Input<string>;
  /** Langfuse secret key (secret Output), required when Langfuse is enabled. */
  langfuseSecretKey?: pulumi.Input<string>;
  /** The agentgateway CRD chart; telemetry policies wait for it. */
  agentgatewayCrds?: pulumi.Resource;
}

export { proxyLoggingParameters } from "./tracing";

/** The proxy `route` label values (`<namespace>/<route>`) of the LLM routes the kagent model configs use. */
export function agentRouteLabels(
  kagent: { modelConfigs: ReadonlyArray<{ route: string }> },
  routesNamespace: string,
): string[] {
  return [...new Set(kagent.modelConfigs.map((m) => `${routesNamespace}/${m.route}`))].sort();
}

/** base64("public:secret"), the Basic credential Langfuse expects (username = public key, password = secret key). */
export function langfuseBasicAuth(publicKey: string, secretKey: string): string {
  return Buffer.from(`${publicKey}:${secretKey}`, "utf8").toString("base64");
}

/**
 * Observability of the AI platform: the OTLP fan-out collector (Langfuse plus any OTLP endpoints), gateway
 * tracing and access logs, scrape targets, alerts and Grafana dashboards, each switched by the stack config.
 * The prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule) come from kube-prometheus-stack,
 * which this program does not manage.
 */
export class Observability extends pulumi.ComponentResource {
  /** Collector Service name, once the collector chart exists. */
  public readonly collectorServiceName: pulumi.Output<string> | undefined;
  /** OTLP/gRPC URL of the collector (for kagent `otel.tracing.exporter.otlp.endpoint`). */
  public readonly otlpGrpcEndpoint: pulumi.Output<string> | undefined;
  /** One AgentgatewayPolicy per Gateway carrying tracing and access logs. */
  public readonly telemetryPolicies: k8s.apiextensions.CustomResource[];
  /** Names of the dashboard ConfigMaps. */
  public readonly dashboardNames: string[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:Observability", name, {}, opts);
    const cfg = args.config;
    const collectorName = cfg.collector.name;
    const commonLabels = {
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/part-of": "ai-platform",
    };
    // Prometheus selects monitors and rules by these (kube-prometheus-stack: `release`).
    const monitorLabels = { ...cfg.metrics.labels, ...commonLabels };
    const interval = cfg.metrics.interval;

    if (cfg.gatewayTracing.enabled && !cfg.collector.enabled) {
      throw new Error("observability: gateway tracing needs the collector (observability.collector.enabled)");
    }

    let collector: k8s.helm.v4.Chart | undefined;
    let endpoints: pulumi.Output<CollectorEndpoints> | undefined;
    if (cfg.collector.enabled) {
      let authSecret: k8s.core.v1.Secret | undefined;
      if (cfg.langfuse?.enabled) {
        if (args.langfusePublicKey === undefined || args.langfuseSecretKey === undefined) {
          throw new Error("observability: Langfuse is enabled but its public and secret keys were not given");
        }
        const basic = pulumi.secret(
          pulumi
            .all([args.langfusePublicKey, args.langfuseSecretKey])
            .apply(([pk, sk]) => langfuseBasicAuth(pk, sk)),
        );
        authSecret = new k8s.core.v1.Secret(
          `${name}-langfuse-auth`,
          {
            metadata: {
              name: `${collectorName}-langfuse-auth`,
              namespace: args.namespace,
              labels: commonLabels,
            },
            type: "Opaque",
            stringData: { [LANGFUSE_AUTH_KEY]: basic },
          },
          { parent: this },
        );
      }
      collector = new k8s.helm.v4.Chart(
        `${name}-collector`,
        {
          chart: charts.otelCollector.chart,
          version: charts.otelCollector.version,
          repositoryOpts: { repo: charts.otelCollector.repo },
          name: collectorName,
          namespace: args.namespace,
          values: collectorChartValues({
            name: collectorName,
            replicas: cfg.collector.replicas,
            resources: cfg.collector.resources,
            langfuse: cfg.langfuse,
            otlpExporters: cfg.otlpExporters,
            langfuseSecretName: authSecret === undefined ? undefined : `${collectorName}-langfuse-auth`,
          }),
        },
        // The pods read the Langfuse credential from this Secret at start.
        { parent: this, dependsOn: authSecret === undefined ? [] : [authSecret] },
      );
      const clients: Array<pulumi.Input<string>> = [args.gatewayNamespace];
      if (args.kagent !== undefined) clients.push(args.kagent.namespace);
      new k8s.networking.v1.NetworkPolicy(
        `${name}-collector`,
        {
          metadata: { name: collectorName, namespace: args.namespace, labels: commonLabels },
          spec: collectorNetworkPolicySpec(
            collectorName,
            clients,
            cfg.metrics.prometheusNamespace,
            collectorEgressTargets(cfg.langfuse, cfg.otlpExporters),
          ),
        },
        { parent: this },
      );
      const chartReady = collector.urn;
      this.collectorServiceName = chartReady.apply(() => collectorName);
      endpoints = pulumi
        .all([args.namespace, chartReady])
        .apply(([ns]) => collectorEndpoints({ name: collectorName, namespace: ns }));
      this.otlpGrpcEndpoint = endpoints.apply((e) => e.grpcUrl);
    }

    this.telemetryPolicies = [];
    if (cfg.gatewayTracing.enabled || cfg.gatewayTracing.accessLogs) {
      for (const gateway of args.gateways) {
        const tracing = cfg.gatewayTracing.enabled ? endpoints : undefined;
        const options = {
          gateway,
          sampling: cfg.gatewayTracing.sampling,
          accessLogs: cfg.gatewayTracing.accessLogs,
        };
        // Tracing waits for the collector's endpoints, which the collector publishes once its chart exists.
        const spec =
          tracing === undefined
            ? gatewayTelemetryPolicySpec(options)
            : tracing.apply((collector) => gatewayTelemetryPolicySpec({ ...options, collector })!);
        if (spec === undefined) continue;
        this.telemetryPolicies.push(
          new k8s.apiextensions.CustomResource(
            `${name}-${gateway}-telemetry`,
            {
              apiVersion: "agentgateway.dev/v1alpha1",
              kind: "AgentgatewayPolicy",
              metadata: {
                name: `${gateway}-telemetry`,
                namespace: args.gatewayNamespace,
                labels: commonLabels,
              },
              spec,
            },
            // AgentgatewayPolicy is a CRD of the agentgateway CRD chart.
            { parent: this, dependsOn: args.agentgatewayCrds === undefined ? [] : [args.agentgatewayCrds] },
          ),
        );
      }
    }

    const monitor = (
      suffix: string,
      kind: "ServiceMonitor" | "PodMonitor",
      spec: pulumi.Input<Record<string, unknown>>,
    ) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${suffix}`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind,
          metadata: { name: suffix, namespace: args.namespace, labels: monitorLabels },
          spec,
        },
        { parent: this },
      );

    if (cfg.metrics.enabled) {
      // The proxies' one scrape path: a PodMonitor over the pods of the controller's GatewayClass.
      monitor(
        "agentgateway-proxies",
        "PodMonitor",
        proxyPodMonitorSpec("agentgateway", args.gatewayNamespace, interval),
      );
      monitor(
        "agentgateway-controller",
        "ServiceMonitor",
        serviceMonitorSpec({
          // The chart's selector labels: its name and the release, since a Gateway named `agentgateway` gives its
          // proxy Service the same `app.kubernetes.io/name` (controller/install/helm/agentgateway/templates/_helpers.tpl).
          serviceLabels: {
            "app.kubernetes.io/name": "agentgateway",
            "app.kubernetes.io/instance": CONTROLLER_RELEASE,
          },
          namespace: args.gatewayNamespace,
          // Controller metrics: Service port `metrics` (9092) (agentgateway.md; chart controller.service.ports.metrics).
          port: "metrics",
          interval,
          metricRelabelings: keepMetrics(CONTROLLER_METRICS_KEEP),
        }),
      );
      if (collector !== undefined) {
        monitor(
          `${collectorName}-metrics`,
          "ServiceMonitor",
          serviceMonitorSpec({
            serviceLabels: collectorSelectorLabels(collectorName),
            namespace: args.namespace,
            port: "metrics",
            interval,
            metricRelabelings: keepMetrics(COLLECTOR_METRICS_KEEP),
          }),
        );
      }
      if (args.kagent !== undefined) {
        monitor(
          "kagent-controller",
          "ServiceMonitor",
          serviceMonitorSpec({
            // The kagent layer turns on the chart's metrics Service whenever metrics are scraped.
            serviceLabels: args.kagent.metricsService.labels,
            namespace: args.kagent.namespace,
            port: args.kagent.metricsService.port,
            scheme: args.kagent.metricsService.scheme,
            interval,
            metricRelabelings: dropMetrics(KAGENT_METRICS_DROP),
          }),
        );
      }
    }

    const kagent = args.kagent;
    const agentScope: pulumi.Output<AgentAlertScope | undefined> =
      kagent === undefined
        ? pulumi.output(undefined)
        : pulumi.output(kagent.namespace).apply((ns) => ({ namespaces: [ns], routes: kagent.routes }));

    if (cfg.alerts.enabled) {
      const thresholds = alertThresholds(cfg.alerts);
      new k8s.apiextensions.CustomResource(
        `${name}-alerts`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: "ai-platform-alerts", namespace: args.namespace, labels: monitorLabels },
          spec: { groups: agentScope.apply((scope) => alertRuleGroups(thresholds, scope)) },
        },
        { parent: this },
      );
    }

    this.dashboardNames = [];
    if (cfg.dashboards.enabled) {
      const dashboardMap = (suffix: string, file: string, json: pulumi.Input<string>) => {
        const configMapName = `${file}-dashboard`;
        this.dashboardNames.push(configMapName);
        new k8s.core.v1.ConfigMap(
          `${name}-${suffix}`,
          {
            metadata: {
              name: configMapName,
              namespace: args.namespace,
              labels: { ...commonLabels, ...GRAFANA_DASHBOARD_LABEL },
            },
            data: { [`${file}.json`]: json },
          },
          { parent: this },
        );
      };
      dashboardMap("dashboard-gateway", "ai-gateway-overview", toJson(gatewayOverviewDashboard()));
      if (kagent !== undefined) {
        dashboardMap(
          "dashboard-agents",
          "ai-agents-overview",
          agentScope.apply((scope) => toJson(agentsOverviewDashboard(scope!))),
        );
      }
    }

    this.registerOutputs({
      collectorServiceName: this.collectorServiceName,
      otlpGrpcEndpoint: this.otlpGrpcEndpoint,
      dashboardNames: this.dashboardNames,
    });
  }
}

function toJson(d: Dashboard): string {
  return JSON.stringify(d, null, 2);
}
