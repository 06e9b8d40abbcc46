/* eslint-disable @typescript-eslint/no-explicit-any -- recorded manifests and config values are untyped JSON trees */
import * as assert from "assert";
import { backendSpec, certificateGrants, gatewaySpec, policyDocuments } from "../../../components/gateway";
import { charts } from "../../../lib/versions";
import { isKubernetesObject, manifestOf } from "../../../recording/manifests";
import type { Recording } from "../../../recording/runtime";
import { rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { gatewaySchema, llmBackendSchema, policySchema } from "../../../stacks/schema";
import { CORE_GROUPS, validateCoreObject, validateCustomResource } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import { gateway, gatewayConfig, mcpConfig, mcpServer, rawConfig, RawConfig } from "../../support/builders";
import { hostedGatewayPieces, tlsGatewayPieces } from "../../support/gatewayConfigs";
import { byType, descendantsOf, one, recordPlatform } from "../../support/record";

const T = {
  backend: "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend",
  policy: "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayPolicy",
  params: "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayParameters",
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  grant: "kubernetes:gateway.networking.k8s.io/v1:ReferenceGrant",
  monitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
  secret: "kubernetes:core/v1:Secret",
  service: "kubernetes:core/v1:Service",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  chart: "kubernetes:helm.sh/v4:Chart",
};

const recordings = new Map<string, Promise<Recording>>();
/** The AI gateway layer of a production stack file, built through the composition. */
function recorded(stack: string): Promise<Recording> {
  let r = recordings.get(stack);
  if (r === undefined) {
    r = recordPlatform(rawConfigOf(readStackFile(stack)).values as RawConfig, ["gateway"]);
    recordings.set(stack, r);
  }
  return r;
}

const builds = new Map<string, Promise<Recording>>();
/** The AI gateway layer built for one of the shared gateway configs. */
function built(name: (typeof CONFIGS)[number]): Promise<Recording> {
  let r = builds.get(name);
  if (r === undefined) {
    const pieces = name === "tls" ? tlsGatewayPieces() : hostedGatewayPieces();
    r = recordPlatform(rawConfig(...pieces), ["gateway"]);
    builds.set(name, r);
  }
  return r;
}
const CONFIGS = ["tls", "hosted"] as const;

type Manifest = Record<string, any>;
const manifests = (rec: Recording, type: string): Manifest[] =>
  byType(rec, type).map((r) => manifestOf(r) as Manifest);
const named = (rec: Recording, type: string, name: string): Manifest | undefined =>
  manifests(rec, type).find((m) => m.metadata.name === name);

describeWithSchemas("gateway recording: conformance", () => {
  for (const name of CONFIGS) {
    it(`${name}: every emitted object validates against agentgateway v1.4.1, Gateway API v1.6.1, prometheus-operator and Kubernetes schemas`, async () => {
      const rec = await built(name);
      const objects = rec.resources
        .filter(isKubernetesObject)
        .filter((r) => r.type !== "kubernetes:core/v1:Namespace");
      assert.ok(objects.length > 15, `${objects.length} objects`);
      const problems = objects.flatMap((r) => {
        const m = manifestOf(r);
        const group = String(m["apiVersion"]).includes("/") ? String(m["apiVersion"]).split("/")[0]! : "";
        return CORE_GROUPS.has(group) ? validateCoreObject(m) : validateCustomResource(m);
      });
      assert.deepEqual(problems, []);
    });
  }

  it("every provider kind, policy type and certificate grant the stacks do not use validates too", () => {
    const agw = (kind: string, name: string, spec: Record<string, unknown>): Manifest => ({
      apiVersion: "agentgateway.dev/v1alpha1",
      kind,
      metadata: { name, namespace: "ai" },
      spec,
    });
    const backends = [
      {
        name: "azure",
        provider: "azureopenai",
        secret: "k",
        endpoint: "x.openai.azure.com",
        deploymentName: "gpt4o",
      },
      { name: "vertex", provider: "vertexai", secret: "k", projectId: "p", model: "gemini-2.5-pro" },
      { name: "bedrock", provider: "bedrock", secret: "k", model: "anthropic.claude-3-haiku" },
      {
        name: "groq",
        provider: "openai",
        secret: "k",
        hostOverride: { host: "api.groq.com", port: 443, path: "/openai/v1/chat/completions" },
      },
      {
        name: "claude",
        provider: "anthropic",
        secret: "k",
        hostOverride: { host: "claude.ai.svc.cluster.local", port: 8080 },
      },
      {
        name: "mixed",
        provider: "failover",
        groups: [
          { providers: [{ name: "vertex", provider: "vertexai", secret: "k", projectId: "p" }] },
          {
            providers: [
              { name: "bedrock", provider: "bedrock", secret: "k" },
              { name: "xai", provider: "xai", secret: "k" },
            ],
          },
        ],
      },
    ].map((b) => agw("AgentgatewayBackend", b.name, backendSpec(llmBackendSchema.parse(b))));
    const mcpTarget = [{ kind: "Backend", name: "github" }];
    const docs = policyDocuments(
      [
        { type: "mcpAuthorization", name: "m", targets: mcpTarget, allowTools: ["list_issues"] },
        { type: "elicitation", name: "e", targets: mcpTarget, tools: ["create_issue"] },
        {
          type: "piiMasking",
          name: "p",
          targets: [{ kind: "Backend", name: "openai" }],
          builtins: ["CaSin", "PhoneNumber"],
          direction: "request",
        },
        {
          type: "credentialProtection",
          name: "c",
          targets: [{ kind: "HTTPRoute", name: "r" }],
          patterns: [{ name: "x", regex: "sk-[a-z]+" }],
          action: "Mask",
          responseAction: "Reject",
          streaming: true,
        },
        {
          type: "timeout",
          name: "t",
          targets: [{ kind: "Gateway", name: "g" }],
          request: "30s",
          retry: { attempts: 3, codes: [503], backoff: "500ms" },
        },
        {
          type: "jwt",
          name: "j",
          targets: [{ kind: "Gateway", name: "g" }],
          issuer: "https://id.example.com",
          jwksUrl: "https://id.example.com/jwks",
          mode: "Permissive",
        },
      ].map((raw) => policySchema.parse(raw)),
    );
    const policies = docs.flatMap((d) => [
      agw("AgentgatewayPolicy", d.name, d.spec),
      ...d.backends.map((b) => agw("AgentgatewayBackend", b.name, b.spec)),
    ]);
    const https = (ns: string) => ({
      name: "https",
      protocol: "HTTPS",
      port: 443,
      tls: { secretName: "wild", namespace: ns },
    });
    const gw = gatewaySchema.parse({
      name: "g",
      listeners: [https("certs")],
      service: { type: "ClusterIP" },
    });
    const grants = certificateGrants([gw], "ai").map((g) => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "ReferenceGrant",
      metadata: { name: g.name, namespace: g.namespace },
      spec: g.spec,
    }));
    const gateway = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "g", namespace: "ai" },
      spec: gatewaySpec(gw),
    };
    const all = [...backends, ...policies, ...grants, gateway];
    assert.equal(all.length, 15);
    assert.deepEqual(
      all.flatMap((m) => validateCustomResource(m)),
      [],
    );
  });

  it("the CRDs' CEL rules are judged too, as the API server evaluates them", () => {
    const policy = { apiVersion: "agentgateway.dev/v1alpha1", kind: "AgentgatewayPolicy" };
    assert.deepEqual(
      validateCustomResource({
        ...policy,
        metadata: { name: "p", namespace: "ai" },
        spec: {
          targetRefs: [
            { group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "a" },
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "g" },
          ],
          traffic: { rateLimit: { local: [{ requests: 1, tokens: 2, unit: "Seconds" }] } },
        },
      }),
      [
        "AgentgatewayPolicy ai/p: /spec the 'traffic' field can only target a Gateway, ListenerSet, GRPCRoute, HTTPRoute, or InferencePool",
        "AgentgatewayPolicy ai/p: /spec/targetRefs Only one Kind of targetRef can be set on one policy",
        "AgentgatewayPolicy ai/p: /spec/traffic/rateLimit/local/0 exactly one of the fields in [requests tokens] must be set",
      ],
    );
    assert.deepEqual(
      validateCustomResource({
        apiVersion: "agentgateway.dev/v1alpha1",
        kind: "AgentgatewayBackend",
        metadata: { name: "b", namespace: "ai" },
        spec: { ai: { provider: { openai: {}, host: "x" } } },
      }),
      ["AgentgatewayBackend ai/b: /spec/ai/provider both host and port must be set together"],
    );
  });
});

