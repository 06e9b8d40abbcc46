import { lintSource } from "@secretlint/core";
import { creator as recommendedRules } from "@secretlint/secretlint-rule-preset-recommend";
import { isHelmType, label, PolicySubject } from "./objects";
import { secretSites, Site } from "./secretSites";

/*
 * Secrets found by what they are, whatever the key is called: secretlint's recommended rule set (a maintained
 * detector: AWS, GCP, GitHub, Slack, OpenAI, Anthropic, npm, SendGrid, Shopify, Linear, 1Password, private
 * keys, basic auth and database connection strings), the formats it lacks (xAI, Cloudflare, JWTs), literal
 * values under names that say "password" or "secret key", and random values under other secret names. A
 * Secret object is where these belong; every other string a resource hands to the cluster is judged
 * (./secretSites.ts).
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

/** The words of a key: `DB_PASSWORD`, `db-password`, `dbPassword` -> ["db", "password"]. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

function endsWith(ws: string[], tail: string[]): boolean {
  return ws.length >= tail.length && tail.every((t, i) => ws[ws.length - tail.length + i] === t);
}

/** What a Secret holds: `apiKeySecretKey`, `passwordSecretKey` name the key inside a Secret, not a secret key. */
const HELD = new Set(["key", "password", "token", "credentials", "url", "cert", "certificate"]);

/** A name that says "password" or "secret key": any literal under it is a secret. */
function isPasswordName(key: string): boolean {
  const ws = words(key);
  if (["password", "passwd", "passphrase"].includes(ws[ws.length - 1] ?? "")) return true;
  const tail = endsWith(ws, ["secret", "access", "key"]) ? 3 : endsWith(ws, ["secret", "key"]) ? 2 : 0;
  return tail > 0 && !HELD.has(ws[ws.length - tail - 1] ?? "");
}

/** A name that says the value is a credential of some kind. */
function isSecretName(key: string): boolean {
  const ws = words(key);
  const last = ws[ws.length - 1] ?? "";
  return (
    isPasswordName(key) ||
    ["pwd", "secret", "token", "apikey", "credential", "credentials", "auth", "authorization"].includes(
      last,
    ) ||
    [
      ["api", "key"],
      ["access", "key"],
      ["private", "key"],
    ].some((tail) => endsWith(ws, tail))
  );
}

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

/**
 * A digest under a `checksum/` annotation: Helm charts put `sha256sum` of a rendered template there to roll pods
 * when it changes (kagent-dev/kagent@v0.9.12: helm/kagent/templates/controller-deployment.yaml,
 * `checksum/secret`). A hash is not the secret, so the name does not count; the value is still judged.
 */
function isDigestAnnotation(site: Site): boolean {
  return (
    site.key.startsWith("checksum/") &&
    /^(?:sha(?:1|256|512):)?(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/.test(site.value)
  );
}

/** Placeholders the recording runtime and resolvers write for secret values that leaked into plain config. */
const SECRET_PLACEHOLDER = /^\[secret\]$|^PLACEHOLDER-SECRET-/;

/** Why a site holds a plain-text secret (without secretlint's findings), or undefined when it does not. */
function siteReason(site: Site, helm: boolean): string | undefined {
  const { key, value } = site;
  if (value === "") return undefined;
  const format = credentialFormat(value);
  if (format !== undefined) return format;
  // A Pulumi secret in Helm values travels in the release's own Secret; anywhere else it is plain text.
  if (SECRET_PLACEHOLDER.test(value)) return helm && value === "[secret]" ? undefined : "a secret value";
  if (isDigestAnnotation(site)) return undefined;
  if (isPasswordName(key) && !isReference(value)) return "a literal password or secret key";
  if (isSecretName(key) && ((site.strictNames && !isReference(value)) || looksRandom(value)))
    return "a secret-named value";
  return undefined;
}

/** secretlint's recommended rules over every site at once; the rule that fired per site index. */
async function secretlintReasons(sites: Site[]): Promise<Map<number, string>> {
  const starts: number[] = [];
  let content = "";
  for (const s of sites) {
    starts.push(content.length);
    content += `${s.value}\n`;
  }
  const found = new Map<number, string>();
  if (content.trim() === "") return found;
  const result = await lintSource({
    source: { filePath: "/resource.txt", content, contentType: "text" },
    options: {
      noPhysicFilePath: true,
      maskSecrets: true,
      config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommendedRules }] },
    },
  });
  for (const m of result.messages) {
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > m.range[0]) i--;
    const rule = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
    if (!found.has(i)) found.set(i, `${m.messageId} (secretlint ${rule})`);
  }
  return found;
}

/** No secret values outside Secrets: every string of a Kubernetes object or Helm values (./secretSites.ts). */
export async function plainSecretViolations(subject: PolicySubject): Promise<string[]> {
  const sites = secretSites(subject);
  if (sites.length === 0) return [];
  const helm = isHelmType(subject.type);
  const linted = await secretlintReasons(sites);
  const where = label(subject);
  const out = new Set<string>();
  sites.forEach((site, i) => {
    const why = siteReason(site, helm) ?? linted.get(i) ?? secretFlagReason(site.value);
    if (why === undefined) return;
    const fix = helm ? "pass it through a Secret" : "use a Secret";
    out.add(`${where}: ${site.path} holds ${why}; ${fix}`);
  });
  return [...out];
}

/** `--token=...`, `--api-key=...`: a flag named like a secret with a random value. */
function secretFlagReason(arg: string): string | undefined {
  const m = /^--?([A-Za-z0-9_.-]+)=(.+)$/.exec(arg);
  if (m === null || !isSecretName(m[1]!)) return undefined;
  return looksRandom(m[2]!) || isPasswordName(m[1]!) ? "a secret-named flag" : undefined;
}
