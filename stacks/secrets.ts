import * as onepassword from "@1password/pulumi-onepassword";
import * as pulumi from "@pulumi/pulumi";
import { plugins } from "../lib/versions";
import { formatSecretRef, parseSecretRef, SecretRef, TOP_LEVEL_FIELDS, topLevelField } from "./secretRef";

/** A file attached to a 1Password item (getItem `files[]`, `sections[].files[]`). */
export interface OnePasswordFile {
  id?: string;
  name: string;
  content: string;
}

/** The parts of a 1Password item a reference can reach (`getItem` result). */
export interface OnePasswordItem {
  title: string;
  category?: string;
  username?: string;
  password?: string;
  credential?: string;
  hostname?: string;
  port?: string;
  database?: string;
  type?: string;
  url?: string;
  noteValue?: string;
  publicKey?: string;
  privateKey?: string;
  files?: OnePasswordFile[];
  sections?: Array<{
    id?: string;
    label: string;
    fields?: Array<{ id?: string; label: string; value: string }>;
    files?: OnePasswordFile[];
  }>;
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

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
/** The provider returns unset outputs as empty or missing. */
const present = (v: string | undefined): v is string => v !== undefined && v !== null && v !== "";

/**
 * Finds a reference's field in an item: in the named section (fields, then files), else in any section, among
 * the unsectioned outputs, then among the attached files. Sections, fields and files match by label/name or
 * id; names compare case-insensitively, as 1Password does.
 */
export function findField(
  item: OnePasswordItem,
  ref: Extract<SecretRef, { kind: "onepassword" }>,
): string | undefined {
  const sections = (item.sections ?? []).filter(
    (s) => ref.section === undefined || same(s.label, ref.section) || same(s.id, ref.section),
  );
  for (const section of sections) {
    const field = (section.fields ?? []).find((f) => same(f.label, ref.field) || same(f.id, ref.field));
    if (field !== undefined) return field.value;
  }
  if (ref.section === undefined) {
    const output = topLevelField(ref.field);
    if (output !== undefined && present(item[output])) return item[output];
  }
  const files = [
    ...(ref.section === undefined ? (item.files ?? []) : []),
    ...sections.flatMap((s) => s.files ?? []),
  ];
  return files.find((f) => same(f.name, ref.field) || same(f.id, ref.field))?.content;
}

/** What a reference into the item can name (never values), for error messages. */
export function describeItem(item: OnePasswordItem): string {
  const parts: string[] = TOP_LEVEL_FIELDS.filter(([key]) => present(item[key])).map(([key]) => key);
  parts.push(...(item.files ?? []).map((f) => `file "${f.name}"`));
  for (const s of item.sections ?? []) {
    const names = [
      ...(s.fields ?? []).map((f) => f.label),
      ...(s.files ?? []).map((f) => `file "${f.name}"`),
    ];
    const where = s.label === "" ? `unnamed section${s.id ? ` ${s.id}` : ""}` : `section "${s.label}"`;
    parts.push(`${where}: ${names.length > 0 ? names.join(", ") : "(empty)"}`);
  }
  return parts.length > 0 ? parts.join("; ") : "no fields";
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
          `1Password item "${ref.item}" in vault "${ref.vault}" has no ${ref.section === undefined ? "" : `section "${ref.section}" with a `}field "${ref.field}" (${formatSecretRef(ref)}); the item has: ${describeItem(i)}`,
        );
      }
      return value;
    });
  }
}
