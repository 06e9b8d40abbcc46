/* eslint-disable @typescript-eslint/no-explicit-any -- recorded manifests are untyped JSON trees */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Environment, evaluate } from "@marcbachmann/cel-js";
import fc from "fast-check";
import { backendSpec, healthPolicy } from "../../../components/gateway/backends";
import {
  CONTROLLER_RELEASE,
  controllerFullname,
  controllerObjectNames,
} from "../../../lib/agentgatewayController";
import { PROMPT_GUARD_MAX_ITEMS } from "../../../lib/guards";
import { enabledPolicies, policyDocuments } from "../../../components/gateway/policies";
import { manifestOf } from "../../../recording/manifests";
import { listStacks, PROJECT_ROOT, rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { formatIssue } from "../../../stacks/issues";
import { loadPlatformConfig, parsePlatformConfig } from "../../../stacks/load";
import { llmBackendSchema, PlatformConfig, PolicyConfig, policySchema } from "../../../stacks/schema";
import { applyFixture, ConfigFixture } from "../../support/fixtures";
import { byType, recordedStack } from "../../support/record";

/*
 * What agentgateway v1.4.1 does with the objects this program emits, at the source locations cited per test
 * (agentgateway/agentgateway@v1.4.1).
 */

const STACKS = listStacks();
const stacks: Record<string, PlatformConfig> = Object.fromEntries(
  STACKS.map((s) => [s, loadPlatformConfig(rawConfigOf(readStackFile(s)))]),
);
const POLICY = "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayPolicy";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const CHART = "kubernetes:helm.sh/v4:Chart";

/** Config errors of a stack file edited like a config fixture. */
function issuesOf(edits: Omit<ConfigFixture, "file" | "description">): string[] {
  const { issues } = parsePlatformConfig(
    rawConfigOf(applyFixture({ file: "e.yaml", description: "", ...edits })),
  );
  return issues.map(formatIssue);
}

/** Per target (`kind/name`) and field, the names of the policies that set that field. */
function fieldOwners(docs: Array<{ name: string; spec: Record<string, any> }>): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  const fields = (spec: Record<string, any>) =>
    ["backend", "traffic", "frontend"].flatMap((section) =>
      Object.entries(spec[section] ?? {}).flatMap(([k, v]) =>
        k === "ai" || k === "mcp"
          ? Object.keys(v as object).map((sub) => `${section}.${k}.${sub}`)
          : [`${section}.${k}`],
      ),
    );
  for (const d of docs)
    for (const t of d.spec["targetRefs"] as Array<{ kind: string; name: string }>)
      for (const f of fields(d.spec)) {
        const key = `${t.kind}/${t.name}#${f}`;
        owners.set(key, [...(owners.get(key) ?? []), d.name]);
      }
  return owners;
}

