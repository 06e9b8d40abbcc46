import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { parseSecretRef, TOP_LEVEL_FIELDS } from "../../stacks/secretRef";
import {
  describeItem,
  findField,
  OnePasswordItem,
  OnePasswordLookup,
  SecretResolver,
} from "../../stacks/secrets";
import { one, recordProgram } from "../support/record";

const item: OnePasswordItem = {
  title: "agentgateway",
  password: "pw-value",
  username: "user-value",
  sections: [
    { label: "", fields: [{ label: "OPENAI_API_KEY", value: "openai-value" }] },
    { label: "azure", fields: [{ label: "api-key", value: "azure-value" }] },
  ],
};

const op = (ref: string) =>
  parseSecretRef(ref) as Extract<ReturnType<typeof parseSecretRef>, { kind: "onepassword" }>;

describe("secrets: field lookup", () => {
  it("finds fields in sections, case-insensitively", () => {
    assert.equal(findField(item, op("op://Homelab/agentgateway/OPENAI_API_KEY")), "openai-value");
    assert.equal(findField(item, op("op://Homelab/agentgateway/openai_api_key")), "openai-value");
    assert.equal(findField(item, op("op://Homelab/agentgateway/Azure/api-key")), "azure-value");
  });

  it("falls back to the item's built-in fields only without a section", () => {
    assert.equal(findField(item, op("op://Homelab/agentgateway/password")), "pw-value");
    assert.equal(findField(item, op("op://Homelab/agentgateway/username")), "user-value");
    assert.equal(findField(item, op("op://Homelab/agentgateway/azure/password")), undefined);
  });

  it("returns undefined for an unknown field or section", () => {
    assert.equal(findField(item, op("op://Homelab/agentgateway/GEMINI_KEY")), undefined);
    assert.equal(findField(item, op("op://Homelab/agentgateway/other/api-key")), undefined);
  });
});

/**
 * A database item as getItem returns it (1Password/terraform-provider-onepassword v2.1.2
 * internal/provider/onepassword_item_data_source.go): unsectioned fields only as fixed outputs (unset ones
 * empty), custom fields and files under their sections, unsectioned files under `files`.
 */
const database: OnePasswordItem = {
  title: "postgres",
  category: "database",
  username: "app",
  password: "db-password",
  hostname: "pg.internal",
  port: "5432",
  database: "kagent",
  type: "postgresql",
  credential: "",
  url: "",
  noteValue: "",
  publicKey: "",
  privateKey: "",
  files: [{ id: "f1", name: "ca.pem", content: "ca-content" }],
  sections: [
    {
      id: "s1",
      label: "tls",
      fields: [{ id: "mode", label: "sslmode", value: "verify-full" }],
      files: [{ id: "f2", name: "client.pem", content: "client-content" }],
    },
  ],
};

describe("secrets: every field getItem returns", () => {
  it("reaches each unsectioned output by its output name, 1Password label or id", () => {
    for (const [output, names] of TOP_LEVEL_FIELDS) {
      const withValue: OnePasswordItem = { title: "x", [output]: `value-of-${output}` };
      for (const name of names) {
        assert.equal(findField(withValue, op(`op://Homelab/x/${name}`)), `value-of-${output}`, name);
        assert.equal(findField(withValue, op(`op://Homelab/x/${name.toUpperCase()}`)), `value-of-${output}`);
        // An unsectioned output is not in any section.
        assert.equal(findField(withValue, op(`op://Homelab/x/tls/${name}`)), undefined, `tls/${name}`);
      }
    }
  });

  it("reads a database item: connection fields, section fields and attached files", () => {
    const get = (ref: string) => findField(database, op(ref));
    assert.equal(get("op://Homelab/postgres/hostname"), "pg.internal");
    assert.equal(get("op://Homelab/postgres/server"), "pg.internal");
    assert.equal(get("op://Homelab/postgres/port"), "5432");
    assert.equal(get("op://Homelab/postgres/database"), "kagent");
    assert.equal(get("op://Homelab/postgres/username"), "app");
    assert.equal(get("op://Homelab/postgres/password"), "db-password");
    assert.equal(get("op://Homelab/postgres/sslmode"), "verify-full");
    assert.equal(get("op://Homelab/postgres/tls/sslmode"), "verify-full");
    assert.equal(get("op://Homelab/postgres/s1/mode"), "verify-full");
    assert.equal(get("op://Homelab/postgres/ca.pem"), "ca-content");
    assert.equal(get("op://Homelab/postgres/tls/client.pem"), "client-content");
    // Unset outputs come back empty: not a value.
    assert.equal(get("op://Homelab/postgres/credential"), undefined);
    assert.equal(get("op://Homelab/postgres/notesPlain"), undefined);
  });

  it("reads notes, keys, credentials and the primary URL", () => {
    const ssh: OnePasswordItem = {
      title: "deploy-key",
      publicKey: "ssh-ed25519 AAAA",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
      noteValue: "rotated yearly",
      url: "https://git.example",
      credential: "api-credential",
    };
    const get = (field: string) => findField(ssh, op(`op://Homelab/deploy-key/${field}`));
    assert.equal(get("public key"), ssh.publicKey);
    assert.equal(get("privateKey"), ssh.privateKey);
    assert.equal(get("notesPlain"), ssh.noteValue);
    assert.equal(get("noteValue"), ssh.noteValue);
    assert.equal(get("website"), ssh.url);
    assert.equal(get("credential"), ssh.credential);
  });

  it("describes what an item has, without values", () => {
    const text = describeItem(database);
    assert.equal(
      text,
      'username; password; hostname; port; database; type; file "ca.pem"; section "tls": sslmode, file "client.pem"',
    );
    for (const secret of ["db-password", "pg.internal", "verify-full", "ca-content"])
      assert.ok(!text.includes(secret), secret);
    assert.equal(describeItem({ title: "empty" }), "no fields");
  });
});

