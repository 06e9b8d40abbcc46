import * as crypto from "crypto";
import { FakeContext, talosInvokeResult, talosResourceOutputs } from "../components/talos/fakes";
import { parseSecretRef, topLevelField } from "../stacks/secretRef";
import { secretPlaceholder } from "./stackFile";
import { secretValue, unwrapSecrets } from "./redact";

/**
 * Plausible provider outputs and invoke results for the recording runtime, so that the program's apply
 * chains (kubeconfig, client configuration, 1Password fields, ...) run as under `pulumi up`. Values that
 * would be secret from the real provider are secret placeholders, recorded so tests can grep for leaks.
 */
export class Placeholders implements FakeContext {
  /** Every placeholder value handed to the program; none of them may appear in plan output. */
  readonly secretValues = new Set<string>();

  constructor(
    private readonly stack: string,
    private readonly secretRefs: Record<string, string>,
  ) {}

  secret(label: string): Record<string, unknown> {
    const value = secretPlaceholder(`${this.stack}/${label}`);
    this.secretValues.add(value);
    return secretValue(value);
  }

  /** Wraps every string that contains a secret placeholder in a secret marker. */
  markKnownSecrets(value: unknown): unknown {
    if (typeof value === "string") {
      for (const secret of this.secretValues) if (value.includes(secret)) return secretValue(value);
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => this.markKnownSecrets(v));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.markKnownSecrets(v)]));
    }
    return value;
  }

  plainSecretText(label: string): string {
    const value = secretPlaceholder(`${this.stack}/${label}`);
    this.secretValues.add(value);
    return value;
  }

  asSecret(value: unknown): Record<string, unknown> {
    return secretValue(value);
  }

  sha256(text: string): string {
    return sha256(text);
  }

  uuid(text: string): string {
    return uuidOf(text);
  }

  /**
   * Provider ID of a custom resource. An Image Factory schematic's ID is derived from its content, so a changed
   * extension list reaches the installer image (and the upgrade steps) as it would under `pulumi up`.
   */
  resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type === "talos:imageFactory/schematic:Schematic")
      return sha256(String((unwrapSecrets(inputs) as Record<string, unknown>)["schematic"] ?? ""));
    return `${name}-id`;
  }

  /** Extra outputs of a custom resource, keyed by type token; talos's come from its fakes. */
  resourceOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const plain = unwrapSecrets(inputs) as Record<string, unknown>;
    const talos = talosResourceOutputs(type, name, plain, this);
    if (talos !== undefined) return talos;
    switch (type) {
      case "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared":
        return {
          id: uuidOf(name),
          accountTag: "account-tag",
          status: "healthy",
          tunnelSecret: this.secret(`${name}/tunnelSecret`),
        };
      default:
        return {};
    }
  }

  /** Result of an invoke, keyed by token. */
  invokeResult(token: string, args: Record<string, unknown>): Record<string, unknown> {
    const plain = unwrapSecrets(args) as Record<string, unknown>;
    const talos = talosInvokeResult(token, plain, this);
    if (talos !== undefined) return talos;
    switch (token) {
      case "onepassword:index/getVault:getVault": {
        const name = String(plain["name"]);
        return { id: `vaults/${uuidOf(name)}`, uuid: uuidOf(name), name, description: "" };
      }
      case "onepassword:index/getItem:getItem":
        return this.onePasswordItem(String(plain["vault"]), String(plain["title"]));
      case "cloudflare:index/getZone:getZone": {
        const filter = (plain["filter"] ?? {}) as Record<string, unknown>;
        const zoneName = String(filter["name"] ?? "zone");
        return { id: hex32(zoneName), zoneId: hex32(zoneName), name: zoneName, status: "active" };
      }
      case "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken":
        return { ...plain, token: this.secret(`tunnel-token/${String(plain["tunnelId"])}`) };
      default:
        return {};
    }
  }

  /** A 1Password item holding exactly the fields the stack's references point at. */
  private onePasswordItem(vaultUuid: string, title: string): Record<string, unknown> {
    const sections = new Map<string, Array<{ label: string; value: string }>>();
    const outputs: Record<string, string> = {};
    for (const refText of Object.values(this.secretRefs)) {
      const ref = parseSecretRef(refText);
      if (ref.kind !== "onepassword" || ref.item !== title || uuidOf(ref.vault) !== vaultUuid) continue;
      // As getItem does, an unsectioned field with a fixed output (username, hostname, ...) comes back only
      // there (stacks/secretRef.ts TOP_LEVEL_FIELDS).
      const output = ref.section === undefined ? topLevelField(ref.field) : undefined;
      if (output !== undefined) {
        outputs[output] = this.plainSecretText(refText);
        continue;
      }
      const label = ref.section ?? "";
      const fields = sections.get(label) ?? [];
      fields.push({ label: ref.field, value: this.plainSecretText(refText) });
      sections.set(label, fields);
    }
    return {
      id: `vaults/${vaultUuid}/items/${uuidOf(title)}`,
      uuid: uuidOf(title),
      vault: vaultUuid,
      title,
      category: "login",
      ...outputs,
      sections: [...sections.entries()].map(([label, fields]) => ({
        id: uuidOf(`${title}/${label}`),
        label,
        fields: fields.map((f) => ({
          id: uuidOf(`${title}/${label}/${f.label}`),
          label: f.label,
          type: "CONCEALED",
          purpose: "",
          value: f.value,
        })),
      })),
    };
  }
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

function hex32(text: string): string {
  return sha256(text).slice(0, 32);
}

function uuidOf(text: string): string {
  const h = sha256(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
