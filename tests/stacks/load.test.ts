import { strict as assert } from "assert";
import { listStacks, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { recordStack, RecordingMonitor } from "../../recording/runtime";
import { closest, editDistance, referenceHint } from "../../stacks/hints";
import { ConfigValidationError, formatIssue } from "../../stacks/issues";
import { loadPlatformConfig, parsePlatformConfig } from "../../stacks/load";
import { cidrsOverlap, ipInCidr, ipInRange, isCidr, isIPv4 } from "../../lib/net";
import { formatSecretRef, parseSecretRef } from "../../stacks/secretRef";
import { applyFixture, loadFixtures, VALID_FIXTURE_DIR } from "../support/fixtures";
import { talosOn } from "../support/layers";

describe("config: pure helpers", () => {
  it("recognises IPv4 addresses and network CIDRs", () => {
    assert.ok(isIPv4("172.16.10.130"));
    for (const bad of ["172.16.10.300", "10.0.0", "01.2.3.4", "a.b.c.d", "1.2.3.4.5"])
      assert.ok(!isIPv4(bad), bad);
    assert.ok(isCidr("10.50.0.0/24"));
    assert.ok(!isCidr("10.50.0.1/24"), "host bits set");
    assert.ok(!isCidr("10.50.0.0/33"));
    assert.ok(isCidr("0.0.0.0/0"));
  });

  it("places addresses in CIDRs and ranges, and detects overlaps", () => {
    assert.ok(ipInCidr("172.16.10.255", "172.16.10.0/24"));
    assert.ok(!ipInCidr("172.16.11.0", "172.16.10.0/24"));
    assert.ok(ipInRange("10.50.0.30", "10.50.0.20", "10.50.0.49"));
    assert.ok(!ipInRange("10.50.0.50", "10.50.0.20", "10.50.0.49"));
    assert.ok(cidrsOverlap("10.0.0.0/8", "10.42.0.0/16"));
    assert.ok(!cidrsOverlap("10.42.0.0/16", "10.43.0.0/16"));
  });

  it("suggests close names only", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(closest("opnai", ["openai", "anthropic"]), "openai");
    assert.equal(closest("zzz", ["openai", "anthropic"]), undefined);
    assert.equal(referenceHint("x", [], "backend"), "no backend is declared");
    assert.equal(referenceHint("qqqq", ["b", "a"], "backend"), "declared backends: a, b");
  });

  it("parses both secret reference forms and rejects others", () => {
    assert.deepEqual(parseSecretRef("op://Homelab/agentgateway/OPENAI_API_KEY"), {
      kind: "onepassword",
      vault: "Homelab",
      item: "agentgateway",
      field: "OPENAI_API_KEY",
    });
    assert.deepEqual(parseSecretRef("op://kubernetes/talos/keys/MACHINE_TOKEN"), {
      kind: "onepassword",
      vault: "kubernetes",
      item: "talos",
      section: "keys",
      field: "MACHINE_TOKEN",
    });
    assert.deepEqual(parseSecretRef("config:bigipPassword"), { kind: "config", key: "bigipPassword" });
    assert.equal(formatSecretRef(parseSecretRef("op://a/b/c/d")), "op://a/b/c/d");
    for (const bad of ["op://vault/item", "op://a/b/c/d/e", "vault:x", "config:", "op://a/b/c$"]) {
      assert.throws(() => parseSecretRef(bad), /invalid secret reference/, bad);
    }
  });
});

