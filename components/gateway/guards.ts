import type { TargetGuards } from "../../lib/guards";
import { targetRef } from "./refs";

/** AgentgatewayPolicy spec of one target's guards. */
export function guardPolicySpec(g: TargetGuards): Record<string, unknown> {
  return {
    targetRefs: [targetRef(g.target.kind, g.target.name)],
    backend: {
      ai: {
        promptGuard: {
          // `Enabled` is the only value; leaving it out keeps upstream's default (off).
          ...(g.streaming ? { streaming: "Enabled" } : {}),
          ...(g.request.length > 0 ? { request: g.request } : {}),
          ...(g.response.length > 0 ? { response: g.response } : {}),
        },
      },
    },
  };
}
