import { z } from "zod";
import { invariantOf } from "./checks/refine";
import { closest } from "./hints";
import { ConfigIssue, joinPath } from "./issues";

/*
 * Schema errors in plain language: "must be a whole number" rather than "expected int", "did you mean" against
 * the fields of the variant a discriminated union actually chose, and for a value that fits none of a
 * union's shapes, the shapes it could take.
 */

interface Def {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;
const WRAPPERS = ["optional", "default", "prefault", "nullable", "readonly", "catch"];

function field(value: unknown, segment: PropertyKey): unknown {
  return value !== null && typeof value === "object"
    ? (value as Record<PropertyKey, unknown>)[segment]
    : undefined;
}

/** The object schemas `s` can be for `value`: wrappers removed, a discriminated union narrowed to its variant. */
function shapesFor(s: z.ZodType, value: unknown): z.ZodType[] {
  const def = defOf(s);
  if (WRAPPERS.includes(def.type)) return shapesFor(def.innerType!, value);
  if (def.type !== "union") return [s];
  const tag = def.discriminator === undefined ? undefined : field(value, def.discriminator);
  const chosen =
    tag === undefined
      ? []
      : def.options!.filter((o) => defOf(defOf(o).shape?.[def.discriminator!] ?? o).values?.includes(tag));
  return (chosen.length > 0 ? chosen : def.options!).flatMap((o) => shapesFor(o, value));
}

/** The schemas that can apply at `path`, following the input through unions (wrappers removed). */
function schemasAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, input: unknown): z.ZodType[] {
  let value = input;
  let current = shapesFor(schema, value);
  for (const segment of path) {
    value = field(value, segment);
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment])
        next.push(...shapesFor(def.shape[segment], value));
      else if (def.type === "array" && typeof segment === "number")
        next.push(...shapesFor(def.element!, value));
      else if (def.type === "record") next.push(...shapesFor(def.valueType!, value));
    }
    current = next;
  }
  return current;
}

/** The fields an object accepts at `path` (for "did you mean"), following the input through unions. */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, input: unknown): string[] {
  const shapes = schemasAt(schema, path, input);
  return [
    ...new Set(shapes.flatMap((s) => Object.keys(defOf(s).type === "object" ? (defOf(s).shape ?? {}) : {}))),
  ];
}

/**
 * Hints for a value outside an enum, by the enum schema, for enums too long to list in a message (the image
 * catalog's keys): "did you mean" rather than every allowed value.
 */
export const valueHints = z.registry<{ hint: (value: string) => string }>();

/** The shapes of a plain union at `path`, e.g. `{ path }`, `{ serial }`, `{ selector }`. */
function unionShapes(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  const expand = (s: z.ZodType): z.ZodType[] => {
    const def = defOf(s);
    if (WRAPPERS.includes(def.type)) return expand(def.innerType!);
    return def.type === "union" ? [s, ...def.options!.flatMap(expand)] : [s];
  };
  let current = expand(schema);
  for (const segment of path) {
    current = current.flatMap((s) => {
      const def = defOf(s);
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment])
        return expand(def.shape[segment]);
      if (def.type === "array" && typeof segment === "number") return expand(def.element!);
      if (def.type === "record") return expand(def.valueType!);
      return [];
    });
  }
  const shapes = current
    .filter((s) => defOf(s).type === "union")
    .flatMap((u) => defOf(u).options!)
    .map((o) => `{ ${Object.keys(defOf(o).shape ?? {}).join(", ")} }`);
  return [...new Set(shapes)];
}

const TYPE_NAMES: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  record: "a mapping",
};

function sizeMessage(issue: z.core.$ZodIssue & { code: "too_small" | "too_big" }): string | undefined {
  const small = issue.code === "too_small";
  const bound = Number(
    small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum,
  );
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  switch ((issue as { origin?: string }).origin) {
    case "number":
      return `must be ${small ? (inclusive ? "at least" : "more than") : inclusive ? "at most" : "less than"} ${bound}`;
    case "string":
      if (small && bound === 1) return "must not be empty";
      return `must be ${small ? "at least" : "at most"} ${bound} character${bound === 1 ? "" : "s"}`;
    case "array":
      if (small && bound === 1) return "must list at least one entry";
      return `must list ${small ? "at least" : "at most"} ${bound} entr${bound === 1 ? "y" : "ies"}`;
    default:
      return undefined;
  }
}

/** Zod's own wording (as opposed to a message the schema sets) starts with one of these. */
const isLibraryMessage = (message: string) =>
  /^(Too small|Too big|Invalid input|Invalid string)/.test(message);

/** The config issues of one zod issue of the top-level key `key` (whose schema and raw value are given). */
export function describeZodIssue(
  key: string,
  schema: z.ZodType,
  issue: z.core.$ZodIssue,
  input: unknown,
): ConfigIssue[] {
  const path = joinPath([key, ...issue.path]);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(schema, issue.path, input);
      return issue.keys.map((k) => {
        const match = closest(k, known);
        return {
          path: joinPath([key, ...issue.path, k]),
          message: "unknown field",
          hint: match ? `did you mean "${match}"?` : `allowed fields: ${known.join(", ")}`,
        };
      });
    }
    case "invalid_type": {
      // zod 4 leaves `input` out of issues by default; the message still names what it received.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === "undefined") return [{ path, message: "is required" }];
      const expected = TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
      if (issue.expected === "int" && received === "number")
        return [{ path, message: `must be ${expected}` }];
      const got = received === undefined ? "" : `, not ${TYPE_NAMES[received] ?? `a ${received}`}`;
      return [{ path, message: `must be ${expected}${got}` }];
    }
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options;
        const at = issue.path[issue.path.length - 1] === discriminator ? path : `${path}.${discriminator}`;
        return [
          { path: at, message: `must be one of ${(options ?? []).map((o) => JSON.stringify(o)).join(", ")}` },
        ];
      }
      const shapes = unionShapes(schema, issue.path);
      return [
        {
          path,
          message: "matches none of the allowed shapes",
          ...(shapes.length > 0 ? { hint: `expected one of ${shapes.join(", ")}` } : {}),
        },
      ];
    }
    case "invalid_value": {
      const hinted = schemasAt(schema, issue.path, input).find((s) => valueHints.has(s));
      if (hinted !== undefined) {
        const value = issue.path.reduce<unknown>(field, input);
        return [{ path, message: issue.message, hint: valueHints.get(hinted)!.hint(String(value)) }];
      }
      return [{ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    }
    case "too_small":
    case "too_big":
      return [{ path, message: (isLibraryMessage(issue.message) && sizeMessage(issue)) || issue.message }];
    default: {
      const rule = invariantOf(issue);
      if (rule !== undefined) {
        const object = issue.path.slice(0, issue.path.length - rule.depth);
        const see = rule.see === undefined ? "" : joinPath([key, ...object, ...rule.see]);
        const hint = rule.hint?.replace("{see}", see);
        return [{ path, message: issue.message, ...(hint === undefined ? {} : { hint }) }];
      }
      // A refinement of the schema may give its hint along (`params.hint`).
      const hint = (issue as { params?: { hint?: unknown } }).params?.hint;
      return [
        {
          path,
          message: isLibraryMessage(issue.message) ? "has an invalid value" : issue.message,
          ...(typeof hint === "string" ? { hint } : {}),
        },
      ];
    }
  }
}
