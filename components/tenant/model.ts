import type { TenantAddresses } from "./args";

/*
 * LLM access of tenant agents: the AI gateway route that serves the model, never a provider key. The URL is
 * the one the gateway layer's address book gives every in-cluster client of the route (lib/addressBook.ts).
 */

export interface ModelRef {
  /** LLM route name. */
  route: string;
  /** Path prefix of one of the route's rules. */
  pathPrefix: string;
}

/** The agent's LLM_BASE_URL, e.g. http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/openai. */
export function agentModelBaseUrl(model: ModelRef, addresses: Pick<TenantAddresses, "llmRoutes">): string {
  const url = addresses.llmRoutes[model.route]?.urls[model.pathPrefix];
  if (url === undefined)
    throw new Error(`the address book has no URL for ${model.route} ${model.pathPrefix}`);
  return url;
}
