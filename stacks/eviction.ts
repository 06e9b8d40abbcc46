import { z } from "zod";

/** Milliseconds of a duration like 500ms, 30s, 5m or 1h. */
function durationMs(d: string): number {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(d);
  if (m === null) return NaN;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

/**
 * Defaults of a failover backend's eviction: 30s base (Envoy's outlier-detection base ejection time; upstream's
 * own 3s default would send the next prompt straight back to a provider that is down or out of quota), after 3
 * unhealthy responses in a row (each one is a failed prompt, so fewer than Envoy's 5), with 429 counted.
 */
const EVICTION_DEFAULTS = { duration: "30s", consecutiveFailures: 3, unhealthyOn429: true } as const;

/**
 * When a provider of a failover backend is taken out of rotation. Without a health policy agentgateway v1.4.1
 * evicts nothing, so the load balancer never leaves the first priority group
 * (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/telemetry/log.rs eviction_decision,
 * crates/agentgateway/src/types/loadbalancer.rs best_bucket).
 */
export const evictionSchema = z
  .strictObject({
    /** Base time out of rotation; upstream multiplies it by the number of evictions so far. At least 1s (CRD rule). */
    duration: z
      .string()
      .regex(/^[0-9]{1,5}(ms|s|m|h)$/, { error: "must be a duration like 30s, 5m or 1h" })
      .refine((d) => durationMs(d) >= 1000, { error: "must be at least 1s" })
      .default(EVICTION_DEFAULTS.duration),
    /** Unhealthy attempts in a row, a route's retries included, before the provider is evicted (1: the first one). */
    consecutiveFailures: z.number().int().min(1).default(EVICTION_DEFAULTS.consecutiveFailures),
    /** Count 429 (provider rate limit or quota) as unhealthy, besides 5xx and connect, TLS or DNS failures. */
    unhealthyOn429: z.boolean().default(EVICTION_DEFAULTS.unhealthyOn429),
  })
  .default(EVICTION_DEFAULTS);
