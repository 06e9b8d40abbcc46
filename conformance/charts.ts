import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { isPlaceholderValue, valueAt } from "./paths";

/*
 * Chart values against the charts themselves: every key the program sets exists in the chart's values.yaml at
 * the pinned version (Helm ignores a misspelt key silently), and the values Helm would use validate against the
 * chart's values.schema.json where it ships one (Helm validates the coalesced values before rendering:
 * helm/helm@v3.19.0 pkg/chartutil/jsonschema.go ValidateAgainstSchema).
 */

type Values = Record<string, unknown>;

/**
 * Pinned versions whose chart source is not in the schema directory, mapped to the nearest published one.
 * Cilium 1.20.1's chart is published only as a packaged release; the values files are 1.20.0's, and 1.20.1's
 * release notes change none of the keys the program sets (../shared/README.md).
 */
export const NEAREST_CHART_SOURCE: Record<string, Record<string, string>> = {
  cilium: { "1.20.1": "1.20.0" },
};

/**
 * Subtrees whose keys the chart passes through unchecked, so any key is valid there. Each cites the template.
 */
export const FREE_FORM: Record<string, string[][]> = {
  // The collector configuration, merged as a whole into the config ConfigMap
  // (open-telemetry/opentelemetry-helm-charts opentelemetry-collector templates/_config.tpl).
  "opentelemetry-collector": [["config"]],
  // helm/kagent/templates/modelconfig.yaml renders `providers.<default>.config` with toYaml into the ModelConfig.
  kagent: [["providers", "*", "config"]],
  // values.yaml: "Configure resource requests and limits for the container, such as 'limits.cpu: 100m'"; the
  // controller Deployment renders `resources` whole (controller/install/helm/agentgateway/templates/deployment.yaml).
  agentgateway: [["resources"]],
};

/**
 * Keys a chart reads that its values.yaml shows only as comments. Each cites the comment and the template.
 */
export const COMMENTED_KEYS: Record<string, string[][]> = {
  // values.yaml `podDisruptionBudget:` lists `#   minAvailable: 2` and `#   maxUnavailable: 1`, which
  // templates/pdb.yaml renders into the PodDisruptionBudget spec.
  "opentelemetry-collector": [
    ["podDisruptionBudget", "minAvailable"],
    ["podDisruptionBudget", "maxUnavailable"],
  ],
};

/** `oci://host/charts/agentgateway` or `agentgateway` -> `agentgateway`. */
export function chartBaseName(chart: string): string {
  return chart.slice(chart.lastIndexOf("/") + 1);
}

export interface ChartFiles {
  valuesFile: string;
  schemaFile?: string;
  /** The chart source version the files are for (differs from the pin only per NEAREST_CHART_SOURCE). */
  sourceVersion: string;
}

/** The chart's values.yaml (and values.schema.json when shipped) under `<schemas>/charts`, or undefined. */
export function chartFiles(schemas: string, chart: string, version: string): ChartFiles | undefined {
  const name = chartBaseName(chart);
  const sourceVersion = NEAREST_CHART_SOURCE[name]?.[version] ?? version;
  const base = path.join(schemas, "charts", `${name}-${sourceVersion}`);
  if (!fs.existsSync(`${base}.values.yaml`)) return undefined;
  const schemaFile = `${base}.values.schema.json`;
  return {
    valuesFile: `${base}.values.yaml`,
    schemaFile: fs.existsSync(schemaFile) ? schemaFile : undefined,
    sourceVersion,
  };
}

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Subchart defaults shipped beside the parent (`<subchart>-<version>.values.yaml`), keyed by subchart name. */
export function subchartDefaults(schemas: string, parentDefaults: Values): Record<string, Values> {
  const out: Record<string, Values> = {};
  const dir = path.join(schemas, "charts");
  for (const key of Object.keys(parentDefaults)) {
    const file = fs
      .readdirSync(dir)
      .find(
        (f) => f.startsWith(`${key}-`) && /^\d/.test(f.slice(key.length + 1)) && f.endsWith(".values.yaml"),
      );
    if (file !== undefined) out[key] = parse(fs.readFileSync(path.join(dir, file), "utf8")) as Values;
  }
  return out;
}

/** Helm's coalescing of user values over chart defaults: maps merge, a null deletes the default key. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Values = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = coalesce(defaults[k], v);
  }
  return out;
}

/**
 * Maps whose entries share one shape that the templates read, so a key any entry shows is valid in every entry.
 */
export const SIBLING_SHAPED: Record<string, string[][]> = {
  // helm/kagent/templates/modelconfig.yaml reads provider, model, apiKeySecretRef, apiKeySecretKey,
  // defaultHeaders and config of whichever entry `providers.default` names; values.yaml shows `config` under ollama.
  kagent: [["providers"]],
};

