import { GuardItem, guardsByTarget, isGuardItem, PolicyItemBase } from "../../lib/guards";
import { guardPolicySpec } from "./guards";
import { backendRef, targetRef } from "./refs";

/** A gateway policy item: a guard, or one of the traffic and MCP policies. */
export type GatewayPolicy =
  | GuardItem
  | (PolicyItemBase &
      (
        | {
            type: "mcpAuthorization";
            /** Tools that stay callable. */
            allowTools: string[];
            /** Prompts (by name) that stay listed and gettable. */
            allowPrompts: string[];
            /** Resources (by URI) that stay listed and readable. */
            allowResources: string[];
          }
        | {
            type: "elicitation";
            /** Tools that need the user's confirmation. */
            tools: string[];
            /** Header the client sets to "true" once the user confirmed. */
            confirmationHeader: string;
          }
        | { type: "rateLimit"; requests?: number; tokens?: number; unit: string; burst?: number }
        | {
            type: "timeout";
            /** Request timeout (Go duration). */
            request: string;
            retry?: { attempts: number; codes: number[]; backoff?: string };
          }
        | { type: "jwt"; issuer: string; audiences: string[]; jwksUrl: string; mode: string }
      ));

/** The gateway policies and their switch. */
export interface PoliciesSettings {
  enabled: boolean;
  items: GatewayPolicy[];
}

/** One AgentgatewayPolicy plus the backends it needs (a JWKS endpoint). */
export interface PolicyDocument {
  name: string;
  /** `gateway`: lives beside the gateways; `mcp`: lives beside the MCP backends it targets (targetRefs are local). */
  scope: "gateway" | "mcp";
  spec: Record<string, unknown>;
  backends: Array<{ name: string; spec: Record<string, unknown> }>;
}

/** The policies to emit: none when the section is disabled, and never a disabled item. */
export function enabledPolicies(policies: PoliciesSettings): GatewayPolicy[] {
  return policies.enabled ? policies.items.filter((p) => p.enabled) : [];
}

/** CEL string literal (JSON escaping is valid CEL for these names). */
function celString(s: string): string {
  return JSON.stringify(s);
}

/** CEL list of string literals. */
function celList(items: readonly string[]): string {
  return `[${items.map(celString).join(", ")}]`;
}

/**
 * The AgentgatewayPolicies of the enabled items: one per target for all its guards (`guardsByTarget`), then
 * one per other item. Items of other types never share a field on one target: config validation rejects
 * that (stacks/policyComposition.ts).
 */
export function policyDocuments(items: readonly GatewayPolicy[]): PolicyDocument[] {
  const guards = guardsByTarget(items.filter(isGuardItem));
  return [
    ...guards.map((g) => ({
      name: g.name,
      scope: "gateway" as const,
      spec: guardPolicySpec(g),
      backends: [],
    })),
    ...items.filter((p) => !isGuardItem(p)).map((p) => policyDocument(p)),
  ];
}

/**
 * The AgentgatewayPolicy of a config item other than a guard, in v1.4.1 spellings
 * (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/{agentgateway_policy_types.go, rbac.go}).
 */
export function policyDocument(p: Exclude<GatewayPolicy, GuardItem>): PolicyDocument {
  const targetRefs = p.targets.map((t) => targetRef(t.kind, t.name));
  const doc = (
    spec: Record<string, unknown>,
    scope: PolicyDocument["scope"] = "gateway",
    backends: PolicyDocument["backends"] = [],
  ) => ({
    name: p.name,
    scope,
    spec: { targetRefs, ...spec },
    backends,
  });
  switch (p.type) {
    case "mcpAuthorization": {
      // Any Allow rule makes the backend default-deny (rbac.go; crates/agentgateway/src/http/authorization.rs
      // RuleSets::validate): only what the rule allows stays. The expression is evaluated per call with only
      // that call's kind bound, `mcp.tool`, `mcp.prompt` or `mcp.resource` (by URI)
      // (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/mcp/session.rs authorize_*, mcp/mod.rs
      // MCPInfo), so a tools-only list hides every prompt and resource: the other names are errors, which
      // do not allow (cel/types.rs eval_bool). Listed prompts and resources are ORed in; CEL's `||` is true
      // when either side is, whatever error the other side gives. One expression: rbac.go documents the
      // expressions of a rule as all-must-match, while v1.4.1 turns each into its own allow rule
      // (controller/pkg/agentgateway/plugins/backend_policies.go); one expression means the same under both.
      const allowed = [
        `mcp.tool.name in ${celList(p.allowTools)}`,
        ...(p.allowPrompts.length > 0 ? [`mcp.prompt.name in ${celList(p.allowPrompts)}`] : []),
        ...(p.allowResources.length > 0 ? [`mcp.resource.name in ${celList(p.allowResources)}`] : []),
      ];
      return doc(
        {
          backend: {
            mcp: {
              authorization: { action: "Allow", policy: { matchExpressions: [allowed.join(" || ")] } },
            },
          },
        },
        "mcp",
      );
    }
    case "elicitation": {
      // v1.4.1 has no elicitation field (no CRD mentions it). The gateway cannot ask the user itself, so the
      // confirmation is enforced as an MCP authorization Deny rule: a call to a listed tool is refused unless
      // the client sends the confirmation header with the value "true" after asking the user.
      const header = celString(p.confirmationHeader);
      const expression = `mcp.tool.name in ${celList(p.tools)} && !(${header} in request.headers && request.headers[${header}] == "true")`;
      return doc(
        {
          backend: { mcp: { authorization: { action: "Deny", policy: { matchExpressions: [expression] } } } },
        },
        "mcp",
      );
    }
    case "rateLimit":
      return doc({
        traffic: {
          rateLimit: {
            local: [
              {
                ...(p.requests !== undefined ? { requests: p.requests } : {}),
                ...(p.tokens !== undefined ? { tokens: p.tokens } : {}),
                unit: p.unit,
                ...(p.burst !== undefined ? { burst: p.burst } : {}),
              },
            ],
          },
        },
      });
    case "timeout":
      return doc({
        traffic: {
          timeouts: { request: p.request },
          ...(p.retry !== undefined
            ? {
                retry: {
                  attempts: p.retry.attempts,
                  codes: p.retry.codes,
                  ...(p.retry.backoff !== undefined ? { backoff: p.retry.backoff } : {}),
                },
              }
            : {}),
        },
      });
    case "jwt": {
      const jwks = jwksEndpoint(p.jwksUrl);
      const backendName = `${p.name}-jwks`;
      return doc(
        {
          traffic: {
            jwtAuthentication: {
              mode: p.mode,
              providers: [
                {
                  issuer: p.issuer,
                  ...(p.audiences.length > 0 ? { audiences: p.audiences } : {}),
                  jwks: { remote: { backendRef: backendRef(backendName), jwksPath: jwks.path } },
                },
              ],
            },
          },
        },
        "gateway",
        [
          {
            name: backendName,
            spec: {
              static: { host: jwks.host, port: jwks.port },
              ...(jwks.tls ? { policies: { tls: { sni: jwks.host } } } : {}),
            },
          },
        ],
      );
    }
  }
}

/** Host, port, path and scheme of a JWKS URL, for the static backend the JWT provider fetches keys through. */
export function jwksEndpoint(url: string): { host: string; port: number; path: string; tls: boolean } {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  return {
    host: u.hostname,
    port: u.port !== "" ? Number(u.port) : tls ? 443 : 80,
    path: `${u.pathname}${u.search}`,
    tls,
  };
}
