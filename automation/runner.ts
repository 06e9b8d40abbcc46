import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";

/** One resource step the engine planned (a preview step or a refresh step). */
export interface ResourceStep {
  /** Engine operation: create, update, replace, delete, same, refresh, ... */
  op: string;
  urn: string;
  type: string;
  /** Protected in the old or the new state. */
  protect: boolean;
  retainOnDelete: boolean;
  /** Top-level properties that differ (the engine's diff keys). */
  diffs: string[];
  /** Properties whose change forces the replacement (replace steps). */
  replaceKeys: string[];
  /** For refresh steps: the resource no longer exists. */
  gone: boolean;
}

/** A policy pack violation reported during the operation. */
export interface PolicyFinding {
  pack: string;
  policy: string;
  /** "mandatory" fails the operation; "advisory"/"warning" only reports. */
  level: string;
  message: string;
  urn?: string;
}

/** What one preview or refresh preview of one stack produced. */
export interface OperationReport {
  steps: ResourceStep[];
  policies: PolicyFinding[];
  /** The engine's own counts per operation. */
  changeSummary: Record<string, number>;
  /** Set when the operation failed (CLI error, program error, mandatory policy violation, drift under expect-no-changes). */
  error?: string;
}

/** The two operations the commands need; the Automation API implementation lives in automation/automationRunner.ts. */
export interface StackRunner {
  /** `pulumi preview --diff` of a stack (selected, or created when missing). */
  preview(stack: string): Promise<OperationReport>;
  /** `pulumi refresh --preview-only --expect-no-changes` of a stack. */
  previewRefresh(stack: string): Promise<OperationReport>;
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === "object" ? Object.keys(value) : [];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Top-level keys whose values differ between two states. Used on a refresh's inputs (what the provider read
 * back for the fields this program sets), not outputs, which carry server-side churn such as resourceVersion.
 */
export function changedKeys(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): string[] {
  const keys = new Set([...keysOf(before), ...keysOf(after)]);
  return [...keys].filter((k) => !sameJson(before?.[k], after?.[k])).sort();
}

/** Resource steps and policy findings of a stream of engine events (preview or refresh). */
export function reportFromEvents(events: EngineEvent[]): Omit<OperationReport, "changeSummary" | "error"> {
  const steps = new Map<string, ResourceStep>();
  const policies: PolicyFinding[] = [];
  for (const event of events) {
    const metadata = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
    if (metadata !== undefined) {
      const diffs = metadata.diffs ?? keysOf(metadata.detailedDiff).map((k) => k.split(/[.[]/)[0]!);
      const refreshed =
        metadata.op === "refresh" ? changedKeys(metadata.old?.inputs, metadata.new?.inputs) : [];
      const previous = steps.get(metadata.urn);
      steps.set(metadata.urn, {
        op: metadata.op,
        urn: metadata.urn,
        type: metadata.type,
        protect: metadata.old?.protect === true || metadata.new?.protect === true,
        retainOnDelete: metadata.old?.retainOnDelete === true || metadata.new?.retainOnDelete === true,
        diffs: [...new Set([...(previous?.diffs ?? []), ...diffs, ...refreshed])].sort(),
        replaceKeys: [...(metadata.keys ?? previous?.replaceKeys ?? [])].sort(),
        gone:
          metadata.op === "refresh" &&
          metadata.old !== undefined &&
          (metadata.new === undefined || metadata.new === null),
      });
    }
    const policy = event.policyEvent;
    if (policy !== undefined) {
      policies.push({
        pack: policy.policyPackName,
        policy: policy.policyName,
        level: policy.enforcementLevel,
        message: policy.message.trim(),
        urn: policy.resourceUrn,
      });
    }
  }
  return { steps: [...steps.values()], policies };
}

/** The engine's change summary as plain counts. */
export function countsOf(summary: OpMap | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [op, n] of Object.entries(summary ?? {})) if (typeof n === "number") counts[op] = n;
  return counts;
}
