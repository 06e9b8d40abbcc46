import type { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { requireSchemasDir } from "./paths";

/*
 * Talos machine-configuration documents against the configuration schema of the pinned Talos release
 * (siderolabs/talos@v1.13.9 website/content/v1.13/schemas/config.schema.json, shipped in the schema directory):
 * a v1alpha1 patch (`machine`, `cluster`) or a typed document (`apiVersion` + `kind`). Talos refuses a document
 * the schema refuses when it applies the configuration, on the node, after the plan looked fine.
 */

/** The schema file, relative to the schema directory. */
export const TALOS_SCHEMA_FILE = path.join("talos-v1.13.9", "config.schema.json");

let compiled: ValidateFunction | undefined;

/** The compiled validator of the Talos configuration schema (JSON Schema 2020-12). */
export function talosValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(requireSchemasDir(), TALOS_SCHEMA_FILE), "utf8"));
  compiled = ajv.compile(schema as object);
  return compiled;
}

/** What the schema refuses in one document, each as `<JSON pointer>: <message>` (empty when it is valid). */
export function talosDocumentProblems(doc: unknown): string[] {
  const validate = talosValidator();
  if (validate(doc)) return [];
  const problems = (validate.errors ?? []).map((e) => {
    const extra =
      e.keyword === "additionalProperties"
        ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
        : "";
    return `${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`;
  });
  return [...new Set(problems)];
}

/** Each extra machine-configuration document of a stack (role and node patches) with its config path. */
function stackPatches(values: Record<string, unknown>): Array<{ path: string; doc: unknown }> {
  const talos = (values["cluster"] as { talos?: Record<string, unknown> } | undefined)?.talos;
  if (talos === undefined || talos["enabled"] === false) return [];
  const out: Array<{ path: string; doc: unknown }> = [];
  const patches = (talos["patches"] ?? {}) as Record<string, unknown>;
  for (const role of ["controlplane", "worker"])
    (Array.isArray(patches[role]) ? (patches[role] as unknown[]) : []).forEach((doc, i) =>
      out.push({ path: `cluster.talos.patches.${role}[${i}]`, doc }),
    );
  (Array.isArray(talos["nodes"]) ? (talos["nodes"] as Array<Record<string, unknown>>) : []).forEach((n, i) =>
    (Array.isArray(n["patches"]) ? (n["patches"] as unknown[]) : []).forEach((doc, j) =>
      out.push({ path: `cluster.talos.nodes[${i}].patches[${j}]`, doc }),
    ),
  );
  return out;
}

/** Every problem of the stack's own Talos documents, as `<config path>: Talos v1.13.9 refuses <pointer>: <message>`. */
export function stackTalosPatchProblems(
  values: Record<string, unknown>,
): Array<{ path: string; problem: string }> {
  return stackPatches(values).flatMap(({ path: at, doc }) =>
    talosDocumentProblems(doc).map((p) => ({ path: at, problem: `Talos v1.13.9 refuses ${p}` })),
  );
}