describe("config: stack files", () => {
  for (const stack of listStacks()) {
    it(`${stack} is valid`, () => {
      const { issues } = parsePlatformConfig(rawConfigOf(readStackFile(stack)));
      assert.deepEqual(issues.map(formatIssue), []);
    });
  }

  it("rooster carries the nodes, VIPs, gateways and Langfuse endpoint it runs today under talhelper, ArgoCD and Terraform", () => {
    const c = loadPlatformConfig(rawConfigOf(readStackFile("rooster")));
    assert.deepEqual(
      talosOn(c).nodes.map((n) => n.address),
      ["172.16.10.130", "172.16.10.132", "172.16.10.133", "172.16.10.136"],
    );
    assert.deepEqual(
      c.exposures.map((e) => [
        e.hostname,
        e.bigip?.vip,
        e.bigip?.ports.map((p) => `${p.port}/${p.nodePort}`).join(","),
      ]),
      [
        ["solo.rooster.maniak.com", "172.16.20.120", "8080/31572"],
        ["argo.rooster.maniak.io", "172.16.20.121", "443/31988,80/32178"],
        ["xai.rooster.maniak.com", "172.16.20.122", "8081/31990"],
        ["mcp.rooster.maniak.com", "172.16.20.123", "8090/30168"],
        ["model.rooster.maniak.com", "172.16.20.124", "8085/30689"],
        ["github.rooster.maniak.com", "172.16.20.125", "8092/31313"],
      ],
    );
    assert.deepEqual(
      c.agentgateway.gateways.map((g) => `${g.name}:${g.listeners.map((l) => l.port).join(",")}`),
      [
        "agentgateway-proxy:8080",
        "xai-gateway-proxy:8081",
        "model-priority-gateway-proxy:8085",
        "mcp-gateway-proxy:8090",
        "github-gateway-proxy:8092",
      ],
    );
    assert.equal(c.agentgateway.namespace, "agentgateway-system");
    assert.equal(c.kagent.namespace, "kagent");
    assert.equal(c.longhorn.namespace, "longhorn-system");
    assert.equal(c.observability.langfuse?.endpoint, "http://172.16.10.173:3000");
    assert.deepEqual(
      c.kagent.agents.map((a) => a.name),
      ["team-lead", "github-issues", "github-pr", "slackbot-k8s"],
    );
    assert.deepEqual(
      c.mcp.servers.map((s) => s.name),
      ["everything", "slack", "excalidraw", "github"],
    );
  });

  it("homeops carries the gateway, routes, guards, limits and 1Password names Flux applies today", () => {
    const c = loadPlatformConfig(rawConfigOf(readStackFile("homeops")));
    const gw = c.agentgateway.gateways[0]!;
    assert.deepEqual(gw.service, { type: "LoadBalancer", ip: "10.50.0.30" });
    assert.equal(
      gw.listeners.find((l) => l.protocol === "HTTPS")?.tls?.secretName,
      "sklab-dev-production-tls",
    );
    assert.deepEqual(
      c.llm.routes[0]!.rules.map((r) => [r.pathPrefix, r.backend, r.rewrite]),
      [
        // The Flux-applied rewrite to /v1/chat/completions is dropped: the OpenAI provider sets that path itself.
        ["/openai", "openai", undefined],
        ["/anthropic", "anthropic", undefined],
        ["/gemini", "gemini", undefined],
        ["/v1", "litellm", undefined],
        ["/auto", "llm-failover", undefined],
      ],
    );
    const guard = c.policies.items.find((p) => p.type === "promptGuard");
    assert.ok(guard?.type === "promptGuard");
    assert.deepEqual(
      guard.reject.patterns.map((p) => p.regex),
      ["ignore.*previous.*instructions", "(?i)forget.*everything"],
    );
    const limit = c.policies.items.find((p) => p.type === "rateLimit");
    assert.ok(limit?.type === "rateLimit");
    assert.deepEqual([limit.requests, limit.unit, limit.burst], [10, "Seconds", 100]);
    assert.equal(c.secrets["openai-api-key"], "op://Homelab/agentgateway/OPENAI_API_KEY");
    assert.equal(c.secrets["google-ai-api-key"], "op://Homelab/agentgateway/GOOGLE_AI_API_KEY");
  });
});

describe("config: invalid fixtures", () => {
  const fixtures = loadFixtures();

  it("has at least 20 fixtures, each expecting errors", () => {
    assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
    for (const f of fixtures) assert.ok((f.errors ?? []).length > 0, `${f.file} expects no error`);
  });

  for (const fixture of fixtures) {
    it(`${fixture.file}: ${fixture.description}`, () => {
      const { config, issues } = parsePlatformConfig(rawConfigOf(applyFixture(fixture)));
      assert.equal(config, undefined);
      assert.deepEqual(issues.map(formatIssue), fixture.errors);
    });
  }

  it("an invalid config throws one error listing every problem and registers no resource", async () => {
    const fixture = fixtures.find((f) => f.file.startsWith("30-"))!;
    let monitor: RecordingMonitor | undefined;
    await assert.rejects(
      recordStack("rooster", { stackFile: applyFixture(fixture), onMonitor: (m) => (monitor = m) }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigValidationError);
        assert.equal(err.issues.length, fixture.errors!.length);
        for (const line of fixture.errors!) assert.ok(err.message.includes(line), line);
        return true;
      },
    );
    assert.deepEqual(
      monitor!.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
      [],
    );
  });

  it("loadPlatformConfig throws ConfigValidationError", () => {
    assert.throws(() => loadPlatformConfig({ values: {}, secretKeys: new Set() }), ConfigValidationError);
  });
});

describe("config: valid twins of invalid fixtures", () => {
  const invalid = new Set(loadFixtures().map((f) => f.file));
  const valid = loadFixtures(VALID_FIXTURE_DIR);

  it("each has an invalid twin of the same name and expects no error", () => {
    assert.ok(valid.length > 0);
    for (const f of valid) {
      assert.ok(invalid.has(f.file), `${f.file} has no invalid twin`);
      assert.equal(f.errors, undefined, `${f.file} is valid: it lists no errors`);
    }
  });

  for (const fixture of valid) {
    it(`${fixture.file}: ${fixture.description}`, () => {
      const { issues } = parsePlatformConfig(rawConfigOf(applyFixture(fixture)));
      assert.deepEqual(issues.map(formatIssue), []);
    });
  }
});

describe("config: loading", () => {
  it("loadPlatformConfig throws ConfigValidationError", () => {
    assert.throws(() => loadPlatformConfig({ values: {}, secretKeys: new Set() }), ConfigValidationError);
  });
});
