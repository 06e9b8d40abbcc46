/**
 * How guard items compile into one promptGuard per target; shared by the gateway layer, which emits the
 * policies, and config validation, which checks what one target can hold.
 */

/** What a gateway policy attaches to. */
export interface PolicyTarget {
  kind: "Gateway" | "HTTPRoute" | "Backend";
  name: string;
}

/** Fields every gateway policy item has. */
export interface PolicyItemBase {
  name: string;
  enabled: boolean;
  targets: PolicyTarget[];
}

/** The policy items that compile into `backend.ai.promptGuard`. */
export type GuardItem = PolicyItemBase &
  (
    | {
        type: "promptGuard";
        /** Requests matching a pattern are rejected with this message and status. */
        reject: { patterns: { regex: string }[]; message: string; statusCode: number };
        /** Built-in PII kinds masked in responses. */
        maskResponse: string[];
      }
    | { type: "piiMasking"; builtins: string[]; direction: "request" | "response" | "both" }
    | {
        type: "credentialProtection";
        patterns: { regex: string }[];
        /** What a request with a credential gets. */
        action: "Mask" | "Reject";
        /** What a response with a credential gets. */
        responseAction: "Mask" | "Reject";
        /** Also check streamed responses. */
        streaming: boolean;
      }
  );

/** Upstream list limits: `AIPromptGuard.request` and `.response` take at most 8 guards each (ai_policy.go MaxItems). */
export const PROMPT_GUARD_MAX_ITEMS = 8;

export type Guard = Record<string, unknown>;

export function isGuardItem<T extends { type: string }>(p: T): p is T & GuardItem {
  return p.type === "promptGuard" || p.type === "piiMasking" || p.type === "credentialProtection";
}

/** `Gateway/name`: one key per policy target, kinds kept apart (a Gateway and an HTTPRoute may share a name). */
export function targetKey(t: PolicyTarget): string {
  return `${t.kind}/${t.name}`;
}

const KIND_SHORT: Record<PolicyTarget["kind"], string> = {
  Gateway: "gateway",
  HTTPRoute: "route",
  Backend: "backend",
};

/** Name of the one guard policy of a target. */
export function guardPolicyName(t: PolicyTarget): string {
  return `guards-${KIND_SHORT[t.kind]}-${t.name}`;
}

/**
 * The request and response guards one config item contributes, in v1.4.1 spellings
 * (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/ai_policy.go). Masking applies to
 * buffered responses only: v1.4.1 does not mask streamed responses (crates/agentgateway/src/llm/policy/mod.rs,
 * "streaming masking is not supported"), so only a rejecting response guard acts on a stream, and only with
 * `streaming` on.
 */
export function guardEntries(p: GuardItem): { request: Guard[]; response: Guard[]; streaming: boolean } {
  switch (p.type) {
    case "promptGuard":
      return {
        request: [
          {
            regex: { action: "Reject", matches: p.reject.patterns.map((x) => x.regex) },
            response: { message: p.reject.message, statusCode: p.reject.statusCode },
          },
        ],
        response: p.maskResponse.length > 0 ? [{ regex: { action: "Mask", builtins: p.maskResponse } }] : [],
        streaming: false,
      };
    case "piiMasking": {
      const mask = { regex: { action: "Mask", builtins: p.builtins } };
      return {
        request: p.direction !== "response" ? [mask] : [],
        response: p.direction !== "request" ? [mask] : [],
        streaming: false,
      };
    }
    case "credentialProtection": {
      const matches = p.patterns.map((x) => x.regex);
      return {
        request: [{ regex: { action: p.action, matches } }],
        response: [{ regex: { action: p.responseAction, matches } }],
        streaming: p.streaming,
      };
    }
  }
}

/** The guards of every enabled guard item that hits one target, compiled into that target's one policy. */
export interface TargetGuards {
  target: PolicyTarget;
  /** Name of the AgentgatewayPolicy (`guardPolicyName`). */
  name: string;
  /** Names of the config items that contribute, in config order. */
  items: string[];
  request: Guard[];
  response: Guard[];
  /** Any contributing item asked for streamed responses to be checked. */
  streaming: boolean;
}

/**
 * Groups guard items by target. agentgateway merges the policies of one target field by field and keeps one
 * `promptGuard` (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/store/binds.rs merge_llm_policies,
 * `prompt_guard: preferred.or_else(fallback)`), so every guard of a target must live in one policy.
 * Targets keep the order of their first appearance.
 */
export function guardsByTarget(items: readonly GuardItem[]): TargetGuards[] {
  const byKey = new Map<string, TargetGuards>();
  for (const p of items) {
    const entries = guardEntries(p);
    for (const t of p.targets) {
      const key = targetKey(t);
      let g = byKey.get(key);
      if (g === undefined) {
        g = { target: t, name: guardPolicyName(t), items: [], request: [], response: [], streaming: false };
        byKey.set(key, g);
      }
      g.items.push(p.name);
      g.request.push(...entries.request);
      g.response.push(...entries.response);
      g.streaming ||= entries.streaming;
    }
  }
  return [...byKey.values()];
}
