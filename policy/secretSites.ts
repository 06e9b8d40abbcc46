import { parse as parseYaml } from "yaml";
import { isHelmType, isKubernetesObject, kindOf, PolicySubject } from "./objects";

/*
 * Every string a resource hands to the cluster, with the key it sits under: the whole of a Kubernetes object
 * (metadata, ConfigMap data and binaryData, env values, command and args, custom-resource specs) and a Helm
 * chart's values, and inside them the configuration files that strings embed (YAML, JSON, INI, a kubeconfig, a
 * docker config, base64 data). A Secret is where credentials belong and is not scanned.
 */

/** One string value and where it is. */
export interface Site {
  /** Path inside the resource, e.g. `data.settings`, `spec.template.spec.containers[0].env[TOKEN]`. */
  path: string;
  /** The name the value is stored under (map key, env or header name), for the name-based checks. */
  key: string;
  value: string;
  /**
   * Whether any literal under a secret-looking name counts (ConfigMap data, env and header values, files): a
   * name there is the variable the program reads. Elsewhere only a random-looking value under such a name does.
   */
  strictNames: boolean;
}

/** Object fields the API server or the engine writes, which hold nothing the program chose. */
const SKIPPED = new Set(["managedFields", "ownerReferences", "uid", "resourceVersion", "creationTimestamp"]);

/** Lines a config file would have: a document, not a sentence with a colon in it. */
function embeddedDocument(value: string): unknown {
  const text = value.trim();
  if (text.length < 2) return undefined;
  if (/^[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // An INI file starts with `[section]` too.
    }
  }
  if (!text.includes("\n")) return undefined;
  const ini = iniDocument(text);
  if (ini !== undefined) return ini;
  try {
    const doc = parseYaml(text, { logLevel: "silent" }) as unknown;
    return doc !== null && typeof doc === "object" ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** An INI or dotenv file (`[section]` headers and `key = value` lines), as nested records. */
function iniDocument(text: string): Record<string, unknown> | undefined {
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !/^\s*[#;]/.test(l));
  if (!lines.every((l) => /^\s*\[[^\]]+\]\s*$/.test(l) || /^\s*[A-Za-z0-9_.-]+\s*=/.test(l)))
    return undefined;
  if (!lines.some((l) => l.includes("="))) return undefined;
  const root: Record<string, unknown> = {};
  let section = root;
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header !== null) {
      section = {};
      root[header[1]!.trim()] = section;
      continue;
    }
    const eq = line.indexOf("=");
    section[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, "$2");
  }
  return root;
}

/** Base64 text that decodes to printable text (`*-data` kubeconfig fields, docker `auth`, binaryData). */
export function decodedBase64(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, "base64").toString("utf8");
  // eslint-disable-next-line no-control-regex
  return /^[\x09\x0a\x0d\x20-\x7e]+$/.test(text) ? text : undefined;
}

function walk(value: unknown, path: string, key: string, strictNames: boolean, out: Site[], depth = 0): void {
  if (depth > 24) return;
  if (typeof value === "string") {
    out.push({ path, key, value, strictNames });
    const doc = embeddedDocument(value);
    if (doc !== undefined) walk(doc, `${path}(file)`, key, true, out, depth + 1);
    const decoded = /(^|[-_])data$|^auth$/i.test(key) ? decodedBase64(value) : undefined;
    if (decoded !== undefined) walk(decoded, `${path}(base64)`, key, strictNames, out, depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      // `{name, value}` pairs (env variables, HTTP headers, parameters) are named by their `name`.
      const pair = item as Record<string, unknown> | null;
      if (pair !== null && typeof pair === "object" && typeof pair["name"] === "string" && "value" in pair) {
        const name = pair["name"];
        walk(pair["value"], `${path}[${name}]`, name, true, out, depth + 1);
        for (const [k, v] of Object.entries(pair))
          if (k !== "value") walk(v, `${path}[${name}].${k}`, k, strictNames, out, depth + 1);
      } else walk(item, `${path}[${i}]`, key, strictNames, out, depth + 1);
    });
    return;
  }
  if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (SKIPPED.has(k)) continue;
      walk(v, path === "" ? k : `${path}.${k}`, k, strictNames, out, depth + 1);
    }
}

/** The strings of a resource the pack judges for secrets; none for a Secret or a resource of another kind. */
export function secretSites(subject: PolicySubject): Site[] {
  const out: Site[] = [];
  if (isHelmType(subject.type)) {
    walk(subject.props["values"], "values", "", false, out);
    return out;
  }
  if (!isKubernetesObject(subject) || kindOf(subject) === "Secret") return out;
  for (const [field, value] of Object.entries(subject.props)) {
    if (field === "data" || field === "binaryData") {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        const text = field === "binaryData" && typeof v === "string" ? decodedBase64(v) : v;
        walk(text, `${field}.${k}`, k, true, out);
      }
    } else walk(value, field, field, false, out);
  }
  return out;
}
