import { strict as assert } from "assert";
import * as crypto from "crypto";
import fc from "fast-check";
import {
  isRedacted,
  isSecretKey,
  redactedHash,
  redactKubernetesObject,
  redactSecretLeaves,
} from "../../live/redact";

const secretText = fc.string({ minLength: 8, maxLength: 40 }).map((s) => `S3CRET-${s}`);

describe("live/redact", () => {
  it("replaces a value by the first 12 hex digits of its SHA-256", () => {
    const full = crypto.createHash("sha256").update("hunter2").digest("hex");
    assert.equal(redactedHash("hunter2"), `[redacted:sha256:${full.slice(0, 12)}]`);
    assert.ok(isRedacted(redactedHash("x")));
    assert.ok(!isRedacted("[redacted:sha256:short]"));
  });

  it("hashes a Secret's data by its decoded bytes, so it compares with a plain value", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "api", namespace: "ai-system" },
      data: { Authorization: Buffer.from("sk-live-123").toString("base64") },
      stringData: { token: "tok-456" },
    };
    const out = redactKubernetesObject(secret) as {
      data: Record<string, string>;
      stringData: Record<string, string>;
    };
    assert.equal(out.data["Authorization"], redactedHash("sk-live-123"));
    assert.equal(out.stringData["token"], redactedHash("tok-456"));
    assert.deepEqual(redactKubernetesObject(out), out, "redacting twice changes nothing");
  });

  it("hashes the last-applied annotation of a Secret, which holds its data", () => {
    const applied = JSON.stringify({ data: { password: "cGFzcw==" } });
    const out = redactKubernetesObject({
      kind: "Secret",
      metadata: { name: "x", annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied } },
    });
    assert.ok(!JSON.stringify(out).includes("cGFzcw=="));
  });

  it("hashes credential-named container env literals of workloads and Pods, not other env", () => {
    const deployment = {
      kind: "Deployment",
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "app",
                env: [
                  { name: "OPENAI_API_KEY", value: "sk-abc" },
                  { name: "LOG_LEVEL", value: "info" },
                  { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                ],
              },
            ],
          },
        },
      },
    };
    const text = JSON.stringify(redactKubernetesObject(deployment));
    assert.ok(!text.includes("sk-abc"));
    assert.ok(text.includes('"info"'));
    assert.ok(text.includes('"key":"password"'), "references to Secrets are kept");
  });

  it("knows credential keys and leaves ordinary ones", () => {
    for (const k of [
      "password",
      "token",
      "key",
      "crt",
      "secretboxEncryptionSecret",
      "bootstrapToken",
      "apiKey",
      "tunnel_secret",
      "private-key",
    ])
      assert.ok(isSecretKey(k), k);
    for (const k of [
      "enabled",
      "name",
      "maxTokens",
      "tokensPerFill",
      "k8sServiceHost",
      "secretRef",
      "keyFile",
    ])
      assert.ok(!isSecretKey(k), k);
  });

  it("never lets a secret through, wherever it sits in Helm values or machine configuration", () => {
    fc.assert(
      fc.property(
        secretText,
        fc.constantFrom("password", "token", "key", "crt", "clientSecret", "apiToken"),
        fc.array(fc.constantFrom("a", "b", "hubble", "tls"), { maxLength: 3 }),
        (secret, key, path) => {
          let value: unknown = { [key]: secret, enabled: true };
          for (const p of path) value = { [p]: value };
          const out = JSON.stringify(redactSecretLeaves(value));
          return (
            !out.includes(secret) && out.includes(redactedHash(secret)) && out.includes('"enabled":true')
          );
        },
      ),
    );
  });

  it("hashes PEM blocks under any key and the extra paths a program marks secret", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
    const out = redactSecretLeaves(
      { tls: { bundle: pem }, auth: { user: "u" }, config: { dsn: "postgres://x" } },
      new Set(["config.dsn"]),
    );
    assert.ok(!JSON.stringify(out).includes("MIIB"));
    assert.ok(!JSON.stringify(out).includes("postgres://x"));
    assert.deepEqual((out as { auth: unknown }).auth, { user: "u" });
  });
});
