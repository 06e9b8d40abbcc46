import type { Rule } from "./common";
import { referenceHint } from "../hints";
import { resolve, unique } from "./common";
import { routeNames } from "./gateway";

/* Gateway policies: targets, kinds and MCP tool authorization. */

export const policyRules: Rule = (c, issues) => {
  const policies = c.policies;
  if (policies === undefined) return;
  unique(
    issues,
    policies.items,
    (p) => p.name,
    (i) => `policies.items[${i}].name`,
    "policy name",
  );
  // A target is only checked when the layer that declares its kind parsed; otherwise it cannot be known.
  const gateways = c.agentgateway?.gateways.map((g) => g.name);
  const routes = c.llm !== undefined && c.mcp !== undefined ? routeNames(c) : undefined;
  const mcpServers = c.mcp?.servers;
  const backends =
    c.llm !== undefined && mcpServers !== undefined
      ? [...c.llm.backends.map((b) => b.name), ...mcpServers.map((s) => s.name)]
      : undefined;
  policies.items.forEach((p, i) => {
    const base = `policies.items[${i}]`;
    const mcpOnly = p.type === "mcpAuthorization" || p.type === "elicitation";
    p.targets.forEach((t, j) => {
      const path = `${base}.targets[${j}].name`;
      if (mcpOnly && t.kind !== "Backend") {
        issues.add(
          `${base}.targets[${j}].kind`,
          `${p.type} policies apply to MCP backends only`,
          "use kind: Backend",
        );
      } else if (t.kind === "Gateway" && gateways !== undefined)
        resolve(issues, path, t.name, gateways, "gateway");
      else if (t.kind === "HTTPRoute" && routes !== undefined) resolve(issues, path, t.name, routes, "route");
      else if (t.kind === "Backend" && mcpOnly && mcpServers !== undefined)
        resolve(
          issues,
          path,
          t.name,
          mcpServers.map((s) => s.name),
          "MCP server",
        );
      else if (t.kind === "Backend" && !mcpOnly && backends !== undefined)
        resolve(issues, path, t.name, backends, "backend");
    });
    // AgentgatewayPolicy.spec.targetRefs must share one kind, and traffic policies attach to Gateways and
    // HTTPRoutes only (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/agentgateway_policy_types.go).
    const firstKind = p.targets[0]?.kind;
    p.targets.forEach((t, j) => {
      if (j > 0 && t.kind !== firstKind) {
        issues.add(
          `${base}.targets[${j}].kind`,
          `all targets of a policy must have the same kind (first is ${firstKind})`,
          "split the policy in two",
        );
      }
    });
    if (
      (p.type === "rateLimit" || p.type === "timeout" || p.type === "jwt") &&
      p.targets.some((t) => t.kind === "Backend")
    ) {
      const j = p.targets.findIndex((t) => t.kind === "Backend");
      issues.add(
        `${base}.targets[${j}].kind`,
        `${p.type} policies apply to a Gateway or an HTTPRoute`,
        "target the route or gateway in front of the backend",
      );
    }
    if (p.type === "rateLimit" && (p.requests === undefined) === (p.tokens === undefined)) {
      issues.add(base, "a rate limit sets exactly one of requests or tokens");
    }
    if (p.type === "mcpAuthorization") {
      for (const t of p.targets) {
        const server = mcpServers?.find((s) => s.name === t.name);
        if (server === undefined || server.tools.length === 0) continue;
        p.allowTools.forEach((tool, k) => {
          if (!server.tools.includes(tool)) {
            issues.add(
              `${base}.allowTools[${k}]`,
              `MCP server "${server.name}" has no tool "${tool}"`,
              referenceHint(tool, server.tools, "tool"),
            );
          }
        });
      }
    }
  });
};

/** An MCP backend takes one tool-authorization policy: two would race for the same backend.mcp field. */
export const mcpPolicyConflicts: Rule = (c, issues) => {
  const items = c.policies?.items ?? [];
  const owner = new Map<string, string>();
  items.forEach((p, i) => {
    if (!p.enabled || (p.type !== "mcpAuthorization" && p.type !== "elicitation")) return;
    p.targets.forEach((t, j) => {
      const first = owner.get(t.name);
      if (first === undefined) owner.set(t.name, `policies.items[${i}]`);
      else
        issues.add(
          `policies.items[${i}].targets[${j}].name`,
          `MCP backend "${t.name}" already has a tool authorization policy`,
          `already targeted by ${first}`,
        );
    });
  });
};
