import * as assert from "assert";
import { backendSpec, providerSpec } from "../../../components/gateway/backends";
import { activeSecretNames } from "../../../stacks/secretFields";
import { controllerValues } from "../../../components/gateway/controlPlane";
import {
  certificateGrants,
  gatewaySpec,
  httpsRedirectRouteSpec,
  parametersSpec,
} from "../../../components/gateway/gateways";
import {
  egressTo,
  llmEgress,
  podDisruptionBudgetSpec,
  policyEgress,
  proxyEgress,
  proxyNetworkPolicySpec,
} from "../../../components/gateway/hardening";
import { cidrPeer, namespacePeer, publicHttpsEgress, rule, tcp } from "../../../lib/networkPolicy";
import { nodePortsByGateway, nodePortsFor } from "../../../lib/exposures";
import {
  enabledPolicies,
  jwksEndpoint,
  PolicyDocument,
  policyDocuments,
} from "../../../components/gateway/policies";
import { httpRouteSpec } from "../../../components/gateway/routes";
import { listStacks, rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { formatIssue } from "../../../stacks/issues";
import { parsePlatformConfig } from "../../../stacks/load";
import type { GatewayConfig, LlmBackendConfig, PolicyConfig } from "../../../stacks/schema";
import { gatewaySchema, llmBackendSchema, mcpSchema, policySchema } from "../../../stacks/schema";
import {
  bigipConfig,
  exposure,
  gateway as gatewayRaw,
  gatewayConfig,
  platformConfig,
  talosCluster,
} from "../../support/builders";
import { applyFixture, loadFixtures } from "../../support/fixtures";
import { hostedGatewayPieces, tlsGatewayPieces } from "../../support/gatewayConfigs";
import { stackConfig } from "../../support/stacks";

/** A TLS gateway behind a LoadBalancer IP with provider, static and failover backends, guarded by route policies. */
const tlsGateway = platformConfig(...tlsGatewayPieces());
/** Two single-replica NodePort gateways on hosted providers, some policies switched off, tracing to a collector. */
const hosted = platformConfig(...hostedGatewayPieces());
const policyNamed = (config: typeof hosted, name: string) =>
  config.policies.items.find((x) => x.name === name)!;
const backend = (raw: unknown): LlmBackendConfig => llmBackendSchema.parse(raw);
const gateway = (raw: unknown): GatewayConfig => gatewaySchema.parse(raw);
const policy = (raw: unknown): PolicyConfig => policySchema.parse(raw);
/** The one AgentgatewayPolicy a single-target item compiles to. */
function policyDocument(p: PolicyConfig): PolicyDocument {
  const docs = policyDocuments([p]);
  assert.equal(docs.length, 1);
  return docs[0]!;
}

describe("gateway: NodePorts from the exposure table", () => {
  /** Two gateways behind BIG-IP VIPs, and a row for a plain Service. */
  const exposed = platformConfig(
    talosCluster(),
    gatewayConfig([gatewayRaw("gw", 8080), gatewayRaw("xai-gw", 8081)]),
    bigipConfig(),
    {
      exposures: [
        exposure("solo", { bigip: { vip: "10.1.0.20", ports: [{ port: 8080, nodePort: 31572 }] } }),
        exposure("argo", {
          target: { service: { namespace: "argocd", name: "argocd-server" } },
          bigip: { vip: "10.1.0.21", ports: [{ port: 443, nodePort: 31988 }] },
        }),
        exposure("xai", {
          target: { gateway: "xai-gw" },
          bigip: { vip: "10.1.0.22", ports: [{ port: 8081, nodePort: 31990 }] },
        }),
      ],
    },
  );

  // The expected NodePorts are rooster's Terraform VIP table, which only the rooster stack carries.
  it("maps every rooster gateway listener to the NodePort of rooster's Terraform VIP table", () => {
    const rooster = stackConfig("rooster");
    const names = rooster.agentgateway.gateways.map((g) => g.name);
    assert.deepEqual(nodePortsByGateway(names, rooster.exposures), {
      "agentgateway-proxy": { 8080: 31572 },
      "xai-gateway-proxy": { 8081: 31990 },
      "model-priority-gateway-proxy": { 8085: 30689 },
      "mcp-gateway-proxy": { 8090: 30168 },
      "github-gateway-proxy": { 8092: 31313 },
    });
  });

  it("ignores disabled exposures, Service targets and other gateways", () => {
    const { exposures } = exposed;
    assert.deepEqual(nodePortsFor("xai-gw", exposures), { 8081: 31990 });
    const disabled = exposures.map((e) => (e.name === "xai" ? { ...e, enabled: false } : e));
    assert.deepEqual(nodePortsFor("xai-gw", disabled), {});
    assert.deepEqual(nodePortsFor("argocd-server", exposures), {});
    assert.deepEqual(nodePortsFor("other", exposures), {});
  });

  it("keeps the first NodePort of a listener port exposed twice", () => {
    const [solo] = exposed.exposures;
    const twice = [
      solo!,
      { ...solo!, name: "solo-2", bigip: { vip: "172.16.20.130", ports: [{ port: 8080, nodePort: 30001 }] } },
    ];
    assert.deepEqual(nodePortsFor("gw", twice), { 8080: 31572 });
  });
});

describe("gateway: Gateway and AgentgatewayParameters", () => {
  const homeopsGw = tlsGateway.agentgateway.gateways[0]!;

  it("names the parameters after the Gateway and maps listeners, allowed routes and TLS", () => {
    assert.deepEqual(gatewaySpec(homeopsGw), {
      gatewayClassName: "agentgateway",
      infrastructure: {
        parametersRef: { group: "agentgateway.dev", kind: "AgentgatewayParameters", name: "agentgateway" },
      },
      listeners: [
        { name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
        {
          name: "https",
          protocol: "HTTPS",
          port: 443,
          allowedRoutes: { namespaces: { from: "All" } },
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "sklab-dev-production-tls" }] },
        },
      ],
    });
  });

  it("sets NodePort type and the fixed NodePort of each exposed listener, leaving unexposed listeners alone", () => {
    const gw = gateway({
      name: "g",
      listeners: [
        { name: "a", protocol: "HTTP", port: 8080 },
        { name: "b", protocol: "HTTP", port: 9090 },
      ],
      service: { type: "NodePort" },
      replicas: 3,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    });
    assert.deepEqual(parametersSpec(gw, { 8080: 31572 }), {
      deployment: { spec: { replicas: 3 } },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      service: { spec: { type: "NodePort", ports: [{ port: 8080, nodePort: 31572 }] } },
    });
    assert.deepEqual(parametersSpec(gw, {}), {
      ...parametersSpec(gw, { 8080: 31572 }),
      service: { spec: { type: "NodePort" } },
    });
  });

  it("pins a LoadBalancer Service with the Cilium LB IPAM annotation, and ClusterIP on request", () => {
    assert.deepEqual(parametersSpec(homeopsGw, {}), {
      deployment: { spec: { replicas: 2 } },
      service: {
        metadata: { annotations: { "lbipam.cilium.io/ips": "10.50.0.30" } },
        spec: { type: "LoadBalancer" },
      },
    });
    const internal = gateway({
      name: "i",
      listeners: [{ name: "http", protocol: "HTTP", port: 80 }],
      service: { type: "ClusterIP" },
    });
    assert.deepEqual(parametersSpec(internal, { 80: 30080 }).service, { spec: { type: "ClusterIP" } });
  });

  it("redirects every HTTP listener to https with 301", () => {
    assert.deepEqual(httpsRedirectRouteSpec(homeopsGw), {
      parentRefs: [
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "agentgateway", sectionName: "http" },
      ],
      rules: [
        { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
      ],
    });
  });

  it("grants a Gateway access to a certificate in another namespace, once per Secret", () => {
    const tls = (ns?: string) => ({
      name: "https",
      protocol: "HTTPS",
      port: 443,
      tls: { secretName: "wildcard", ...(ns ? { namespace: ns } : {}) },
    });
    const gws = [
      gateway({ name: "a", listeners: [tls("certs")], service: { type: "ClusterIP" } }),
      gateway({ name: "b", listeners: [tls("certs")], service: { type: "ClusterIP" } }),
      gateway({ name: "c", listeners: [tls("ai-system")], service: { type: "ClusterIP" } }),
      gateway({ name: "d", listeners: [tls()], service: { type: "ClusterIP" } }),
    ];
    assert.deepEqual(certificateGrants(gws, "ai-system"), [
      {
        namespace: "certs",
        name: "ai-system-gateways-wildcard",
        spec: {
          from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "ai-system" }],
          to: [{ group: "", kind: "Secret", name: "wildcard" }],
        },
      },
    ]);
  });
});

