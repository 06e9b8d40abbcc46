import * as onepassword from "@1password/pulumi-onepassword";
import * as pulumi from "@pulumi/pulumi";
import { plugins } from "../components/versions";
import { formatSecretRef, parseSecretRef, SecretRef } from "./secretRef";

/** The parts of a 1Password item that can hold a field value (`getItem` result). */
export interface OnePasswordItem {
  title: string;
  username?: string;
  password?: string;
  credential?: string;
  sections?: Array<{ label: string; fields?: Array<{ label: string; value: string }> }>;
}

/** 1Password lookups, injectable so the resolver can be tested without the provider. */
export interface OnePasswordLookup {
  vaultUuid(name: string): pulumi.Output<string>;
  item(vaultUuid: pulumi.Output<string>, title: string): pulumi.Output<OnePasswordItem>;
}

/** Lookups through the 1Password provider: vault by name (getVault), then item by title (getItem). */
export const providerLookup: OnePasswordLookup = {
  vaultUuid: (name) => onepassword.getVaultOutput({ name }, plugins.onepassword).uuid,
  item: (vaultUuid, title) => onepassword.getItemOutput({ vault: vaultUuid, title }, plugins.onepassword),
};

const BUILT_IN_FIELDS = ["password", "credential", "username"] as const;

/**
 * Finds a reference's field in an item: in the named section, else in any section, else among the item's
 * built-in password/credential/username fields. Names compare case-insensitively, as 1Password does.
 */
export function findField(
  item: OnePasswordItem,
  ref: Extract<SecretRef, { kind: "onepassword" }>,
): string | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const sections = (item.sections ?? []).filter(
    (s) => ref.section === undefined || same(s.label, ref.section),
  );
  for (const section of sections) {
    const field = (section.fields ?? []).find((f) => same(f.label, ref.field));
    if (field !== undefined) return field.value;
  }
  if (ref.section === undefined) {
    const builtIn = BUILT_IN_FIELDS.find((f) => same(f, ref.field));
    if (builtIn !== undefined) return item[builtIn];
  }
  return undefined;
}

/**
 * Resolves the stack's named secrets to secret Outputs. Each vault and item is looked up once, however many
 * references point into it.
 */
export class SecretResolver {
  private readonly vaults = new Map<string, pulumi.Output<string>>();
  private readonly items = new Map<string, pulumi.Output<OnePasswordItem>>();
  private readonly resolved = new Map<string, pulumi.Output<string>>();

  constructor(
    private readonly refs: Readonly<Record<string, string>>,
    private readonly configSecret: (key: string) => pulumi.Output<string> = (key) =>
      new pulumi.Config().requireSecret(key),
    private readonly lookup: OnePasswordLookup = providerLookup,
  ) {}

  /** The secret named `name` in the stack's `secrets` map, as a secret Output. */
  get(name: string): pulumi.Output<string> {
    const cached = this.resolved.get(name);
    if (cached !== undefined) return cached;
    const refText = this.refs[name];
    if (refText === undefined) throw new Error(`secret "${name}" is not declared in the stack's secrets`);
    const ref = parseSecretRef(refText);
    const value = ref.kind === "config" ? this.configSecret(ref.key) : this.fromOnePassword(ref);
    const secret = pulumi.secret(value);
    this.resolved.set(name, secret);
    return secret;
  }

  /** The named secrets by name, for components that take resolved secrets as a map. */
  pick(names: Iterable<string>): Record<string, pulumi.Output<string>> {
    return Object.fromEntries([...names].map((n) => [n, this.get(n)]));
  }

  private fromOnePassword(ref: Extract<SecretRef, { kind: "onepassword" }>): pulumi.Output<string> {
    let vault = this.vaults.get(ref.vault);
    if (vault === undefined) {
      vault = this.lookup.vaultUuid(ref.vault);
      this.vaults.set(ref.vault, vault);
    }
    const itemKey = `${ref.vault}/${ref.item}`;
    let item = this.items.get(itemKey);
    if (item === undefined) {
      item = this.lookup.item(vault, ref.item);
      this.items.set(itemKey, item);
    }
    // getItem returns plain (non-secret) values in provider 1.1.x; the caller wraps the result in secret().
    return pulumi.secret(item).apply((i) => {
      const value = findField(i, ref);
      if (value === undefined) {
        throw new Error(
          `1Password item "${ref.item}" in vault "${ref.vault}" has no field "${ref.field}" (${formatSecretRef(ref)})`,
        );
      }
      return value;
    });
  }
}
