import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../lib/versions";
import { AlertSettings, alertThresholds } from "../../lib/alerts";
import {
  collectorChartValues,
  collectorEgressTargets,
  collectorNetworkPolicySpec,
  COLLECTOR_METRICS_KEEP,
  LANGFUSE_AUTH_KEY,
  LangfuseConfig,
  OtlpExporterConfig,
} from "./collector";
import { CollectorEndpoints, collectorEndpoints, collectorPodLabels } from "../../lib/collector";
import {
  keepMetrics,
  MonitoringSettings,
  monitoringObject,
  PLATFORM_LABELS,
  serviceMonitorSpec,
} from "../../lib/monitoring";
import { ResolvedSecrets, resolvedSecret } from "../platform/resolvedSecrets";
import type { Resources } from "../workload/podSpec";

/** The observability settings this layer reads (the composition passes the `observability` config). */
export interface ObservabilitySettings {
  /** The fan-out collector: switch, release and Service name, replicas, resources. */
  collector: { enabled: boolean; name: string; replicas: number; resources?: Resources };
  /** Langfuse destination and the names of its key pair's secrets (resolved in `secrets`). */
  langfuse?: LangfuseConfig & { publicKeySecret: string; secretKeySecret: string };
  /** Further OTLP destinations. */
  otlpExporters: OtlpExporterConfig[];
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

export interface ObservabilityArgs {
  /** The `observability` slice of the stack config. */
  config: ObservabilitySettings;
  /** Namespace of the collector, monitors, rules and dashboards (Namespace metadata.name output). */
  namespace: pulumi.Input<string>;
  /** Namespaces whose pods send traces to the collector: the AI gateway's and kagent's (Namespace metadata.name outputs). */
  otlpClientNamespaces: Array<pulumi.Input<string>>;
  /** Resolved secrets by name (secret Outputs): the Langfuse key pair when Langfuse is enabled. */
  secrets: ResolvedSecrets;
}

/** base64("public:secret"), the Basic credential Langfuse expects (username = public key, password = secret key). */
export function langfuseBasicAuth(publicKey: string, secretKey: string): string {
  return Buffer.from(`${publicKey}:${secretKey}`, "utf8").toString("base64");
}

/**
 * Observability of the AI platform: the OTLP fan-out collector (Langfuse plus any OTLP endpoints) with its
 * own monitor, and the shared monitoring settings every layer that watches itself reads (`monitoring`), each
 * switched by the stack config.
 */
export class Observability extends pulumi.ComponentResource {
  /** OTLP/gRPC URL of the collector, once it runs (the `otlpEndpoint` stack output). */
  public readonly otlpGrpcEndpoint: pulumi.Output<string> | undefined;
  /** The shared monitoring settings, with the collector's endpoints once it runs. */
  public readonly monitoring: MonitoringSettings;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:Observability", name, {}, opts);
    const cfg = args.config;
    const collectorName = cfg.collector.name;

    let collector: k8s.helm.v4.Chart | undefined;
    let endpoints: pulumi.Output<CollectorEndpoints> | undefined;
    if (cfg.collector.enabled) {
      let authSecret: k8s.core.v1.Secret | undefined;
      const langfuse = cfg.langfuse;
      if (langfuse?.enabled) {
        const key = (secret: string, field: string) =>
          resolvedSecret(args.secrets, secret, `observability.langfuse.${field}`);
        const basic = pulumi.secret(
          pulumi
            .all([
              key(langfuse.publicKeySecret, "publicKeySecret"),
              key(langfuse.secretKeySecret, "secretKeySecret"),
            ])
            .apply(([pk, sk]) => langfuseBasicAuth(pk, sk)),
        );
        authSecret = new k8s.core.v1.Secret(
          `${name}-langfuse-auth`,
          {
            metadata: {
              name: `${collectorName}-langfuse-auth`,
              namespace: args.namespace,
              labels: PLATFORM_LABELS,
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
      new k8s.networking.v1.NetworkPolicy(
        `${name}-collector`,
        {
          metadata: { name: collectorName, namespace: args.namespace, labels: PLATFORM_LABELS },
          spec: collectorNetworkPolicySpec(
            collectorName,
            args.otlpClientNamespaces,
            cfg.metrics.prometheusNamespace,
            collectorEgressTargets(cfg.langfuse, cfg.otlpExporters),
          ),
        },
        { parent: this },
      );
      endpoints = pulumi
        .all([args.namespace, collector.urn])
        .apply(([ns]) => collectorEndpoints({ name: collectorName, namespace: ns }));
      this.otlpGrpcEndpoint = endpoints.apply((e) => e.grpcUrl);
    }

    this.monitoring = {
      namespace: args.namespace,
      // Prometheus selects monitors and rules by these (kube-prometheus-stack: `release`).
      labels: { ...cfg.metrics.labels, ...PLATFORM_LABELS },
      selectorLabels: cfg.metrics.labels,
      interval: cfg.metrics.interval,
      prometheusNamespace: cfg.metrics.prometheusNamespace,
      metrics: cfg.metrics.enabled,
      alerts: cfg.alerts.enabled ? alertThresholds(cfg.alerts) : undefined,
      dashboards: cfg.dashboards.enabled,
      collector: endpoints,
    };
    const monitoring = this.monitoring;

    if (monitoring.metrics && collector !== undefined) {
      monitoringObject(
        `${name}-${collectorName}-metrics`,
        "ServiceMonitor",
        `${collectorName}-metrics`,
        serviceMonitorSpec({
          serviceLabels: collectorPodLabels(collectorName),
          namespace: args.namespace,
          port: "metrics",
          interval: monitoring.interval,
          metricRelabelings: keepMetrics(COLLECTOR_METRICS_KEEP),
        }),
        monitoring,
        { parent: this },
      );
    }

    this.registerOutputs({ otlpGrpcEndpoint: this.otlpGrpcEndpoint });
  }
}
