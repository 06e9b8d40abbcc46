import { execFile } from "child_process";
import { parseAllDocuments, stringify } from "yaml";
import { redactSecretLeaves } from "./redact";

/*
 * Talos reader: `talosctl -n <address> get <resource> -o yaml` per node, with the operator's talosctl and
 * TALOSCONFIG. talosctl prints one YAML document per resource, `node: <address>` followed by the resource's
 * `metadata` and `spec` (siderolabs/talos@v1.13.9 cmd/talosctl/cmd/talos/output/yaml.go WriteResource;
 * cosi-project/runtime pkg/resource/resource.go MarshalYAML). A MachineConfig's spec is the configuration
 * itself as one YAML text, every document of it (output/yaml.go mcYamlSpec).
 */

/** The resources read per node, by snapshot file name. */
export const TALOS_RESOURCES = {
  machineconfig: "machineconfig",
  version: "version",
  extensions: "extensions",
} as const;

export type TalosResourceFile = keyof typeof TALOS_RESOURCES;

export interface TalosNodeRef {
  name: string;
  address: string;
}

export interface TalosReadOptions {
  /** The talosctl binary (default: `talosctl` from PATH). */
  talosctl?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

type Obj = Record<string, unknown>;

/** A machine configuration text (all its documents) with keys, certificates, tokens and secrets hashed. */
export function redactMachineConfigText(text: string): string {
  return parseAllDocuments(text)
    .map((doc) => stringify(redactSecretLeaves(doc.toJS()), { lineWidth: 0 }))
    .join("---\n");
}

/** talosctl's YAML output with every secret value hashed; a MachineConfig spec keeps its text form. */
export function redactTalosOutput(output: string): string {
  return parseAllDocuments(output)
    .map((doc) => {
      const resource = doc.toJS() as Obj | null;
      if (resource === null || typeof resource !== "object") return doc.toString();
      const spec = resource["spec"];
      const redacted = {
        ...resource,
        spec: typeof spec === "string" ? redactMachineConfigText(spec) : redactSecretLeaves(spec),
      };
      return stringify(redacted, { lineWidth: 0 });
    })
    .join("---\n");
}

function run(talosctl: string, args: string[], options: TalosReadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      talosctl,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const reason = String(stderr).trim().split("\n").slice(-3).join(" ") || err.message;
        reject(new Error(`talosctl ${args.join(" ")}: ${reason}`));
      },
    );
  });
}

/** Reads one node's machine configuration, version and extensions (redacted), as talosctl prints them. */
export async function readTalosNode(
  node: TalosNodeRef,
  options: TalosReadOptions = {},
): Promise<Record<TalosResourceFile, string>> {
  const talosctl = options.talosctl ?? "talosctl";
  const entries = await Promise.all(
    (Object.entries(TALOS_RESOURCES) as Array<[TalosResourceFile, string]>).map(
      async ([file, resource]) =>
        [
          file,
          redactTalosOutput(
            await run(talosctl, ["-n", node.address, "get", resource, "-o", "yaml"], options),
          ),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<TalosResourceFile, string>;
}
