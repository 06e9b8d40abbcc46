import type { GatewayConfig, McpServerConfig } from "../../stacks/schema";

/*
 * How MCP servers are reached: each server is an AgentgatewayBackend and an HTTPRoute, both named after the
 * server (gateway policies target `AgentgatewayBackend/<server>`), on the server's gateway at /<name>.
 * agentgateway v1.4 names a Gateway's proxy Service after the Gateway, one port per listener with
 * port == targetPort (agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/service.yaml),
 * so in-cluster clients reach a route at http://<gateway>.<namespace>.svc.cluster.local:<listener port><path>.
 */

/** `appProtocol` that makes agentgateway treat a Service port as a Streamable HTTP MCP endpoint. */
export const MCP_APP_PROTOCOL = "agentgateway.dev/mcp";
/** Service annotation carrying the MCP path of a selected Service (controller/api/annotations/agentgateway.go). */
export const MCP_PATH_ANNOTATION = "agentgateway.dev/mcp-path";

/** The route path prefix of an MCP server on its gateway (default `/<name>`). */
export function mcpRoutePath(server: Pick<McpServerConfig, "name" | "routePath">): string {
  return server.routePath ?? `/${server.name}`;
}

/** Name of the Deployment/Service of an in-cluster MCP server. */
export function mcpWorkloadName(serverName: string): string {
  return `mcp-${serverName}`;
}

/** The listener in-cluster clients use: the named one, else the first plain-HTTP listener. */
export function clientListener(
  gateway: GatewayConfig,
  listenerName?: string,
): GatewayConfig["listeners"][number] {
  const listener =
    listenerName !== undefined
      ? gateway.listeners.find((l) => l.name === listenerName)
      : gateway.listeners.find((l) => l.protocol === "HTTP");
  if (listener === undefined) {
    throw new Error(
      listenerName !== undefined
        ? `gateway "${gateway.name}" has no listener "${listenerName}"`
        : `gateway "${gateway.name}" has no HTTP listener for in-cluster clients`,
    );
  }
  return listener;
}

/** `http://<gateway>.<ns>.svc.cluster.local:<port><path>` through the gateway's proxy Service. */
export function gatewayUrl(
  gateway: GatewayConfig,
  gatewayNamespace: string,
  path: string,
  listenerName?: string,
): string {
  const listener = clientListener(gateway, listenerName);
  const scheme = listener.protocol === "HTTPS" ? "https" : "http";
  return `${scheme}://${gateway.name}.${gatewayNamespace}.svc.cluster.local:${listener.port}${path}`;
}

/** URL of an MCP server's route on its gateway: what a kagent RemoteMCPServer points at. */
export function remoteMcpServerUrl(
  server: McpServerConfig,
  gateways: GatewayConfig[],
  gatewayNamespace: string,
): string {
  const gateway = gateways.find((g) => g.name === server.gateway);
  if (gateway === undefined)
    throw new Error(`MCP server "${server.name}" names unknown gateway "${server.gateway}"`);
  return gatewayUrl(gateway, gatewayNamespace, mcpRoutePath(server));
}

/**
 * `AgentgatewayBackend.spec` of an MCP server (agentgateway/agentgateway@v1.4.1:…/agentgateway_backend_types.go):
 * in-cluster servers are selected by Service labels (the Service port carries MCP_APP_PROTOCOL), remote ones
 * are static targets with TLS on port 443 and the token from a Secret (`Authorization` key, sent as Bearer).
 */
export function mcpBackendSpec(
  server: McpServerConfig,
  opts: { namespace: unknown; serviceLabels: Record<string, string>; tokenSecretName?: string },
): Record<string, unknown> {
  if (server.kind === "inCluster") {
    return {
      mcp: {
        targets: [
          {
            name: server.name,
            selector: {
              namespaces: { matchLabels: { "kubernetes.io/metadata.name": opts.namespace } },
              services: { matchLabels: opts.serviceLabels },
            },
          },
        ],
      },
    };
  }
  const policies: Record<string, unknown> = {};
  if (server.port === 443) policies["tls"] = { sni: server.host };
  if (opts.tokenSecretName !== undefined) policies["auth"] = { secretRef: { name: opts.tokenSecretName } };
  const target: Record<string, unknown> = {
    host: server.host,
    port: server.port,
    path: server.path,
    protocol: server.protocol,
  };
  if (Object.keys(policies).length > 0) target["policies"] = policies;
  return { mcp: { targets: [{ name: server.name, static: target }] } };
}

/** `HTTPRoute.spec` attaching `<routePath>` on the server's gateway to its AgentgatewayBackend. */
export function mcpRouteSpec(server: McpServerConfig, gatewayNamespace: unknown): Record<string, unknown> {
  return {
    parentRefs: [
      {
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        name: server.gateway,
        namespace: gatewayNamespace,
      },
    ],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: mcpRoutePath(server) } }],
        backendRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: server.name }],
      },
    ],
  };
}
