/*
 * What the preflight says about one object: the action the next `pulumi up` takes against the live state,
 * how much it matters, why, and what to do about it.
 */

export type Area =
  "snapshot" | "kubernetes" | "helm" | "controllers" | "network-policy" | "bigip" | "cloudflare" | "talos";

export const AREAS: readonly Area[] = [
  "snapshot",
  "kubernetes",
  "helm",
  "controllers",
  "network-policy",
  "bigip",
  "cloudflare",
  "talos",
];

/**
 * `take-over`: an existing object the old tool made becomes the program's, as it is; `update`/`unchanged`: an
 * object the program already manages; `conflict`: another manager owns fields the program sets; `left-behind`:
 * something the old tool manages that the program does not declare (information); `blocked`: the run fails or
 * must not start on it.
 */
export type Action =
  | "create"
  | "take-over"
  | "take-over-with-changes"
  | "update"
  | "unchanged"
  | "replace"
  | "conflict"
  | "left-behind"
  | "blocked";

export const ACTIONS: readonly Action[] = [
  "blocked",
  "conflict",
  "replace",
  "create",
  "take-over-with-changes",
  "take-over",
  "update",
  "unchanged",
  "left-behind",
];

/** `blocker`: must be gone before the run (exit 1); `change`: to review (exit 2); `info`: nothing to do. */
export type Severity = "blocker" | "change" | "info";

export interface FieldChange {
  path: string;
  /** Absent: the field does not exist live. */
  live?: unknown;
  planned?: unknown;
  /** Why the change matters (immutable, owned by a manager, not comparable offline). */
  note?: string;
}

export interface Finding {
  area: Area;
  /** The object, as an operator names it (`Deployment network/cloudflared`, `BIG-IP pool /Common/x`). */
  object: string;
  action: Action;
  severity: Severity;
  message: string;
  hint?: string;
  changes?: FieldChange[];
}

/** Exit code of a set of findings: 1 something blocks, 2 changes to review, 0 nothing to do. */
export function exitCode(findings: readonly Finding[]): 0 | 1 | 2 {
  if (findings.some((f) => f.severity === "blocker")) return 1;
  if (findings.some((f) => f.severity === "change")) return 2;
  return 0;
}

export function finding(
  area: Area,
  object: string,
  action: Action,
  severity: Severity,
  message: string,
  extra: { hint?: string; changes?: FieldChange[] } = {},
): Finding {
  return {
    area,
    object,
    action,
    severity,
    message,
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
    ...(extra.changes !== undefined && extra.changes.length > 0 ? { changes: extra.changes } : {}),
  };
}
