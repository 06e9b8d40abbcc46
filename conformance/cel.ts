import { Environment } from "@marcbachmann/cel-js";
import { isPlaceholderValue } from "./paths";

/*
 * CRD `x-kubernetes-validations` rules, evaluated the way the API server does on create
 * (kubernetes/apiextensions-apiserver@v0.36: pkg/apiserver/schema/cel/validation.go): after structural
 * defaulting, each rule runs with `self` bound to the value at its schema node, and only where that value is
 * present. Transition rules (those reading `oldSelf`) do not run on create. The Kubernetes CEL libraries the
 * shipped CRDs use (quantity, the global `matches`, list/string helpers) are registered on top of the library.
 */

type Schema = Record<string, unknown>;

interface Validation {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
}

/** Kubernetes resource.Quantity as an exact decimal: value = mantissa * 10^exponent (binary suffixes scaled). */
export class Quantity {
  constructor(readonly text: string) {
    if (parseQuantityValue(text) === undefined) throw new Error(`invalid quantity "${text}"`);
  }
  get value(): number {
    return parseQuantityValue(this.text)!;
  }
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * The numeric value of a Kubernetes quantity string, or undefined when the API server would reject it
 * (kubernetes/apimachinery@v0.36: pkg/api/resource/quantity.go, ParseQuantity).
 */
export function parseQuantityValue(text: string): number | undefined {
  const m =
    /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/.exec(
      text,
    );
  if (m === null) return undefined;
  const number = Number(m[1]);
  if (m[3] !== undefined) return number * 10 ** Number(m[3]);
  const suffix = m[2] ?? "";
  return number * (BINARY[suffix] ?? DECIMAL[suffix]!);
}

function newEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  env.registerType("Quantity", Quantity);
  env.registerFunction("quantity(string): Quantity", (s: string) => new Quantity(s));
  env.registerFunction("isQuantity(string): bool", (s: string) => parseQuantityValue(s) !== undefined);
  env.registerFunction(
    "Quantity.isLessThan(Quantity): bool",
    (a: Quantity, b: Quantity) => a.value < b.value,
  );
  env.registerFunction(
    "Quantity.isGreaterThan(Quantity): bool",
    (a: Quantity, b: Quantity) => a.value > b.value,
  );
  env.registerFunction("Quantity.compareTo(Quantity): int", (a: Quantity, b: Quantity) =>
    BigInt(Math.sign(a.value - b.value)),
  );
  env.registerFunction("matches(string, string): bool", (s: string, re: string) => new RegExp(re).test(s));
  return env;
}

/**
 * `has(e.f)` where `e` is not a plain field path (e.g. `has(self.matches[0].path)`) is valid CEL, but the
 * library only accepts identifier chains there. On JSON objects it means exactly `'f' in e`, so such calls
 * are rewritten to that form before parsing.
 */
