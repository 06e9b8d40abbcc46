import { z } from "zod";
import { invariant } from "./refine";

/*
 * Guard patterns run inside agentgateway, which deserializes each one into a Rust `regex::Regex`
 * (agentgateway/agentgateway@v1.4.1: crates/agentgateway/src/llm/policy/mod.rs, `RegexRule`). That crate
 * is RE2-like: no look-around, no back-references, no atomic groups or possessive quantifiers. A pattern JavaScript accepts can still fail there, and then
 * the whole policy is rejected at runtime, so the syntax is checked here, and each pattern may carry
 * samples that must or must not match.
 */

const guardPatternFields = z.strictObject({
  name: z.string().min(1),
  regex: z.string().min(1),
  /** Strings the pattern must match (checked in the plan). */
  mustMatch: z.array(z.string()).default([]),
  /** Strings the pattern must not match (checked in the plan). */
  mustNotMatch: z.array(z.string()).default([]),
});

type GuardPattern = z.infer<typeof guardPatternFields>;

/** Why the Rust `regex` crate would refuse a pattern, or undefined when it accepts it. */
export function rustRegexProblem(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next)) return `back-reference \\${next} is not supported`;
      if (next === "k" && pattern[i + 2] === "<") return "named back-references (\\k<…>) are not supported";
      i++;
      continue;
    }
    if (ch === "[") {
      // Skip a character class: its brackets and parentheses are literal.
      for (i++; i < pattern.length && pattern[i] !== "]"; i++) if (pattern[i] === "\\") i++;
      continue;
    }
    if (ch === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith("=") || rest.startsWith("!")) return "look-ahead ((?=…), (?!…)) is not supported";
      if (rest.startsWith("<=") || rest.startsWith("<!"))
        return "look-behind ((?<=…), (?<!…)) is not supported";
      if (rest.startsWith(">")) return "atomic groups ((?>…)) are not supported";
    }
    if ((ch === "+" || ch === "*" || ch === "?" || ch === "}") && pattern[i + 1] === "+")
      return "possessive quantifiers (…++, …*+) are not supported";
  }
  return jsRegExp(pattern) === undefined ? "does not compile" : undefined;
}

/**
 * The pattern as a JavaScript RegExp for checking samples: leading Rust flag groups `(?i)`, `(?s)`, `(?m)`
 * become RegExp flags and `(?P<name>` becomes `(?<name>`. Undefined when it cannot be expressed.
 */
export function jsRegExp(pattern: string): RegExp | undefined {
  let flags = "u";
  let source = pattern;
  for (let m = /^\(\?([ims]+)\)/.exec(source); m !== null; m = /^\(\?([ims]+)\)/.exec(source)) {
    for (const f of m[1]!) if (!flags.includes(f)) flags += f;
    source = source.slice(m[0].length);
  }
  try {
    return new RegExp(source.replace(/\(\?P</g, "(?<"), flags);
  } catch {
    return undefined;
  }
}

/** Each pattern compiles under the gateway's regex engine (an invariant of every guard pattern). */
const guardRegexSyntax = invariant<GuardPattern>("guard-regex-syntax", (pattern, problems) => {
  const problem = rustRegexProblem(pattern.regex);
  if (problem !== undefined)
    problems.add(
      ["regex"],
      `${JSON.stringify(pattern.regex)}: ${problem} by the gateway's regex engine`,
      "rewrite it without look-around or back-references (RE2 syntax)",
    );
});

/** Each pattern matches its own samples (an invariant of every guard pattern). */
const guardSamples = invariant<GuardPattern>("guard-sample-mismatch", (pattern, problems) => {
  const re = rustRegexProblem(pattern.regex) === undefined ? jsRegExp(pattern.regex) : undefined;
  if (re === undefined) return;
  pattern.mustMatch.forEach((sample, k) => {
    if (!re.test(sample))
      problems.add(
        ["mustMatch", k],
        `${JSON.stringify(pattern.regex)} does not match ${JSON.stringify(sample)}`,
      );
  });
  pattern.mustNotMatch.forEach((sample, k) => {
    if (re.test(sample))
      problems.add(["mustNotMatch", k], `${JSON.stringify(pattern.regex)} matches ${JSON.stringify(sample)}`);
  });
});

/** Texts of every kind of character: a pattern that finds something in each of them finds something in any text. */
const ANY_TEXT = ["a", "Z", "0", " ", ".", "\n", "é"];

/**
 * A guard that matches the empty string matches every request and response (the gateway searches each text for
 * the pattern), and one that matches any single character of every kind does the same for any non-empty text:
 * a reject guard then refuses everything, a mask guard rewrites everything (an invariant of every guard pattern).
 */
const guardMatchesEverything = invariant<GuardPattern>("guard-matches-everything", (pattern, problems) => {
  const re = rustRegexProblem(pattern.regex) === undefined ? jsRegExp(pattern.regex) : undefined;
  if (re === undefined) return;
  const empty = re.test("");
  if (empty || ANY_TEXT.every((t) => re.test(t)))
    problems.add(
      ["regex"],
      `${JSON.stringify(pattern.regex)} matches ${empty ? "the empty string, so every text" : "any text"}`,
      "anchor it to what it guards against, e.g. (?i)ignore (all )?previous instructions",
    );
});

export const guardPatternSchema = guardPatternFields.check(
  guardRegexSyntax,
  guardSamples,
  guardMatchesEverything,
);
