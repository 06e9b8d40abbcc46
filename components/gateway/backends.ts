import { DNS1123_SUBDOMAIN } from "../../lib/kubernetesNames";

/** The key agentgateway reads a provider API key from (agentgateway/agentgateway@v1.4.1:…/agentgateway_policy_types.go BackendAuth). */
export const AUTH_SECRET_KEY = "Authorization";

/** xAI speaks the OpenAI API on its own host (agentgateway website: llm/providers/openai-compatible.md). */
export const XAI_DEFAULTS = { host: "api.x.ai", port: 443, path: "/v1/chat/completions" } as const;

/** Where a provider is reached instead of its public API (an OpenAI-compatible proxy, a private endpoint). */
export interface HostOverride {
  host: string;
  port: number;
  path?: string;
}

/** An LLM provider: its API and the fields that API needs. */
export type LlmProvider = {
  name: string;
  /** Model requested (Azure's deployment fixes it). */
  model?: string;
  /** Stack secret holding the API key, copied into the Kubernetes Secret of the same name. */
  secret: string;
} & (
  | { provider: "openai" | "xai" | "anthropic"; hostOverride?: HostOverride }
  | { provider: "gemini" }
  | { provider: "azureopenai"; endpoint: string; deploymentName: string; apiVersion?: string }
  | { provider: "vertexai"; projectId: string; region: string }
  | { provider: "bedrock"; region: string }
);

/** When a failover provider is taken out of rotation. */
export interface Eviction {
  /** Base time out of rotation (Go duration). */
  duration: string;
  /** Unhealthy attempts in a row (retries included) before eviction. */
  consecutiveFailures: number;
  /** Count 429 as unhealthy, besides 5xx and connect, TLS or DNS failures. */
  unhealthyOn429: boolean;
}

/** An LLM backend: one provider, a static address, or priority groups of providers that fail over. */
export type LlmBackend =
  | LlmProvider
  | { provider: "static"; name: string; host: string; port: number }
  | { provider: "failover"; name: string; groups: { providers: LlmProvider[] }[]; eviction: Eviction };

/**
 * A provider's fields inside `ai.provider` (or a failover group member) and its backend policies. The API
 * key is always a reference to the Kubernetes Secret named after the config secret, never inline.
 */
export function providerSpec(p: LlmProvider): {
  fields: Record<string, unknown>;
  policies: Record<string, unknown>;
} {
  const model = p.model !== undefined ? { model: p.model } : {};
  const secretRef = { name: p.secret };
  let fields: Record<string, unknown>;
  let auth: Record<string, unknown> = { secretRef };
  let override: { host: string; port: number; path?: string } | undefined;
  switch (p.provider) {
    case "openai":
      fields = { openai: model };
      override = p.hostOverride;
      break;
    case "xai":
      fields = { openai: model };
      override = p.hostOverride ?? XAI_DEFAULTS;
      break;
    case "anthropic":
      fields = { anthropic: model };
      override = p.hostOverride;
      break;
    case "gemini":
      fields = { gemini: model };
      break;
    case "azureopenai":
      // Azure routes by deployment; the deployment fixes the model, so `model` is informational only.
      fields = {
        azureopenai: {
          endpoint: p.endpoint,
          deploymentName: p.deploymentName,
          ...(p.apiVersion !== undefined ? { apiVersion: p.apiVersion } : {}),
        },
      };
      break;
    case "vertexai":
      fields = { vertexai: { projectId: p.projectId, region: p.region, ...model } };
      // Vertex AI authenticates with Google credentials JSON; it is read from the same `Authorization` key.
      auth = { gcp: { secretRef: { ...secretRef, key: AUTH_SECRET_KEY } } };
      break;
    case "bedrock":
      // A Bedrock API key is a bearer token, so the default secretRef (key `Authorization`) applies.
      fields = { bedrock: { region: p.region, ...model } };
      break;
  }
  if (override !== undefined) {
    fields = {
      ...fields,
      host: override.host,
      port: override.port,
      ...(override.path !== undefined ? { path: override.path } : {}),
    };
  }
  // An overridden host needs explicit TLS; SNI turns it on (agentgateway website: llm/providers/openai-compatible.md).
  const tls =
    override !== undefined && override.port === 443 && DNS1123_SUBDOMAIN.test(override.host)
      ? { tls: { sni: override.host } }
      : {};
  return { fields, policies: { auth, ...tls } };
}

/** AgentgatewayBackend spec of an LLM backend (agentgateway/agentgateway@v1.4.1:…/agentgateway_backend_types.go). */
export function backendSpec(b: LlmBackend): Record<string, unknown> {
  switch (b.provider) {
    case "static":
      return { static: { host: b.host, port: b.port } };
    case "failover":
      // Groups in priority order; each member carries its own auth policy (member policies override the
      // backend's field by field, so the backend's health policy applies to every member).
      return {
        ai: {
          groups: b.groups.map((g) => ({
            providers: g.providers.map((m) => {
              const { fields, policies } = providerSpec(m);
              return { name: m.name, ...fields, policies };
            }),
          })),
        },
        policies: { health: healthPolicy(b.eviction) },
      };
    default: {
      const { fields, policies } = providerSpec(b);
      return { ai: { provider: fields }, policies };
    }
  }
}

/**
 * The status an attempt without a response counts as. A connect, TLS or DNS failure that a route's retry policy
 * retries reaches the health check with no response at all (agentgateway/agentgateway@v1.4.1:
 * crates/agentgateway/src/proxy/httpproxy.rs finalize_attempt_for_retry); there `response.code` is an error, a
 * condition that errors counts as healthy (crates/agentgateway/src/cel/types.rs eval_bool) and a healthy attempt
 * resets the failure count (crates/agentgateway/src/types/loadbalancer.rs finish_request), so a provider that is
 * down would never be evicted behind retries. `default()` yields its fallback for a missing key or variable
 * (crates/celx/src/general.rs), and 503 is what the proxy answers for such a failure when it is the last attempt
 * (crates/agentgateway/src/proxy/mod.rs: DnsResolution, UpstreamCallFailed).
 */
const ATTEMPT_STATUS = "default(response.code, 503)";

/**
 * Backend health policy that makes priority groups fail over: an unhealthy provider is evicted, and the load
 * balancer picks the first group that still has one (agentgateway/agentgateway@v1.4.1:
 * crates/agentgateway/src/types/loadbalancer.rs best_bucket; crates/agentgateway/src/http/health.rs).
 * Every attempt counts, retried ones included (crates/agentgateway/src/telemetry/log.rs
 * finalize_request_handle_for_attempt). Without `unhealthyCondition` upstream counts an attempt without a status
 * (connect, TLS or DNS failure) and 5xx (log.rs default_unhealthy_for_status); the condition adds 429 and keeps
 * both, reading an attempt without a response as 503 (ATTEMPT_STATUS).
 */
export function healthPolicy(e: Eviction): Record<string, unknown> {
  return {
    ...(e.unhealthyOn429
      ? { unhealthyCondition: `${ATTEMPT_STATUS} >= 500 || ${ATTEMPT_STATUS} == 429` }
      : {}),
    eviction: { duration: e.duration, consecutiveFailures: e.consecutiveFailures },
  };
}
