import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { foreignKeyIssues } from "./configKeys";
import { closest } from "./hints";
import { CONFIG_NAMESPACE, ConfigIssue, ConfigValidationError, joinPath } from "./issues";
import { crossFieldIssues, PartialConfig } from "./rules";
import { platformConfigSchema, PlatformConfig } from "./schema";
import { decodeStackConfig } from "./stackConfig";
import { parseSecretRef } from "./secretRef";

/** The project's config values (keys without the namespace) and which of them are Pulumi secrets. */
export interface RawStackConfig {
  values: Record<string, unknown>;
  secretKeys: ReadonlySet<string>;
  /** Full keys (`namespace:key`) of the stack file outside the project namespace. */
  otherKeys?: readonly string[];
}

const layerKeys = Object.keys(platformConfigSchema.shape) as Array<keyof PlatformConfig>;

/** Walks the schema along a path to find the keys an object accepts there (for "did you mean"). */
function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; options?: z.ZodType[] } }).def;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable")
      return unwrap(def.innerType!);
    if (def.type === "union") return def.options!.flatMap(unwrap);
    return [s];
  };
  let current = unwrap(schema);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = (
        s as unknown as {
          def: {
            type: string;
            shape?: Record<string, z.ZodType>;
            element?: z.ZodType;
            valueType?: z.ZodType;
          };
        }
      ).def;
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment])
        next.push(...unwrap(def.shape[segment]));
      else if (def.type === "array" && typeof segment === "number") next.push(...unwrap(def.element!));
      else if (def.type === "record") next.push(...unwrap(def.valueType!));
    }
    current = next;
  }
  return current.flatMap((s) => {
    const def = (s as unknown as { def: { type: string; shape?: Record<string, unknown> } }).def;
    return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
  });
}

function describeZodIssue(key: string, issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = joinPath([key, ...issue.path]);
  const schema = platformConfigSchema.shape[key as keyof PlatformConfig] as z.ZodType;
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((k) => {
        const match = closest(k, known);
        return {
          path: joinPath([key, ...issue.path, k]),
          message: "unknown field",
          hint: match ? `did you mean "${match}"?` : `allowed fields: ${known.join(", ")}`,
        };
      });
    }
    case "invalid_type": {
      // zod 4 leaves `input` out of issues by default; the message still names what it received.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === "undefined") return [{ path, message: "is required" }];
      const expected = issue.expected === "object" ? "a mapping" : `a ${issue.expected}`;
      return [
        {
          path,
          message: `must be ${expected}${received ? `, not ${received === "object" ? "a mapping" : `a ${received}`}` : ""}`,
        },
      ];
    }
    case "invalid_union": {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options;
        const at = issue.path[issue.path.length - 1] === discriminator ? path : `${path}.${discriminator}`;
        return [
          { path: at, message: `must be one of ${(options ?? []).map((o) => JSON.stringify(o)).join(", ")}` },
        ];
      }
      return [{ path, message: "matches none of the allowed shapes", hint: unionHint(schema, issue.path) }];
    }
    case "invalid_value":
      return [{ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

function unionHint(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string | undefined {
  const keys = knownKeysAt(schema, path);
  return keys.length > 0 ? `use one of the fields ${keys.map((k) => `"${k}"`).join(", ")}` : undefined;
}

/**
 * Parses and validates the whole configuration, returning every issue found. Pure: it reads nothing but
 * its argument, so tests and the plan command see exactly what `pulumi up` sees.
 */
export function parsePlatformConfig(raw: RawStackConfig): { config?: PlatformConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = foreignKeyIssues(raw.otherKeys ?? []);
  const configRefs = new Set<string>();
  const secrets = raw.values["secrets"];
  if (secrets !== null && typeof secrets === "object") {
    for (const ref of Object.values(secrets as Record<string, unknown>)) {
      if (typeof ref === "string" && ref.startsWith("config:")) configRefs.add(ref.slice("config:".length));
    }
  }
  for (const key of Object.keys(raw.values)) {
    if ((layerKeys as string[]).includes(key)) continue;
    if (raw.secretKeys.has(key) || configRefs.has(key)) continue;
    const match = closest(key, layerKeys);
    issues.push({
      path: key,
      message: "unknown config key",
      hint: match ? `did you mean "${match}"?` : `keys: ${layerKeys.join(", ")}`,
    });
  }
  const partial: Record<string, unknown> = {};
  for (const key of layerKeys) {
    const result = platformConfigSchema.shape[key].safeParse(raw.values[key]);
    if (result.success) partial[key] = result.data;
    else for (const issue of result.error.issues) issues.push(...describeZodIssue(key, issue));
  }
  issues.push(...crossFieldIssues(partial as PartialConfig).items);
  const parsedSecrets = partial["secrets"] as Record<string, string> | undefined;
  for (const [name, ref] of Object.entries(parsedSecrets ?? {})) {
    const parsed = parseSecretRef(ref);
    if (parsed.kind !== "config") continue;
    if (!(parsed.key in raw.values)) {
      issues.push({
        path: `secrets.${name}`,
        message: `config key "${CONFIG_NAMESPACE}:${parsed.key}" is not set`,
        hint: `pulumi config set --secret ${parsed.key} <value>`,
      });
    } else if (!raw.secretKeys.has(parsed.key)) {
      issues.push({
        path: `secrets.${name}`,
        message: `config key "${CONFIG_NAMESPACE}:${parsed.key}" is not a secret`,
        hint: `set it again with pulumi config set --secret ${parsed.key}`,
      });
    }
  }
  return issues.length === 0 ? { config: partial as PlatformConfig, issues } : { issues };
}

// Exported by the runtime's config module (runtime/config.js) but missing from its type declarations.
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/** Reads the project's config namespace from the running Pulumi program. */
export function readStackConfig(): RawStackConfig {
  return decodeStackConfig(pulumi.runtime.allConfig(), isConfigSecret);
}

/** Loads the stack configuration or throws one error listing every problem. */
export function loadPlatformConfig(raw: RawStackConfig = readStackConfig()): PlatformConfig {
  const { config, issues } = parsePlatformConfig(raw);
  if (config === undefined) throw new ConfigValidationError(issues);
  return config;
}