describe("gateway recording: references", () => {
  for (const name of CONFIGS) {
    it(`${name}: every HTTPRoute references an existing gateway listener and AgentgatewayBackend`, async () => {
      const rec = await built(name);
      const routes = manifests(rec, T.route);
      assert.ok(routes.length > 0);
      for (const route of routes) {
        for (const parent of route.spec.parentRefs) {
          const gw = named(rec, T.gateway, parent.name);
          assert.ok(gw !== undefined, `${route.metadata.name}: no Gateway ${parent.name}`);
          assert.equal(gw.metadata.namespace, route.metadata.namespace);
          if (parent.sectionName !== undefined) {
            assert.ok(
              gw.spec.listeners.some((l: Manifest) => l.name === parent.sectionName),
              `${route.metadata.name}: Gateway ${parent.name} has no listener ${parent.sectionName}`,
            );
          }
        }
        for (const rule of route.spec.rules) {
          for (const ref of rule.backendRefs ?? []) {
            assert.deepEqual([ref.group, ref.kind], ["agentgateway.dev", "AgentgatewayBackend"]);
            const b = named(rec, T.backend, ref.name);
            assert.ok(b !== undefined, `${route.metadata.name}: no AgentgatewayBackend ${ref.name}`);
            assert.equal(
              b.metadata.namespace,
              route.metadata.namespace,
              "a cross-namespace backendRef would need a ReferenceGrant",
            );
          }
        }
      }
    });

    it(`${name}: every Gateway has its parameters, every backend secretRef its Secret with an Authorization key`, async () => {
      const rec = await built(name);
      for (const gw of manifests(rec, T.gateway)) {
        assert.ok(named(rec, T.params, gw.spec.infrastructure.parametersRef.name), gw.metadata.name);
      }
      const refs = JSON.stringify(manifests(rec, T.backend)).match(/"secretRef":\{[^}]*\}/g) ?? [];
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        const { name, key } = JSON.parse(ref.slice('"secretRef":'.length)) as { name: string; key?: string };
        const secret = byType(rec, T.secret).find((r) => (r.inputs["metadata"] as Manifest)["name"] === name);
        assert.ok(secret !== undefined, `no Secret ${name}`);
        assert.ok(key === undefined || key === "Authorization", `${name}: key ${key}`);
        assert.deepEqual(secret.secretPaths, ["stringData"]);
      }
    });
  }

  it("policies target the gateways and routes the layer creates", async () => {
    for (const name of CONFIGS) {
      const rec = await built(name);
      assert.ok(byType(rec, T.policy).length > 0, name);
      for (const p of manifests(rec, T.policy)) {
        for (const t of p.spec.targetRefs) {
          const type = t.kind === "Gateway" ? T.gateway : t.kind === "HTTPRoute" ? T.route : T.backend;
          assert.ok(named(rec, type, t.name), `${name} ${p.metadata.name}: no ${t.kind} ${t.name}`);
        }
      }
    }
  });
});

