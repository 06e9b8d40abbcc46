import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_NAMESPACE } from "../stacks/issues";
import type { RawStackConfig } from "../stacks/load";
import { parseYamlFile } from "./yamlFile";
import { decodeStackConfig } from "../stacks/stackConfig";

/** A stack file as the Pulumi engine hands it to the program: flat `ns:key` strings plus secret keys. */
export interface StackFileConfig {
  stack: string;
  /** Full keys (`ai-platform:cluster`) to string values; objects are JSON text, as the engine passes them. */
  config: Record<string, string>;
  secretKeys: string[];
  /** Values standing in for encrypted `secure:` entries, which cannot be decrypted offline. */
  placeholders: string[];
}

/** The directory holding Pulumi.yaml, found from this module whether it runs from source or a build. */
export const PROJECT_ROOT = projectRoot(__dirname);

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}

/** Deterministic stand-in for a secret value; distinctive so that a leak is easy to grep for. */
export function secretPlaceholder(label: string): string {
  return `PLACEHOLDER-SECRET-${crypto.createHash("sha256").update(label).digest("hex").slice(0, 12)}`;
}

export function stackFilePath(stack: string, root = PROJECT_ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

export function listStacks(root = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** The `config` entries of Pulumi.<stack>.yaml as written (keys with or without the namespace). */
export function stackFileEntries(stack: string, root = PROJECT_ROOT): Record<string, unknown> {
  const doc = (parseYamlFile(stackFilePath(stack, root)) ?? {}) as { config?: Record<string, unknown> };
  return doc.config ?? {};
}

export function readStackFile(stack: string, root = PROJECT_ROOT): StackFileConfig {
  return fromStackDocument(stack, stackFileEntries(stack, root));
}

export function fromStackDocument(stack: string, entries: Record<string, unknown>): StackFileConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const placeholders: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const fullKey = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
    if (isSecure(value)) {
      const placeholder = secretPlaceholder(`${stack}/${fullKey}`);
      config[fullKey] = placeholder;
      secretKeys.push(fullKey);
      placeholders.push(placeholder);
    } else {
      config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { stack, config, secretKeys, placeholders };
}

function isSecure(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}

/** The project's namespace of a stack file, as `readStackConfig` sees it inside the program. */
export function rawConfigOf(file: StackFileConfig): RawStackConfig {
  return decodeStackConfig(file.config, (key) => file.secretKeys.includes(key));
}
