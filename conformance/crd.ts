import type { ErrorObject, ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { applyDefaults, celViolations } from "./cel";
import { cachedParse, cachedValidator } from "./schemaCache";
import {
  describeObject,
  filesUnder,
  isPlaceholderValue,
  requireSchemasDir,
  schemasDir,
  splitApiVersion,
  valueAt,
} from "./paths";

type Schema = Record<string, unknown>;

interface CrdVersion {
  file: string;
  served: boolean;
  schema: Schema | undefined;
}

const indexes = new Map<string, CrdIndex>();
const validators = new Map<string, ValidateFunction>();

function key(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/**
 * The CRDs under `<schemas>/crds`. Parsing every bundle takes seconds, so files are first matched to their
 * group and kind by a text scan (controller-gen output has fixed indentation) and parsed when first asked for;
 * a file the scan cannot place is parsed at once.
 */
class CrdIndex {
  private readonly versions = new Map<string, CrdVersion>();
  private readonly pending = new Map<string, string[]>();

  constructor(dir: string) {
    for (const file of filesUnder(path.join(dir, "crds"), [".yaml", ".yml"])) {
      const text = fs.readFileSync(file, "utf8");
      const groups = [...text.matchAll(/^ {2}group: ["']?([^"'\s]+)["']?\s*$/gm)].map((m) => m[1]!);
      const kinds = [...text.matchAll(/^ {4}kind: ["']?([^"'\s]+)["']?\s*$/gm)].map((m) => m[1]!);
      const singleDocument = !/^---/m.test(text.replace(/^---\s*\n/, ""));
      if (singleDocument && groups.length === 1 && kinds.length === 1) {
        const groupKind = `${groups[0]}/${kinds[0]}`;
        this.pending.set(groupKind, [...(this.pending.get(groupKind) ?? []), file]);
      } else {
        this.parse(file, text);
      }
    }
  }

  private parse(file: string, text = fs.readFileSync(file, "utf8")): void {
    for (const { key: k, served, schema } of cachedParse("crd-versions-v1", text, crdVersions))
      this.versions.set(k, { file, served, schema });
  }

  private load(group: string, kind: string): void {
    const files = this.pending.get(`${group}/${kind}`);
    if (files === undefined) return;
    this.pending.delete(`${group}/${kind}`);
    files.forEach((f) => this.parse(f));
  }

  get(group: string, version: string, kind: string): CrdVersion | undefined {
    this.load(group, kind);
    return this.versions.get(key(group, version, kind));
  }

  /** Every version on file of a group and kind, as `group/version/kind`. */
  versionsOf(group: string, kind: string): string[] {
    this.load(group, kind);
    return [...this.versions.keys()]
      .filter((k) => k.startsWith(`${group}/`) && k.endsWith(`/${kind}`))
      .sort();
  }
}

/** Every version of every CustomResourceDefinition in a YAML text, keyed `group/version/kind`. */
function crdVersions(text: string): Array<{ key: string; served: boolean; schema: Schema | undefined }> {
  const out: Array<{ key: string; served: boolean; schema: Schema | undefined }> = [];
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS() as { kind?: string; spec?: Record<string, unknown> } | null;
    if (crd?.kind !== "CustomResourceDefinition" || crd.spec === undefined) continue;
    const group = String(crd.spec["group"]);
    const kind = String((crd.spec["names"] as Record<string, unknown>)["kind"]);
    for (const v of (crd.spec["versions"] ?? []) as Array<Record<string, unknown>>) {
      const schema = (v["schema"] as Record<string, unknown> | undefined)?.["openAPIV3Schema"] as
        Schema | undefined;
      out.push({ key: key(group, String(v["name"]), kind), served: v["served"] !== false, schema });
    }
  }
  return out;
}

function crdIndex(dir: string): CrdIndex {
  let index = indexes.get(dir);
  if (index === undefined) {
    index = new CrdIndex(dir);
    indexes.set(dir, index);
  }
  return index;
}

/**
 * The CRD schema as the API server applies it: object schemas that list properties are closed (the server
 * prunes unknown fields silently, so a misspelled field would otherwise pass) unless they preserve unknown
 * fields. Kubernetes-only `x-kubernetes-*` keywords, CEL rules included, are dropped: ajv cannot evaluate them.
 */
export function closeSchema(schema: unknown, insideJunctor = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closeSchema(s, insideJunctor));
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith("x-kubernetes-")) continue;
    if (k === "properties" && v !== null && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([name, s]) => [name, closeSchema(s)]));
    } else if (k === "items" || k === "additionalProperties" || k === "not") {
      out[k] = typeof v === "object" ? closeSchema(v, k === "not") : v;
    } else if (k === "allOf" || k === "anyOf" || k === "oneOf") {
      out[k] = closeSchema(v, true);
    } else {
      out[k] = v;
    }
  }
  // Structural schemas carry `type` outside junctors only; a junctor branch listing properties is a constraint, not a shape.
  const closable =
    !insideJunctor &&
    node["type"] === "object" &&
    node["properties"] !== undefined &&
    node["additionalProperties"] === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true;
  if (closable) out["additionalProperties"] = false;
  return out;
}

