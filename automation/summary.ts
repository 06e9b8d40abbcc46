import type { OperationReport, PolicyFinding, ResourceStep } from "./runner";

/** Exit codes shared by both commands: 0 nothing to do, 2 changes or drift, 1 error. */
export const EXIT = { clean: 0, error: 1, changes: 2 } as const;

export type PreviewStatus = "no-changes" | "changes" | "error";
export type DriftStatus = "clean" | "drift" | "error";

const CHANGE_OPS = ["create", "update", "replace", "delete"] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];
export type Counts = Record<ChangeOp, number>;

/**
 * Kinds whose replacement or deletion loses data or takes everything inside with it
 * (pulumi/pulumi-kubernetes#2882 for Namespaces and CRDs; Talos secrets hold the cluster's PKI).
 */
export const STATEFUL_TYPES = new Set([
  "kubernetes:core/v1:Namespace",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:core/v1:PersistentVolume",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
  "kubernetes:storage.k8s.io/v1:StorageClass",
  "talos:machine/secrets:Secrets",
  "talos:machine/bootstrap:Bootstrap",
]);

export interface Hazard {
  op: "replace" | "delete";
  urn: string;
  type: string;
  reasons: string[];
}

export interface StackPreview {
  stack: string;
  status: PreviewStatus;
  counts: Counts;
  byType: Record<string, Counts>;
  hazards: Hazard[];
  violations: PolicyFinding[];
  error?: string;
}

export interface DriftedResource {
  urn: string;
  type: string;
  name: string;
  change: "changed" | "deleted";
  properties: string[];
}

export interface StackDrift {
  stack: string;
  status: DriftStatus;
  drifted: DriftedResource[];
  /** Changes the engine counted that no step accounts for (e.g. from its own change summary). */
  unattributed: number;
  error?: string;
}

function zero(): Counts {
  return { create: 0, update: 0, replace: 0, delete: 0 };
}

/** The summary op of a step, or undefined for steps that change nothing or are parts of a replace. */
export function changeOpOf(op: string): ChangeOp | undefined {
  if (op === "create" || op === "update" || op === "replace" || op === "delete") return op;
  return undefined;
}

export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

function isBookkeeping(step: ResourceStep): boolean {
  return step.type === "pulumi:pulumi:Stack";
}

/** Per-stack preview result: counts overall and per type, hazards, policy violations, status. */
export function summarizePreview(stack: string, report: OperationReport): StackPreview {
  const counts = zero();
  const byType: Record<string, Counts> = {};
  const hazards: Hazard[] = [];
  for (const step of report.steps) {
    const op = changeOpOf(step.op);
    if (op === undefined || isBookkeeping(step)) continue;
    counts[op] += 1;
    (byType[step.type] ??= zero())[op] += 1;
    if (op === "replace" || op === "delete") {
      const reasons: string[] = [];
      if (step.protect) reasons.push("protected");
      if (STATEFUL_TYPES.has(step.type)) reasons.push("stateful");
      if (op === "replace" && step.replaceKeys.length > 0)
        reasons.push(`replaced because of ${step.replaceKeys.join(", ")}`);
      if (step.protect || STATEFUL_TYPES.has(step.type))
        hazards.push({ op, urn: step.urn, type: step.type, reasons });
    }
  }
  const mandatory = report.policies.filter((p) => p.level === "mandatory");
  let error = report.error;
  if (error === undefined && mandatory.length > 0)
    error = `${mandatory.length} mandatory policy violation(s)`;
  const changed = CHANGE_OPS.some((op) => counts[op] > 0);
  const status: PreviewStatus = error !== undefined ? "error" : changed ? "changes" : "no-changes";
  return { stack, status, counts, byType, hazards, violations: report.policies, error };
}

const DRIFT_OPS = new Set(["update", "delete", "replace"]);

/** Per-stack drift from a refresh preview: every resource whose read-back state differs from the recorded one. */
export function summarizeDrift(stack: string, report: OperationReport): StackDrift {
  const drifted: DriftedResource[] = [];
  for (const step of report.steps) {
    if (isBookkeeping(step) || step.type.startsWith("pulumi:providers:")) continue;
    const deleted = step.gone || step.op === "delete";
    const changed = DRIFT_OPS.has(step.op) || (step.op === "refresh" && step.diffs.length > 0);
    if (!deleted && !changed) continue;
    drifted.push({
      urn: step.urn,
      type: step.type,
      name: nameOfUrn(step.urn),
      change: deleted ? "deleted" : "changed",
      properties: deleted ? [] : step.diffs,
    });
  }
  const engineCount =
    (report.changeSummary["update"] ?? 0) +
    (report.changeSummary["delete"] ?? 0) +
    (report.changeSummary["replace"] ?? 0);
  const unattributed = Math.max(0, engineCount - drifted.length);
  const anyDrift = drifted.length > 0 || unattributed > 0;
  // Under --expect-no-changes the CLI fails on drift; that failure is the drift itself, not an error.
  const error = report.error !== undefined && !anyDrift ? report.error : undefined;
  const status: DriftStatus = error !== undefined ? "error" : anyDrift ? "drift" : "clean";
  return { stack, status, drifted, unattributed, error };
}