describe("agentgateway upstream: policies on one target", () => {
  // The proxy keeps one value per field of a target's policies, chosen by hash order, with no deep merge
  // (crates/agentgateway/src/store/binds.rs merge_llm_policies `prompt_guard: preferred.or_else(fallback)`;
  // controller/api/v1alpha1/agentgateway/agentgateway_policy_types.go "not a deep merge"). MCP authorization
  // rule sets are the exception: they are merged (binds.rs `mcp_authorization: base.merge(more)`).
  const MERGED = /#backend\.mcp\.authorization$/;

  it("no field of any target is set by two policies in any stack (only one would be applied)", async () => {
    for (const stack of STACKS) {
      const rec = await recordedStack(stack);
      const docs = byType(rec, POLICY).map((r) => manifestOf(r) as any);
      const clashes = [...fieldOwners(docs.map((d) => ({ name: d.metadata.name, spec: d.spec })))].filter(
        ([key, names]) => names.length > 1 && !MERGED.test(key),
      );
      assert.deepEqual(clashes, [], stack);
    }
  });

  it("rooster's Gateways each get one guard policy with prompt-injection, PII and credential guards", async () => {
    const rec = await recordedStack("rooster");
    const guards = byType(rec, POLICY)
      .map((r) => manifestOf(r) as any)
      .filter((d) => d.spec.backend?.ai?.promptGuard !== undefined);
    const byTarget = Object.fromEntries(
      guards.map((d) => [d.spec.targetRefs.map((t: any) => t.name).join(","), d.spec.backend.ai.promptGuard]),
    );
    assert.deepEqual(Object.keys(byTarget).sort(), ["agentgateway-proxy", "xai-gateway-proxy"]);
    for (const pg of Object.values(byTarget) as any[]) {
      assert.deepEqual(
        pg.request.map((g: any) => [g.regex.action, g.regex.builtins !== undefined]),
        [
          ["Reject", false],
          ["Mask", true],
          ["Reject", false],
        ],
      );
      assert.ok(pg.request[0].regex.matches.some((m: string) => m.includes("ignore")));
      assert.ok(pg.request[2].regex.matches.some((m: string) => m.includes("AKIA")));
      assert.equal(pg.response.length, 2);
    }
  });

  it("compiles any set of guard items into one policy per target holding every guard of its items", () => {
    // The targets of one policy share a kind (the policy-target-kinds invariant of the config schema).
    const targets = fc
      .tuple(
        fc.constantFrom("Gateway", "HTTPRoute"),
        fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 3 }),
      )
      .map(([kind, names]) => names.map((name) => ({ kind, name })));
    const item = fc.oneof(
      fc.record({
        type: fc.constant("piiMasking"),
        builtins: fc.constant(["Email"]),
        direction: fc.constantFrom("request", "response", "both"),
      }),
      fc.record({
        type: fc.constant("credentialProtection"),
        patterns: fc.constant([{ name: "k", regex: "k-[0-9]+" }]),
      }),
      fc.record({
        type: fc.constant("promptGuard"),
        reject: fc.constant({ patterns: [{ name: "p", regex: "ignore" }] }),
        maskResponse: fc.constantFrom([], ["Ssn"]),
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(item, targets), { maxLength: 6 }), (raw) => {
        const items = raw.map(([i, targets], n) => policySchema.parse({ ...i, name: `i${n}`, targets }));
        const docs = policyDocuments(items);
        const expected = new Map<string, { request: number; response: number }>();
        for (const p of items) {
          const [single] = policyDocuments([{ ...p, targets: [p.targets[0]!] } as PolicyConfig]);
          const pg = (single!.spec as any).backend.ai.promptGuard;
          for (const t of p.targets) {
            const e = expected.get(`${t.kind}/${t.name}`) ?? { request: 0, response: 0 };
            e.request += pg.request?.length ?? 0;
            e.response += pg.response?.length ?? 0;
            expected.set(`${t.kind}/${t.name}`, e);
          }
        }
        const got = new Map<string, { request: number; response: number }>();
        for (const d of docs) {
          const refs = (d.spec as any).targetRefs as Array<{ kind: string; name: string }>;
          assert.equal(refs.length, 1, "one target per guard policy");
          const key = `${refs[0]!.kind}/${refs[0]!.name}`;
          assert.ok(!got.has(key), `two guard policies on ${key}`);
          const pg = (d.spec as any).backend.ai.promptGuard;
          got.set(key, { request: pg.request?.length ?? 0, response: pg.response?.length ?? 0 });
        }
        assert.deepEqual(got, expected);
      }),
    );
  });

  it("rejects two local rate limits on one Gateway: v1.4.1 keeps one and reads local[0] only", () => {
    // controller/pkg/agentgateway/plugins/traffic_plugin.go processLocalRateLimitTraffic (only the first entry is read; upstream marks more as unsupported).
    const errors = issuesOf({
      base: "rooster",
      append: {
        "policies.items": {
          type: "rateLimit",
          name: "xai-requests",
          targets: [{ kind: "Gateway", name: "xai-gateway-proxy" }],
          requests: 60,
          unit: "Minutes",
        },
      },
    });
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(
      errors[0]!,
      /^ai-platform:policies\.items\[\d+\]\.targets\[0\]: Gateway "xai-gateway-proxy" already gets traffic\.rateLimit\.local from policies\.items\[\d+\] \("xai-tokens"\).*\(hint: .*one local limit per target/,
    );
  });

  it("rooster keeps exactly one xAI limit, the token limit", () => {
    const limits = enabledPolicies(stacks["rooster"]!.policies).filter(
      (p) => p.type === "rateLimit" && p.targets.some((t) => t.name === "xai-gateway-proxy"),
    );
    assert.deepEqual(
      limits.map((p) => p.type === "rateLimit" && [p.name, p.tokens, p.requests]),
      [["xai-tokens", 100000, undefined]],
    );
  });

  it("rejects guards on a Gateway that an HTTPRoute with its own guards would hide", () => {
    // crates/agentgateway/src/store/binds.rs internal_backend_policies: route > backend > gateway, first AI policy wins.
    const errors = issuesOf({
      base: "homeops",
      append: {
        "policies.items": {
          type: "piiMasking",
          name: "gateway-pii",
          targets: [{ kind: "Gateway", name: "agentgateway" }],
          builtins: ["Email"],
        },
      },
    });
    assert.deepEqual(errors, [
      `ai-platform:policies.items[3].targets[0]: the guards on Gateway "agentgateway" do not apply behind HTTPRoute "llm-routes", which has guards of its own: agentgateway applies the most specific target's AI policy only (hint: put the guards for this traffic on one target (route, backend or gateway))`,
    ]);
  });

  it("rejects more guards on one target than the promptGuard lists take", () => {
    // controller/api/v1alpha1/agentgateway/ai_policy.go AIPromptGuard.Request/Response MaxItems=8.
    const extra = Array.from({ length: PROMPT_GUARD_MAX_ITEMS - 2 }, (_, i) => ({
      type: "piiMasking",
      name: `pii-${i}`,
      targets: [{ kind: "Gateway", name: "agentgateway-proxy" }],
      builtins: ["Email"],
      direction: "request",
    }));
    const errors = issuesOf({
      base: "rooster",
      set: { "policies.items": [...stacks["rooster"]!.policies.items, ...extra] },
    });
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0]!, /Gateway "agentgateway-proxy" would get 9 request guards; .* at most 8/);
  });
});

