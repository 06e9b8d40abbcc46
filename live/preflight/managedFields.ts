import type { Segment } from "./fieldDiff";

/*
 * Field ownership from `metadata.managedFields`. Each entry names a manager and the fields it owns as a
 * FieldsV1 tree: `f:<field>` for a field, `k:<json>` for a list item by its key fields, `v:<json>` for a set
 * item, `i:<index>` for an atomic list's item, `.` for the item itself; a field with no children is owned as
 * a whole (kubernetes-sigs/structured-merge-diff fieldpath/serialize-pe.go; apimachinery
 * pkg/apis/meta/v1/types.go ManagedFieldsEntry). Under server-side apply another manager's field that the
 * program sets to a different value is a conflict (apply fails unless forced).
 */

type Obj = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: Obj;
}

export function managedFieldsOf(obj: Obj): ManagedFieldsEntry[] {
  const meta = (obj["metadata"] ?? {}) as Obj;
  const entries = Array.isArray(meta["managedFields"]) ? (meta["managedFields"] as Obj[]) : [];
  return entries
    .filter((e) => e["fieldsType"] === undefined || e["fieldsType"] === "FieldsV1")
    .map((e) => ({
      manager: String(e["manager"] ?? ""),
      operation: String(e["operation"] ?? ""),
      ...(typeof e["subresource"] === "string" && e["subresource"] !== ""
        ? { subresource: e["subresource"] }
        : {}),
      fieldsV1: (e["fieldsV1"] ?? {}) as Obj,
    }));
}

/** pulumi-kubernetes applies as `pulumi-kubernetes-<random>` (creates as `pulumi-kubernetes`) (provider.go fieldManagerName). */
export function isPulumiManager(manager: string): boolean {
  return manager === "pulumi-kubernetes" || manager.startsWith("pulumi-kubernetes-");
}

function keyMatches(spec: string, item: unknown): boolean {
  if (item === null || typeof item !== "object") return false;
  let key: unknown;
  try {
    key = JSON.parse(spec);
  } catch {
    return false;
  }
  if (key === null || typeof key !== "object") return false;
  return Object.entries(key as Obj).every(([k, v]) => JSON.stringify((item as Obj)[k]) === JSON.stringify(v));
}

function childFor(tree: Obj, segment: Segment): Obj | undefined {
  if ("field" in segment) return tree[`f:${segment.field}`] as Obj | undefined;
  for (const [k, v] of Object.entries(tree)) {
    if (k.startsWith("k:") && keyMatches(k.slice(2), segment.item)) return v as Obj;
    if (k.startsWith("v:") && JSON.stringify(segment.item) === k.slice(2)) return v as Obj;
    if (k === `i:${segment.index}`) return v as Obj;
  }
  return undefined;
}

/** True when the tree owns the field at `segments` (or an enclosing field as a whole). */
export function owns(tree: Obj, segments: readonly Segment[]): boolean {
  let node: Obj | undefined = tree;
  for (const segment of segments) {
    const children = Object.keys(node).filter((k) => k !== ".");
    if (children.length === 0 && node !== tree) return true;
    node = childFor(node, segment);
    if (node === undefined) return false;
  }
  return true;
}

/** The managers (other than pulumi-kubernetes, and not status writers) that own the field. */
export function foreignOwners(
  entries: readonly ManagedFieldsEntry[],
  segments: readonly Segment[],
): string[] {
  return [
    ...new Set(
      entries
        .filter((e) => !isPulumiManager(e.manager) && e.subresource === undefined)
        .filter((e) => owns(e.fieldsV1, segments))
        .map((e) => e.manager),
    ),
  ];
}
