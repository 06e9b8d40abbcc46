import { Action, ACTIONS, Area, AREAS, FieldChange, Finding } from "./findings";
import type { PreflightReport } from "./index";

/*
 * The report, for a pull request (Markdown: blockers first, then the actions counted per area, then the Talos
 * nodes, then every change field by field) and for tools (JSON).
 */

const ACTION_TITLES: Record<Action, string> = {
  blocked: "blocked",
  conflict: "conflict",
  replace: "replace",
  create: "create",
  "take-over-with-changes": "take over with changes",
  "take-over": "take over unchanged",
  update: "update",
  unchanged: "unchanged",
  "left-behind": "left behind",
};

const AREA_TITLES: Record<Area, string> = {
  snapshot: "Snapshot",
  kubernetes: "Kubernetes",
  helm: "Helm",
  controllers: "Controllers",
  "network-policy": "NetworkPolicies",
  bigip: "BIG-IP",
  cloudflare: "Cloudflare",
  talos: "Talos",
};

/** Areas whose findings are counted per object in the actions table (Talos has its own section). */
const COUNTED: readonly Area[] = AREAS.filter((a) => a !== "talos");

export const RESULTS = {
  0: "nothing to do",
  1: "blocked",
  2: "changes to review",
} as const;

function cell(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > 100 ? `${text.slice(0, 97)}...` : text;
  return `\`${short.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}

function changeTable(changes: readonly FieldChange[]): string[] {
  return [
    "| field | live | planned | note |",
    "| --- | --- | --- | --- |",
    ...changes.map(
      (c) =>
        `| \`${c.path}\` | ${c.live === undefined ? "_absent_" : cell(c.live)} | ${c.planned === undefined ? "_absent_" : cell(c.planned)} | ${c.note ?? ""} |`,
    ),
  ];
}

export function actionCounts(findings: readonly Finding[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const f of findings) {
    if (!COUNTED.includes(f.area)) continue;
    counts[f.area] ??= {};
    counts[f.area]![f.action] = (counts[f.area]![f.action] ?? 0) + 1;
  }
  return counts;
}

function bullet(f: Finding): string {
  return `- **${AREA_TITLES[f.area]}** \`${f.object}\`: ${f.message}${f.hint !== undefined ? `  \n  _Fix_: ${f.hint}` : ""}`;
}

export function markdownReport(report: PreflightReport): string {
  const { findings } = report;
  const blockers = findings.filter((f) => f.severity === "blocker");
  const lines: string[] = [
    `# Preflight: ${report.stack}`,
    "",
    `The plan of \`${report.stack}\` against the snapshot \`${report.snapshot}\`${report.takenAt !== undefined ? ` (taken ${report.takenAt})` : ""}.`,
    "",
    `**Result: ${RESULTS[report.exitCode]}** (exit ${report.exitCode})${blockers.length > 0 ? `: ${blockers.length} finding(s) must be gone before the run.` : "."}`,
    "",
    "## Blockers",
    "",
    ...(blockers.length > 0 ? blockers.map(bullet) : ["None."]),
    "",
    "## Actions",
    "",
  ];
  const counts = actionCounts(findings);
  const used = ACTIONS.filter((a) => COUNTED.some((area) => counts[area]?.[a] !== undefined));
  lines.push(
    `| area | ${used.map((a) => ACTION_TITLES[a]).join(" | ")} |`,
    `| --- | ${used.map(() => "---:").join(" | ")} |`,
  );
  for (const area of COUNTED.filter((a) => counts[a] !== undefined))
    lines.push(`| ${AREA_TITLES[area]} | ${used.map((a) => counts[area]![a] ?? 0).join(" | ")} |`);
  lines.push(
    `| **total** | ${used.map((a) => COUNTED.reduce((n, area) => n + (counts[area]?.[a] ?? 0), 0)).join(" | ")} |`,
    "",
  );
  const talos = findings.filter((f) => f.area === "talos");
  if (talos.length > 0) lines.push("## Talos nodes", "", ...talos.map(bullet), "");
  lines.push("## Changes", "");
  for (const area of COUNTED) {
    const detailed = findings.filter((f) => f.area === area && f.changes !== undefined);
    if (detailed.length === 0) continue;
    lines.push(`### ${AREA_TITLES[area]}`, "");
    for (const f of detailed) {
      lines.push(`#### \`${f.object}\`: ${ACTION_TITLES[f.action]}`, "", f.message, "");
      if (f.changes !== undefined) lines.push(...changeTable(f.changes), "");
      if (f.hint !== undefined && f.severity !== "blocker") lines.push(`_Hint_: ${f.hint}`, "");
    }
  }
  const left = findings.filter((f) => f.action === "left-behind");
  if (left.length > 0) lines.push("## Left behind", "", ...left.map(bullet), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

export function jsonReport(report: PreflightReport): Record<string, unknown> {
  return {
    stack: report.stack,
    snapshot: report.snapshot,
    ...(report.takenAt !== undefined ? { takenAt: report.takenAt } : {}),
    exitCode: report.exitCode,
    result: RESULTS[report.exitCode],
    counts: actionCounts(report.findings),
    findings: report.findings,
  };
}