export function previewExitCode(results: StackPreview[]): number {
  if (results.some((r) => r.status === "error")) return EXIT.error;
  return results.some((r) => r.status === "changes") ? EXIT.changes : EXIT.clean;
}

export function driftExitCode(results: StackDrift[]): number {
  if (results.some((r) => r.status === "error")) return EXIT.error;
  return results.some((r) => r.status === "drift") ? EXIT.changes : EXIT.clean;
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

function countsRow(c: Counts): string[] {
  return CHANGE_OPS.map((op) => String(c[op]));
}

/** The Markdown preview summary (stdout and `$GITHUB_STEP_SUMMARY`). */
export function previewMarkdown(results: StackPreview[]): string {
  const lines = ["# Pulumi preview", ""];
  lines.push(
    ...table(
      ["Stack", "Result", "Create", "Update", "Replace", "Delete", "Policy violations"],
      results.map((r) => [r.stack, r.status, ...countsRow(r.counts), String(r.violations.length)]),
    ),
  );
  for (const r of results) {
    lines.push("", `## ${r.stack}: ${r.status}`, "");
    if (r.error !== undefined) lines.push("```", r.error.trim().split("\n").slice(-30).join("\n"), "```", "");
    if (r.hazards.length > 0) {
      lines.push("**Replaces or deletes of protected or stateful resources:**", "");
      for (const h of r.hazards)
        lines.push(`- **${h.op}** \`${h.type}\` \`${nameOfUrn(h.urn)}\` (${h.reasons.join("; ")})`);
      lines.push("");
    }
    const types = Object.keys(r.byType).sort();
    if (types.length > 0)
      lines.push(
        ...table(
          ["Type", "Create", "Update", "Replace", "Delete"],
          types.map((t) => [`\`${t}\``, ...countsRow(r.byType[t]!)]),
        ),
        "",
      );
    else if (r.status !== "error") lines.push("No changes.", "");
    if (r.violations.length > 0) {
      lines.push("### Policy violations", "");
      lines.push(
        ...table(
          ["Level", "Policy", "Resource", "Message"],
          r.violations.map((v) => [
            v.level,
            `${v.pack}/${v.policy}`,
            v.urn ? nameOfUrn(v.urn) : "(stack)",
            v.message,
          ]),
        ),
        "",
      );
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** What a drift check cannot see; printed with every report. */
export const DRIFT_CAVEATS = [
  "Talos resources do not read machine state back: a configuration changed on a node (talosctl edit/patch) is not reported; compare with `talosctl get machineconfig`.",
  "Kubernetes objects use server-side apply: only fields this program sets are tracked, so changes to other fields (added by controllers or by hand) are not drift (pulumi/pulumi-kubernetes#3262).",
  "Objects rendered by Helm charts (helm.v4.Chart) are refreshed as the chart's children; chart hooks are not managed and not checked.",
  "A custom resource whose CRD was removed is reported as deleted; an unreachable cluster makes the check fail instead of reporting drift.",
];

export function driftMarkdown(results: StackDrift[]): string {
  const lines = ["# Pulumi drift check", ""];
  lines.push(
    ...table(
      ["Stack", "Result", "Drifted resources"],
      results.map((r) => [r.stack, r.status, String(r.drifted.length + r.unattributed)]),
    ),
  );
  for (const r of results) {
    lines.push("", `## ${r.stack}: ${r.status}`, "");
    if (r.error !== undefined) lines.push("```", r.error.trim().split("\n").slice(-30).join("\n"), "```", "");
    if (r.drifted.length > 0) {
      lines.push(
        ...table(
          ["Change", "Type", "Resource", "Properties"],
          r.drifted.map((d) => [d.change, `\`${d.type}\``, d.name, d.properties.join(", ")]),
        ),
        "",
      );
    }
    if (r.unattributed > 0)
      lines.push(`${r.unattributed} further change(s) counted by the engine without a resource event.`, "");
    if (r.status === "clean") lines.push("No drift.", "");
  }
  lines.push("", "### Caveats", "", ...DRIFT_CAVEATS.map((c) => `- ${c}`));
  return `${lines.join("\n").trimEnd()}\n`;
}

/**
 * The machine-readable drift report. `drift` is true when a stack drifted, false only when every stack was
 * checked clean, and null when a stack could not be checked (its state is unknown): then `error` names the
 * stacks that failed.
 */
export function driftJson(results: StackDrift[]): Record<string, unknown> {
  const failed = results.filter((r) => r.status === "error").map((r) => r.stack);
  const drifted = results.some((r) => r.status === "drift");
  return {
    drift: drifted ? true : failed.length > 0 ? null : false,
    ...(failed.length > 0 ? { error: `drift check failed for stack(s) ${failed.join(", ")}` } : {}),
    stacks: results,
    caveats: DRIFT_CAVEATS,
  };
}
