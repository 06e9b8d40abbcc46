import { CONFIG_NAMESPACE } from "./issues";
import type { RawStackConfig } from "./load";

/**
 * The project's namespace of the engine's flat stack config (full `ns:key` -> string). The engine passes
 * structured values as JSON text, which `Config.getObject` parses back (pulumi/pulumi@v3.248.0
 * sdk/nodejs/config.ts); scalars stay strings. The one decoder of stack config: the running program and the
 * offline stack-file reader both go through it.
 */
export function decodeStackConfig(
  config: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): RawStackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const otherKeys: string[] = [];
  for (const [fullKey, value] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) {
      otherKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    values[key] = decodeValue(value);
    if (isSecret(fullKey)) secretKeys.add(key);
  }
  return { values, secretKeys, otherKeys };
}

function decodeValue(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}