/** A fake 1Password that counts lookups; vault "Homelab" holds the item above. */
function fakeLookup(calls: string[]): OnePasswordLookup {
  return {
    vaultUuid: (name) => {
      calls.push(`vault:${name}`);
      return pulumi.output(`uuid-${name}`);
    },
    item: (vault, title) => {
      calls.push(`item:${title}`);
      return vault.apply(() => ({ ...item, title }));
    },
  };
}

describe("secrets: resolver", () => {
  it("resolves to secret values and looks each vault and item up once", async () => {
    const calls: string[] = [];
    const recording = await recordProgram(() => {
      const resolver = new SecretResolver(
        {
          a: "op://Homelab/agentgateway/OPENAI_API_KEY",
          b: "op://Homelab/agentgateway/azure/api-key",
          c: "config:token",
        },
        (key) => pulumi.secret(`config-${key}`),
        fakeLookup(calls),
      );
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      new k8s.core.v1.Secret(
        "api",
        { metadata: { name: "api" }, stringData: { a: resolver.get("a"), b: resolver.get("b") } },
        { provider },
      );
      new k8s.core.v1.ConfigMap(
        "leaf",
        { metadata: { name: "leaf" }, data: { plain: "x", b: resolver.get("b") } },
        { provider },
      );
      return { a: resolver.get("a"), c: resolver.get("c") };
    });
    assert.deepEqual(calls.sort(), ["item:agentgateway", "vault:Homelab"]);
    const secret = one(recording, "kubernetes:core/v1:Secret", "api");
    // The Kubernetes SDK marks the whole stringData secret; elsewhere only the secret leaf is redacted.
    assert.equal(secret.inputs["stringData"], "[secret]");
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    const leaf = one(recording, "kubernetes:core/v1:ConfigMap", "leaf");
    assert.deepEqual(leaf.inputs["data"], { b: "[secret]", plain: "x" });
    assert.deepEqual(leaf.secretPaths, ["data.b"]);
    assert.deepEqual(recording.outputs, { a: "[secret]", c: "[secret]" });
    assert.deepEqual(recording.outputSecretPaths.sort(), ["a", "c"]);
  });

  it("fails on an unknown field with a message naming the reference", async () => {
    await assert.rejects(
      recordProgram(() => {
        const resolver = new SecretResolver(
          { k: "op://Homelab/agentgateway/GEMINI_KEY" },
          undefined,
          fakeLookup([]),
        );
        return { k: resolver.get("k") };
      }),
      /1Password item "agentgateway" in vault "Homelab" has no field "GEMINI_KEY" \(op:\/\/Homelab\/agentgateway\/GEMINI_KEY\)/,
    );
  });

  it("names what the item has when the field is missing", async () => {
    const lookup: OnePasswordLookup = {
      vaultUuid: (name) => pulumi.output(`uuid-${name}`),
      item: (vault) => vault.apply(() => database),
    };
    await assert.rejects(
      recordProgram(() => ({
        k: new SecretResolver({ k: "op://Homelab/postgres/tls/host" }, undefined, lookup).get("k"),
      })),
      (err: Error) => {
        assert.match(
          err.message,
          /has no section "tls" with a field "host" \(op:\/\/Homelab\/postgres\/tls\/host\)/,
        );
        assert.ok(err.message.includes(`the item has: ${describeItem(database)}`), err.message);
        assert.ok(!err.message.includes("db-password"));
        return true;
      },
    );
  });

  it("refuses an undeclared secret name", () => {
    const resolver = new SecretResolver({}, undefined, fakeLookup([]));
    assert.throws(() => resolver.get("missing"), /secret "missing" is not declared/);
  });

  it("goes through the 1Password provider's getVault and getItem invokes by default", async () => {
    const recording = await recordProgram(
      () => ({ v: new SecretResolver({ v: "op://Homelab/agentgateway/OPENAI_API_KEY" }).get("v") }),
      { secrets: { v: "op://Homelab/agentgateway/OPENAI_API_KEY" } },
    );
    assert.deepEqual(
      recording.invokes.map((i) => [i.token, i.version, i.pluginDownloadURL]),
      [
        [
          "onepassword:index/getItem:getItem",
          "1.1.4",
          "github://api.github.com/1Password/pulumi-onepassword",
        ],
        [
          "onepassword:index/getVault:getVault",
          "1.1.4",
          "github://api.github.com/1Password/pulumi-onepassword",
        ],
      ],
    );
    assert.deepEqual(recording.invokes[1]!.args, { name: "Homelab" });
    assert.equal(recording.invokes[0]!.args["title"], "agentgateway");
    assert.deepEqual(recording.outputs, { v: "[secret]" });
  });
});

describe("secrets: pick", () => {
  it("returns the named secrets by name, each resolved once", async () => {
    const calls: string[] = [];
    const recording = await recordProgram(() => {
      const resolver = new SecretResolver(
        { a: "op://Homelab/agentgateway/OPENAI_API_KEY", b: "op://Homelab/agentgateway/azure/api-key" },
        undefined,
        fakeLookup(calls),
      );
      const picked = resolver.pick(["a", "b"]);
      assert.deepEqual(Object.keys(picked), ["a", "b"]);
      assert.equal(resolver.pick(["a"])["a"], picked["a"], "cached per name");
      return picked;
    });
    assert.deepEqual(recording.outputs, { a: "[secret]", b: "[secret]" });
    assert.deepEqual(calls.sort(), ["item:agentgateway", "vault:Homelab"]);
  });
});
