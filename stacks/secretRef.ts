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
