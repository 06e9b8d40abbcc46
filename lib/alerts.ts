/*
 * Prometheus alerting vocabulary shared by the layers that alert on themselves (prometheus-operator
 * `PrometheusRule` groups and rules).
 */

/** Alert thresholds: the AI gateway alerts homeops runs under kgateway and the agent alerts of the AgentOps platform. */
export interface AlertThresholds {
  /** 5xx share of a gateway's requests that warns, and that is critical. */
  errorRateWarning: number;
  errorRateCritical: number;
  latencyP95Seconds: number;
  rateLimitedPerSecond: number;
  tokensPerMinuteLimit: number;
  /** Share of tokensPerMinuteLimit that warns. */
  tokensPerMinuteWarningRatio: number;
  /** Share of a gateway's backends that must answer. */
  healthyBackendsMinRatio: number;
  /** PromQL duration without requests before the no-traffic alert. */
  noTrafficFor: string;
  connectionPoolUsageRatio: number;
  agentErrorRate: number;
  agentLatencyP95Seconds: number;
  /** Share of the memory limit an agent may use. */
  agentMemoryRatio: number;
  agentRestartsIn10m: number;
  agentAvailability: number;
}

/** The `alerts` settings: the switch and the thresholds. */
export interface AlertSettings extends AlertThresholds {
  enabled: boolean;
}

/** The thresholds of an `alerts` config (everything but the switch). */
export function alertThresholds(alerts: AlertSettings): AlertThresholds {
  const thresholds: Partial<AlertSettings> = { ...alerts };
  delete thresholds.enabled;
  return thresholds as AlertThresholds;
}

/** One Prometheus alerting rule (prometheus-operator `PrometheusRule` rule). */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: "critical" | "warning" | "info" };
  annotations: { summary: string; description: string };
}

/** A PromQL regex matching exactly the given label values. */
export function exactRegex(values: string[]): string {
  return values.map((v) => v.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&")).join("|");
}

/** A ratio as a percentage with at most one decimal, for alert summaries. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
