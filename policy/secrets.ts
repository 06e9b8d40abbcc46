import {
  anyPodTemplateOf,
  containerLabel,
  containersOf,
  get,
  isHelmType,
  isKubernetesObject,
  kindOf,
  label,
  list,
  obj,
  PolicySubject,
  strings,
} from "./objects";

/*
 * Secrets found by what they are, whatever the key is called: known credential formats, credentials inside
 * URLs, and high-entropy strings under secret-looking keys. A Secret object is where these belong; everywhere
 * else the pack looks (ConfigMap data, literal env, annotations, labels, command and args, Helm values) they
 * are violations.
 */

interface Detector {
  name: string;
  test: (value: string) => boolean;
}

const regex =
  (re: RegExp) =>
  (value: string): boolean =>
    re.test(value);

/** A Cloudflare tunnel token: base64 JSON `{"a": account, "t": tunnel id, "s": secret}` (cloudflared tunnel token). */
function isTunnelToken(value: string): boolean {
  const m = /(?:^|[^A-Za-z0-9+/])(eyJhIjoi[A-Za-z0-9+/=_-]{40,})/.exec(value);
  if (m === null) return false;
  try {
    const decoded = JSON.parse(Buffer.from(m[1]!, "base64").toString("utf8")) as Record<string, unknown>;
    return (
      typeof decoded["a"] === "string" && typeof decoded["t"] === "string" && typeof decoded["s"] === "string"
    );
  } catch {
    return false;
  }
}

/** Known credential formats, first match wins (provider-specific before generic). */
const DETECTORS: Detector[] = [
  { name: "PEM private key", test: regex(/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/) },
  { name: "Anthropic API key", test: regex(/\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,}/) },
  { name: "OpenAI API key", test: regex(/\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/) },
  { name: "xAI API key", test: regex(/\bxai-[A-Za-z0-9]{20,}/) },
  { name: "GitHub token", test: regex(/\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/) },
  {
    name: "Slack token",
    test: regex(
      /\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/,
    ),
  },
  { name: "AWS access key id", test: regex(/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/) },
  // Scannable Cloudflare credentials: cfk_ (Global API Key), cfut_ (user token), cfat_ (account token), then 40
  // characters and a checksum (https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/);
  // tokens from before that format have no prefix and are found only under secret-named keys.
  { name: "Cloudflare API token", test: regex(/\bcf(?:k|ut|at)_[A-Za-z0-9]{40}/) },
  { name: "Cloudflare tunnel token", test: isTunnelToken },
  { name: "Cloudflare Origin CA key", test: regex(/\bv1\.0-[0-9a-f]{24}-[0-9a-f]{146}\b/) },
  { name: "JWT", test: regex(/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/) },
  {
    name: "credentials in a URL",
    // user:password@ where the password is not an environment or template reference.
    test: regex(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:(?!\$\{|\$\(|\{\{)[^\s/@]+@/i),
  },
];

/** The credential format `value` carries, if any. */
export function credentialFormat(value: string): string | undefined {
  return DETECTORS.find((d) => d.test(value))?.name;
}

/** Key names that say "this is a secret". */
const SECRET_KEY =
  /(^|[_.\-/])(password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)$/i;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** A random-looking token: long, no spaces, not a path, URL or reference, and high entropy. */
function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  if (/^(\/|\.\/|https?:\/\/|\$\{|\$\(|\{\{|op:\/\/|config:)/.test(value)) return false;
  return entropy(value) >= 3.5;
}

/** A value that points at a secret rather than holding it: a file path or an environment/template reference. */
function isReference(value: string): boolean {
  return value.startsWith("/") || /\$\{|\$\(|\{\{/.test(value);
}

/** Placeholders the recording runtime and resolvers write for secret values that leaked into plain config. */
const SECRET_PLACEHOLDER = /^\[secret\]$|^PLACEHOLDER-SECRET-/;

/** Why `value` under `key` is a plain-text secret, or undefined when it is not. */
function plainSecretReason(key: string, value: unknown, opts: { byName?: boolean } = {}): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const format = credentialFormat(value);
  if (format !== undefined) return format;
  if (SECRET_PLACEHOLDER.test(value)) return "a secret value";
  if (SECRET_KEY.test(key) && ((opts.byName === true && !isReference(value)) || looksRandom(value)))
    return "a secret-named value";
  return undefined;
}

function metadataFindings(where: string, metadata: unknown): string[] {
  const out: string[] = [];
  for (const field of ["annotations", "labels"]) {
    for (const [key, value] of Object.entries(obj(get(metadata, field)))) {
      const why = plainSecretReason(key, value);
      if (why !== undefined) out.push(`${where}: ${field.slice(0, -1)} "${key}" holds ${why}; use a Secret`);
    }
  }
  return out;
}

/** Every string under a Helm values tree that is a secret (known format or random under a secret key). */
function valuesFindings(values: unknown, path: string[] = []): string[] {
  if (typeof values === "string") {
    if (values === "[secret]") return [];
    const why = plainSecretReason(path[path.length - 1] ?? "", values);
    return why === undefined ? [] : [`value ${path.join(".")} holds ${why}`];
  }
  if (Array.isArray(values)) return values.flatMap((v, i) => valuesFindings(v, [...path, String(i)]));
  if (values !== null && typeof values === "object")
    return Object.entries(values).flatMap(([k, v]) => valuesFindings(v, [...path, k]));
  return [];
}

/** No secret values outside Secrets: ConfigMaps, literal env, annotations, labels, command/args, Helm values. */
export function plainSecretViolations(subject: PolicySubject): string[] {
  if (isHelmType(subject.type)) {
    const where = `${subject.type.split(":").pop()} ${subject.name}`;
    return valuesFindings(subject.props["values"]).map((f) => `${where}: ${f}; pass it through a Secret`);
  }
  if (!isKubernetesObject(subject)) return [];
  const kind = kindOf(subject);
  const where = label(subject);
  const problems = kind === "Secret" ? [] : metadataFindings(where, subject.props["metadata"]);
  if (kind === "ConfigMap")
    for (const [key, value] of Object.entries(obj(subject.props["data"])))
      if (plainSecretReason(key, value, { byName: true }) !== undefined)
        problems.push(`${where}: key "${key}" holds a secret in plain text; use a Secret`);
  const template = anyPodTemplateOf(subject);
  if (template === undefined) return problems;
  problems.push(...metadataFindings(`${where} pod template`, template.metadata));
  for (const container of containersOf(template.spec)) {
    const c = containerLabel(subject, container);
    for (const env of list(container["env"])) {
      const name = String(env["name"] ?? "");
      if (env["value"] !== undefined && plainSecretReason(name, env["value"], { byName: true }) !== undefined)
        problems.push(`${c}: env ${name} is a literal secret; use valueFrom.secretKeyRef`);
    }
    for (const field of ["command", "args"])
      for (const arg of strings(container[field])) {
        const why = plainSecretReason("", arg) ?? secretFlagReason(arg);
        if (why !== undefined)
          problems.push(`${c}: ${field} "${redact(arg)}" holds ${why}; read it from a Secret`);
      }
  }
  return problems;
}

/** `--token=...`, `--api-key=...`: a flag named like a secret with a random value. */
function secretFlagReason(arg: string): string | undefined {
  const m = /^--?([A-Za-z0-9_.-]+)=(.+)$/.exec(arg);
  return m !== null && SECRET_KEY.test(m[1]!) && looksRandom(m[2]!) ? "a secret-named value" : undefined;
}

function redact(value: string): string {
  return value.length <= 12 ? value : `${value.slice(0, 8)}...`;
}
