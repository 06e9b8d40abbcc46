import type { LlmRouteConfig } from "../../stacks/schema";
import { backendRef, GATEWAY_API_GROUP } from "./refs";

/**
 * HTTPRoute spec of an LLM route: one rule per path prefix, an optional URL rewrite, and the
 * AgentgatewayBackend behind it (HTTPRoute backendRef `{group: agentgateway.dev, kind: AgentgatewayBackend}`).
 * Rules keep the config order.
 */
export function httpRouteSpec(route: LlmRouteConfig): Record<string, unknown> {
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