export interface KeyContext {
  freeForm?: string[][];
  siblingShaped?: string[][];
  commented?: string[][];
  /** The chart's values.schema.json: a key its properties declare exists even when values.yaml omits it. */
  schema?: Record<string, unknown>;
}

/** True when `at` is `pattern`, where a `*` in the pattern matches any one key. */
const samePath = (pattern: string[], at: string[]) =>
  pattern.length === at.length && pattern.every((k, i) => k === "*" || k === at[i]);

function schemaChild(
  root: Record<string, unknown> | undefined,
  node: unknown,
  key: string,
): Record<string, unknown> | undefined {
  let n = node as Record<string, unknown> | undefined;
  const ref = n?.["$ref"];
  if (typeof ref === "string" && ref.startsWith("#/"))
    n = valueAt(root, ref.slice(1)) as Record<string, unknown>;
  const props = n?.["properties"] as Record<string, unknown> | undefined;
  return props !== undefined && key in props ? (props[key] as Record<string, unknown>) : undefined;
}

/**
 * Keys the program sets that the chart does not know: not in its defaults and not declared by its schema. Below a
 * default that is an empty map, null or a list, and inside FREE_FORM subtrees, any key is accepted (pass-through
 * settings).
 */
export function unknownKeys(
  values: unknown,
  defaults: unknown,
  ctx: KeyContext = {},
  at: string[] = [],
  schemaNode: unknown = ctx.schema,
  siblings: Values[] = [],
): string[] {
  if (!isMap(values)) return [];
  if ((ctx.freeForm ?? []).some((p) => samePath(p, at))) return [];
  const shapes = [defaults, ...siblings].filter(isMap);
  if (shapes.length === 0 || shapes.every((d) => Object.keys(d).length === 0)) return [];
  const shared = (ctx.siblingShaped ?? []).some((p) => samePath(p, at));
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const where = [...at, k];
    const inSchema = schemaChild(ctx.schema, schemaNode, k);
    const known = shapes.find((d) => k in d);
    const commented = (ctx.commented ?? []).some((p) => samePath(p, where));
    if (known === undefined && inSchema === undefined && !commented) {
      out.push(where.join("."));
      continue;
    }
    const def = known?.[k];
    const childSiblings = shared && isMap(def) ? Object.values(known!).filter(isMap) : [];
    out.push(...unknownKeys(v, def ?? {}, ctx, where, inSchema, childSiblings));
  }
  return out;
}

const validators = new Map<string, ValidateFunction>();

function validator(schemaFile: string): ValidateFunction {
  let v = validators.get(schemaFile);
  if (v === undefined) {
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
    delete schema["$schema"];
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    v = ajv.compile(schema);
    validators.set(schemaFile, v);
  }
  return v;
}

/** Schema problems of the coalesced values (recording placeholders satisfy any schema). */
export function schemaProblems(schemaFile: string, merged: unknown): string[] {
  const validate = validator(schemaFile);
  if (validate(merged)) return [];
  return (validate.errors ?? [])
    .filter((e) => !isPlaceholderValue(valueAt(merged, e.instancePath)))
    .map(
      (e) =>
        `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : ""}`,
    );
}

/** Every conformance problem of one chart installation's values. */
export function chartValuesProblems(
  schemas: string,
  chart: string,
  files: ChartFiles,
  values: Values,
): string[] {
  const name = chartBaseName(chart);
  const defaults = (parse(fs.readFileSync(files.valuesFile, "utf8")) ?? {}) as Values;
  const subcharts = subchartDefaults(schemas, defaults);
  const withSubcharts: Values = { ...defaults };
  for (const [key, sub] of Object.entries(subcharts)) withSubcharts[key] = coalesce(sub, defaults[key]);
  const schema =
    files.schemaFile !== undefined
      ? (JSON.parse(fs.readFileSync(files.schemaFile, "utf8")) as Record<string, unknown>)
      : undefined;
  const ctx = {
    freeForm: FREE_FORM[name],
    siblingShaped: SIBLING_SHAPED[name],
    commented: COMMENTED_KEYS[name],
    schema,
  };
  const problems = unknownKeys(values, withSubcharts, ctx).map(
    (k) =>
      `${k} is not a key of ${path.basename(files.valuesFile)}${k.split(".")[0]! in subcharts ? " or its subchart" : ""}`,
  );
  if (files.schemaFile !== undefined)
    problems.push(
      ...schemaProblems(files.schemaFile, coalesce(defaults, values)).map(
        (p) => `${path.basename(files.schemaFile!)}: ${p}`,
      ),
    );
  return problems;
}
