import type { CollectorEndpoints } from "../../lib/collector";

/*
 * Frontend telemetry of the AI gateways: AgentgatewayPolicy `spec.frontend.tracing` and
 * `spec.frontend.accessLog` (agentgateway/agentgateway@v1.4.1 controller/api/v1alpha1/agentgateway/
 * agentgateway_policy_types.go). Expressions are CEL over the request context; `llm.*` is only present on
 * AI backends, and a failing expression only drops its own attribute.
 */

interface Attribute {
  name: string;
  expression: string;
}

/** Generative-AI attributes on each span, the fields Langfuse shows (model, provider, token usage). */
const TRACE_ATTRIBUTES: Attribute[] = [
  { name: "gen_ai.system", expression: "llm.provider" },
  { name: "gen_ai.request.model", expression: "llm.requestModel" },
  { name: "gen_ai.response.model", expression: "llm.responseModel" },
  { name: "gen_ai.usage.prompt_tokens", expression: "llm.inputTokens" },
  { name: "gen_ai.usage.completion_tokens", expression: "llm.outputTokens" },
  { name: "gen_ai.usage.total_tokens", expression: "llm.totalTokens" },
];

/** Access log fields added to the default ones (timing, upstream, status): the model header and LLM usage (as homeops's kgateway access logs carry them). */
const ACCESS_LOG_ATTRIBUTES: Attribute[] = [
  { name: "x_model", expression: 'request.headers["x-model"]' },
  { name: "llm.provider", expression: "llm.provider" },
  { name: "llm.request_model", expression: "llm.requestModel" },
  { name: "llm.response_model", expression: "llm.responseModel" },
  { name: "llm.input_tokens", expression: "llm.inputTokens" },
  { name: "llm.output_tokens", expression: "llm.outputTokens" },
];

/** agentgateway `randomSampling` CEL for a sampling ratio: "true" at 1, "false" at 0, the ratio otherwise. */
export function samplingExpression(ratio: number): string {
  if (ratio >= 1) return "true";
  if (ratio <= 0) return "false";
  return String(ratio);
}

export interface GatewayTelemetryOptions {
  /** Gateway (same namespace as the policy). */
  gateway: string;
  /** The collector to send spans to (its OTLP/gRPC port), or undefined for no tracing. */
  collector?: CollectorEndpoints;
  sampling: number;
  accessLogs: boolean;
}

/** The AgentgatewayPolicy spec for one Gateway, or undefined when neither tracing nor access logs are on. */
export function gatewayTelemetryPolicySpec(o: GatewayTelemetryOptions): Record<string, unknown> | undefined {
  const frontend: Record<string, unknown> = {};
  if (o.collector !== undefined) {
    frontend["tracing"] = {
      // Policy backendRefs need no ReferenceGrant across namespaces; a Service reference needs its port.
      backendRef: {
        group: "",
        kind: "Service",
        name: o.collector.service.name,
        namespace: o.collector.service.namespace,
        port: o.collector.grpcPort,
      },
      protocol: "GRPC",
      randomSampling: samplingExpression(o.sampling),
      attributes: { add: TRACE_ATTRIBUTES },
    };
  }
  if (o.accessLogs) frontend["accessLog"] = { attributes: { add: ACCESS_LOG_ATTRIBUTES } };
  if (Object.keys(frontend).length === 0) return undefined;
  return {
    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: o.gateway }],
    frontend,
  };
}

/**
 * `AgentgatewayParameters.spec.logging` for the proxies when access logs are on: JSON lines on stdout (as homeops logs today),
 * on every Gateway's AgentgatewayParameters.
 */
export function proxyLoggingParameters(accessLogs: boolean): { format: "json" } | undefined {
  return accessLogs ? { format: "json" } : undefined;
}
