/*
 * Kubernetes resource quantities as numbers, for the quota and LimitRange checks. Only the forms the config
 * schema accepts: plain or decimal numbers with an optional `m` or binary suffix (Ki, Mi, Gi, Ti).
 */

const SUFFIX: Record<string, number> = { "": 1, m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** `500m` -> 0.5, `2` -> 2, `128Mi` -> 134217728. Throws on anything else. */
export function parseQuantity(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (m === null) throw new Error(`invalid quantity "${q}"`);
  return Number(m[1]) * SUFFIX[m[2] ?? ""]!;
}

/** Formats CPU cores (`1.5` -> `1500m`) and memory bytes (`3.25 * 2^30` -> `3328Mi`) for messages. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatMemory(bytes: number): string {
  for (const [suffix, size] of [
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return bytes >= 2 ** 20 ? `${Math.ceil(bytes / 2 ** 20)}Mi` : String(bytes);
}