describe("gateway: LLM backends", () => {
  it("references the API key Secret by name and never inlines a key", () => {
    assert.deepEqual(
      backendSpec(backend({ name: "openai", provider: "openai", model: "gpt-4", secret: "openai-api-key" })),
      {
        ai: { provider: { openai: { model: "gpt-4" } } },
        policies: { auth: { secretRef: { name: "openai-api-key" } } },
      },
    );
  });

  it("sends xAI through the OpenAI API on api.x.ai with TLS SNI", () => {
    assert.deepEqual(
      backendSpec(backend({ name: "xai", provider: "xai", model: "grok-4", secret: "xai-api-key" })),
      {
        ai: {
          provider: {
            openai: { model: "grok-4" },
            host: "api.x.ai",
            port: 443,
            path: "/v1/chat/completions",
          },
        },
        policies: { auth: { secretRef: { name: "xai-api-key" } }, tls: { sni: "api.x.ai" } },
      },
    );
  });

  it("turns TLS on only for a DNS host on 443 when a host is overridden", () => {
    const local = providerSpec({
      provider: "openai",
      name: "o",
      secret: "s",
      hostOverride: { host: "ollama.ai.svc.cluster.local", port: 11434 },
    });
    assert.deepEqual(local.fields, { openai: {}, host: "ollama.ai.svc.cluster.local", port: 11434 });
    assert.deepEqual(local.policies, { auth: { secretRef: { name: "s" } } });
    const groq = providerSpec({
      provider: "openai",
      name: "o",
      secret: "s",
      hostOverride: { host: "api.groq.com", port: 443, path: "/openai/v1/chat/completions" },
    });
    assert.deepEqual(groq.policies["tls"], { sni: "api.groq.com" });
    assert.equal(groq.fields["path"], "/openai/v1/chat/completions");
  });

  it("maps Anthropic, Gemini, Azure OpenAI, Vertex AI and Bedrock to their v1.4 provider fields", () => {
    const spec = (raw: Record<string, unknown>) => backendSpec(backend({ name: "b", secret: "k", ...raw }));
    assert.deepEqual(spec({ provider: "anthropic", model: "claude-3-5-sonnet-20241022" }), {
      ai: { provider: { anthropic: { model: "claude-3-5-sonnet-20241022" } } },
      policies: { auth: { secretRef: { name: "k" } } },
    });
    assert.deepEqual(spec({ provider: "gemini" }), {
      ai: { provider: { gemini: {} } },
      policies: { auth: { secretRef: { name: "k" } } },
    });
    assert.deepEqual(
      spec({
        provider: "azureopenai",
        endpoint: "my.openai.azure.com",
        deploymentName: "gpt4o",
        apiVersion: "2024-10-21",
      }),
      {
        ai: {
          provider: {
            azureopenai: {
              endpoint: "my.openai.azure.com",
              deploymentName: "gpt4o",
              apiVersion: "2024-10-21",
            },
          },
        },
        policies: { auth: { secretRef: { name: "k" } } },
      },
    );
    assert.deepEqual(spec({ provider: "vertexai", projectId: "p1", model: "gemini-2.5-pro" }), {
      ai: { provider: { vertexai: { projectId: "p1", region: "global", model: "gemini-2.5-pro" } } },
      policies: { auth: { gcp: { secretRef: { name: "k", key: "Authorization" } } } },
    });
    assert.deepEqual(spec({ provider: "bedrock", model: "anthropic.claude-3-haiku" }), {
      ai: { provider: { bedrock: { region: "us-east-1", model: "anthropic.claude-3-haiku" } } },
      policies: { auth: { secretRef: { name: "k" } } },
    });
  });

  it("renders a static backend as one host and port", () => {
    assert.deepEqual(
      backendSpec(
        backend({ name: "litellm", provider: "static", host: "litellm.ai.svc.cluster.local", port: 4000 }),
      ),
      {
        static: { host: "litellm.ai.svc.cluster.local", port: 4000 },
      },
    );
  });

  it("keeps failover groups in priority order with per-member auth", () => {
    const failover = tlsGateway.llm.backends.find((b) => b.name === "llm-failover")!;
    assert.deepEqual(backendSpec(failover), {
      ai: {
        groups: [
          {
            providers: [
              {
                name: "gpt-3.5",
                openai: { model: "gpt-3.5-turbo" },
                policies: { auth: { secretRef: { name: "openai-api-key" } } },
              },
              {
                name: "claude-haiku",
                anthropic: { model: "claude-3-5-haiku-20241022" },
                policies: { auth: { secretRef: { name: "anthropic-api-key" } } },
              },
            ],
          },
          {
            providers: [
              {
                name: "gpt-4",
                openai: { model: "gpt-4" },
                policies: { auth: { secretRef: { name: "openai-api-key" } } },
              },
            ],
          },
        ],
      },
      policies: {
        health: {
          unhealthyCondition: "default(response.code, 503) >= 500 || default(response.code, 503) == 429",
          eviction: { duration: "30s", consecutiveFailures: 3 },
        },
      },
    });
  });

  it("lists each secret the backends use once", () => {
    assert.deepEqual(activeSecretNames(tlsGateway, "llm"), [
      "anthropic-api-key",
      "google-ai-api-key",
      "openai-api-key",
    ]);
    assert.deepEqual(activeSecretNames(hosted, "llm"), [
      "anthropic-api-key",
      "openai-api-key",
      "xai-api-key",
    ]);
  });
});

