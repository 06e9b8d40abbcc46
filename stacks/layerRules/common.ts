import type { PlatformConfig } from "../schema";
import { IssueList } from "../issues";
import { referenceHint } from "../hints";

/* Helpers shared by the per-layer cross-field rules. */

/**
 * Cross-field rules over the parsed configuration. The config is partial: a layer whose structure is
 * invalid is missing, and each rule skips when a layer it needs is missing, so that structural and
 * reference errors of different layers are all reported in one run.
 */
export type PartialConfig = Partial<PlatformConfig>;
export type Rule = (c: PartialConfig, issues: IssueList) => void;

/** Adds an issue for every name that occurs more than once. */
export function unique<T>(
  issues: IssueList,
  items: T[],
  key: (t: T) => string,
  path: (i: number) => string,
  what: string,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else issues.add(path(i), `duplicate ${what} "${k}"`, `already used at ${path(first)}`);
  });
}

export function resolve(
  issues: IssueList,
  path: string,
  name: string,
  candidates: string[],
  kind: string,
): boolean {
  if (candidates.includes(name)) return true;
  issues.add(path, `unknown ${kind} "${name}"`, referenceHint(name, candidates, kind));
  return false;
}
