import type { CrossRule } from ".";
import { closest } from "../hints";
import { secretUses } from "../secretFields";
import { parseSecretRef, SECRET_REF_PATTERN } from "../secretRef";

/*
 * Which secret goes where. A reference that parses can still point at the wrong thing: a segment with stray
 * whitespace or a `.`/`..` segment names an item nobody made (1Password's secret reference syntax takes names as
 * written: https://developer.1password.com/docs/cli/secret-reference-syntax/), a vault spelled unlike the stack's
 * other references is another vault, one field feeding two roles of one object hands one of them the wrong
 * credential (Slack's app-level token `xapp-` and bot token `xoxb-` are different tokens), and an LLM backend
 * given another provider's key fails on its first request.
 */

/** Each 1Password reference of the stack with its secret name. */
function onePasswordRefs(secrets: Record<string, string>) {
  return Object.entries(secrets).flatMap(([name, ref]) => {
    if (!SECRET_REF_PATTERN.test(ref) || !ref.startsWith("op://")) return [];
    const parsed = parseSecretRef(ref);
    return parsed.kind === "onepassword" ? [{ name, ref, parsed }] : [];
  });
}

const referenceForm: CrossRule = {
  id: "secret-reference-form",
  check({ config }, issues) {
    for (const { name, ref } of onePasswordRefs(config.secrets ?? {})) {
      const segments = ref.slice("op://".length).split("/");
      const padded = segments.find((s) => s !== s.trim());
      const dot = segments.find((s) => s === "." || s === "..");
      if (padded !== undefined)
        issues.add(
          `secrets.${name}`,
          `segment "${padded}" has surrounding whitespace, so it names no vault, item or field`,
          `use "${padded.trim()}"`,
        );
      else if (dot !== undefined)
        issues.add(
          `secrets.${name}`,
          `segment "${dot}" is a path step, not a name`,
          "name the vault, item and field",
        );
    }
  },
};

/** 1Password compares vault names as written: a second spelling of the stack's vault is another vault. */
const vaultSpelling: CrossRule = {
  id: "secret-vault-spelling",
  check({ config }, issues) {
    const refs = onePasswordRefs(config.secrets ?? {});
    const counts = new Map<string, number>();
    for (const { parsed } of refs) counts.set(parsed.vault, (counts.get(parsed.vault) ?? 0) + 1);
    for (const { name, parsed } of refs) {
      const others = [...counts.keys()].filter(
        (v) => v !== parsed.vault && (counts.get(v) ?? 0) >= (counts.get(parsed.vault) ?? 0),
      );
      const like =
        others.find((v) => v.toLowerCase() === parsed.vault.toLowerCase()) ?? closest(parsed.vault, others);
      if (like !== undefined)
        issues.add(
          `secrets.${name}`,
          `vault "${parsed.vault}" is spelled unlike "${like}", the vault of the stack's other references`,
          `use "${like}", or name a different vault plainly`,
        );
    }
  },
};

/** The reference a secret name resolves to, normalised (1Password matches item and field names case-insensitively). */
function target(secrets: Record<string, string>, name: string): string | undefined {
  const ref = secrets[name];
  return ref === undefined ? undefined : ref.toLowerCase();
}

const sharedField: CrossRule = {
  id: "secret-shared-field",
  check({ config }, issues) {
    const secrets = config.secrets ?? {};
    const uses = secretUses(config).filter((u) => u.active);
    const byObject = new Map<string, typeof uses>();
    for (const u of uses) {
      const parent = u.path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      byObject.set(parent, [...(byObject.get(parent) ?? []), u]);
    }
    for (const group of byObject.values())
      group.forEach((u, i) => {
        const same = group
          .slice(0, i)
          .find(
            (o) =>
              target(secrets, o.name) !== undefined && target(secrets, o.name) === target(secrets, u.name),
          );
        if (same === undefined) return;
        issues.add(
          u.path,
          `reads the same 1Password field as ${same.path} (${secrets[u.name]})`,
          "each role needs its own credential; point this secret at its own field",
        );
      });
  },
};

/** Words that name an LLM provider, per backend provider. */
const PROVIDER_WORDS: Record<string, string[]> = {
  openai: ["openai"],
  anthropic: ["anthropic", "claude"],
  xai: ["xai", "grok"],
  gemini: ["gemini", "google"],
  azureopenai: ["azure"],
  vertexai: ["vertex", "vertexai", "google", "gcp"],
  bedrock: ["bedrock", "aws"],
};

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

const providerSecret: CrossRule = {
  id: "secret-provider-mismatch",
  check({ config }, issues) {
    const llm = config.llm;
    const secrets = config.secrets ?? {};
    if (llm === undefined || !llm.enabled) return;
    const members = llm.backends.flatMap((b, i) =>
      b.provider === "failover"
        ? b.groups.flatMap((g, j) =>
            g.providers.map((m, k) => ({
              ...m,
              path: `llm.backends[${i}].groups[${j}].providers[${k}].secret`,
            })),
          )
        : [{ ...b, path: `llm.backends[${i}].secret` }],
    );
    members.forEach((b) => {
      if (!("secret" in b) || typeof b.secret !== "string") return;
      const own = PROVIDER_WORDS[b.provider] ?? [];
      const ref = secrets[b.secret];
      const said = words(`${b.secret} ${ref === undefined ? "" : ref.replace(/^op:\/\/[^/]+\//, "")}`);
      const other = Object.entries(PROVIDER_WORDS).find(
        ([p, ws]) => p !== b.provider && ws.some((w) => said.includes(w) && !own.includes(w)),
      );
      if (other !== undefined && !own.some((w) => said.includes(w)))
        issues.add(
          b.path,
          `the ${b.provider} backend "${b.name}" reads "${b.secret}" (${ref ?? "undeclared"}), which names the ${other[0]} provider`,
          `give it the ${b.provider} API key`,
        );
    });
  },
};

export const secretRefRules: CrossRule[] = [referenceForm, vaultSpelling, sharedField, providerSecret];