describe("agentgateway upstream: failover", () => {
  /*
   * agentgateway's verdict on one attempt (crates/agentgateway/src/telemetry/log.rs eviction_unhealthy): without
   * a condition, an attempt with no status or a 5xx (default_unhealthy_for_status); with one, the CEL result, and
   * false when the expression errors (crates/agentgateway/src/cel/types.rs eval_bool). The CEL is cel-js plus
   * celx's `default(expr, fallback)`, which yields the fallback for a missing key or variable
   * (crates/celx/src/general.rs default).
   */
  const agentgatewayCel = new Environment({ unlistedVariablesAreDyn: true }).registerFunction(
    "default(ast, ast): dyn",
    ({ args }: any) => ({
      args,
      typeCheck(checker: any, macro: any, ctx: any) {
        checker.check(macro.args[0], ctx);
        checker.check(macro.args[1], ctx);
        return checker.getType("dyn");
      },
      evaluate(ev: any, macro: any, ctx: any) {
        try {
          const v = ev.run(macro.args[0], ctx);
          if (v !== null && v !== undefined) return v;
        } catch {
          // NoSuchKey or UndeclaredReference: the fallback.
        }
        return ev.run(macro.args[1], ctx);
      },
    }),
  );
  function attemptUnhealthy(health: any, status: number | undefined): boolean {
    if (health.unhealthyCondition === undefined) return status === undefined || status >= 500;
    try {
      const ctx = status === undefined ? {} : { response: { code: BigInt(status) } };
      return agentgatewayCel.evaluate(health.unhealthyCondition, ctx) === true;
    } catch {
      return false;
    }
  }

  // Without a health policy nothing is evicted (crates/agentgateway/src/telemetry/log.rs eviction_decision) and
  // the load balancer keeps using the first group with endpoints (crates/agentgateway/src/types/loadbalancer.rs
  // best_bucket), so priority groups never fail over.
  it("every backend with priority groups in any stack carries an eviction policy with a duration", () => {
    const failovers = STACKS.flatMap((s) => stacks[s]!.llm.backends.filter((b) => b.provider === "failover"));
    for (const name of ["model-priority", "llm-failover"])
      assert.ok(
        failovers.some((b) => b.name === name),
        `${name} (rooster and homeops) is among the failovers`,
      );
    for (const b of failovers) {
      const health = (backendSpec(b) as any).policies?.health;
      assert.ok(health?.eviction?.duration, `${b.name} has no eviction`);
      // 5xx and connection failures (the proxy's own 5xx, crates/agentgateway/src/proxy/httpproxy.rs) and 429.
      for (const [code, unhealthy] of [
        [503, true],
        [500, true],
        [429, true],
        [200, false],
        [404, false],
      ] as const)
        assert.equal(attemptUnhealthy(health, code), unhealthy, `${code}`);
    }
  });

  it("an attempt that failed to connect, handshake or resolve counts as unhealthy, retried or not", () => {
    // A retried attempt that failed below HTTP has no response (crates/agentgateway/src/proxy/httpproxy.rs
    // finalize_attempt_for_retry); the last one reaches the check as the proxy's 503 (proxy/mod.rs).
    for (const unhealthyOn429 of [true, false]) {
      const health = healthPolicy({ duration: "30s", consecutiveFailures: 3, unhealthyOn429 });
      assert.equal(attemptUnhealthy(health, undefined), true, `no response, 429 counted: ${unhealthyOn429}`);
      assert.equal(attemptUnhealthy(health, 503), true);
      assert.equal(attemptUnhealthy(health, 429), unhealthyOn429);
      assert.equal(attemptUnhealthy(health, 200), false);
    }
  });

  it("a provider that is down is evicted behind the homeops retry policy", () => {
    // homeops: /auto (llm-failover) on llm-routes, whose timeout item retries connection failures (retried
    // whatever the codes: proxy/mod.rs is_retryable for UpstreamCallFailed, DnsResolution, UpstreamCallTimeout).
    const homeops = stacks["homeops"]!;
    const failover = homeops.llm.backends.find((b) => b.name === "llm-failover")!;
    assert.equal(failover.provider, "failover");
    const route = homeops.llm.routes.find((r) => r.rules.some((x) => x.backend === "llm-failover"))!;
    const retry = homeops.policies.items.find(
      (p) => p.type === "timeout" && p.targets.some((t) => t.kind === "HTTPRoute" && t.name === route.name),
    ) as Extract<PolicyConfig, { type: "timeout" }> | undefined;
    assert.ok(retry?.retry !== undefined, "the route retries");
    const health = (backendSpec(failover) as any).policies.health;
    const needed = health.eviction.consecutiveFailures as number;
    // One request: every retried attempt without a response, then the final 503 (set_final_response_fields).
    const attempts = [...Array<undefined>(retry.retry.attempts).fill(undefined), 503];
    let failures = 0;
    let evictedAfter: number | undefined;
    for (let request = 1; request <= needed && evictedAfter === undefined; request++)
      for (const status of attempts) {
        // A healthy attempt resets the count (crates/agentgateway/src/types/loadbalancer.rs finish_request).
        failures = attemptUnhealthy(health, status) ? failures + 1 : 0;
        if (failures >= needed) {
          evictedAfter = request;
          break;
        }
      }
    assert.ok(evictedAfter !== undefined, `never evicted after ${needed} requests`);
  });

  it("eviction is configurable with defaults, and keeps upstream's own condition when 429 is not counted", () => {
    const groups = [{ providers: [{ name: "a", provider: "openai", secret: "k" }] }];
    const defaults = backendSpec(llmBackendSchema.parse({ name: "f", provider: "failover", groups })) as any;
    assert.deepEqual(defaults.policies.health.eviction, { duration: "30s", consecutiveFailures: 3 });
    const custom = backendSpec(
      llmBackendSchema.parse({
        name: "f",
        provider: "failover",
        groups,
        eviction: { duration: "2m", consecutiveFailures: 1, unhealthyOn429: false },
      }),
    ) as any;
    assert.deepEqual(custom.policies.health, { eviction: { duration: "2m", consecutiveFailures: 1 } });
    // The CRD wants at least 1s (agentgateway.dev_agentgatewaybackends.yaml eviction.duration rule).
    assert.throws(() =>
      llmBackendSchema.parse({ name: "f", provider: "failover", groups, eviction: { duration: "500ms" } }),
    );
  });
});

