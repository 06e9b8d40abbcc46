/*
 * Where in-cluster clients and the tunnel reach the AI gateway: agentgateway v1.4 names a Gateway's proxy
 * Service after the Gateway, one port per listener with port == targetPort
 * (agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/service.yaml), so a route is at
 * http://<gateway>.<namespace>.svc.cluster.local:<listener port><path>. The gateway layer publishes the one
 * address book built here; kagent, tenants, the exposure plan and config validation all read it, so they
 * cannot disagree on an address.
 */

/** A gateway listener, as far as its clients care. */
export interface ClientListener {
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
}

/** A gateway as its clients see it: its name and listeners. */
export interface ListeningGateway<L extends ClientListener = ClientListener> {
  name: string;
  listeners: readonly L[];
}

/** An LLM route as far as its address goes: its gateway, optional listener and rule path prefixes. */
export interface RouteAddressInput {
  name: string;
  gateway: string;
  /** Listener (sectionName) in-cluster clients call; the first plain-HTTP one when unset. */
  listener?: string;
  rules: ReadonlyArray<{ pathPrefix: string }>;
}

/** An MCP server's place on the gateway. */
export interface McpServerAddress {
  name: string;
  /** Route path prefix (default `/<name>`). */
  routePath?: string;
  /** The Gateway whose route serves it. */
  gateway: string;
}

/** What the address book is built from: the gateway layer's namespace, gateways, LLM routes and MCP servers. */
export interface AddressBookInput {
  namespace: string;
  gateways: readonly ListeningGateway[];
  llmRoutes: readonly RouteAddressInput[];
  mcpServers: readonly McpServerAddress[];
}

/** Where a tunnel connector reaches a gateway: its HTTPS listener if it has one, else its first listener. */
export interface GatewayOrigin {
  /** `https://<gateway>.<namespace>.svc.cluster.local:<port>` (cloudflared's ingress `service`). */
  service: string;
  /** Listener port, which is also the proxy pod port (`port == targetPort` for agentgateway v1.4 Services). */
  port: number;
  tls: boolean;
}

/** A gateway's addresses. */
export interface GatewayAddress {
  /** The listener in-cluster clients use by default (the first plain-HTTP one); absent when it has none. */
  clientListener?: ClientListener;
  /** Ports of its plain-HTTP listeners, where in-cluster MCP clients may call. */
  httpPorts: number[];
  /** The tunnel origin. */
  origin: GatewayOrigin;
}

/** An LLM route's address for in-cluster clients. */
export interface LlmRouteAddress {
  gateway: string;
  /** The listener its clients call. */
  listener: ClientListener;
  /** The URL clients call, per rule path prefix. */
  urls: Record<string, string>;
}

/** Why a route or MCP server has no address. */
export interface UnresolvedAddress {
  kind: "llmRoute" | "mcpServer";
  name: string;
  /** Position of the route or server in its input list. */
  index: number;
  /** The gateway it names. */
  gateway: string;
  /**
   * `gateway`: the gateway is unknown; `listener`: the route names a listener its gateway lacks; `clientListener`:
   * the gateway has no plain-HTTP listener for in-cluster clients.
   */
  cause: "gateway" | "listener" | "clientListener";
  problem: string;
  hint: string;
}

/** The gateway layer's addresses: what kagent, tenants, the tunnel and config validation read. */
export interface AddressBook {
  /** Namespace of the gateways' proxy Services. */
  namespace: string;
  gateways: Record<string, GatewayAddress>;
  llmRoutes: Record<string, LlmRouteAddress>;
  /** The URL of each MCP server's route (what a kagent RemoteMCPServer points at). */
  mcpServers: Record<string, string>;
  /** Routes and MCP servers without an address; config validation rejects a config whose clients use one. */
  unresolved: UnresolvedAddress[];
}

/** The route path prefix of an MCP server on its gateway (default `/<name>`). */
export function mcpRoutePath(server: Pick<McpServerAddress, "name" | "routePath">): string {
  return server.routePath ?? `/${server.name}`;
}

/** Name of the Deployment/Service of an in-cluster MCP server. */
export function mcpWorkloadName(serverName: string): string {
  return `mcp-${serverName}`;
}

function serviceUrl(scheme: "http" | "https", gateway: string, namespace: string, port: number): string {
  return `${scheme}://${gateway}.${namespace}.svc.cluster.local:${port}`;
}

/** The Gateway a URL of the address book points at: its host is `<gateway>.<namespace>.svc.cluster.local`. */
export function gatewayOfUrl(url: string): string {
  return new URL(url).hostname.split(".")[0]!;
}

