import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { crossRuleIssues } from "./checks";
import { invariantOf } from "./checks/refine";
import { foreignKeyIssues } from "./configKeys";
import { closest } from "./hints";
import { CONFIG_NAMESPACE, ConfigIssue, ConfigValidationError } from "./issues";
import { crossFieldIssues, PartialConfig } from "./rules";
import { platformConfigSchema, PlatformConfig } from "./schema";
import { decodeStackConfig } from "./stackConfig";
import { parseSecretRef } from "./secretRef";
import { describeZodIssue } from "./zodIssues";

/** The project's config values (keys without the namespace) and which of them are Pulumi secrets. */
export interface RawStackConfig {
  values: Record<string, unknown>;
  secretKeys: ReadonlySet<string>;
  /** Full keys (`namespace:key`) of the stack file outside the project namespace. */
  otherKeys?: readonly string[];
}

const layerKeys = Object.keys(platformConfigSchema.shape) as Array<keyof PlatformConfig>;

/**
 * Parses one config key: its zod issues, and its parsed value (defaults applied) when the only issues are object
 * invariants (./checks/refine.ts), which leave the shape valid.
 */
function parseKey(
  schema: z.ZodType,
  input: unknown,
): { shapeValid: boolean; value?: unknown; problems: z.core.$ZodIssue[] } {
  let parsed: unknown;
  // A check with `when` runs even after other issues, so it sees the parsed value of a failed parse.
  const capture = schema.superRefine((v) => void (parsed = v), { when: () => true });
  const result = capture.safeParse(input);
  if (result.success) return { shapeValid: true, value: result.data, problems: [] };
  const problems = result.error.issues;
  const shapeValid = problems.every((i) => invariantOf(i) !== undefined);
  return shapeValid ? { shapeValid, value: parsed, problems } : { shapeValid, problems };
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
  // Each key's shape errors and object invariants are reported together, and a key whose only problems are
  // invariants stays in the partial config, so that the cross-field rules also check it.
  const partial: Record<string, unknown> = {};
  for (const key of layerKeys) {
    const schema = platformConfigSchema.shape[key];
    const { shapeValid, value, problems } = parseKey(schema, raw.values[key]);
    if (shapeValid) partial[key] = value;
    for (const issue of problems) issues.push(...describeZodIssue(key, schema, issue, raw.values[key]));
  }
  issues.push(...crossFieldIssues(partial as PartialConfig).items);
  issues.push(...crossRuleIssues(partial as PartialConfig).items);
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