describe("agentgateway upstream: guards and streaming", () => {
  // Streamed responses are never masked ("streaming masking is not supported",
  // crates/agentgateway/src/llm/policy/mod.rs) and response guards run on streams only with
  // promptGuard.streaming (controller/api/v1alpha1/agentgateway/ai_policy.go; crates/agentgateway/src/llm/mod.rs).
  const sources = (dir: string): string[] =>
    fs
      .readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"));

  it("nothing in the program or README claims responses are always masked", () => {
    const files = [
      "README.md",
      ...["components", "stacks"].flatMap((d) => sources(d).map((f) => path.join(d, f))),
    ];
    const claims = files.filter((f) =>
      /always mask/i.test(fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")),
    );
    assert.deepEqual(claims, []);
  });

  it("the README's policy section says which guards apply to streamed requests and responses", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const section = /\n## Gateway policies\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? "";
    assert.match(section, /stream/i);
    assert.match(section, /not masked|never masked/i);
    assert.match(section, /streaming: true/);
  });

  it("exposes promptGuard.streaming for a rejecting response guard, and rejects it where only masking would run", () => {
    const item = {
      type: "credentialProtection",
      name: "c",
      targets: [{ kind: "HTTPRoute", name: "r" }],
      patterns: [{ name: "k", regex: "k-[0-9]+" }],
    };
    const [doc] = policyDocuments([
      policySchema.parse({ ...item, responseAction: "Reject", streaming: true }),
    ]);
    const pg = (doc!.spec as any).backend.ai.promptGuard;
    assert.equal(pg.streaming, "Enabled");
    assert.equal(pg.response[0].regex.action, "Reject");
    const [plain] = policyDocuments([policySchema.parse(item)]);
    assert.equal((plain!.spec as any).backend.ai.promptGuard.streaming, undefined);

    const errors = issuesOf({
      base: "homeops",
      append: {
        "policies.items": { ...item, targets: [{ kind: "HTTPRoute", name: "llm-routes" }], streaming: true },
      },
    });
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(
      errors[0]!,
      /^ai-platform:policies\.items\[3\]\.streaming: .*never masks streamed responses.*\(hint: set responseAction: Reject/,
    );
  });
});

describe("agentgateway upstream: controller release vs Gateway names", () => {
  // The deployer force-applies each Gateway's proxy objects under the Gateway's name
  // (controller/pkg/deployer/deployer.go applyPatch); the chart names its own after the release
  // (controller/install/helm/agentgateway/templates/_helpers.tpl agentgateway.fullname).
  it("derives the chart's object names like agentgateway.fullname", () => {
    assert.equal(controllerFullname("agentgateway"), "agentgateway");
    assert.equal(controllerFullname("agentgateway-controller"), "agentgateway-controller");
    assert.equal(controllerFullname("agw"), "agw-agentgateway");
    assert.equal(controllerFullname(`agentgateway-${"x".repeat(70)}`).length, 63);
    assert.deepEqual(controllerObjectNames("agw"), [
      "agw-agentgateway",
      "agw-agentgateway-proxy",
      "agw-agentgateway-dashboard",
    ]);
  });

  it("no Gateway in any stack has the name of an object of the controller release it deploys", async () => {
    for (const stack of STACKS) {
      const rec = await recordedStack(stack);
      const chart = byType(rec, CHART).find((r) => r.name.endsWith("-control-plane-controller"))!;
      const release = chart.inputs["name"] as string;
      const reserved = controllerObjectNames(release);
      const gateways = byType(rec, GATEWAY).map((r) => (manifestOf(r) as any).metadata.name as string);
      assert.deepEqual(
        gateways.filter((g) => reserved.includes(g)),
        [],
        `${stack}: release ${release}`,
      );
    }
  });

  it("homeops keeps its Gateway, address, hostname and TLS", () => {
    const gw = stacks["homeops"]!.agentgateway.gateways[0]!;
    assert.equal(gw.name, "agentgateway");
    assert.deepEqual(gw.service, { type: "LoadBalancer", ip: "10.50.0.30" });
    assert.equal(
      gw.listeners.find((l) => l.protocol === "HTTPS")?.tls?.secretName,
      "sklab-dev-production-tls",
    );
    assert.equal(stacks["homeops"]!.exposures[0]!.hostname, "ai.sklab.dev");
  });

  it("rejects a Gateway named like a controller object, with its path and the names taken", () => {
    const errors = issuesOf({
      base: "homeops",
      set: { "agentgateway.gateways[0].name": CONTROLLER_RELEASE },
    });
    const error = errors.find((e) => e.startsWith("ai-platform:agentgateway.gateways[0].name: "));
    assert.ok(error !== undefined, errors.join("\n"));
    assert.match(
      error,
      /agentgateway controller \(release "agentgateway-controller"\) in namespace "ai-system"/,
    );
    for (const name of controllerObjectNames()) assert.ok(error.includes(name), name);
  });

  it("rejects a Gateway named like any other object of its namespace, in every layer that can share it", () => {
    // The deployer checks no ownership (controller/pkg/deployer/deployer.go DeployObjsWithSource): any
    // Deployment, Service, ServiceAccount or ConfigMap of that name in the namespace is overwritten.
    const named = (name: string) =>
      issuesOf({
        base: "rooster",
        append: {
          "agentgateway.gateways": {
            name,
            listeners: [{ name: "http", protocol: "HTTP", port: 8099 }],
            service: { type: "ClusterIP" },
          },
        },
      }).filter((e) => e.startsWith("ai-platform:agentgateway.gateways[5].name: "));
    for (const [name, what] of [
      ["mcp-slack", 'the MCP server "slack"'],
      ["langfuse-otel-collector", "the OpenTelemetry collector"],
      ["ai-gateway-overview-dashboard", "a dashboard ConfigMap"],
    ] as const) {
      const errors = named(name);
      assert.equal(errors.length, 1, `${name}: ${errors.join("\n")}`);
      assert.ok(errors[0]!.includes(`has the name of ${what} in namespace "agentgateway-system"`), errors[0]);
    }
    // Names of objects in other namespaces are free here: kagent's agents live in `kagent`.
    assert.deepEqual(named("team-lead"), []);
  });
});

describe("agentgateway upstream: config means what it does", () => {
  // Without a host override (or with a path override) the provider sets its own path, overwriting an
  // HTTPRoute URLRewrite (crates/agentgateway/src/llm/mod.rs setup_request, set_default_path).
  it("no route rewrites the path in front of a provider that sets its own", () => {
    for (const stack of STACKS) {
      const c = stacks[stack]!;
      for (const r of c.llm.routes)
        for (const rule of r.rules) {
          const b = c.llm.backends.find((x) => x.name === rule.backend)!;
          assert.ok(
            rule.rewrite === undefined || b.provider === "static",
            `${stack} ${r.name} ${rule.pathPrefix}`,
          );
        }
    }
  });

  it("rejects a rewrite before an OpenAI backend, and accepts it before a static backend or a host override", () => {
    const rewrite = { fullPath: "/v1/chat/completions" };
    assert.deepEqual(issuesOf({ base: "homeops", set: { "llm.routes[0].rules[0].rewrite": rewrite } }), [
      `ai-platform:llm.routes[0].rules[0].rewrite: the openai provider "openai" of backend "openai" sets the upstream path itself, overwriting this rewrite (hint: drop the rewrite: the provider sends each API to its own path (chat completions to /v1/chat/completions); a fixed upstream path belongs in the backend's hostOverride.path)`,
    ]);
    assert.deepEqual(
      issuesOf({ base: "homeops", set: { "llm.routes[0].rules[3].rewrite": { prefix: "/" } } }),
      [],
    );
    assert.deepEqual(
      issuesOf({
        base: "homeops",
        set: {
          "llm.routes[0].rules[0].rewrite": rewrite,
          "llm.backends[0].hostOverride": { host: "openai.internal", port: 8443 },
        },
      }),
      [],
    );
  });

  // rbac.go documents a rule's matchExpressions as all-must-match; backend_policies.go (v1.4.1) makes each
  // expression its own allow rule. One `in` expression allows exactly the listed tools under both readings.
  it("MCP authorization allows exactly the listed tools under the documented and the actual semantics", () => {
    const allowTools = ["echo", "get-sum"];
    const [doc] = policyDocuments([
      policySchema.parse({
        type: "mcpAuthorization",
        name: "m",
        targets: [{ kind: "Backend", name: "everything" }],
        allowTools,
      }),
    ]);
    const exprs = (doc!.spec as any).backend.mcp.authorization.policy.matchExpressions as string[];
    for (const tool of ["echo", "get-sum", "get-env"]) {
      const results = exprs.map((e) => evaluate(e, { mcp: { tool: { name: tool } } }) === true);
      const documented = results.every(Boolean);
      const actual = results.some(Boolean);
      assert.equal(documented, allowTools.includes(tool), `${tool} (all must match)`);
      assert.equal(actual, allowTools.includes(tool), `${tool} (each its own rule)`);
    }
  });

  // The expression sees only the kind of the call at hand: `mcp.tool` for tool calls and lists, `mcp.prompt`
  // for prompts, `mcp.resource` (by URI) for resources (crates/agentgateway/src/mcp/mod.rs MCPInfo from
  // ResourceType, session.rs authorize_*); an expression that errors does not allow (cel/types.rs eval_bool),
  // and once any allow rule exists whatever none allows is denied (http/authorization.rs RuleSets::validate).
  it("MCP authorization hides the prompts and resources it does not list, and allows those it lists", () => {
    const verdicts = (item: Record<string, unknown>) => {
      const [doc] = policyDocuments([
        policySchema.parse({
          type: "mcpAuthorization",
          name: "m",
          targets: [{ kind: "Backend", name: "everything" }],
          ...item,
        }),
      ]);
      const exprs = (doc!.spec as any).backend.mcp.authorization.policy.matchExpressions as string[];
      return (call: Record<string, { name: string }>) => {
        const results = exprs.map((e) => {
          try {
            return evaluate(e, { mcp: call }) === true;
          } catch {
            return false;
          }
        });
        assert.equal(
          results.every(Boolean),
          results.some(Boolean),
          "both readings of matchExpressions agree",
        );
        return results.some(Boolean);
      };
    };
    const toolsOnly = verdicts({ allowTools: ["echo"] });
    assert.equal(toolsOnly({ tool: { name: "echo" } }), true);
    assert.equal(toolsOnly({ prompt: { name: "simple-prompt" } }), false);
    assert.equal(toolsOnly({ resource: { name: "demo://resource/static/document/features.md" } }), false);
    const all = verdicts({
      allowTools: ["echo"],
      allowPrompts: ["simple-prompt"],
      allowResources: ["demo://resource/static/document/features.md"],
    });
    assert.equal(all({ tool: { name: "echo" } }), true);
    assert.equal(all({ tool: { name: "get-env" } }), false);
    assert.equal(all({ prompt: { name: "simple-prompt" } }), true);
    assert.equal(all({ prompt: { name: "args-prompt" } }), false);
    assert.equal(all({ resource: { name: "demo://resource/static/document/features.md" } }), true);
    assert.equal(all({ resource: { name: "demo://resource/dynamic/text/1" } }), false);
  });
});
