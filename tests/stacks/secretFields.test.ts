import { strict as assert } from "assert";
import fc from "fast-check";
import { listStacks, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { parsePlatformConfig } from "../../stacks/load";
import type { PlatformConfig } from "../../stacks/schema";
import { activeSecretNames, secretUses } from "../../stacks/secretFields";

// The production stacks are the fixture here: rooster names more kinds of secret fields (Slack bot, kagent
// database, MCP tokens, Langfuse, BIG-IP) than any small config, and the walker must find all of them.
const raw = (stack: string) => rawConfigOf(readStackFile(stack));
const parsed = (stack: string): PlatformConfig => parsePlatformConfig(raw(stack)).config!;

/** Paths of string fields that by their key name a stack secret, found without the schema's marks. */
function secretLookingPaths(value: unknown, path = "", key = "", parentKey = ""): string[] {
  if (typeof value === "string") {
    const namesSecret = /secret$/i.test(key) || parentKey === "secretEnv";
    // A listener's tls.secretName names a Kubernetes Secret of certificates, not a stack secret.
    return namesSecret && !path.endsWith("tls.secretName") ? [path] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((v, i) => secretLookingPaths(v, `${path}[${i}]`, key, parentKey));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    path === "" && k === "secrets" ? [] : secretLookingPaths(v, path === "" ? k : `${path}.${k}`, k, key),
  );
}

describe("secret fields: one walker over the marked schema", () => {
  // Over the production stacks' own configs: every real secret-naming field is marked in the schema.
  for (const stack of listStacks()) {
    it(`${stack}: finds every field naming a secret, and only those`, () => {
      const config = parsed(stack);
      const found = secretUses(config).map((u) => u.path);
      assert.ok(found.length > 0);
      assert.deepEqual([...found].sort(), secretLookingPaths(config).sort());
    });
  }

  it("checks the secrets of a switched-off part but does not resolve them", () => {
    const config = parsed("rooster");
    const bot = config.kagent.slackBot!;
    const off: PlatformConfig = {
      ...config,
      kagent: { ...config.kagent, slackBot: { ...bot, enabled: false } },
    };
    const botUse = secretUses(off).find((u) => u.path === "kagent.slackBot.botTokenSecret");
    assert.deepEqual(botUse, {
      path: "kagent.slackBot.botTokenSecret",
      name: bot.botTokenSecret,
      active: false,
    });
    assert.ok(activeSecretNames(config, "kagent").includes(bot.appTokenSecret));
    assert.ok(!activeSecretNames(off, "kagent").includes(bot.appTokenSecret));
  });

  it("scopes names to a config path, sorted and once each", () => {
    const config = parsed("rooster");
    config.tenants.items.forEach((t, i) => {
      const names = activeSecretNames(config, `tenants.items[${i}]`);
      const expected = [...new Set(t.workloads.flatMap((w) => Object.values(w.secretEnv)))].sort();
      assert.deepEqual(names, expected);
    });
    const mcp = activeSecretNames(config, "mcp");
    assert.deepEqual(mcp, [...new Set(mcp)].sort());
    assert.ok(mcp.length > 0);
  });

  it("reports a secret that is not declared at every path that names it", () => {
    const uses = secretUses(parsed("rooster"));
    fc.assert(
      fc.property(fc.constantFrom(...uses), (use) => {
        const r = raw("rooster");
        const declared = { ...(r.values["secrets"] as Record<string, string>) };
        delete declared[use.name];
        const { issues } = parsePlatformConfig({ ...r, values: { ...r.values, secrets: declared } });
        const reported = issues
          .filter((i) => i.message === `unknown secret "${use.name}"`)
          .map((i) => i.path);
        assert.deepEqual(
          reported,
          uses.filter((u) => u.name === use.name).map((u) => u.path),
        );
      }),
      { numRuns: 30 },
    );
  });
});