describe("gateway recording: exposure", () => {
  // The expected NodePorts are rooster's Terraform VIP table, which only the rooster stack carries.
  it("rooster: the NodePort of every gateway equals rooster's Terraform VIP table", async () => {
    const rec = await recorded("rooster");
    const ports = Object.fromEntries(
      manifests(rec, T.params).map((p) => [
        p.metadata.name,
        [p.spec.service.spec.type, p.spec.service.spec.ports],
      ]),
    );
    assert.deepEqual(ports, {
      "agentgateway-proxy": ["NodePort", [{ port: 8080, nodePort: 31572 }]],
      "xai-gateway-proxy": ["NodePort", [{ port: 8081, nodePort: 31990 }]],
      "mcp-gateway-proxy": ["NodePort", [{ port: 8090, nodePort: 30168 }]],
      "model-priority-gateway-proxy": ["NodePort", [{ port: 8085, nodePort: 30689 }]],
      "github-gateway-proxy": ["NodePort", [{ port: 8092, nodePort: 31313 }]],
    });
    for (const gw of manifests(rec, T.gateway)) {
      assert.deepEqual(
        gw.spec.listeners.map((l: Manifest) => l.port),
        ports[gw.metadata.name]![1].map((p: Manifest) => p.port),
      );
    }
  });

  it("gatewayServices output names each proxy Service with its ports", async () => {
    const hosted = (await built("hosted")).outputs["gatewayServices"] as Record<string, Manifest>;
    assert.deepEqual(hosted["xai-gw"], {
      namespace: "agentgateway-system",
      service: "xai-gw",
      type: "NodePort",
      ports: [{ listener: "http", port: 8081, nodePort: 31990 }],
    });
    const tls = (await built("tls")).outputs["gatewayServices"] as Record<string, Manifest>;
    assert.deepEqual(tls, {
      agentgateway: {
        namespace: "ai-system",
        service: "agentgateway",
        type: "LoadBalancer",
        loadBalancerIp: "10.50.0.30",
        ports: [
          { listener: "http", port: 80 },
          { listener: "https", port: 443 },
        ],
      },
    });
  });

  it("a LoadBalancer Gateway gets its IP through Cilium LB IPAM, and an HTTP->HTTPS redirect", async () => {
    const rec = await built("tls");
    assert.deepEqual(named(rec, T.params, "agentgateway")!.spec.service, {
      metadata: { annotations: { "lbipam.cilium.io/ips": "10.50.0.30" } },
      spec: { type: "LoadBalancer" },
    });
    const redirect = named(rec, T.route, "agentgateway-https-redirect")!;
    assert.deepEqual(redirect.spec, {
      parentRefs: [
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "agentgateway", sectionName: "http" },
      ],
      rules: [
        { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
      ],
    });
  });
});

