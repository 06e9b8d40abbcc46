import { mcpRoutePath, McpServerAddress } from "../../lib/addressBook";
import type { ImagePin } from "../../lib/versions";
import type { Resources } from "../workload";

/*
 * How MCP servers are reached: each server is an AgentgatewayBackend and an HTTPRoute, both named after the
 * server (gateway policies target `AgentgatewayBackend/<server>`), on the server's gateway at /<name>; its
 * in-cluster address comes from the address book (lib/addressBook.ts).
 */

/** An MCP server run by this program, as far as the MCP layer reads it. */
export interface InClusterMcpServer extends McpServerAddress {
  kind: "inCluster";
  /** Catalog key (lib/versions.ts) or an explicit pin. */
  image: string | ImagePin;
  /** Port of the MCP listener. */
  port: number;
  /** HTTP path of the MCP endpoint. */
  path: string;
  /** Container args; empty takes the pin's args. */
  args: string[];
  /** Plain environment variables. */
  env: Record<string, string>;
  /** Environment variables filled from secrets (env name -> secret name). */
  secretEnv: Record<string, string>;
  /** Public HTTPS ports the server calls out to. */
  egressPorts: number[];
  replicas: number;
  /** Requests and limits (default DEFAULT_MCP_RESOURCES). */
  resources?: Resources;
}

/** An MCP server reached over the network. */
export interface RemoteMcpServer extends McpServerAddress {
  kind: "remote";
  host: string;
  port: number;
  /** HTTP path of the MCP endpoint. */
  path: string;
  protocol: "StreamableHTTP" | "SSE";
  /** Secret name of the Bearer token sent upstream. */
  tokenSecret?: string;
}

/** An MCP server fronted by the AI gateway. */
export type McpServer = InClusterMcpServer | RemoteMcpServer;

/** `appProtocol` that makes agentgateway treat a Service port as a Streamable HTTP MCP endpoint. */
export const MCP_APP_PROTOCOL = "agentgateway.dev/mcp";
/** Service annotation carrying the MCP path of a selected Service (controller/api/annotations/agentgateway.go). */
export const MCP_PATH_ANNOTATION = "agentgateway.dev/mcp-path";

/**
 * `AgentgatewayBackend.spec` of an MCP server (agentgateway/agentgateway@v1.4.1:…/agentgateway_backend_types.go):
 * in-cluster servers are selected by Service labels (the Service port carries MCP_APP_PROTOCOL), remote ones
 * are static targets with TLS on port 443 and the token from a Secret (`Authorization` key, sent as Bearer).
 */
export function mcpBackendSpec(
  server: McpServer,
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
export function mcpRouteSpec(server: McpServer, gatewayNamespace: unknown): Record<string, unknown> {
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