describe("gateway: LLM routes", () => {
  it("rewrites with ReplaceFullPath or ReplacePrefixMatch and attaches to the named listener", () => {
    const spec = httpRouteSpec({
      name: "r",
      gateway: "g",
      listener: "https",
      hostnames: ["ai.example.com"],
      rules: [
        { pathPrefix: "/a", rewrite: { fullPath: "/v1/chat/completions" }, backend: "a" },
        { pathPrefix: "/b", rewrite: { prefix: "/v1" }, backend: "b" },
      ],
    });
    assert.deepEqual(spec, {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "g", sectionName: "https" }],
      hostnames: ["ai.example.com"],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/a" } }],
          filters: [
            {
              type: "URLRewrite",
              urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/v1/chat/completions" } },
            },
          ],
          backendRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "a" }],
        },
        {
          matches: [{ path: { type: "PathPrefix", value: "/b" } }],
          filters: [
            {
              type: "URLRewrite",
              urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/v1" } },
            },
          ],
          backendRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "b" }],
        },
      ],
    });
  });

  it("attaches to every listener when none is named", () => {
    const route = hosted.llm.routes.find((r) => r.name === "xai")!;
    assert.deepEqual(httpRouteSpec(route)["parentRefs"], [
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "xai-gw" },
    ]);
    assert.equal("hostnames" in httpRouteSpec(route), false);
  });
});

