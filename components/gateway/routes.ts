import { backendRef, GATEWAY_API_GROUP } from "./refs";

/** An LLM route: path prefixes on a gateway (listener), each to one LLM backend. */
export interface LlmRoute {
  name: string;
  /** Gateway the route attaches to. */
  gateway: string;
  /** Listener (sectionName) to attach to; all listeners when omitted. */
  listener?: string;
  hostnames: string[];
  rules: {
    pathPrefix: string;
    /** Upstream path: the full path replaced, or the matched prefix. */
    rewrite?: { fullPath: string } | { prefix: string };
    /** LLM backend behind the rule. */
    backend: string;
  }[];
}

/**
 * HTTPRoute spec of an LLM route: one rule per path prefix, an optional URL rewrite, and the
 * AgentgatewayBackend behind it (HTTPRoute backendRef `{group: agentgateway.dev, kind: AgentgatewayBackend}`).
 * Rules keep the config order.
 */
export function httpRouteSpec(route: LlmRoute): Record<string, unknown> {
  return {
    parentRefs: [
      {
        group: GATEWAY_API_GROUP,
        kind: "Gateway",
        name: route.gateway,
        ...(route.listener !== undefined ? { sectionName: route.listener } : {}),
      },
    ],
    ...(route.hostnames.length > 0 ? { hostnames: route.hostnames } : {}),
    rules: route.rules.map((r) => ({
      matches: [{ path: { type: "PathPrefix", value: r.pathPrefix } }],
      ...(r.rewrite !== undefined
        ? {
            filters: [
              {
                type: "URLRewrite",
                urlRewrite: {
                  path:
                    "fullPath" in r.rewrite
                      ? { type: "ReplaceFullPath", replaceFullPath: r.rewrite.fullPath }
                      : { type: "ReplacePrefixMatch", replacePrefixMatch: r.rewrite.prefix },
                },
              },
            ],
          }
        : {}),
      backendRefs: [backendRef(r.backend)],
    })),
  };
}
