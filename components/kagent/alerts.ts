import { AlertRule, AlertThresholds, exactRegex, percent } from "../../lib/alerts";
import type { AgentScope } from "./telemetry";

const REQUESTS = "agentgateway_requests_total";

/**
 * The agent alerts of the AgentOps platform: error rate and p95 latency of the agents' LLM calls (the gateway routes their
 * model configs use), memory pressure, crash loops and availability of the agent workloads.
 */
export function agentAlertRules(t: AlertThresholds, scope: AgentScope): AlertRule[] {
  const rules: AlertRule[] = [];
  if (scope.routes.length > 0) {
    const route = `route=~"${exactRegex(scope.routes)}"`;
    rules.push(
      {
        alert: "AgentHighErrorRate",
        expr: `sum by (route) (rate(${REQUESTS}{${route}, status=~"5.."}[5m])) / sum by (route) (rate(${REQUESTS}{${route}}[5m])) > ${t.agentErrorRate}`,
        for: "5m",
        labels: { severity: "warning" },
        annotations: {
          summary: `Agent LLM route {{ $labels.route }} error rate above ${percent(t.agentErrorRate)}`,
          description:
            "{{ $value | humanizePercentage }} of agent model calls through {{ $labels.route }} failed over 5 minutes.",
        },
      },
      {
        alert: "AgentHighLatency",
        expr: `histogram_quantile(0.95, sum by (route, le) (rate(agentgateway_request_duration_seconds_bucket{${route}}[5m]))) > ${t.agentLatencyP95Seconds}`,
        for: "5m",
        labels: { severity: "warning" },
        annotations: {
          summary: `Agent LLM route {{ $labels.route }} p95 latency above ${t.agentLatencyP95Seconds}s`,
          description:
            "p95 duration of agent model calls through {{ $labels.route }} is {{ $value | humanizeDuration }}.",
        },
      },
    );
  }
  if (scope.namespaces.length > 0) {
    const ns = `namespace=~"${exactRegex(scope.namespaces)}"`;
    const byContainer = "max by (namespace, pod, container)";
    rules.push(
      {
        alert: "AgentMemoryPressure",
        expr: `${byContainer} (container_memory_working_set_bytes{${ns}, container!=""}) / ${byContainer} (kube_pod_container_resource_limits{${ns}, resource="memory"}) > ${t.agentMemoryRatio}`,
        for: "10m",
        labels: { severity: "warning" },
        annotations: {
          summary: `Agent container {{ $labels.pod }}/{{ $labels.container }} above ${percent(t.agentMemoryRatio)} of its memory limit`,
          description:
            "{{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit.",
        },
      },
      {
        alert: "AgentCrashLooping",
        expr: `increase(kube_pod_container_status_restarts_total{${ns}}[10m]) > ${t.agentRestartsIn10m}`,
        labels: { severity: "critical" },
        annotations: {
          summary: `Agent pod {{ $labels.pod }} restarted more than ${t.agentRestartsIn10m} times in 10 minutes`,
          description:
            "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is crash looping.",
        },
      },
      {
        alert: "AgentLowAvailability",
        expr:
          `avg_over_time((sum by (namespace, deployment) (kube_deployment_status_replicas_available{${ns}})` +
          ` / sum by (namespace, deployment) (kube_deployment_spec_replicas{${ns}}))[1h:1m]) < ${t.agentAvailability}`,
        labels: { severity: "critical" },
        annotations: {
          summary: `Agent {{ $labels.deployment }} available less than ${percent(t.agentAvailability)} over 1 hour`,
          description:
            "{{ $labels.namespace }}/{{ $labels.deployment }} had {{ $value | humanizePercentage }} of its replicas available over the last hour.",
        },
      },
    );
  }
  return rules;
}
