import * as http from "http";
import type { AddressInfo } from "net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

/*
 * Loopback stand-ins for what `npm run verify` talks to, answering in the upstream formats: the Kubernetes API
 * (discovery, lists, a Service, the service proxy to kagent's A2A card), the gateway (completions, a guard's
 * 403, MCP routes served by the MCP SDK's own server), Langfuse's public API, iControl REST and the Cloudflare
 * API. Every server listens on 127.0.0.1 only.
 */

type Obj = Record<string, unknown>;
type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => unknown;

export interface StandIn {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(handler: Handler): Promise<StandIn> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString("utf8"), res)).catch((err) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

/** Live objects by API group/version, kind, namespace and name. */
export interface ClusterState {
  objects: Array<Obj & { apiVersion: string; kind: string; metadata: Obj }>;
  /** kagent agents whose A2A card answers. */
  agents: string[];
}

const plural = (kind: string) => `${kind.toLowerCase()}s`;

/** The Kubernetes API as client-node and `live/kubernetes.ts` read it. */
export function kubernetesApi(state: ClusterState): Handler {
  return (req, body, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    if (path === "/version") return json(res, 200, { major: "1", minor: "36", gitVersion: "v1.36.3" });
    const proxy =
      /^\/api\/v1\/namespaces\/([^/]+)\/services\/[^/]+\/proxy\/api\/a2a\/[^/]+\/([^/]+)\/\.well-known\/agent-card\.json$/.exec(
        path,
      );
    if (proxy !== null)
      return state.agents.includes(proxy[2]!)
        ? json(res, 200, {
            name: proxy[2],
            url: `http://kagent-controller:8083/api/a2a/${proxy[1]}/${proxy[2]}/`,
          })
        : json(res, 503, { kind: "Status", message: "no endpoints available for service" });
    const a2a = /\/proxy\/api\/a2a\/[^/]+\/([^/]+)\/$/.exec(path);
    if (a2a !== null && req.method === "POST") {
      const call = JSON.parse(body) as Obj;
      return state.agents.includes(a2a[1]!) && call["method"] === "message/send"
        ? json(res, 200, {
            jsonrpc: "2.0",
            id: call["id"],
            result: { kind: "task", id: "task-1", contextId: "ctx-1", status: { state: "completed" } },
          })
        : json(res, 200, {
            jsonrpc: "2.0",
            id: call["id"],
            error: { code: -32601, message: "Method not found" },
          });
    }
    const service = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(path);
    if (service !== null) {
      const found = state.objects.find(
        (o) =>
          o.kind === "Service" && o.metadata["namespace"] === service[1] && o.metadata["name"] === service[2],
      );
      return found ? json(res, 200, found) : json(res, 404, { kind: "Status", reason: "NotFound" });
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/([^/]+))?$/.exec(path);
    if (gv === null) return json(res, 404, { kind: "Status", reason: "NotFound" });
    const apiVersion = gv[1] ?? `${gv[2]}/${gv[3]}`;
    const kinds = [...new Set(state.objects.filter((o) => o.apiVersion === apiVersion).map((o) => o.kind))];
    const namespaced = (kind: string) =>
      state.objects.some((o) => o.kind === kind && typeof o.metadata["namespace"] === "string");
    if (gv[4] === undefined)
      return json(res, 200, {
        kind: "APIResourceList",
        groupVersion: apiVersion,
        resources: kinds.map((k) => ({
          name: plural(k),
          kind: k,
          namespaced: namespaced(k),
          verbs: ["get", "list"],
        })),
      });
    const kind = kinds.find((k) => plural(k) === gv[4]);
    return json(res, 200, {
      kind: `${kind ?? "Unknown"}List`,
      apiVersion,
      metadata: { resourceVersion: "1" },
      items: state.objects
        .filter((o) => o.apiVersion === apiVersion && o.kind === kind)
        .map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
    });
  };
}

export interface GatewayBehaviour {
  /** Regexes the gateway's guards reject with 403. */
  rejects: RegExp[];
  /** MCP route path -> the tools its server lists. */
  mcpTools: Record<string, string[]>;
  /** Called with the trace id of every request that carries a traceparent (the collector fan-out). */
  onTrace: (traceId: string) => void;
}

async function serveMcp(tools: string[], req: http.IncomingMessage, body: string, res: http.ServerResponse) {
  const server = new McpServer({ name: "stand-in", version: "1.0.0" });
  for (const name of tools)
    server.registerTool(name, { description: `${name} tool` }, async () => ({
      content: [{ type: "text", text: name }],
    }));
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.on("close", () => void transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, body === "" ? undefined : JSON.parse(body));
}

/** An agentgateway proxy: OpenAI-shaped completions, guard rejections, MCP routes. */
export function gateway(behaviour: GatewayBehaviour): Handler {
  return async (req, body, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const traceparent = req.headers["traceparent"];
    if (typeof traceparent === "string") behaviour.onTrace(traceparent.split("-")[1]!);
    const mcp = behaviour.mcpTools[path];
    if (mcp !== undefined) return serveMcp(mcp, req, body, res);
    if (req.method !== "POST") return json(res, 404, { error: "route not found" });
    const content = JSON.stringify((JSON.parse(body) as Obj)["messages"] ?? "");
    if (behaviour.rejects.some((r) => r.test(content)))
      return res
        .writeHead(403, { "content-type": "text/plain" })
        .end("Request blocked due to policy violation");
    return json(res, 200, {
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "p" }, finish_reason: "length" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  };
}

/** Langfuse's public API: a trace by id, with Basic auth. */
export function langfuse(traces: Set<string>, auth: string): Handler {
  return (req, _body, res) => {
    if (req.headers["authorization"] !== `Basic ${Buffer.from(auth).toString("base64")}`)
      return json(res, 401, { message: "Invalid credentials" });
    const m = /^\/api\/public\/traces\/([0-9a-f]{32})$/.exec(req.url ?? "");
    if (m === null) return json(res, 404, { message: "Not found" });
    return traces.has(m[1]!)
      ? json(res, 200, { id: m[1], name: "POST /openai/*", observations: [] })
      : json(res, 404, {
          error: "LangfuseNotFoundError",
          message: `Trace ${m[1]} not found within authorized project`,
        });
  };
}

/** iControl REST: LTM collections; pools carry their members (expandSubcollections). */
export function icontrol(
  pools: Array<{ fullPath: string; members: Array<{ name: string; state: string }> }>,
): Handler {
  return (req, _body, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const collection = (kind: string, items: Obj[]) =>
      json(res, 200, {
        kind: `tm:ltm:${kind}:${kind}collectionstate`,
        selfLink: `https://localhost/mgmt/tm/ltm/${kind}`,
        items,
      });
    if (path === "/mgmt/tm/ltm/pool")
      return collection(
        "pool",
        pools.map((p) => ({
          kind: "tm:ltm:pool:poolstate",
          name: p.fullPath.split("/").pop(),
          partition: "Common",
          fullPath: p.fullPath,
          membersReference: {
            link: "https://localhost/mgmt/tm/ltm/pool/members",
            isSubcollection: true,
            items: p.members.map((m) => ({
              kind: "tm:ltm:pool:members:membersstate",
              ...m,
              partition: "Common",
              session: "monitor-enabled",
            })),
          },
        })),
      );
    return collection(path.split("/").slice(4).join(":") || "unknown", []);
  };
}

/** The Cloudflare API v4: zones, DNS records and the account's tunnels. */
export function cloudflareApi(zone: string, tunnels: Obj[]): Handler {
  return (req, _body, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const envelope = (result: unknown[]) =>
      json(res, 200, {
        success: true,
        errors: [],
        messages: [],
        result,
        result_info: {
          page: 1,
          per_page: 1000,
          count: result.length,
          total_count: result.length,
          total_pages: 1,
        },
      });
    if (url.pathname.endsWith("/zones"))
      return envelope([{ id: "0123456789abcdef0123456789abcdef", name: zone }]);
    if (url.pathname.endsWith("/dns_records")) return envelope([]);
    if (url.pathname.endsWith("/cfd_tunnel")) return envelope(tunnels);
    return json(res, 404, { success: false, errors: [{ code: 7003, message: "No route for the URI" }] });
  };
}
