import { guardEntries, guardPolicyName, isGuardItem, PROMPT_GUARD_MAX_ITEMS, targetKey } from "../lib/guards";
import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";
import type { PolicyConfig } from "./schema";

/**
 * The field each non-guard traffic item sets, with the hint for two of them on one target. agentgateway merges
 * the policies of one target field by field and keeps one value per field, chosen by hash order
 * (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/store/binds.rs; "merged on a field-level basis,
 * but not a deep merge", controller/api/v1alpha1/agentgateway/agentgateway_policy_types.go). Local rate
 * limits replace each other, and one policy's `local[]` is read at index 0 only
 * (controller/pkg/agentgateway/plugins/traffic_plugin.go processLocalRateLimitTraffic), so a request limit and
 * a token limit cannot share a target.
 */
const SINGLE_VALUE_FIELDS: Partial<Record<PolicyConfig["type"], { field: string; hint: string }>> = {
  rateLimit: {
    field: "traffic.rateLimit.local",
    hint: "agentgateway v1.4.1 enforces one local limit per target (requests or tokens): keep one rateLimit item on it",
  },
  timeout: { field: "traffic.timeouts", hint: "keep one timeout item per target" },
  jwt: { field: "traffic.jwtAuthentication", hint: "keep one jwt item per target" },
};

/**
 * Policies compose per target the way agentgateway merges them: all guards of a target go into one policy
 * (components/gateway/guards.ts) within upstream's list limits, and no two items need two values of one
 * single-value field on one target.
 */
export function policyCompositionRules(c: PartialConfig, issues: IssueList): void {
  const policies = c.policies;
  if (policies === undefined || !policies.enabled) return;
  const owners = new Map<string, { index: number; name: string }>();
  const guardCounts = new Map<string, { request: number; response: number }>();
  const guardNames = new Set<string>();
  const firstGuard = new Map<string, string>();
  policies.items.forEach((p, i) => {
    if (!p.enabled) return;
    const base = `policies.items[${i}]`;
    if (isGuardItem(p)) {
      const entries = guardEntries(p);
      p.targets.forEach((t, j) => {
        guardNames.add(guardPolicyName(t));
        if (!firstGuard.has(targetKey(t))) firstGuard.set(targetKey(t), `${base}.targets[${j}]`);
        const counts = guardCounts.get(targetKey(t)) ?? { request: 0, response: 0 };
        for (const side of ["request", "response"] as const) {
          const before = counts[side];
          counts[side] += entries[side].length;
          if (before <= PROMPT_GUARD_MAX_ITEMS && counts[side] > PROMPT_GUARD_MAX_ITEMS) {
            issues.add(
              `${base}.targets[${j}]`,
              `${t.kind} "${t.name}" would get ${counts[side]} ${side} guards; its one guard policy takes at most ${PROMPT_GUARD_MAX_ITEMS} (AgentgatewayPolicy promptGuard.${side} maxItems)`,
              "combine patterns or builtins into fewer guard items on this target",
            );
          }
        }
        guardCounts.set(targetKey(t), counts);
      });
      if (p.type === "credentialProtection" && p.streaming && p.responseAction !== "Reject") {
        issues.add(
          `${base}.streaming`,
          "agentgateway v1.4.1 never masks streamed responses, so streaming checks only help a rejecting response guard",
          "set responseAction: Reject, or drop streaming",
        );
      }
      return;
    }
    const single = SINGLE_VALUE_FIELDS[p.type];
    if (single === undefined) return;
    p.targets.forEach((t, j) => {
      const key = `${targetKey(t)}#${single.field}`;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, { index: i, name: p.name });
      else
        issues.add(
          `${base}.targets[${j}]`,
          `${t.kind} "${t.name}" already gets ${single.field} from policies.items[${first.index}] ("${first.name}"); agentgateway keeps one value of a field per target`,
          single.hint,
        );
    });
  });
  shadowedGuards(c, firstGuard, issues);
  policies.items.forEach((p, i) => {
    if (p.enabled && !isGuardItem(p) && guardNames.has(p.name))
      issues.add(
        `policies.items[${i}].name`,
        `"${p.name}" is the name of a target's guard policy`,
        "rename the item; guard policies are named guards-<gateway|route|backend>-<target>",
      );
  });
}

/**
 * Guards on two levels of one request path: the proxy takes the AI policy of the most specific target that has
 * one (HTTPRoute, then Backend, then Gateway) and drops the others' promptGuard for that path
 * (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/store/binds.rs internal_backend_policies,
 * "Route chain (child->parent) > SubBackend > Backend/Service > Gateway", merge_llm_policies).
 */
function shadowedGuards(c: PartialConfig, firstGuard: Map<string, string>, issues: IssueList): void {
  if (c.llm === undefined || !c.llm.enabled) return;
  const reported = new Set<string>();
  for (const r of c.llm.routes) {
    for (const rule of r.rules) {
      const levels = [`HTTPRoute/${r.name}`, `Backend/${rule.backend}`, `Gateway/${r.gateway}`].filter((k) =>
        firstGuard.has(k),
      );
      const [winner, ...shadowed] = levels;
      for (const key of shadowed) {
        if (reported.has(key + winner)) continue;
        reported.add(key + winner);
        issues.add(
          firstGuard.get(key)!,
          `the guards on ${key.replace("/", ' "')}" do not apply behind ${winner!.replace("/", ' "')}", which has guards of its own: agentgateway applies the most specific target's AI policy only`,
          "put the guards for this traffic on one target (route, backend or gateway)",
        );
      }
    }
  }
}
