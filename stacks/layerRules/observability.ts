import type { Rule } from "./common";
import { unique } from "./common";

/* Collector, exporters, tracing and alert thresholds. */

export const observabilityRules: Rule = (c, issues) => {
  const obs = c.observability;
  if (obs === undefined || !obs.enabled) return;
  unique(
    issues,
    obs.otlpExporters,
    (e) => e.name,
    (i) => `observability.otlpExporters[${i}].name`,
    "exporter name",
  );
  obs.otlpExporters.forEach((e, i) => {
    if (e.protocol === "http" && !/^https?:\/\//.test(e.endpoint)) {
      issues.add(
        `observability.otlpExporters[${i}].endpoint`,
        "an OTLP/HTTP exporter needs a URL",
        "write it like https://host:4318",
      );
    }
  });
  const exporting = (obs.langfuse?.enabled ?? false) || obs.otlpExporters.length > 0;
  if (exporting && !obs.collector.enabled) {
    issues.add(
      "observability.collector.enabled",
      "trace exporters are configured but the collector is disabled",
      "enable the collector, or remove the exporters",
    );
  }
  if (obs.gatewayTracing.enabled && !obs.collector.enabled) {
    issues.add(
      "observability.gatewayTracing.enabled",
      "gateway tracing needs the collector",
      "enable observability.collector",
    );
  }
  if (obs.collector.enabled && !exporting) {
    issues.add(
      "observability.collector",
      "the collector has no exporter",
      "enable langfuse or add otlpExporters",
    );
  }
  if (obs.alerts.errorRateCritical < obs.alerts.errorRateWarning) {
    issues.add(
      "observability.alerts.errorRateCritical",
      `critical error rate ${obs.alerts.errorRateCritical} is below the warning rate ${obs.alerts.errorRateWarning}`,
      "the critical threshold must be at least the warning threshold",
    );
  }
};
