/*
 * Where in-cluster clients reach the AI gateway: agentgateway v1.4 names a Gateway's proxy Service after the
 * Gateway, one port per listener with port == targetPort
 * (agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/service.yaml), so a route is at
 * http://<gateway>.<namespace>.svc.cluster.local:<listener port><path>. kagent, tenants, MCP clients and
 * config validation all read these functions, so they cannot disagree on an address.
 */

/** A gateway listener, as far as its clients care. */
export interface ClientListener {
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
}

/** A gateway as its in-cluster clients see it: its name and listeners. */
export interface ListeningGateway<L extends ClientListener = ClientListener> {
  name: string;
  listeners: readonly L[];
}

/** An MCP server's place on the gateway. */
export interface McpServerAddress {
  name: string;
  /** Route path prefix (default `/<name>`). */
  routePath?: string;
  /** The Gateway whose route serves it. */
  gateway: string;
}

/** The route path prefix of an MCP server on its gateway (default `/<name>`). */
export function mcpRoutePath(server: Pick<McpServerAddress, "name" | "routePath">): string {
  return server.routePath ?? `/${server.name}`;
}

/** Name of the Deployment/Service of an in-cluster MCP server. */
export function mcpWorkloadName(serverName: string): string {
  return `mcp-${serverName}`;
}

/** The listener in-cluster clients use: the named one, else the first plain-HTTP listener. */
export function clientListener<L extends ClientListener>(
  gateway: ListeningGateway<L>,
  listenerName?: string,
): L {
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
  gateway: ListeningGateway,
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
  server: McpServerAddress,
  gateways: readonly ListeningGateway[],
  gatewayNamespace: string,
): string {
  const gateway = gateways.find((g) => g.name === server.gateway);
  if (gateway === undefined)
    throw new Error(`MCP server "${server.name}" names unknown gateway "${server.gateway}"`);
  return gatewayUrl(gateway, gatewayNamespace, mcpRoutePath(server));
}
