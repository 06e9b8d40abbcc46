import { z } from "zod";
import { guardPatternSchema } from "../checks/guards";
import { dnsLabel, duration, urlString } from "../fields";
import { streamingGuardFields } from "../guardSchema";
import { invariant, uniqueNames } from "../checks/refine";
import type { Rule } from "./common";
import { referenceHint } from "../hints";
import { resolve } from "./common";
import { routeNames } from "./gateway";

/* Gateway policies: targets, kinds and MCP tool authorization. */

const policyTarget = z.strictObject({ kind: z.enum(["Gateway", "HTTPRoute", "Backend"]), name: dnsLabel });
const policyBase = {
  name: dnsLabel,
  enabled: z.boolean().default(true),
  targets: z.array(policyTarget).min(1),
};
const piiBuiltin = z.enum(["Ssn", "CreditCard", "PhoneNumber", "Email", "CaSin"]);

export const policySchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("promptGuard"),
      ...policyBase,
      /** Request prompts matching any pattern are rejected. */
      reject: z.strictObject({
        patterns: z.array(guardPatternSchema).min(1),
        message: z.string().default("Request blocked due to policy violation"),
        statusCode: z.number().int().min(400).max(599).default(403),
      }),
      /** Buffered response content masked with built-in detectors (agentgateway does not mask streamed responses). */
      maskResponse: z.array(piiBuiltin).default([]),
    }),
    z.strictObject({
      type: z.literal("piiMasking"),
      ...policyBase,
      builtins: z.array(piiBuiltin).min(1),
      direction: z.enum(["request", "response", "both"]).default("both"),
    }),
    z.strictObject({
      type: z.literal("credentialProtection"),
      ...policyBase,
      patterns: z.array(guardPatternSchema).min(1),
      action: z.enum(["Mask", "Reject"]).default("Reject"),
      ...streamingGuardFields,
    }),
    z.strictObject({
      type: z.literal("mcpAuthorization"),
      ...policyBase,
      /** Tools callable through the targeted MCP backend; every other tool, prompt and resource is denied. */
      allowTools: z.array(z.string().min(1)).min(1),
      /** Prompts (by name) that stay listed and gettable; without them the allow-list hides every prompt. */
      allowPrompts: z.array(z.string().min(1)).default([]),
      /** Resources (by exact URI) that stay listed and readable; without them it hides every resource. */
      allowResources: z.array(z.string().min(1)).default([]),
    }),
    z.strictObject({
      type: z.literal("elicitation"),
      ...policyBase,
      /** Tools whose calls must carry an explicit user confirmation header. */
      tools: z.array(z.string().min(1)).min(1),
      /** Request header a client sets to "true" once the user confirmed the call. */
      confirmationHeader: z
        .string()
        .regex(/^[a-z0-9][-a-z0-9]*$/, { error: "must be a lower-case HTTP header name" })
        .default("x-mcp-user-confirmed"),
    }),
    z.strictObject({
      type: z.literal("rateLimit"),
      ...policyBase,
      requests: z.number().int().positive().optional(),
      tokens: z.number().int().positive().optional(),
      unit: z.enum(["Seconds", "Minutes", "Hours"]),
      burst: z.number().int().positive().optional(),
    }),
    z.strictObject({
      type: z.literal("timeout"),
      ...policyBase,
      request: duration,
      retry: z
        .strictObject({
          attempts: z.number().int().min(1),
          codes: z.array(z.number().int().min(400).max(599)).min(1),
          backoff: duration.optional(),
        })
        .optional(),
    }),
    z.strictObject({
      type: z.literal("jwt"),
      ...policyBase,
      issuer: urlString,
      audiences: z.array(z.string()).default([]),
      jwksUrl: urlString,
      mode: z.enum(["Strict", "Optional", "Permissive"]).default("Strict"),
    }),
  ])
  .check(
    // AgentgatewayPolicy.spec.targetRefs must share one kind, and traffic policies attach to Gateways and
    // HTTPRoutes only (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/agentgateway_policy_types.go).
    invariant("policy-target-kinds", (p, problems) => {
      const mcpOnly = p.type === "mcpAuthorization" || p.type === "elicitation";
      const firstKind = p.targets[0]?.kind;
      p.targets.forEach((t, j) => {
        if (mcpOnly && t.kind !== "Backend")
          problems.add(
            ["targets", j, "kind"],
            `${p.type} policies apply to MCP backends only`,
            "use kind: Backend",
          );
        if (j > 0 && t.kind !== firstKind)
          problems.add(
            ["targets", j, "kind"],
            `all targets of a policy must have the same kind (first is ${firstKind})`,
            "split the policy in two",
          );
      });
      const j = p.targets.findIndex((t) => t.kind === "Backend");
      if ((p.type === "rateLimit" || p.type === "timeout" || p.type === "jwt") && j >= 0)
        problems.add(
          ["targets", j, "kind"],
          `${p.type} policies apply to a Gateway or an HTTPRoute`,
          "target the route or gateway in front of the backend",
        );
      if (p.type === "rateLimit" && (p.requests === undefined) === (p.tokens === undefined))
        problems.add([], "a rate limit sets exactly one of requests or tokens");
    }),
  );

export const policiesSchema = z.strictObject({
  enabled: z.boolean(),
  items: z.array(policySchema).default([]).check(uniqueNames("policy name")),
});

export const policyRules: Rule = (c, issues) => {
  const policies = c.policies;
  if (policies === undefined) return;
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
      if (mcpOnly && t.kind !== "Backend") return;
      if (t.kind === "Gateway" && gateways !== undefined) resolve(issues, path, t.name, gateways, "gateway");
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
