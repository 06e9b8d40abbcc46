import { z } from "zod";
import { dnsLabel, duration, labels, resourcesSchema, secretName, urlString } from "../fields";
import { invariant, uniqueNames } from "../checks/refine";

/* Collector, exporters, tracing and alert thresholds. */

const ratio = z
  .number()
  .min(0, { error: "must be a ratio in 0-1" })
  .max(1, { error: "must be a ratio in 0-1" });

/** Alert thresholds: the AI gateway alerts homeops runs under kgateway and the agent alerts of the AgentOps platform, each overridable per stack. */
export const alertDefaults = {
  enabled: true,
  errorRateWarning: 0.05,
  errorRateCritical: 0.15,
  latencyP95Seconds: 30,
  rateLimitedPerSecond: 10,
  tokensPerMinuteLimit: 450000,
  tokensPerMinuteWarningRatio: 0.8,
  healthyBackendsMinRatio: 0.5,
  noTrafficFor: "30m",
  connectionPoolUsageRatio: 0.9,
  agentErrorRate: 0.05,
  agentLatencyP95Seconds: 2,
  agentMemoryRatio: 0.9,
  agentRestartsIn10m: 3,
  agentAvailability: 0.99,
};

export const observabilitySchema = z
  .strictObject({
    enabled: z.boolean(),
    collector: z
      .strictObject({
        enabled: z.boolean(),
        /** Release and Service name of the fan-out collector (the Service is exactly this name). */
        name: dnsLabel.default("otel-collector"),
        /** Namespace of the collector, and of the monitors, rules and dashboards of this layer. */
        namespace: dnsLabel,
        replicas: z.number().int().min(1).default(1),
        resources: resourcesSchema.optional(),
      })
      .prefault({ enabled: false, namespace: "observability" }),
    langfuse: z
      .strictObject({
        enabled: z.boolean(),
        /** Langfuse base URL; the collector appends /api/public/otel. */
        endpoint: urlString,
        publicKeySecret: secretName,
        secretKeySecret: secretName,
        /** What runs Langfuse when the endpoint is an in-cluster Service this program does not create. */
        providedBy: z.string().min(1).optional(),
      })
      .optional(),
    otlpExporters: z
      .array(
        z
          .strictObject({
            name: dnsLabel,
            /** host:port for grpc, a URL for http. */
            endpoint: z.string().min(1),
            protocol: z.enum(["grpc", "http"]),
            insecure: z.boolean().default(false),
            /** What runs the endpoint when it is an in-cluster Service this program does not create. */
            providedBy: z.string().min(1).optional(),
          })
          .check(
            invariant("otlp-http-url", (e, problems) => {
              if (e.protocol === "http" && !/^https?:\/\//.test(e.endpoint))
                problems.add(
                  ["endpoint"],
                  "an OTLP/HTTP exporter needs a URL",
                  "write it like https://host:4318",
                );
            }),
          ),
      )
      .default([])
      .check(uniqueNames("exporter name")),
    gatewayTracing: z
      .strictObject({
        enabled: z.boolean(),
        accessLogs: z.boolean(),
        /** Share of new traces the proxies start (agentgateway randomSampling). */
        sampling: ratio.default(1),
      })
      .default({ enabled: true, accessLogs: true, sampling: 1 }),
    metrics: z
      .strictObject({
        enabled: z.boolean(),
        interval: duration.default("30s"),
        /** Labels on every monitor and rule, for the Prometheus selectors (kube-prometheus-stack: release). */
        labels: labels.default({}),
        /** Namespace of the Prometheus that scrapes workloads (allowed in on their metrics ports). */
        prometheusNamespace: dnsLabel.default("monitoring"),
      })
      .default({ enabled: true, interval: "30s", labels: {}, prometheusNamespace: "monitoring" }),
    alerts: z
      .strictObject({
        enabled: z.boolean(),
        errorRateWarning: ratio.default(alertDefaults.errorRateWarning),
        errorRateCritical: ratio.default(alertDefaults.errorRateCritical),
        latencyP95Seconds: z.number().positive().default(alertDefaults.latencyP95Seconds),
        rateLimitedPerSecond: z.number().positive().default(alertDefaults.rateLimitedPerSecond),
        tokensPerMinuteLimit: z.number().int().positive().default(alertDefaults.tokensPerMinuteLimit),
        tokensPerMinuteWarningRatio: ratio.default(alertDefaults.tokensPerMinuteWarningRatio),
        healthyBackendsMinRatio: ratio.default(alertDefaults.healthyBackendsMinRatio),
        noTrafficFor: duration.default(alertDefaults.noTrafficFor),
        connectionPoolUsageRatio: ratio.default(alertDefaults.connectionPoolUsageRatio),
        agentErrorRate: ratio.default(alertDefaults.agentErrorRate),
        agentLatencyP95Seconds: z.number().positive().default(alertDefaults.agentLatencyP95Seconds),
        agentMemoryRatio: ratio.default(alertDefaults.agentMemoryRatio),
        agentRestartsIn10m: z.number().int().min(0).default(alertDefaults.agentRestartsIn10m),
        agentAvailability: ratio.default(alertDefaults.agentAvailability),
      })
      .default(alertDefaults),
    dashboards: z.strictObject({ enabled: z.boolean() }).default({ enabled: true }),
  })
  .check(
    invariant("observability-collector", (obs, problems) => {
      if (!obs.enabled) return;
      const exporting = (obs.langfuse?.enabled ?? false) || obs.otlpExporters.length > 0;
      if (exporting && !obs.collector.enabled)
        problems.add(
          ["collector", "enabled"],
          "trace exporters are configured but the collector is disabled",
          "enable the collector, or remove the exporters",
        );
      if (obs.gatewayTracing.enabled && !obs.collector.enabled)
        problems.add(
          ["gatewayTracing", "enabled"],
          "gateway tracing needs the collector",
          "enable observability.collector",
        );
      if (obs.collector.enabled && !exporting)
        problems.add(["collector"], "the collector has no exporter", "enable langfuse or add otlpExporters");
    }),
    invariant("alert-thresholds", (obs, problems) => {
      if (obs.enabled && obs.alerts.errorRateCritical < obs.alerts.errorRateWarning)
        problems.add(
          ["alerts", "errorRateCritical"],
          `critical error rate ${obs.alerts.errorRateCritical} is below the warning rate ${obs.alerts.errorRateWarning}`,
          "the critical threshold must be at least the warning threshold",
        );
    }),
  );
