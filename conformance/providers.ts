import * as fs from "fs";
import * as path from "path";
import { filesUnder, isPlaceholderValue, requireSchemasDir } from "./paths";

interface PropertySpec {
  type?: string;
  $ref?: string;
}

interface ObjectSpec {
  properties?: Record<string, PropertySpec>;
  required?: string[];
}

interface PackageSchema {
  name: string;
  version?: string;
  provider?: { inputProperties?: Record<string, PropertySpec>; requiredInputs?: string[] };
  resources?: Record<string, { inputProperties?: Record<string, PropertySpec>; requiredInputs?: string[] }>;
  functions?: Record<string, { inputs?: ObjectSpec }>;
  types?: Record<string, { type?: string }>;
}

interface LoadedSchema {
  schema: PackageSchema;
  /** Version named by the file (`<name>-<version>.json`). */
  fileVersion: string | undefined;
}

/** Packages whose Pulumi schemas are checked. */
export const PROVIDER_PACKAGES = ["talos", "f5bigip", "onepassword"] as const;

const loaded = new Map<string, Map<string, LoadedSchema>>();

function packageSchemas(dir: string): Map<string, LoadedSchema> {
  let byName = loaded.get(dir);
  if (byName !== undefined) return byName;
  byName = new Map();
  for (const file of filesUnder(path.join(dir, "providers"), [".json"])) {
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as PackageSchema;
    const fileVersion = new RegExp(`^${schema.name}-(\\d+\\.\\d+\\.\\d+.*)\\.json$`).exec(
      path.basename(file),
    )?.[1];
    byName.set(schema.name, { schema, fileVersion });
  }
  loaded.set(dir, byName);
  return byName;
}

/** The package a token belongs to: `talos:machine/...` and `pulumi:providers:talos` -> `talos`. */
export function packageOf(token: string): string {
  if (token.startsWith("pulumi:providers:")) return token.slice("pulumi:providers:".length).split("/")[0]!;
  return token.split(":")[0]!;
}

function schemaOf(pkg: string): LoadedSchema | undefined {
  return packageSchemas(requireSchemasDir()).get(pkg);
}

/** The version of the package schema on file: its `version` field, else the version in its file name. */
export function providerSchemaVersion(pkg: string): string | undefined {
  const entry = schemaOf(pkg);
  return entry === undefined ? undefined : (entry.schema.version ?? entry.fileVersion)?.replace(/^v/, "");
}

/** A recorded plugin version that differs from the schema's; empty when it matches or is not recorded. */
export function checkPluginVersion(token: string, recordedVersion: string): string[] {
  const pkg = packageOf(token);
  const expected = providerSchemaVersion(pkg);
  if (recordedVersion === "" || expected === undefined) return [];
  const actual = recordedVersion.replace(/^v/, "");
  return actual === expected
    ? []
    : [`${token}: plugin version ${actual} does not match the ${pkg} schema version ${expected}`];
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

/** The JSON type a property schema asks for, or undefined when any value may do. */
function expectedType(spec: PropertySpec, schema: PackageSchema): string | undefined {
  if (spec.type !== undefined && spec.type !== "ref") return spec.type;
  const ref = spec.$ref;
  if (ref === undefined || !ref.startsWith("#/types/")) return undefined;
  return schema.types?.[decodeURIComponent(ref.slice("#/types/".length))]?.type ?? "object";
}

function typeMatches(expected: string, value: unknown): boolean {
  switch (expected) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "object":
      return jsonType(value) === "object";
    default:
      return jsonType(value) === expected;
  }
}

function checkInputs(
  token: string,
  values: Record<string, unknown>,
  properties: Record<string, PropertySpec>,
  required: string[],
  schema: PackageSchema,
  ignored: string[] = [],
): string[] {
  const problems: string[] = [];
  const present = Object.entries(values).filter(([, v]) => v !== null && v !== undefined);
  const keys = new Set(present.map(([k]) => k));
  for (const name of required)
    if (!keys.has(name)) problems.push(`${token}: required input "${name}" is missing`);
  for (const [name, value] of present) {
    if (ignored.includes(name)) continue;
    const spec = properties[name];
    if (spec === undefined) {
      problems.push(
        `${token}: unknown input "${name}" (known: ${Object.keys(properties).sort().join(", ")})`,
      );
      continue;
    }
    const expected = expectedType(spec, schema);
    if (expected !== undefined && !isPlaceholderValue(value) && !typeMatches(expected, value)) {
      problems.push(`${token}: input "${name}" must be ${expected}, got ${jsonType(value)}`);
    }
  }
  return problems;
}

/**
 * Checks a provider resource's inputs against its Pulumi package schema: the type token exists, required
 * inputs are present, no unknown input, top-level values have the schema's type ("[secret]" fits any).
 * `pulumi:providers:<pkg>` is checked against the package's provider configuration.
 */
export function validateProviderResource(type: string, inputs: Record<string, unknown>): string[] {
  const pkg = packageOf(type);
  const entry = schemaOf(pkg);
  if (entry === undefined) return [`${type}: no provider schema for package "${pkg}"`];
  const { schema } = entry;
  if (type.startsWith("pulumi:providers:")) {
    // The engine adds the plugin version and download URL to every provider's inputs.
    const ignored = ["version", "pluginDownloadURL"];
    return checkInputs(
      type,
      inputs,
      schema.provider?.inputProperties ?? {},
      schema.provider?.requiredInputs ?? [],
      schema,
      ignored,
    );
  }
  const resource = schema.resources?.[type];
  if (resource === undefined) return [`${type}: no such resource in the ${pkg} schema`];
  return checkInputs(type, inputs, resource.inputProperties ?? {}, resource.requiredInputs ?? [], schema);
}

/** Checks an invoke's arguments against the function's inputs in its Pulumi package schema. */
export function validateProviderInvoke(token: string, args: Record<string, unknown>): string[] {
  const pkg = packageOf(token);
  const entry = schemaOf(pkg);
  if (entry === undefined) return [`${token}: no provider schema for package "${pkg}"`];
  const fn = entry.schema.functions?.[token];
  if (fn === undefined) return [`${token}: no such function in the ${pkg} schema`];
  return checkInputs(token, args, fn.inputs?.properties ?? {}, fn.inputs?.required ?? [], entry.schema);
}