describe("gateway: policies", () => {
  const routeTarget = [{ kind: "HTTPRoute", name: "llm-routes" }];
  const ref = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "llm-routes" };

  it("rejects prompt injection by regex with the configured response, and masks response PII", () => {
    const p = policyNamed(tlsGateway, "prompt-guards");
    assert.deepEqual(policyDocument(p), {
      name: "guards-route-llm-routes",
      scope: "gateway",
      backends: [],
      spec: {
        targetRefs: [ref],
        backend: {
          ai: {
            promptGuard: {
              request: [
                {
                  regex: {
                    action: "Reject",
                    matches: ["ignore.*previous.*instructions", "(?i)forget.*everything"],
                  },
                  response: { message: "Request blocked due to policy violation", statusCode: 403 },
                },
              ],
              response: [{ regex: { action: "Mask", builtins: ["CreditCard", "Email", "Ssn"] } }],
            },
          },
        },
      },
    });
  });

  it("masks PII builtins in the configured direction", () => {
    const both = policyDocument(
      policy({ type: "piiMasking", name: "pii", targets: routeTarget, builtins: ["Ssn", "CaSin"] }),
    );
    const mask = [{ regex: { action: "Mask", builtins: ["Ssn", "CaSin"] } }];
    assert.deepEqual(both.spec["backend"], { ai: { promptGuard: { request: mask, response: mask } } });
    const req = policyDocument(
      policy({
        type: "piiMasking",
        name: "pii",
        targets: routeTarget,
        builtins: ["Ssn", "CaSin"],
        direction: "request",
      }),
    );
    assert.deepEqual(req.spec["backend"], { ai: { promptGuard: { request: mask } } });
  });

  it("protects credentials in requests with the configured action and masks them in buffered responses by default", () => {
    const doc = policyDocument(
      policy({
        type: "credentialProtection",
        name: "c",
        targets: routeTarget,
        patterns: [{ name: "aws", regex: "AKIA[0-9A-Z]{16}" }],
      }),
    );
    assert.deepEqual(doc.spec["backend"], {
      ai: {
        promptGuard: {
          request: [{ regex: { action: "Reject", matches: ["AKIA[0-9A-Z]{16}"] } }],
          response: [{ regex: { action: "Mask", matches: ["AKIA[0-9A-Z]{16}"] } }],
        },
      },
    });
  });

  it("allows only the listed MCP tools, and lives beside the MCP backend", () => {
    const doc = policyDocument(
      policy({
        type: "mcpAuthorization",
        name: "m",
        targets: [{ kind: "Backend", name: "everything" }],
        allowTools: ["echo", "add"],
      }),
    );
    assert.equal(doc.scope, "mcp");
    assert.deepEqual(doc.spec, {
      targetRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "everything" }],
      backend: {
        mcp: {
          authorization: {
            action: "Allow",
            policy: { matchExpressions: ['mcp.tool.name in ["echo", "add"]'] },
          },
        },
      },
    });
  });

  it("maps elicitation to an MCP Deny rule for listed tools without the confirmation header", () => {
    const doc = policyDocument(
      policy({
        type: "elicitation",
        name: "e",
        targets: [{ kind: "Backend", name: "github" }],
        tools: ["create_issue", "create_pull_request"],
      }),
    );
    assert.equal(doc.scope, "mcp");
    assert.deepEqual(doc.spec["backend"], {
      mcp: {
        authorization: {
          action: "Deny",
          policy: {
            matchExpressions: [
              'mcp.tool.name in ["create_issue", "create_pull_request"] && !("x-mcp-user-confirmed" in request.headers && request.headers["x-mcp-user-confirmed"] == "true")',
            ],
          },
        },
      },
    });
  });

  it("limits requests or tokens locally, with burst", () => {
    assert.deepEqual(policyDocument(policyNamed(tlsGateway, "rate-limits")).spec["traffic"], {
      rateLimit: { local: [{ requests: 10, unit: "Seconds", burst: 100 }] },
    });
    assert.deepEqual(policyDocument(policyNamed(hosted, "xai-tokens")).spec, {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "xai-gw" }],
      traffic: { rateLimit: { local: [{ tokens: 100000, unit: "Minutes" }] } },
    });
  });

  it("sets request timeout and retries", () => {
    assert.deepEqual(policyDocument(policyNamed(tlsGateway, "timeouts")).spec["traffic"], {
      timeouts: { request: "60s" },
      retry: { attempts: 2, codes: [500, 502, 503, 504] },
    });
  });

  it("authenticates JWTs against a remote JWKS reached through its own static backend", () => {
    const doc = policyDocument(
      policy({
        type: "jwt",
        name: "sso",
        targets: [{ kind: "Gateway", name: "g" }],
        issuer: "https://id.example.com",
        audiences: ["ai"],
        jwksUrl: "https://id.example.com/oauth/jwks?v=2",
      }),
    );
    assert.deepEqual(doc.spec["traffic"], {
      jwtAuthentication: {
        mode: "Strict",
        providers: [
          {
            issuer: "https://id.example.com",
            audiences: ["ai"],
            jwks: {
              remote: {
                backendRef: { group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "sso-jwks" },
                jwksPath: "/oauth/jwks?v=2",
              },
            },
          },
        ],
      },
    });
    assert.deepEqual(doc.backends, [
      {
        name: "sso-jwks",
        spec: { static: { host: "id.example.com", port: 443 }, policies: { tls: { sni: "id.example.com" } } },
      },
    ]);
    assert.deepEqual(jwksEndpoint("http://keycloak.auth.svc.cluster.local:8080/realms/ai/certs"), {
      host: "keycloak.auth.svc.cluster.local",
      port: 8080,
      path: "/realms/ai/certs",
      tls: false,
    });
  });

  it("drops disabled items, and everything when the section is disabled", () => {
    const items = hosted.policies;
    const names = enabledPolicies(items).map((p) => p.name);
    assert.ok(!names.includes("elicitation") && !names.includes("everything-tools"), names.join(","));
    assert.ok(names.includes("xai-tokens"));
    assert.deepEqual(enabledPolicies({ ...items, enabled: false }), []);
  });
});

