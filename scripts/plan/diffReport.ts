import { isCritical, type FieldChange, type PlanDiff, type ResourceChange } from "./diff";

/*
 * The plan diff as a pull-request comment: the headline counts, then the changes a reviewer must read first
 * (stateful or protected resources deleted or replaced), replacements, deletions, updates and creations, each
 * updated or replaced resource with its field-level changes and the field that forces a replacement.
 */

/** How many field changes a resource shows before the rest are counted. */
const FIELDS_SHOWN = 25;

function value(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return `\`${text.length > 120 ? `${text.slice(0, 117)}...` : text}\``;
}

function field(f: FieldChange): string {
  if (f.secret) return `  - \`${f.path}\`: (secret) changed`;
  if (f.before === undefined) return `  - \`${f.path}\`: added ${value(f.after)}`;
  if (f.after === undefined) return `  - \`${f.path}\`: removed (was ${value(f.before)})`;
  return `  - \`${f.path}\`: ${value(f.before)} → ${value(f.after)}`;
}

/** `kubernetes:gateway.networking.k8s.io/v1:HTTPRoute` -> `HTTPRoute`. */
function shortType(type: string): string {
  return type.split(":").pop()!;
}

function entry(c: ResourceChange): string[] {
  const from = c.from !== undefined ? ` (was \`${c.from.split("::").pop()}\`)` : "";
  const lines = [`- **${c.action}** ${shortType(c.type)} \`${c.name}\`${from} · ${c.layer} · \`${c.type}\``];
  if (c.stateful) lines.push(`  - ⚠ ${c.stateful}`);
  for (const r of c.reasons.filter((x) => x.effect === "replace"))
    lines.push(`  - replaced because of \`${r.path}\`: ${r.because}`);
  for (const h of c.hazards) lines.push(`  - ⚠ ${h}`);
  if (c.order) lines.push(`  - ${c.order}`);
  lines.push(...c.fields.slice(0, FIELDS_SHOWN).map(field));
  if (c.fields.length > FIELDS_SHOWN) lines.push(`  - ... and ${c.fields.length - FIELDS_SHOWN} more fields`);
  return lines;
}

/** The headline: counts per action. */
export function diffHeadline(diff: PlanDiff): string {
  const { create, update, replace, delete: del, unchanged } = diff.counts;
  return `**${replace} to replace · ${del} to delete · ${update} to update · ${create} to create** · ${unchanged} unchanged`;
}

export function diffMarkdown(diff: PlanDiff, baseLabel: string): string {
  const sections: Array<[string, ResourceChange[]]> = [
    ["Deletions and replacements of stateful or protected resources", diff.changes.filter(isCritical)],
    ["Replacements", diff.changes.filter((c) => !isCritical(c) && c.action === "replace")],
    ["Deletions", diff.changes.filter((c) => !isCritical(c) && c.action === "delete")],
    ["Updates", diff.changes.filter((c) => c.action === "update")],
    ["Creations", diff.changes.filter((c) => c.action === "create")],
  ];
  const lines = [`## Changes to \`${diff.stack}\` against ${baseLabel}`, "", diffHeadline(diff), ""];
  if (diff.changes.length === 0) lines.push("No resource changes.", "");
  for (const [title, changes] of sections) {
    if (changes.length === 0) continue;
    lines.push(`### ${title}`, "", ...changes.flatMap(entry), "");
  }
  if (diff.notes.length > 0) lines.push("Notes:", "", ...diff.notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}

/** The JSON form (`out/<stack>/diff.json`). */
export function diffJson(diff: PlanDiff, base: { label: string; ref?: string; commit?: string }): string {
  return `${JSON.stringify({ base, ...diff }, null, 2)}\n`;
}
