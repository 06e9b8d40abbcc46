import { AlertRule, AlertThresholds, percent } from "../../lib/alerts";

const REQUESTS = "agentgateway_requests_total";

/**
 * The eight AI gateway alerts homeops runs today under kgateway, written against the agentgateway proxy metrics. Error and
 * rate-limit signals come from `agentgateway_requests_total` (labels gateway, backend, status, reason), latency
 * from `agentgateway_request_duration_seconds`, tokens from `agentgateway_gen_ai_client_token_usage`.
 */
export function aiGatewayAlertRules(t: AlertThresholds): AlertRule[] {
  const errorRatio = `sum by (gateway) (rate(${REQUESTS}{status=~"5.."}[5m])) / sum by (gateway) (rate(${REQUESTS}[5m]))`;
  const backendsWithTraffic = `count by (gateway) (sum by (gateway, backend) (rate(${REQUESTS}[5m])) > 0)`;
  // A backend is healthy when some of its requests were answered by the upstream (reason "Upstream"); the
  // `or 0 *` branch keeps gateways whose backends are all unhealthy, where the count would be empty.
  const healthyBackends =
    `(count by (gateway) (sum by (gateway, backend) (rate(${REQUESTS}{reason="Upstream"}[5m])) > 0)` +
    ` or 0 * ${backendsWithTraffic})`;
  return [
    {
      alert: "AIGatewayHighErrorRate",
      expr: `${errorRatio} > ${t.errorRateWarning}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "AI gateway {{ $labels.gateway }} 5xx rate above " + percent(t.errorRateWarning),
        description:
          "{{ $value | humanizePercentage }} of requests through {{ $labels.gateway }} failed with a 5xx status over 5 minutes.",
      },
    },
    {
      alert: "AIGatewayCriticalErrorRate",
      expr: `${errorRatio} > ${t.errorRateCritical}`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: "AI gateway {{ $labels.gateway }} 5xx rate above " + percent(t.errorRateCritical),
        description:
          "{{ $value | humanizePercentage }} of requests through {{ $labels.gateway }} are failing with a 5xx status.",
      },
    },
    {
      alert: "AIGatewayHighLatency",
      expr: `histogram_quantile(0.95, sum by (gateway, le) (rate(agentgateway_request_duration_seconds_bucket[5m]))) > ${t.latencyP95Seconds}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: `AI gateway {{ $labels.gateway }} p95 latency above ${t.latencyP95Seconds}s`,
        description: "p95 request duration through {{ $labels.gateway }} is {{ $value | humanizeDuration }}.",
      },
    },
    {
      alert: "AIGatewayRateLimitExceeded",
      expr: `sum by (gateway) (rate(${REQUESTS}{reason="RateLimit"}[5m])) > ${t.rateLimitedPerSecond}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: `AI gateway {{ $labels.gateway }} rate-limits more than ${t.rateLimitedPerSecond} requests/s`,
        description:
          "{{ $value | humanize }} requests/s through {{ $labels.gateway }} are rejected by rate limits.",
      },
    },
    {
      alert: "AIGatewayTPMApproachingLimit",
      expr: `sum by (gateway) (rate(agentgateway_gen_ai_client_token_usage_sum[5m])) * 60 > ${t.tokensPerMinuteWarningRatio} * ${t.tokensPerMinuteLimit}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: `AI gateway {{ $labels.gateway }} above ${percent(t.tokensPerMinuteWarningRatio)} of ${t.tokensPerMinuteLimit} tokens/min`,
        description: "{{ $labels.gateway }} processes {{ $value | humanize }} tokens per minute.",
      },
    },
    {
      alert: "AIGatewayBackendUnhealthy",
      expr: `${healthyBackends} / ${backendsWithTraffic} < ${t.healthyBackendsMinRatio}`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: `AI gateway {{ $labels.gateway }}: fewer than ${percent(t.healthyBackendsMinRatio)} of backends healthy`,
        description:
          "Only {{ $value | humanizePercentage }} of the backends receiving traffic on {{ $labels.gateway }} answered any request.",
      },
    },
    {
      alert: "AIGatewayNoTraffic",
      expr: `sum by (gateway) (rate(${REQUESTS}[5m])) == 0`,
      for: t.noTrafficFor,
      labels: { severity: "info" },
      annotations: {
        summary: `AI gateway {{ $labels.gateway }} received no requests for ${t.noTrafficFor}`,
        description:
          "No request reached {{ $labels.gateway }}; check clients, DNS and the load balancer in front of it.",
      },
    },
    {
      // agentgateway exposes no pool gauge: pool usage is the share of requests that needed a new upstream
      // connection (no idle pooled connection was free); a floor of 1 req/s keeps idle gateways quiet.
      alert: "AIGatewayConnectionPoolExhausted",
      expr:
        `sum by (namespace, pod) (rate(agentgateway_upstream_connect_duration_seconds_count[5m])) / sum by (namespace, pod) (rate(${REQUESTS}[5m])) > ${t.connectionPoolUsageRatio}` +
        ` and sum by (namespace, pod) (rate(${REQUESTS}[5m])) > 1`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        // Says what the expression measures: no pool gauge exists, only new-connection counts.
        summary: `AI gateway pod {{ $labels.pod }}: over ${percent(t.connectionPoolUsageRatio)} of requests open a new upstream connection (pooled connections exhausted)`,
        description:
          "{{ $value | humanizePercentage }} of requests on {{ $labels.namespace }}/{{ $labels.pod }} opened a new upstream connection.",
      },
    },
  ];
}
