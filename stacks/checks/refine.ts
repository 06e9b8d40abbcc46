import { z } from "zod";

/** A zod refinement from a function that says what is wrong with a value (undefined when nothing is). */
export function problemCheck<T>(problem: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  };
}

/** A path inside the object an invariant checks, as zod writes paths. */
export type Segment = string | number;

/** Where an object invariant reports what is wrong with its object. */
export interface ProblemSink {
  /** `see` is another path of the same object; its full config path replaces `{see}` in the hint. */
  add(path: Segment[], message: string, hint?: string, see?: Segment[]): void;
}

/** What an invariant's issue carries besides its message (read by ../zodIssues.ts). */
export interface InvariantParams {
  invariant: string;
  hint?: string;
  see?: Segment[];
  /** Length of the issue's path inside the object, so that `see` can be made a full path. */
  depth: number;
}

const ids: string[] = [];
/**
 * The id of every object invariant. Like a named cross-field rule, each has the invalid-config fixture of
 * that name (tests/fixtures/config/invalid/<id>.yaml).
 */
export const invariantIds: readonly string[] = ids;

/**
 * An invariant of one object (one gateway, one listener, one tenant, ...) as a schema check. Its issues leave
 * the object's shape valid: the loader still runs the cross-field rules over a layer whose only problems are
 * invariants (../load.ts), so that every problem of a config is reported at once. It runs only over an object
 * without other problems (a field that failed its own form check would make it report nonsense), but other
 * invariants' problems inside the object do not stop it.
 */
export function invariant<T>(
  id: string,
  check: (value: T, problems: ProblemSink) => void,
): z.core.$ZodCheck<T> {
  ids.push(id);
  return invariantCheck(id, check);
}

function invariantCheck<T>(
  id: string,
  check: (value: T, problems: ProblemSink) => void,
): z.core.$ZodCheck<T> {
  return z.superRefine<T>(
    (value, ctx) =>
      check(value, {
        add(path, message, hint, see) {
          const params: InvariantParams = { invariant: id, hint, see, depth: path.length };
          ctx.addIssue({ code: "custom", path, message, params });
        },
      }),
    { when: (payload) => payload.issues.every((i) => invariantOf(i as z.core.$ZodIssue) !== undefined) },
  );
}

const DUPLICATE_NAME = "duplicate-name";
ids.push(DUPLICATE_NAME);

/** The entries of a list have unique names (`what`: "gateway name"): one invariant for every named list. */
export function uniqueNames<T extends { name: string }>(what: string): z.core.$ZodCheck<T[]> {
  return invariantCheck<T[]>(DUPLICATE_NAME, (items, problems) =>
    uniqueWithin(
      problems,
      items,
      (t) => t.name,
      (i) => [i, "name"],
      what,
    ),
  );
}

/** Whether a zod issue is an object invariant's (the value's shape is valid) rather than a shape error. */
export function invariantOf(issue: z.core.$ZodIssue): InvariantParams | undefined {
  if (issue.code !== "custom") return undefined;
  const params = (issue as { params?: Partial<InvariantParams> }).params;
  return typeof params?.invariant === "string" ? (params as InvariantParams) : undefined;
}

/** An issue for every key that occurs more than once in `items`, with the first use in its hint. */
export function uniqueWithin<T>(
  problems: ProblemSink,
  items: readonly T[],
  key: (t: T) => string,
  path: (i: number) => Segment[],
  what: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else problems.add(path(i), `duplicate ${what} "${k}"`, "already used at {see}", path(first));
  });
}
