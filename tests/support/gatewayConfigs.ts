import {
  bigipConfig,
  exposure,
  gateway,
  gatewayConfig,
  llmBackend,
  llmConfig,
  llmRoute,
  mcpConfig,
  mcpServer,
  observabilityConfig,
  policiesConfig,
  RawConfig,
  talosCluster,
} from "./builders";

/*
 * Two AI gateway configs covering what the layer emits: a TLS gateway behind a LoadBalancer IP, and two
 * NodePort gateways on hosted providers. Unit tests parse them; recording tests build them.
 */

const routes = [{ kind: "HTTPRoute" as const, name: "llm-routes" }];

/**
 * A two-replica TLS gateway `agentgateway` in ai-system behind 10.50.0.30 (HTTP redirected to HTTPS) with
 * hardening and PDBs, provider, static and failover backends on route `llm-routes`, guarded by route policies.
 */
export function tlsGatewayPieces(): Partial<RawConfig>[] {
  return [
    gatewayConfig(
      [
        gateway("agentgateway", 80, {
          listeners: [
            { name: "http", protocol: "HTTP", port: 80, allowedRoutes: "Same" },
            {
              name: "https",
              protocol: "HTTPS",
              port: 443,
              allowedRoutes: "All",
              tls: { secretName: "sklab-dev-production-tls" },
            },
          ],
          service: { type: "LoadBalancer", ip: "10.50.0.30" },
          replicas: 2,
          httpsRedirect: true,
        }),
      ],
      {
        namespace: "ai-system",
        controller: {
          replicas: 2,
          logLevel: "info",
          resources: {
            requests: { cpu: "100m", memory: "128Mi" },
            limits: { cpu: "500m", memory: "512Mi" },
          },
        },
        hardening: {
          networkPolicy: true,
          ingressNamespaces: ["network"],
          ingressCidrs: ["10.50.0.0/24"],
          metricsNamespaces: ["monitoring"],
          podDisruptionBudget: true,
        },
      },
    ),
    llmConfig(
      [
        llmBackend("openai", { model: "gpt-4", secret: "openai-api-key" }),
        llmBackend("anthropic", {
          provider: "anthropic",
          model: "claude-3-5-sonnet-20241022",
          secret: "anthropic-api-key",
        }),
        llmBackend("gemini", {
          provider: "gemini",
          model: "gemini-2.5-flash-lite",
          secret: "google-ai-api-key",
        }),
        {
          name: "litellm",
          provider: "static",
          host: "litellm.ai.svc.cluster.local",
          port: 4000,
          providedBy: "LiteLLM in the ai namespace",
        },
        {
          name: "llm-failover",
          provider: "failover",
          groups: [
            {
              providers: [
                { name: "gpt-3.5", provider: "openai", model: "gpt-3.5-turbo", secret: "openai-api-key" },
                {
                  name: "claude-haiku",
                  provider: "anthropic",
                  model: "claude-3-5-haiku-20241022",
                  secret: "anthropic-api-key",
                },
              ],
            },
            { providers: [{ name: "gpt-4", provider: "openai", model: "gpt-4", secret: "openai-api-key" }] },
          ],
        },
      ],
      [
        llmRoute("llm-routes", {
          gateway: "agentgateway",
          listener: "https",
          rules: ["openai", "anthropic", "gemini", "litellm", "llm-failover"].map((b) => ({
            pathPrefix: `/${b}`,
            backend: b,
          })),
        }),
      ],
    ),
    policiesConfig([
      {
        type: "promptGuard",
        name: "prompt-guards",
        targets: routes,
        reject: {
          patterns: [
            { name: "prompt-injection-1", regex: "ignore.*previous.*instructions" },
            { name: "prompt-injection-2", regex: "(?i)forget.*everything" },
          ],
          message: "Request blocked due to policy violation",
        },
        maskResponse: ["CreditCard", "Email", "Ssn"],
      },
      { type: "rateLimit", name: "rate-limits", targets: routes, requests: 10, unit: "Seconds", burst: 100 },
      {
        type: "timeout",
        name: "timeouts",
        targets: routes,
        request: "60s",
        retry: { attempts: 2, codes: [500, 502, 503, 504] },
      },
    ]),
  ];
}

/**
 * Two single-replica NodePort gateways, `gw` and `xai-gw`, on hosted providers (one route each), a prompt
 * guard on both, a token limit on `xai-gw`, MCP policies switched off, tracing to a collector, and `xai-gw`
 * exposed through a BIG-IP VIP on NodePort 31990.
 */
export function hostedGatewayPieces(): Partial<RawConfig>[] {
  const gateways = [
    { kind: "Gateway" as const, name: "gw" },
    { kind: "Gateway" as const, name: "xai-gw" },
  ];
  return [
    gatewayConfig([gateway("gw", 8080), gateway("xai-gw", 8081)]),
    llmConfig(
      [
        llmBackend("openai", { secret: "openai-api-key" }),
        llmBackend("anthropic", {
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          secret: "anthropic-api-key",
        }),
        llmBackend("xai", { provider: "xai", model: "grok-4", secret: "xai-api-key" }),
      ],
      [
        llmRoute("openai", {
          rules: [
            { pathPrefix: "/openai", backend: "openai" },
            { pathPrefix: "/anthropic", backend: "anthropic" },
          ],
        }),
        llmRoute("xai", { gateway: "xai-gw" }),
      ],
    ),
    policiesConfig([
      {
        type: "promptGuard",
        name: "prompt-injection",
        targets: gateways,
        reject: { patterns: [{ name: "ignore-instructions", regex: "(?i)ignore previous instructions" }] },
      },
      {
        type: "elicitation",
        name: "elicitation",
        enabled: false,
        targets: [{ kind: "Backend", name: "github" }],
        tools: ["create_issue"],
      },
      {
        type: "mcpAuthorization",
        name: "everything-tools",
        enabled: false,
        targets: [{ kind: "Backend", name: "everything" }],
        allowTools: ["echo"],
      },
      {
        type: "rateLimit",
        name: "xai-tokens",
        targets: [{ kind: "Gateway", name: "xai-gw" }],
        tokens: 100000,
        unit: "Minutes",
      },
    ]),
    mcpConfig([mcpServer("everything"), mcpServer("github")]),
    observabilityConfig(),
    talosCluster(),
    bigipConfig(),
    {
      exposures: [
        exposure("xai", {
          target: { gateway: "xai-gw" },
          bigip: { vip: "10.1.0.22", ports: [{ port: 8081, nodePort: 31990 }] },
        }),
      ],
    },
  ];
}
