import {
  clientListener,
  gatewayUrl,
  type ClientListener,
  type ListeningGateway,
} from "../../lib/addressBook";
import type { ModelRoute } from "./args";

/*
 * LLM access of tenant agents: the AI gateway route that serves the model, never a provider key. The URL and
 * listener logic is the one kagent model configs and MCP clients use (lib/addressBook.ts).
 */

export interface ModelRef {
  /** LLM route name. */
  route: string;
  /** Path prefix of one of the route's rules. */
  pathPrefix: string;
}

/** The gateway and listener serving a model route; throws when the route, prefix, gateway or listener is missing. */
export function modelGatewayListener(
  model: ModelRef,
  gateways: readonly ListeningGateway<ClientListener>[],
  routes: readonly ModelRoute[],
): { gateway: ListeningGateway<ClientListener>; listener: ClientListener } {
  const route = routes.find((r) => r.name === model.route);
  if (route === undefined) throw new Error(`unknown LLM route "${model.route}"`);
  if (!route.rules.some((r) => r.pathPrefix === model.pathPrefix)) {
    throw new Error(`LLM route "${route.name}" has no rule with path prefix ${model.pathPrefix}`);
  }
  const gateway = gateways.find((g) => g.name === route.gateway);
  if (gateway === undefined)
    throw new Error(`LLM route "${route.name}" names unknown gateway "${route.gateway}"`);
  return { gateway, listener: clientListener(gateway, route.listener) };
}

/** The agent's LLM_BASE_URL, e.g. http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/openai. */
export function agentModelBaseUrl(
  model: ModelRef,
  gateways: readonly ListeningGateway<ClientListener>[],
  gatewayNamespace: string,
  routes: readonly ModelRoute[],
): string {
  const { gateway, listener } = modelGatewayListener(model, gateways, routes);
  return gatewayUrl(gateway, gatewayNamespace, model.pathPrefix, listener.name);
}
