import { createHash } from "crypto";
import { wire } from "./internals";

/** Wire-format helpers: the monitor sees property values in Pulumi's RPC encoding. */

const SIG_KEY = wire.sigKey;
const SECRET_SIG = wire.secretSig;
const RESOURCE_SIG = wire.resourceSig;
const UNKNOWN = wire.unknown;
const REDACTED = "[secret]";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isSig(value: unknown, sig: string): value is { value?: unknown; urn?: string } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === sig;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? path === ""
      ? key
      : `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/**
 * A short digest of a secret value, so that two plans can tell whether it changed without showing it. The
 * recording never holds a real secret (config `secure:` values and provider outputs are placeholders named
 * after where they come from, `stacks/secretRef` references name their 1Password field), so the digest
 * reveals nothing the repository does not.
 */
export function secretDigest(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(unwrapSecrets(value)) ?? null))
    .digest("hex")
    .slice(0, 16);
}

/**
 * Replaces every secret value with "[secret]", every resource reference with its URN and every unknown
 * with "[unknown]"; returns the cleaned value, the property paths that were secret and a digest of each
 * secret value by path.
 */
export function redact(value: unknown): {
  value: Json;
  secretPaths: string[];
  secretDigests: Record<string, string>;
} {
  const secretPaths: string[] = [];
  const secretDigests: Record<string, string> = {};
  const walk = (v: unknown, path: string): Json => {
    if (isSig(v, SECRET_SIG)) {
      secretPaths.push(path);
      secretDigests[path] = secretDigest(v.value);
      return REDACTED;
    }
    if (isSig(v, RESOURCE_SIG)) return String(v.urn ?? "");
    if (v === UNKNOWN) return "[unknown]";
    if (Array.isArray(v)) return v.map((item, i) => walk(item, childPath(path, i)));
    if (v !== null && typeof v === "object") {
      const out: Record<string, Json> = {};
      for (const key of Object.keys(v).sort())
        out[key] = walk((v as Record<string, unknown>)[key], childPath(path, key));
      return out;
    }
    if (v === undefined) return null;
    return v as Json;
  };
  const cleaned = walk(value, "");
  return { value: cleaned, secretPaths, secretDigests };
}

/** Removes the secret wrappers but keeps the values (for provider outputs computed from inputs). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSig(value, SECRET_SIG)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object" && !isSig(value, RESOURCE_SIG)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export function secretValue(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** Sorts object keys recursively so that serialised plans are byte-stable. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
