import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { parseSecretRef } from "../stacks/secretRef";
import { findField, OnePasswordItem, OnePasswordLookup, SecretResolver } from "../stacks/secrets";
import { one, recordProgram } from "./support/record";

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