describe("gateway: hardening", () => {
  const hardening = tlsGateway.agentgateway.hardening;
  const gw = tlsGateway.agentgateway.gateways[0]!;

  it("classifies egress destinations: in-cluster service, IPv4, public HTTPS, other names anywhere", () => {
    assert.deepEqual(egressTo("litellm.ai.svc.cluster.local", 4000), rule(namespacePeer("ai"), tcp(4000)));
    assert.deepEqual(egressTo("litellm.ai.svc", 4000), rule(namespacePeer("ai"), tcp(4000)));
    assert.deepEqual(egressTo("172.16.10.173", 3000), rule(cidrPeer("172.16.10.173/32"), tcp(3000)));
    assert.deepEqual(egressTo("api.x.ai", 443), publicHttpsEgress());
    assert.deepEqual(egressTo("llm.example.com", 8443), rule(cidrPeer("0.0.0.0/0"), tcp(8443)));
  });

  it("derives egress from static backends, host overrides, hosted providers and JWKS endpoints", () => {
    assert.deepEqual(llmEgress(tlsGateway.llm.backends.filter((b) => b.provider === "static")), [
      rule(namespacePeer("ai"), tcp(4000)),
    ]);
    assert.deepEqual(llmEgress(hosted.llm.backends), [
      publicHttpsEgress(),
      publicHttpsEgress(),
      publicHttpsEgress(),
    ]);
    assert.deepEqual(
      policyEgress([
        policy({
          type: "jwt",
          name: "j",
          targets: [{ kind: "Gateway", name: "g" }],
          issuer: "https://i.example.com",
          jwksUrl: "http://10.0.0.5:8080/jwks",
        }),
      ]),
      [rule(cidrPeer("10.0.0.5/32"), tcp(8080))],
    );
  });

  it("gives each gateway the egress of its own routes, MCP servers and policies, and the collector's gRPC port", () => {
    const mcp = mcpSchema.parse({
      enabled: true,
      namespace: "mcp",
      servers: [
        { kind: "inCluster", name: "everything", gateway: "mcp-gw", image: "mcpEverything", port: 3001 },
        { kind: "remote", name: "github", gateway: "mcp-gw", host: "api.githubcopilot.com" },
        { kind: "remote", name: "wiki", gateway: "mcp-gw", host: "10.1.2.3", port: 8000 },
      ],
    });
    const observability = {
      ...hosted.observability,
      collector: { ...hosted.observability.collector, namespace: "telemetry" },
    };
    const jwt = policy({
      type: "jwt",
      name: "j",
      targets: [{ kind: "HTTPRoute", name: "xai" }],
      issuer: "https://i.example.com",
      jwksUrl: "http://10.0.0.5:8080/jwks",
    });
    const input = { llm: hosted.llm, policies: [jwt], mcp, observability };
    const collector = rule(
      namespacePeer("telemetry", {
        "app.kubernetes.io/name": "opentelemetry-collector",
        "app.kubernetes.io/instance": hosted.observability.collector.name,
        component: "standalone-collector",
      }),
      tcp(4317),
    );
    // openai and anthropic routes: their public APIs, no MCP server, no JWKS.
    assert.deepEqual(proxyEgress("gw", input), [publicHttpsEgress(), publicHttpsEgress(), collector]);
    // The xAI route: api.x.ai, and the JWKS endpoint of the JWT policy on that route.
    assert.deepEqual(proxyEgress("xai-gw", input), [
      publicHttpsEgress(),
      rule(cidrPeer("10.0.0.5/32"), tcp(8080)),
      collector,
    ]);
    assert.deepEqual(proxyEgress("mcp-gw", input), [
      rule(
        namespacePeer("mcp", {
          "app.kubernetes.io/name": "mcp-everything",
          "app.kubernetes.io/instance": "mcp-everything",
        }),
        tcp(3001),
      ),
      publicHttpsEgress(),
      rule(cidrPeer("10.1.2.3/32"), tcp(8000)),
      collector,
    ]);
    const quiet = {
      ...input,
      mcp: { ...mcp, enabled: false },
      observability: {
        ...observability,
        gatewayTracing: { ...observability.gatewayTracing, enabled: false },
      },
    };
    assert.deepEqual(proxyEgress("mcp-gw", quiet), []);
  });

  it("admits listener traffic from the configured namespaces and CIDRs, metrics from monitoring", () => {
    const spec = proxyNetworkPolicySpec(gw, { namespace: "ai-system", hardening, egress: [] });
    assert.deepEqual(spec.podSelector, {
      matchLabels: { "gateway.networking.k8s.io/gateway-name": "agentgateway" },
    });
    assert.deepEqual(spec.ingress, [
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "network" } } },
          { ipBlock: { cidr: "10.50.0.0/24" } },
        ],
        ports: [
          { protocol: "TCP", port: 80 },
          { protocol: "TCP", port: 443 },
        ],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [{ protocol: "TCP", port: 15020 }],
      },
    ]);
  });

  it("admits listener traffic from anywhere when no source is configured (BIG-IP SNAT to NodePorts)", () => {
    const open = { ...hardening, ingressNamespaces: [], ingressCidrs: [], metricsNamespaces: [] };
    const spec = proxyNetworkPolicySpec(gw, { namespace: "ai-system", hardening: open, egress: [] });
    assert.deepEqual(spec.ingress, [
      {
        ports: [
          { protocol: "TCP", port: 80 },
          { protocol: "TCP", port: 443 },
        ],
      },
    ]);
  });

  it("allows cluster DNS, the controller pods' xDS port and each egress destination once", () => {
    const egress = [
      rule(namespacePeer("ai"), tcp(4000)),
      rule(namespacePeer("ai"), tcp(4000)),
      publicHttpsEgress(),
      rule(cidrPeer("0.0.0.0/0"), tcp(8443)),
    ];
    const spec = proxyNetworkPolicySpec(gw, { namespace: "ai-system", hardening, egress });
    assert.deepEqual(spec.egress, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ai-system" } },
            podSelector: {
              matchLabels: {
                agentgateway: "agentgateway",
                "app.kubernetes.io/name": "agentgateway",
                "app.kubernetes.io/instance": "agentgateway-controller",
              },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 9978 }],
      },
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
        ports: [{ protocol: "TCP", port: 443 }],
      },
      { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 8443 }] },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ai" } } }],
        ports: [{ protocol: "TCP", port: 4000 }],
      },
    ]);
  });

  it("adds a PodDisruptionBudget only when a gateway has more than one replica", () => {
    assert.deepEqual(podDisruptionBudgetSpec(gw), {
      minAvailable: 1,
      selector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "agentgateway" } },
    });
    assert.equal(podDisruptionBudgetSpec(hosted.agentgateway.gateways[0]!), undefined);
  });
});

