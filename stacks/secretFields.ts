import type { z } from "zod";
import { secretFields } from "./fields";
import type { PartialConfig, Rule } from "./layerRules/common";
import { resolve } from "./layerRules/common";
import { platformConfigSchema, type PlatformConfig } from "./schema";

/*
 * The one walker over the validated config that finds every field naming a secret: the fields built from
 * `secretName` (./fields.ts) carry a mark in the schema, so a new secret-bearing field needs no list kept by hand.
 */

/** A field naming a secret: its config path, the name, and whether it is in a part that is switched on. */
export interface SecretUse {
  path: string;
  name: string;
  /** False when the field or a containing object has `enabled: false` (nothing reads the secret then). */
  active: boolean;
}

type AnySchema = z.core.$ZodType;

/** The option of a union that the parsed value was accepted by. */
function unionOption(def: z.core.$ZodUnionDef | z.core.$ZodDiscriminatedUnionDef, value: unknown) {
  if ("discriminator" in def && typeof value === "object" && value !== null) {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    return def.options.find((o) => o._zod.propValues?.[def.discriminator]?.has(tag as never));
  }
  return def.options.find((o) => (o as z.ZodType).safeParse(value).success);
}

function walk(schema: AnySchema, value: unknown, path: string, active: boolean, out: SecretUse[]): void {
  if (value === undefined || value === null) return;
  if (secretFields.has(schema)) {
    if (typeof value === "string") out.push({ path, name: value, active });
    return;
  }
  const def = schema._zod.def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return walk((def as z.core.$ZodOptionalDef).innerType, value, path, active, out);
    case "pipe":
      return walk((def as z.core.$ZodPipeDef).out, value, path, active, out);
    case "union": {
      const option = unionOption(def as z.core.$ZodUnionDef, value);
      if (option !== undefined) walk(option, value, path, active, out);
      return;
    }
    case "object": {
      if (typeof value !== "object") return;
      const fields = value as Record<string, unknown>;
      const on = active && fields["enabled"] !== false;
      for (const [key, field] of Object.entries((def as z.core.$ZodObjectDef).shape)) {
        walk(field, fields[key], path === "" ? key : `${path}.${key}`, on, out);
      }
      return;
    }
    case "array":
      if (Array.isArray(value)) {
        const element = (def as z.core.$ZodArrayDef).element;
        value.forEach((v, i) => walk(element, v, `${path}[${i}]`, active, out));
      }
      return;
    case "record": {
      if (typeof value !== "object") return;
      const valueType = (def as z.core.$ZodRecordDef).valueType;
      for (const [key, v] of Object.entries(value)) walk(valueType, v, `${path}.${key}`, active, out);
      return;
    }
    default:
      return;
  }
}

/** Every field naming a secret, in schema order, with its config path (layers missing from a partial config are skipped). */
export function secretUses(c: PartialConfig): SecretUse[] {
  const out: SecretUse[] = [];
  walk(platformConfigSchema, c, "", true, out);
  return out;
}

/**
 * Names of the secrets read under a config path (a layer like `kagent`, or `tenants.items[0]`), in a part that
 * is switched on: sorted, once each. These are the secrets the composition resolves for that component.
 */
export function activeSecretNames(config: PlatformConfig, under: string): string[] {
  const inside = (path: string) =>
    path === under || path.startsWith(`${under}.`) || path.startsWith(`${under}[`);
  const names = secretUses(config)
    .filter((u) => u.active && inside(u.path))
    .map((u) => u.name);
  return [...new Set(names)].sort();
}

/** Every secret name used anywhere resolves to an entry of `secrets`. */
export const secretsResolve: Rule = (c, issues) => {
  if (c.secrets === undefined) return;
  const declared = Object.keys(c.secrets);
  for (const { path, name } of secretUses(c)) resolve(issues, path, name, declared, "secret");
};