function validatorFor(
  dir: string,
  group: string,
  version: string,
  kind: string,
  entry: CrdVersion,
): ValidateFunction {
  const cacheKey = `${dir}|${key(group, version, kind)}`;
  let validate = validators.get(cacheKey);
  if (validate === undefined) {
    validate = cachedValidator(closeSchema(entry.schema ?? { type: "object" }) as Schema);
    validators.set(cacheKey, validate);
  }
  return validate;
}

export function formatAjvError(prefix: string, error: ErrorObject): string {
  const where = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    error.keyword === "additionalProperties"
      ? ` (unknown field "${String(params["additionalProperty"])}")`
      : error.keyword === "enum"
        ? ` (${JSON.stringify(params["allowedValues"])})`
        : "";
  return `${prefix}: ${where} ${error.message ?? error.keyword}${detail}`;
}

/** Errors with the instance path of a "[secret]"/"[unknown]" stand-in are not errors of the program. */
export function realErrors(manifest: unknown, errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => !isPlaceholderValue(valueAt(manifest, e.instancePath)));
}

/**
 * Validates a custom resource against its CRD's openAPIV3Schema (found by apiVersion and kind under
 * `<schemas>/crds`); returns the problems found, empty when it conforms. No CRD for the kind is a problem.
 */
export function validateCustomResource(manifest: Record<string, unknown>): string[] {
  const dir = requireSchemasDir();
  const apiVersion = manifest["apiVersion"];
  const kind = manifest["kind"];
  const label = describeObject(manifest);
  if (typeof apiVersion !== "string" || typeof kind !== "string")
    return [`${label}: apiVersion and kind are required`];
  const { group, version } = splitApiVersion(apiVersion);
  const entry = crdIndex(dir).get(group, version, kind);
  if (entry === undefined) {
    const versions = crdIndex(dir).versionsOf(group, kind);
    const hint = versions.length > 0 ? ` (schemas have: ${versions.join(", ")})` : "";
    return [`${label}: no CRD for ${apiVersion} ${kind} under ${path.join(dir, "crds")}${hint}`];
  }
  const problems: string[] = [];
  if (!entry.served) problems.push(`${label}: ${apiVersion} is not served by ${path.basename(entry.file)}`);
  const metadata = manifest["metadata"] as Record<string, unknown> | undefined;
  if (typeof metadata?.["name"] !== "string" || metadata["name"] === "")
    problems.push(`${label}: /metadata/name is required`);
  const validate = validatorFor(dir, group, version, kind, entry);
  if (!validate(manifest))
    problems.push(...realErrors(manifest, validate.errors ?? []).map((e) => formatAjvError(label, e)));
  else problems.push(...celViolations(label, entry.schema, applyDefaults(entry.schema, manifest)));
  return problems;
}

/** The openAPIV3Schema of a custom resource's CRD on file, or undefined (no schema directory, no such CRD). */
export function crdSchemaOf(apiVersion: string, kind: string): Schema | undefined {
  const dir = schemasDir();
  if (dir === undefined) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  return crdIndex(dir).get(group, version, kind)?.schema;
}
