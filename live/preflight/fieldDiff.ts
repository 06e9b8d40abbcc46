import { parseQuantityValue } from "../../conformance/cel";
import { isRedacted, redactedHash } from "../redact";

/*
 * Field-level comparison of what the program sets with what runs: only the fields the program sets count
 * (server-side apply leaves the others to their managers), lists of named items are matched by name (the
 * Kubernetes convention for map-type lists: containers, env, ports, volumes, listeners), and values the API
 * server normalises (quantities, int-or-string) compare by meaning.
 */

type Obj = Record<string, unknown>;

/** One step of a path: a field, or a list item by index (with the live item it matched, if any). */
export type Segment = { field: string } | { index: number; item?: unknown; name?: string };

export interface Leaf {
  segments: Segment[];
  planned: unknown;
  /** Undefined when the field does not exist live. */
  live: unknown;
  /** true/false; undefined when the planned value cannot be known offline (a secret, a value of another resource). */
  equal: boolean | undefined;
}

/** Values the offline plan cannot know: secrets and outputs of resources not created yet. */
export function isPlaceholder(value: unknown): boolean {
  return value === "[secret]" || value === "[unknown]";
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function pathText(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) {
    if ("field" in s)
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.field)
        ? `${out === "" ? "" : "."}${s.field}`
        : `[${JSON.stringify(s.field)}]`;
    else out += s.name !== undefined ? `[name=${s.name}]` : `[${s.index}]`;
  }
  return out;
}

/** Equal as the API server keeps them: identical, the same quantity, or an int-or-string of the same text. */
export function sameValue(planned: unknown, live: unknown): boolean {
  if (JSON.stringify(planned) === JSON.stringify(live)) return true;
  if (typeof planned === "number" || typeof live === "number") return String(planned) === String(live);
  if (typeof planned === "string" && typeof live === "string") {
    const a = parseQuantityValue(planned);
    const b = parseQuantityValue(live);
    return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12;
  }
  return false;
}

function scalarLeaf(segments: Segment[], planned: unknown, live: unknown): Leaf {
  if (isPlaceholder(planned)) return { segments, planned, live, equal: undefined };
  // A snapshot holds secret values as hashes: a plain planned value compares by its hash.
  if (isRedacted(live) && typeof planned === "string")
    return { segments, planned, live, equal: redactedHash(planned) === live };
  return { segments, planned, live, equal: live !== undefined && sameValue(planned, live) };
}

function namedItems(list: unknown[]): boolean {
  return list.length > 0 && list.every((i) => isObject(i) && typeof i["name"] === "string");
}

/** Every field the planned value sets, compared with the live value at the same place. */
export function plannedLeaves(planned: unknown, live: unknown, segments: Segment[] = []): Leaf[] {
  if (isObject(planned)) {
    const liveObj = isObject(live) ? live : undefined;
    const entries = Object.entries(planned).filter(([, v]) => v !== null && v !== undefined);
    if (entries.length === 0)
      return segments.length === 0 ? [] : [{ segments, planned, live, equal: liveObj !== undefined }];
    return entries.flatMap(([k, v]) => plannedLeaves(v, liveObj?.[k], [...segments, { field: k }]));
  }
  if (Array.isArray(planned)) {
    const liveList = Array.isArray(live) ? live : undefined;
    if (namedItems(planned)) {
      return planned.flatMap((item, index) => {
        const name = String((item as Obj)["name"]);
        const liveItem = liveList?.find((l) => isObject(l) && l["name"] === name);
        return plannedLeaves(item, liveItem, [...segments, { index, item: liveItem, name }]);
      });
    }
    // A list without names is replaced as a whole; compare it item by item when the lengths agree.
    if (liveList === undefined || liveList.length !== planned.length || planned.length === 0)
      return [
        {
          segments,
          planned,
          live,
          equal: liveList !== undefined && liveList.length === planned.length,
        },
      ];
    return planned.flatMap((item, index) =>
      plannedLeaves(item, liveList[index], [...segments, { index, item: liveList[index] }]),
    );
  }
  return [scalarLeaf(segments, planned, live)];
}

/** The leaves of a Secret: `stringData` compares with live `data`, both by hash. */
export function secretLeaves(planned: Obj, live: Obj): Leaf[] {
  const liveData = (isObject(live["data"]) ? live["data"] : {}) as Obj;
  const rest = { ...planned };
  delete rest["data"];
  delete rest["stringData"];
  const leaves = plannedLeaves(rest, live);
  const add = (source: "data" | "stringData", decode: (v: string) => Buffer | string) => {
    const values = planned[source];
    if (!isObject(values)) return;
    for (const [key, value] of Object.entries(values)) {
      const segments: Segment[] = [{ field: "data" }, { field: key }];
      const liveValue = liveData[key];
      if (isPlaceholder(value) || typeof value !== "string")
        leaves.push({
          segments,
          planned: value,
          live: liveValue,
          equal: liveValue === undefined ? false : undefined,
        });
      else
        leaves.push({
          segments,
          planned: redactedHash(decode(value)),
          live: liveValue,
          equal: redactedHash(decode(value)) === liveValue,
        });
    }
  };
  add("data", (v) => Buffer.from(v, "base64"));
  add("stringData", (v) => v);
  return leaves;
}