function schemeOf(listener: ClientListener): "http" | "https" {
  return listener.protocol === "HTTPS" ? "https" : "http";
}

/** A listener without the fields its clients do not read. */
function clientView({ name, protocol, port }: ClientListener): ClientListener {
  return { name, protocol, port };
}

function gatewayAddress(gateway: ListeningGateway, namespace: string): GatewayAddress {
  const https = gateway.listeners.find((l) => l.protocol === "HTTPS");
  const origin = https ?? gateway.listeners[0]!;
  const http = gateway.listeners.find((l) => l.protocol === "HTTP");
  return {
    ...(http !== undefined ? { clientListener: clientView(http) } : {}),
    httpPorts: gateway.listeners.filter((l) => l.protocol === "HTTP").map((l) => l.port),
    origin: {
      service: serviceUrl(schemeOf(origin), gateway.name, namespace, origin.port),
      port: origin.port,
      tls: https !== undefined,
    },
  };
}

/** The listener a client of `gateway` calls: the named one, else the first plain-HTTP one. */
function listenerOf(
  gateway: ListeningGateway,
  listenerName: string | undefined,
  address: GatewayAddress,
): ClientListener | Pick<UnresolvedAddress, "cause" | "problem" | "hint"> {
  if (listenerName === undefined)
    return (
      address.clientListener ?? {
        cause: "clientListener",
        problem: `gateway "${gateway.name}" has no HTTP listener for in-cluster clients`,
        hint: "add an HTTP listener to the gateway",
      }
    );
  const named = gateway.listeners.find((l) => l.name === listenerName);
  return named !== undefined
    ? clientView(named)
    : {
        cause: "listener",
        problem: `gateway "${gateway.name}" has no listener "${listenerName}"`,
        hint: `its listeners: ${gateway.listeners.map((l) => l.name).join(", ")}`,
      };
}

/**
 * The address book of the gateway layer. A route or server whose gateway or listener does not resolve has
 * no entry and is listed in `unresolved` instead.
 */
export function addressBook(input: AddressBookInput): AddressBook {
  const { namespace } = input;
  const book: AddressBook = { namespace, gateways: {}, llmRoutes: {}, mcpServers: {}, unresolved: [] };
  for (const g of input.gateways) book.gateways[g.name] ??= gatewayAddress(g, namespace);
  const locate = (
    kind: UnresolvedAddress["kind"],
    index: number,
    name: string,
    gatewayName: string,
    listenerName: string | undefined,
  ): ClientListener | undefined => {
    const gateway = input.gateways.find((g) => g.name === gatewayName);
    const found =
      gateway === undefined
        ? {
            cause: "gateway" as const,
            problem: `gateway "${gatewayName}" is unknown`,
            hint: `gateways: ${input.gateways.map((g) => g.name).join(", ")}`,
          }
        : listenerOf(gateway, listenerName, book.gateways[gateway.name]!);
    if ("port" in found) return found;
    book.unresolved.push({ kind, name, index, gateway: gatewayName, ...found });
    return undefined;
  };
  for (const [i, r] of input.llmRoutes.entries()) {
    const listener = locate("llmRoute", i, r.name, r.gateway, r.listener);
    if (listener === undefined) continue;
    const base = serviceUrl(schemeOf(listener), r.gateway, namespace, listener.port);
    book.llmRoutes[r.name] = {
      gateway: r.gateway,
      listener,
      urls: Object.fromEntries(r.rules.map((rule) => [rule.pathPrefix, `${base}${rule.pathPrefix}`])),
    };
  }
  for (const [i, s] of input.mcpServers.entries()) {
    const listener = locate("mcpServer", i, s.name, s.gateway, undefined);
    if (listener === undefined) continue;
    book.mcpServers[s.name] =
      `${serviceUrl(schemeOf(listener), s.gateway, namespace, listener.port)}${mcpRoutePath(s)}`;
  }
  return book;
}

/** What `platformAddressBook` reads of the platform config. */
export interface AddressBookSettings {
  agentgateway: { namespace: string; gateways: readonly ListeningGateway[] };
  llm?: { routes: readonly RouteAddressInput[] };
  mcp?: { servers: readonly McpServerAddress[] };
}

/**
 * The address book of a platform config: the composition builds and hands out this one, and config
 * validation checks the same one.
 */
export function platformAddressBook(config: AddressBookSettings): AddressBook {
  return addressBook({
    namespace: config.agentgateway.namespace,
    gateways: config.agentgateway.gateways,
    llmRoutes: config.llm?.routes ?? [],
    mcpServers: config.mcp?.servers ?? [],
  });
}
