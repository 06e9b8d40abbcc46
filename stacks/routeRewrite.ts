import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";
import type { LlmBackendConfig } from "./schema";

type Provider = Exclude<LlmBackendConfig, { provider: "static" } | { provider: "failover" }>;

/**
 * Whether a provider forwards the request path as the route left it. agentgateway v1.4.1 sets an LLM
 * provider's own path (`path` override, else its default such as /v1/chat/completions) unless the provider has
 * a host override without a path (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/llm/mod.rs
 * setup_request, set_default_path); xAI always carries its path override (components/gateway/backends.ts).
 */
function keepsRoutePath(p: Provider): boolean {
  if (p.provider !== "openai" && p.provider !== "anthropic") return false;
  return p.hostOverride !== undefined && p.hostOverride.path === undefined;
}

/** The providers of a backend that would overwrite a rewritten path (none for a static backend). */
function pathSetters(b: LlmBackendConfig): Provider[] {
  if (b.provider === "static") return [];
  const members = b.provider === "failover" ? b.groups.flatMap((g) => g.providers) : [b];
  return members.filter((m) => !keepsRoutePath(m));
}

/** An HTTPRoute URLRewrite in front of an LLM provider that sets its own path is rejected: it would never apply. */
export function routeRewriteRules(c: PartialConfig, issues: IssueList): void {
  const llm = c.llm;
  if (llm === undefined || !llm.enabled) return;
  llm.routes.forEach((r, i) =>
    r.rules.forEach((rule, j) => {
      if (rule.rewrite === undefined) return;
      const backend = llm.backends.find((b) => b.name === rule.backend);
      const setter = backend === undefined ? undefined : pathSetters(backend)[0];
      if (setter === undefined) return;
      issues.add(
        `llm.routes[${i}].rules[${j}].rewrite`,
        `the ${setter.provider} provider "${setter.name}" of backend "${rule.backend}" sets the upstream path itself, overwriting this rewrite`,
        "drop the rewrite: the provider sends each API to its own path (chat completions to /v1/chat/completions); a fixed upstream path belongs in the backend's hostOverride.path",
      );
    }),
  );
}
