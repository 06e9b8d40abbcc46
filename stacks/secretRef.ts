/**
 * Secret references: `op://<vault>/<item>/[<section>/]<field>` (1Password secret-reference syntax) or
 * `config:<key>` (a Pulumi secret config value of this project).
 * Segment characters follow the 1Password syntax: alphanumerics, '-', '_', '.', and spaces.
 */
const SEGMENT = "[A-Za-z0-9_.\\- ]+";
export const SECRET_REF_PATTERN = new RegExp(
  `^(op://${SEGMENT}/${SEGMENT}/(${SEGMENT}/)?${SEGMENT}|config:[A-Za-z][A-Za-z0-9_.-]*)$`,
);

export type SecretRef =
  | { kind: "onepassword"; vault: string; item: string; section?: string; field: string }
  | { kind: "config"; key: string };

export function parseSecretRef(ref: string): SecretRef {
  if (!SECRET_REF_PATTERN.test(ref)) {
    throw new Error(
      `invalid secret reference "${ref}": expected op://<vault>/<item>/[<section>/]<field> or config:<key>`,
    );
  }
  if (ref.startsWith("config:")) {
    return { kind: "config", key: ref.slice("config:".length) };
  }
  const segments = ref.slice("op://".length).split("/");
  if (segments.length === 3) {
    const [vault, item, field] = segments as [string, string, string];
    return { kind: "onepassword", vault, item, field };
  }
  const [vault, item, section, field] = segments as [string, string, string, string];
  return { kind: "onepassword", vault, item, section, field };
}

export function formatSecretRef(ref: SecretRef): string {
  if (ref.kind === "config") return `config:${ref.key}`;
  return `op://${[ref.vault, ref.item, ref.section, ref.field].filter((s) => s !== undefined).join("/")}`;
}

/** getItem outputs that hold an unsectioned field's value. */
export type TopLevelField =
  | "username"
  | "password"
  | "credential"
  | "hostname"
  | "port"
  | "database"
  | "type"
  | "url"
  | "noteValue"
  | "publicKey"
  | "privateKey";

/**
 * getItem returns an unsectioned field only as one of these outputs (never under `sections`): the provider picks
 * it by purpose (username, password, notes), by label (`hostname`/`server`, `database`, `port`, `type`,
 * `public key`, `private key`), the API credential by id, and the primary URL
 * (1Password/terraform-provider-onepassword v2.1.2 internal/provider/onepassword_item_data_source.go).
 * A reference's field names one by the output name or by the field's 1Password label or id.
 */
export const TOP_LEVEL_FIELDS: ReadonlyArray<readonly [TopLevelField, readonly string[]]> = [
  ["username", ["username"]],
  ["password", ["password"]],
  ["credential", ["credential"]],
  ["hostname", ["hostname", "server"]],
  ["port", ["port"]],
  ["database", ["database"]],
  ["type", ["type"]],
  ["url", ["url", "website"]],
  ["noteValue", ["noteValue", "notesPlain", "notes"]],
  ["publicKey", ["publicKey", "public key"]],
  ["privateKey", ["privateKey", "private key"]],
];

/** The getItem output an unsectioned reference field names, if any (case-insensitive, as 1Password). */
export function topLevelField(field: string): TopLevelField | undefined {
  const lower = field.toLowerCase();
  return TOP_LEVEL_FIELDS.find(([, names]) => names.some((n) => n.toLowerCase() === lower))?.[0];
}
