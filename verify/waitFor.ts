import { jsonpath } from "json-p3";
import { WAIT_FOR_ANNOTATION } from "../lib/readiness";

/*
 * Evaluates `pulumi.com/waitFor` against a live object the way pulumi-kubernetes does, so `verify` and the
 * tests read the program's own waits: the JSON-list-or-single form (provider/pkg/metadata/overrides.go
 * ReadyCondition), `condition=` like `kubectl wait` with the observedGeneration guard
 * (provider/pkg/await/condition/kubectl.go checkCondition), and `jsonpath=` parsed as the provider does (split
 * on single `=`, brackets required, RFC 9535 path, first selected node compared as text;
 * provider/pkg/jsonpath/jsonpath.go Parse, Matches) (pulumi/pulumi-kubernetes@v4.32.0).
 */

type Obj = Record<string, unknown>;

/** The outcome of one expression against an object. */
export interface WaitResult {
  expression: string;
  met: boolean;
  /** Why it is not met: the controller's condition message when there is one. */
  reason?: string;
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  observedGeneration?: unknown;
}

/** The expressions of a waitFor annotation value: a JSON list of strings, or one expression. */
export function waitExpressions(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((e) => typeof e === "string")) return parsed as string[];
  } catch {
    // not JSON: a single expression
  }
  return [value];
}

/** The waitFor expressions an object carries (none without the annotation). */
export function waitsOf(obj: Obj): string[] {
  const meta = (obj["metadata"] ?? {}) as Obj;
  const value = ((meta["annotations"] ?? {}) as Record<string, string>)[WAIT_FOR_ANNOTATION];
  return value === undefined || value === "" ? [] : waitExpressions(value);
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function describe(c: Condition): string {
  const why = [c.reason, c.message].filter((s) => typeof s === "string" && s !== "").join(": ");
  return `${String(c.type)}=${String(c.status)}${why ? ` (${why})` : ""}`;
}

/** Conditions of a type anywhere under `status` that are not True, with their messages. */
function conditionMessages(obj: Obj, type: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== "object") return;
    const o = v as Obj;
    if (Array.isArray(o["conditions"])) {
      for (const c of o["conditions"] as Condition[]) {
        if (String(c.type).toLowerCase() !== type.toLowerCase()) continue;
        if (c.status === "True" || c.message === undefined || c.message === "") continue;
        found.push(describe(c));
      }
    }
    Object.entries(o).forEach(([k, child]) => k !== "conditions" && walk(child));
  };
  walk(obj["status"]);
  return [...new Set(found)];
}

function evalCondition(obj: Obj, expression: string): WaitResult {
  const body = expression.slice("condition=".length);
  const idx = body.indexOf("=");
  const type = idx === -1 ? body : body.slice(0, idx);
  const want = idx === -1 ? "True" : body.slice(idx + 1);
  const status = (obj["status"] ?? {}) as Obj;
  const conditions = Array.isArray(status["conditions"]) ? (status["conditions"] as Condition[]) : undefined;
  if (conditions === undefined) return { expression, met: false, reason: "no status conditions yet" };
  const generation = num(((obj["metadata"] ?? {}) as Obj)["generation"]);
  for (const c of conditions) {
    if (typeof c.type !== "string" || c.type.toLowerCase() !== type.toLowerCase()) continue;
    if (typeof c.status !== "string") continue;
    const observed = num(c.observedGeneration) ?? num(status["observedGeneration"]);
    if (generation !== undefined && observed !== undefined && observed < generation)
      return { expression, met: false, reason: `${type} not yet observed for generation ${generation}` };
    const met = c.status.toLowerCase() === want.toLowerCase();
    return met ? { expression, met } : { expression, met, reason: describe(c) };
  }
  return { expression, met: false, reason: `no ${type} condition` };
}

/** Path and value of a `jsonpath=` expression, split as the provider splits it. */
export function parseJsonPath(expression: string): { path: string; value?: string } {
  const raw = expression.slice("jsonpath=".length);
  const placeholder = "\u0000";
  const parts = raw.replaceAll("==", placeholder).split("=");
  if (parts.length > 2) throw new Error(`format should be {.path}=value or {.path}, got ${raw}`);
  const restore = (s: string) => s.replaceAll(placeholder, "==");
  const value = parts.length === 2 ? restore(parts[1]!) : undefined;
  if (value === "") throw new Error(`${restore(parts[0]!)}= requires a value`);
  const match = /\{\s*(.*?)\s*\}/.exec(restore(parts[0]!));
  if (match === null) throw new Error(`${restore(parts[0]!)} should be wrapped in brackets { ... }`);
  const inner = match[1]!;
  return { path: inner.startsWith("$") ? inner : `$${inner}`, ...(value !== undefined ? { value } : {}) };
}

/** The condition type a path ends in (`...conditions[?(@.type=="X")].status`), for the failure message. */
function conditionTypeOf(path: string): string | undefined {
  return /conditions\[\?\(@\.type=="([^"]+)"\)\]\.status$/.exec(path)?.[1];
}

function evalJsonPath(obj: Obj, expression: string): WaitResult {
  const { path, value } = parseJsonPath(expression);
  const observed = num(((obj["status"] ?? {}) as Obj)["observedGeneration"]);
  const generation = num(((obj["metadata"] ?? {}) as Obj)["generation"]);
  if (generation !== undefined && observed !== undefined && observed < generation)
    return { expression, met: false, reason: `status not yet observed for generation ${generation}` };
  const results = jsonpath.query(path, obj as never).values();
  const type = conditionTypeOf(path);
  // The controller's words on the condition the path reads (other conditions say nothing about this wait).
  const context = () => {
    const messages = type === undefined ? [] : conditionMessages(obj, type);
    return messages.length > 0 ? `: ${messages.join("; ")}` : "";
  };
  if (results.length === 0) return { expression, met: false, reason: `${path} selected nothing${context()}` };
  const first = results[0];
  if (first !== null && typeof first === "object") {
    if (value === undefined) return { expression, met: true };
    throw new Error(`${path} has a non-primitive value`);
  }
  if (value === undefined) return { expression, met: true };
  const found = String(first);
  return found === value
    ? { expression, met: true }
    : { expression, met: false, reason: `${path} is ${found}, want ${value}${context()}` };
}

/** One waitFor expression against an object. */
export function evaluateWait(obj: Obj, expression: string): WaitResult {
  if (expression.startsWith("jsonpath=")) return evalJsonPath(obj, expression);
  if (expression.startsWith("condition=")) return evalCondition(obj, expression);
  throw new Error(`expected a "jsonpath=" or "condition=" prefix, got ${JSON.stringify(expression)}`);
}