// The expected routes and backends are the ones Flux applies on homeops today and the rooster stack's own: these are about the stacks.
describe("gateway recording: the routes Flux applies today", () => {
  it("homeops llm-routes equals the HTTPRoute Flux applies today, migrated to AgentgatewayBackend refs, without the rewrite the OpenAI provider overwrites", async () => {
    const rec = await recorded("homeops");
    const ref = (name: string) => [{ name, group: "agentgateway.dev", kind: "AgentgatewayBackend" }];
    const prefix = (value: string) => [{ path: { type: "PathPrefix", value } }];
    // The readiness annotations are read by pulumi up only; the object Flux applies has none.
    const { metadata, ...route } = named(rec, T.route, "llm-routes")!;
    assert.deepEqual(
      { ...route, metadata: { name: metadata.name, namespace: metadata.namespace } },
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "llm-routes", namespace: "ai-system" },
        spec: {
          parentRefs: [
            {
              group: "gateway.networking.k8s.io",
              kind: "Gateway",
              name: "agentgateway",
              sectionName: "https",
            },
          ],
          rules: [
            { matches: prefix("/openai"), backendRefs: ref("openai") },
            { matches: prefix("/anthropic"), backendRefs: ref("anthropic") },
            { matches: prefix("/gemini"), backendRefs: ref("gemini") },
            { matches: prefix("/v1"), backendRefs: ref("litellm") },
            { matches: prefix("/auto"), backendRefs: ref("llm-failover") },
          ],
        },
      },
    );
  });

  it("homeops backends carry the Flux-applied models, LiteLLM host and failover order", async () => {
    const rec = await recorded("homeops");
    const model = (name: string, provider: string) =>
      named(rec, T.backend, name)!.spec.ai.provider[provider].model;
    assert.equal(model("openai", "openai"), "gpt-4");
    assert.equal(model("anthropic", "anthropic"), "claude-3-5-sonnet-20241022");
    assert.equal(model("gemini", "gemini"), "gemini-2.5-flash-lite");
    assert.deepEqual(named(rec, T.backend, "litellm")!.spec, {
      static: { host: "litellm.ai.svc.cluster.local", port: 4000 },
    });
    const groups = named(rec, T.backend, "llm-failover")!.spec.ai.groups.map((g: Manifest) =>
      g.providers.map((p: Manifest) => p.name),
    );
    assert.deepEqual(groups, [["gpt-3.5", "claude-haiku"], ["gpt-4"]]);
  });

  it("rooster: one route per provider on its gateway", async () => {
    const rec = await recorded("rooster");
    const summary = manifests(rec, T.route).map((r) => [
      r.metadata.name,
      r.spec.parentRefs[0].name,
      r.spec.rules.map((x: Manifest) => x.backendRefs[0].name),
    ]);
    assert.deepEqual(summary, [
      ["anthropic", "agentgateway-proxy", ["anthropic"]],
      ["model-priority", "model-priority-gateway-proxy", ["model-priority"]],
      ["openai", "agentgateway-proxy", ["openai"]],
      ["xai", "xai-gateway-proxy", ["xai"]],
    ]);
  });
});

