import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../recording/stackFile";

/** Environment variable naming the upstream schema directory (default: `<project root>/../shared/schemas`). */
export const SCHEMAS_ENV = "PLATFORM_SCHEMAS_DIR";

/** The upstream schema directory, or undefined when it does not exist. */
export function schemasDir(): string | undefined {
  const configured = process.env[SCHEMAS_ENV];
  const dir =
    configured !== undefined && configured !== ""
      ? path.resolve(configured)
      : path.resolve(PROJECT_ROOT, "..", "shared", "schemas");
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : undefined;
}

/** The schema directory, or an Error naming the variable that points at it. */
export function requireSchemasDir(): string {
  const dir = schemasDir();
  if (dir === undefined)
    throw new Error(
      `schema directory not found: set ${SCHEMAS_ENV} to the upstream schemas (shared/schemas)`,
    );
  return dir;
}

/** Files under `dir` (recursively) whose names end with one of `extensions`, sorted. */
export function filesUnder(dir: string, extensions: string[]): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push(full);
  }
  return out.sort();
}

/** "[secret]" and "[unknown]" stand in for values the recording cannot show; they satisfy any schema. */
export function isPlaceholderValue(value: unknown): boolean {
  return value === "[secret]" || value === "[unknown]";
}

/** The value at a JSON pointer (ajv's `instancePath`). */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `group/version` -> { group, version }; a bare `v1` is the core group "". */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `Kind namespace/name` for messages. */
export function describeObject(manifest: Record<string, unknown>): string {
  const metadata = (manifest["metadata"] ?? {}) as Record<string, unknown>;
  const name = typeof metadata["name"] === "string" ? metadata["name"] : "<unnamed>";
  const ns = typeof metadata["namespace"] === "string" ? `${metadata["namespace"]}/` : "";
  return `${String(manifest["kind"] ?? "<no kind>")} ${ns}${name}`;
}