describe("gateway: control plane values", () => {
  it("sets replicas, log level and resources, and a controller PDB only with more than one replica", () => {
    assert.deepEqual(controllerValues(tlsGateway.agentgateway.controller), {
      controller: { replicaCount: 2, logLevel: "info", podDisruptionBudget: { minAvailable: 1 } },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    });
    assert.deepEqual(controllerValues(hosted.agentgateway.controller), {
      controller: { replicaCount: 1, logLevel: "info" },
    });
  });
});

describe("gateway: invalid configuration names the path", () => {
  const fixtures = loadFixtures().filter((f) => f.file.startsWith("gw-") || /^(13|15|16|17)-/.test(f.file));

  it("covers unknown providers, missing backends and duplicate listener ports", () => {
    const all = fixtures.flatMap((f) => f.errors ?? []).join("\n");
    assert.match(all, /llm\.backends\[1\]\.provider: must be one of "openai", "xai"/);
    assert.match(all, /llm\.routes\[0\]\.rules\[0\]\.backend: unknown backend "opnai"/);
    assert.match(all, /agentgateway\.gateways\[0\]\.listeners\[1\]\.port: duplicate listener port "80"/);
  });

  for (const fixture of fixtures) {
    it(`${fixture.file}: ${fixture.description}`, () => {
      const { config, issues } = parsePlatformConfig(rawConfigOf(applyFixture(fixture)));
      assert.equal(config, undefined);
      assert.deepEqual(issues.map(formatIssue), fixture.errors);
    });
  }

  // About the production stack files themselves: every stack must stay valid.
  it("accepts every stack as it is", () => {
    for (const stack of listStacks())
      assert.deepEqual(parsePlatformConfig(rawConfigOf(readStackFile(stack))).issues, []);
  });
});