describe("gateway recording: secrets", () => {
  for (const name of CONFIGS) {
    it(`${name}: no API key reaches a plain input or output; each lives in a Secret's stringData.Authorization`, async () => {
      const rec = await built(name);
      assert.ok(rec.secretValues.length > 0, "the config resolved secrets");
      const plain = JSON.stringify({ resources: rec.resources.map((r) => r.inputs), outputs: rec.outputs });
      for (const value of rec.secretValues)
        assert.ok(!plain.includes(value), `secret value leaked (${value})`);
      const secrets = byType(rec, T.secret);
      assert.ok(secrets.length > 0);
      for (const s of secrets) {
        assert.deepEqual(s.inputs["stringData"], "[secret]");
        assert.deepEqual(s.secretPaths, ["stringData"]);
      }
      for (const r of rec.resources.filter((x) => x.type !== T.secret))
        assert.deepEqual(r.secretPaths, [], `${r.name} has secret inputs`);
      assert.ok(!/"key":"[^A]/.test(JSON.stringify(manifests(rec, T.backend))), "no inline auth key");
    });
  }
});

describe("gateway recording: ordering, parentage and providers", () => {
  it("agentgateway objects wait for the CRD chart, Gateway API objects for the Gateway API CRDs, Gateways for their parameters", async () => {
    const rec = await built("tls");
    const crds = one(rec, T.chart, "ai-gateway-control-plane-crds");
    const controller = one(rec, T.chart, "ai-gateway-control-plane-controller");
    const gwApi = one(rec, "kubernetes:yaml/v2:ConfigFile", "gateway-api-crds");
    assert.equal(crds.options.protect, true);
    assert.deepEqual(crds.inputs["chart"], charts.agentgatewayCrds.chart);
    assert.deepEqual(controller.inputs["version"], charts.agentgateway.version);
    assert.ok(controller.dependencies.includes(crds.urn) && controller.dependencies.includes(gwApi.urn));
    for (const type of [T.backend, T.policy, T.params]) {
      for (const r of byType(rec, type))
        assert.ok(r.dependencies.includes(crds.urn), `${r.name} does not wait for the CRDs`);
    }
    for (const type of [T.gateway, T.route]) {
      for (const r of byType(rec, type))
        assert.ok(r.dependencies.includes(gwApi.urn), `${r.name} does not wait for Gateway API CRDs`);
    }
    const gw = one(rec, T.gateway, "ai-gateway-gateway-agentgateway");
    assert.ok(gw.dependencies.includes(one(rec, T.params, "ai-gateway-params-agentgateway").urn));
    const ns = one(rec, "kubernetes:core/v1:Namespace", "platform-ai-system");
    assert.deepEqual(gw.propertyDependencies["metadata"], [ns.urn]);
  });

  it("every object is a descendant of AiGateway and uses the caller's provider", async () => {
    const rec = await built("hosted");
    const root = one(rec, "platform:gateway:AiGateway", "ai-gateway");
    const provider = one(rec, "pulumi:providers:kubernetes", "cluster");
    const children = descendantsOf(rec, root);
    const mine = rec.resources.filter((r) => r.name.startsWith("ai-gateway-"));
    assert.deepEqual(children.map((r) => r.urn).sort(), mine.map((r) => r.urn).sort());
    for (const r of children.filter((c) => c.custom)) assert.equal(r.provider, provider.urn, r.name);
    assert.deepEqual(
      children.filter((c) => !c.custom && c.type !== T.chart).map((c) => c.type),
      ["platform:gateway:AgentgatewayControlPlane"],
    );
  });

  it("hardening: NetworkPolicy per gateway, PDB only for multi-replica gateways, no second proxy scrape path", async () => {
    const hosted = await built("hosted");
    assert.equal(byType(hosted, T.netpol).length, 2);
    assert.equal(byType(hosted, T.pdb).length, 0);
    const tls = await built("tls");
    assert.deepEqual(named(tls, T.pdb, "agentgateway")!.spec, {
      minAvailable: 1,
      selector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "agentgateway" } },
    });
    // Without the observability layer's settings the gateway adds no metrics Service or monitor; with them its
    // one proxy scrape path is a PodMonitor (tests/components/gateway/telemetry.test.ts).
    for (const rec of [hosted, tls]) {
      assert.equal(byType(rec, T.monitor).length, 0);
      assert.equal(byType(rec, T.service).length, 0);
    }
  });
});

