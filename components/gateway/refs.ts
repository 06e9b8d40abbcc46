/**
 * API groups, kinds and labels of the AI gateway objects (agentgateway v1.4.x on Gateway API v1.6).
 */

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;
export const AGW_GROUP = "agentgateway.dev";
export const AGW_VERSION = `${AGW_GROUP}/v1alpha1`;

/** The GatewayClass the agentgateway controller creates itself (agentgateway/agentgateway@v1.4.1:controller/api/settings/settings.go). */
export const GATEWAY_CLASS = "agentgateway";

/**
 * Label the controller puts on every proxy pod, from the Gateway API's generated-resource convention
 * (agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/_helpers.tpl selectorLabels).
 */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/** Proxy container ports: metrics (named `metrics`) and readiness (same _helpers.tpl). */
export const PROXY_METRICS_PORT = 15020;

/** Controller xDS port the proxies connect to (agentgateway/agentgateway@v1.4.1:controller/install/helm/agentgateway/values.yaml). */
export const CONTROLLER_XDS_PORT = 9978;

export interface ObjectRef {
  group: string;
  kind: string;
  name: string;
  sectionName?: string;
}

/** HTTPRoute backendRef / policy targetRef to an AgentgatewayBackend. */
export function backendRef(name: string): ObjectRef {
  return { group: AGW_GROUP, kind: "AgentgatewayBackend", name };
}

/** Policy target kinds of the config mapped to their API group and kind. */
export function targetRef(kind: "Gateway" | "HTTPRoute" | "Backend", name: string): ObjectRef {
  if (kind === "Backend") return backendRef(name);
  return { group: GATEWAY_API_GROUP, kind, name };
}
