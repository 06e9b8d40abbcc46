/* Durations written as whole seconds, minutes or hours (`90s`, `15m`, `1h`), as config and rollout read them. */

/** Seconds of a validated duration. */
export function durationSeconds(text: string): number {
  const m = /^([0-9]+)(s|m|h)$/.exec(text);
  if (m === null) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}