describe("gateway recording: switches", () => {
  it("a disabled policy is absent, an enabled MCP policy lands in the MCP namespace, a disabled section emits none", async () => {
    const hosted = await built("hosted");
    const names = manifests(hosted, T.policy).map((p) => p.metadata.name);
    assert.ok(!names.includes("elicitation") && !names.includes("everything-tools"), names.join(","));
    assert.ok(names.includes("guards-gateway-gw"), names.join(","));

    // MCP servers in their own namespace behind a gateway that admits routes from all namespaces.
    const mcpGateway = gateway("mcp", 8090, {
      listeners: [{ name: "http", protocol: "HTTP", port: 8090, allowedRoutes: "All" }],
    });
    const mcpPolicy = (type: "elicitation" | "mcpAuthorization", enabled: boolean) =>
      type === "elicitation"
        ? {
            type,
            name: "elicitation",
            enabled,
            targets: [{ kind: "Backend" as const, name: "github" }],
            tools: ["create_issue"],
          }
        : {
            type,
            name: "everything-tools",
            enabled,
            targets: [{ kind: "Backend" as const, name: "everything" }],
            allowTools: ["echo"],
          };
    const enabled = await recordPlatform(
      rawConfig(
        gatewayConfig([mcpGateway]),
        mcpConfig(
          [
            mcpServer("everything", { gateway: "mcp", tools: ["echo"] }),
            {
              name: "github",
              kind: "remote",
              host: "api.githubcopilot.com",
              gateway: "mcp",
              tools: ["create_issue"],
            },
          ],
          { namespace: "mcp-tools" },
        ),
        {
          policies: {
            enabled: true,
            items: [mcpPolicy("elicitation", true), mcpPolicy("mcpAuthorization", false)],
          },
        },
      ),
      ["gateway", "mcp"],
    );
    const elicitation = named(enabled, T.policy, "elicitation")!;
    assert.equal(elicitation.metadata.namespace, "mcp-tools");
    assert.equal(elicitation.spec.backend.mcp.authorization.action, "Deny");
    assert.equal(named(enabled, T.policy, "everything-tools"), undefined);

    // An HTTPS gateway redirecting HTTP, with the LLM layer and the policies switched off.
    const tls = gateway("edge", 80, {
      listeners: [
        { name: "http", protocol: "HTTP", port: 80 },
        { name: "https", protocol: "HTTPS", port: 443, tls: { secretName: "edge-tls" } },
      ],
      httpsRedirect: true,
    });
    const off = await recordPlatform(
      rawConfig(gatewayConfig([tls]), { llm: { enabled: false }, policies: { enabled: false } }),
      ["gateway"],
    );
    assert.equal(byType(off, T.policy).length, 0);
    assert.equal(byType(off, T.backend).length, 0);
    assert.equal(byType(off, T.secret).length, 0);
    assert.deepEqual(
      byType(off, T.route).map((r) => r.name),
      ["ai-gateway-route-edge-https-redirect"],
    );
  });
});