export function rewriteHas(expression: string): string {
  let out = "";
  let i = 0;
  while (i < expression.length) {
    const at = expression.indexOf("has(", i);
    if (at < 0 || (at > 0 && /[\w.]/.test(expression[at - 1]!))) {
      if (at < 0) return out + expression.slice(i);
      out += expression.slice(i, at + 4);
      i = at + 4;
      continue;
    }
    let depth = 0;
    let end = at + 3;
    let lastDot = -1;
    for (; end < expression.length; end++) {
      const ch = expression[end];
      if (ch === "(" || ch === "[") depth++;
      else if (ch === ")" || ch === "]") depth--;
      else if (ch === "." && depth === 1) lastDot = end;
      if (depth === 0) break;
    }
    const receiver = expression.slice(at + 4, lastDot);
    const field = expression.slice(lastDot + 1, end);
    out += expression.slice(i, at);
    out +=
      lastDot > 0 && /[[(]/.test(receiver) && /^\w+$/.test(field)
        ? `('${field}' in ${rewriteHas(receiver)})`
        : `has(${rewriteHas(expression.slice(at + 4, end))})`;
    i = end + 1;
  }
  return out;
}

let env: Environment | undefined;
const compiled = new Map<string, (context: Record<string, unknown>) => unknown>();

function compile(expression: string): (context: Record<string, unknown>) => unknown {
  let fn = compiled.get(expression);
  if (fn === undefined) {
    env ??= newEnvironment();
    const parsed = env.parse(rewriteHas(expression));
    fn = (context) => parsed(context);
    compiled.set(expression, fn);
  }
  return fn;
}

function typeOf(schema: Schema | undefined): string | undefined {
  return typeof schema?.["type"] === "string" ? schema["type"] : undefined;
}

/** Fills `default`s of absent properties, as the API server does before validation (structural defaulting). */
export function applyDefaults(schema: Schema | undefined, value: unknown): unknown {
  if (schema === undefined || value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const items = schema["items"] as Schema | undefined;
    return value.map((v) => applyDefaults(items, v));
  }
  if (typeof value !== "object") return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const properties = schema["properties"] as Record<string, Schema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    if (out[name] === undefined && child["default"] !== undefined)
      out[name] = structuredClone(child["default"]);
    if (out[name] !== undefined) out[name] = applyDefaults(child, out[name]);
  }
  const additional = schema["additionalProperties"];
  if (properties === undefined && additional !== null && typeof additional === "object") {
    for (const [k, v] of Object.entries(out)) out[k] = applyDefaults(additional as Schema, v);
  }
  return out;
}

/** JSON as CEL sees it: integers (by schema, or whole numbers where the schema is silent) are CEL ints. */
function toCel(schema: Schema | undefined, value: unknown): unknown {
  if (typeof value === "number") {
    const type = typeOf(schema);
    if (type === "integer" || (type !== "number" && Number.isInteger(value))) return BigInt(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(schema?.["items"] as Schema | undefined, v));
  if (value !== null && typeof value === "object") {
    const properties = schema?.["properties"] as Record<string, Schema> | undefined;
    const additional = schema?.["additionalProperties"];
    const valueSchema =
      typeof additional === "object" && additional !== null ? (additional as Schema) : undefined;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        toCel(properties?.[k] ?? valueSchema, v),
      ]),
    );
  }
  return value;
}

function containsPlaceholder(value: unknown): boolean {
  if (isPlaceholderValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsPlaceholder);
  return false;
}

function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

function ruleMessage(v: Validation, self: unknown): string {
  if (v.messageExpression !== undefined) {
    try {
      const text = compile(v.messageExpression)({ self });
      if (typeof text === "string" && text !== "") return text;
    } catch {
      // The API server falls back to `message` (or the rule) when messageExpression fails.
    }
  }
  return v.message ?? `failed rule: ${v.rule}`;
}

/**
 * Every CEL rule of `schema` that `value` (already defaulted) breaks, as `<label>: <pointer> <message>`.
 * A rule whose subject holds a "[secret]"/"[unknown]" stand-in is not judged: the real value is not known.
 */
export function celViolations(
  label: string,
  schema: Schema | undefined,
  value: unknown,
  pointer = "",
): string[] {
  if (schema === undefined || value === undefined || value === null) return [];
  const problems: string[] = [];
  const validations = (schema["x-kubernetes-validations"] ?? []) as Validation[];
  for (const v of validations) {
    if (isTransitionRule(v.rule)) continue;
    const self = toCel(schema, value);
    let passed: boolean;
    let detail = "";
    try {
      passed = compile(v.rule)({ self }) === true;
    } catch (err) {
      passed = false;
      detail = ` (rule error: ${(err as Error).message.split("\n")[0]})`;
    }
    if (!passed && !containsPlaceholder(value)) {
      const where = `${pointer === "" ? "/" : pointer}${v.fieldPath ?? ""}`;
      problems.push(`${label}: ${where} ${ruleMessage(v, self)}${detail}`);
    }
  }
  if (Array.isArray(value)) {
    const items = schema["items"] as Schema | undefined;
    value.forEach((item, i) => problems.push(...celViolations(label, items, item, `${pointer}/${i}`)));
  } else if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const properties = schema["properties"] as Record<string, Schema> | undefined;
    const additional = schema["additionalProperties"];
    for (const [k, v] of Object.entries(record)) {
      const child =
        properties?.[k] ??
        (typeof additional === "object" && additional !== null ? (additional as Schema) : undefined);
      problems.push(
        ...celViolations(label, child, v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`),
      );
    }
  }
  return problems;
}
