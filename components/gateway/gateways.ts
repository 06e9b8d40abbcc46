import type { NodePortMap } from "../../lib/exposures";
import type { Resources } from "../workload";
import { AGW_GROUP, GATEWAY_API_GROUP, GATEWAY_CLASS, GATEWAY_NAME_LABEL } from "./refs";

/** A Gateway listener. */
export interface GatewayListener {
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
  hostname?: string;
  /** Certificate Secret of an HTTPS listener, by default in the gateway namespace. */
  tls?: { secretName: string; namespace?: string };
  /** Namespaces whose routes may attach. */
  allowedRoutes: "Same" | "All";
}

/** A Gateway of the AI gateway: its listeners and its proxies. */
export interface GatewaySettings {
  name: string;
  listeners: GatewayListener[];
  /** How the proxy Service is exposed; a LoadBalancer pins its address. */
  service: { type: "NodePort" } | { type: "LoadBalancer"; ip: string } | { type: "ClusterIP" };
  replicas: number;
  /** Proxy requests and limits (the deployer's defaults when omitted). */
  resources?: Resources;
}

/** Annotation Cilium LB IPAM reads to pin a LoadBalancer Service to an address (Cilium docs, network/lb-ipam). */
export const CILIUM_LB_IPS_ANNOTATION = "lbipam.cilium.io/ips";

/**
 * Gateway spec. The proxy Deployment and Service are named after the Gateway (v1.4 deployer), so the
 * Gateway carries the proxy Service name; its AgentgatewayParameters has the same name.
 */
export function gatewaySpec(gw: GatewaySettings): Record<string, unknown> {
  return {
    gatewayClassName: GATEWAY_CLASS,
    infrastructure: { parametersRef: { group: AGW_GROUP, kind: "AgentgatewayParameters", name: gw.name } },
    listeners: gw.listeners.map((l) => ({
      name: l.name,
      protocol: l.protocol,
      port: l.port,
      ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
      allowedRoutes: { namespaces: { from: l.allowedRoutes } },
      ...(l.tls !== undefined
        ? {
            tls: {
              mode: "Terminate",
              certificateRefs: [
                {
                  kind: "Secret",
                  name: l.tls.secretName,
                  ...(l.tls.namespace !== undefined ? { namespace: l.tls.namespace } : {}),
                },
              ],
            },
          }
        : {}),
    })),
  };
}

/**
 * AgentgatewayParameters spec: proxy replicas and resources, log format, and the Service overlay that sets its type.
 * The generated Service is always LoadBalancer with one port per listener; `spec.service` is a strategic-merge
 * overlay whose ports merge on `port` (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/
 * overlay_types.go, controller/pkg/helm/agentgateway/templates/service.yaml).
 */
export function parametersSpec(
  gw: GatewaySettings,
  nodePorts: NodePortMap,
  logging?: { format: "json" | "text" },
): Record<string, unknown> {
  let service: Record<string, unknown>;
  switch (gw.service.type) {
    case "NodePort": {
      const ports = gw.listeners
        .filter((l) => nodePorts[l.port] !== undefined)
        .map((l) => ({ port: l.port, nodePort: nodePorts[l.port] }));
      service = { spec: { type: "NodePort", ...(ports.length > 0 ? { ports } : {}) } };
      break;
    }
    case "LoadBalancer":
      service = {
        metadata: { annotations: { [CILIUM_LB_IPS_ANNOTATION]: gw.service.ip } },
        spec: { type: "LoadBalancer" },
      };
      break;
    case "ClusterIP":
      service = { spec: { type: "ClusterIP" } };
      break;
  }
  return {
    deployment: { spec: { replicas: gw.replicas } },
    ...(gw.resources !== undefined ? { resources: gw.resources } : {}),
    // The deployer copies spec.logging.format into the proxy config's logging.format
    // (agentgateway/agentgateway@v1.4.1:controller/pkg/deployer/agentgateway_parameters.go:155-160,
    // controller/pkg/helm/agentgateway/templates/configmap.yaml:15-16).
    ...(logging !== undefined ? { logging } : {}),
    service,
  };
}

/** The HTTPRoute of a gateway with `httpsRedirect`: every HTTP listener answers 301 to https. */
export function httpsRedirectRouteSpec(gw: GatewaySettings): Record<string, unknown> {
  return {
    parentRefs: gw.listeners
      .filter((l) => l.protocol === "HTTP")
      .map((l) => ({ group: GATEWAY_API_GROUP, kind: "Gateway", name: gw.name, sectionName: l.name })),
    rules: [
      { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
    ],
  };
}

export function httpsRedirectRouteName(gw: GatewaySettings): string {
  return `${gw.name}-https-redirect`;
}

export interface ReferenceGrantSpec {
  /** Namespace the grant lives in (the referenced object's namespace). */
  namespace: string;
  name: string;
  spec: {
    from: Array<{ group: string; kind: string; namespace: string }>;
    to: Array<{ group: string; kind: string; name?: string }>;
  };
}

/**
 * ReferenceGrants for listener certificates kept in another namespace: a Gateway may only reference a
 * Secret across namespaces when the Secret's namespace grants it (Gateway API ReferenceGrant).
 */
export function certificateGrants(
  gateways: readonly GatewaySettings[],
  gatewayNamespace: string,
): ReferenceGrantSpec[] {
  const out: ReferenceGrantSpec[] = [];
  const seen = new Set<string>();
  for (const gw of gateways) {
    for (const l of gw.listeners) {
      const ns = l.tls?.namespace;
      if (l.tls === undefined || ns === undefined || ns === gatewayNamespace) continue;
      const key = `${ns}/${l.tls.secretName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        namespace: ns,
        name: `${gatewayNamespace}-gateways-${l.tls.secretName}`,
        spec: {
          from: [{ group: GATEWAY_API_GROUP, kind: "Gateway", namespace: gatewayNamespace }],
          to: [{ group: "", kind: "Secret", name: l.tls.secretName }],
        },
      });
    }
  }
  return out;
}

/** Labels selecting one gateway's proxy pods. */
export function proxySelector(gatewayName: string): Record<string, string> {
  return { [GATEWAY_NAME_LABEL]: gatewayName };
}
