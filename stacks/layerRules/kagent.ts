import { z } from "zod";
import { dnsLabel, duration, pathPrefix, secretName } from "../fields";
import { imageSourceSchema, slackBotImage } from "../images";
import {
  kagentDatabase,
  kagentDatabaseSchema,
  kagentToolsDefault,
  kagentToolsSchema,
} from "../kagentRuntime";
import { invariant, uniqueNames } from "../checks/refine";
import type { Rule } from "./common";
import { referenceHint } from "../hints";
import { resolve } from "./common";
import { clientAddressIssue } from "../addressBook";

/** The shortest cycle of agent calls from `start` back to it (start first and last), if any. */
function cycleFrom(start: string, calls: Map<string, string[]>): string[] | undefined {
  const queue: string[][] = [[start]];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const path = queue.shift()!;
    for (const next of calls.get(path[path.length - 1]!) ?? []) {
      if (next === start && path.length > 1) return [...path, start];
      if (!seen.has(next) && next !== start) {
        seen.add(next);
        queue.push([...path, next]);
      }
    }
  }
  return undefined;
}

/* kagent model configs, remote MCP servers, agents and the Slack bot. */

export const kagentSchema = z
  .strictObject({
    enabled: z.boolean(),
    namespace: dnsLabel.default("kagent"),
    ui: z.strictObject({ enabled: z.boolean() }).default({ enabled: true }),
    modelConfigs: z
      .array(
        z.strictObject({
          name: dnsLabel,
          model: z.string().min(1),
          /** LLM route (on the AI gateway) that serves this model through an OpenAI-compatible API. */
          route: dnsLabel,
          /** Path prefix of the route rule used as base URL. */
          pathPrefix,
          secret: secretName,
        }),
      )
      .default([])
      .check(uniqueNames("model config name")),
    remoteMcpServers: z
      .array(
        z.strictObject({
          name: dnsLabel,
          /** MCP server (mcp.servers) reached through its gateway route. */
          server: dnsLabel,
          description: z.string().min(1),
          timeout: duration.default("30s"),
        }),
      )
      .default([])
      .check(uniqueNames("remote MCP server name")),
    agents: z
      .array(
        z
          .strictObject({
            name: dnsLabel,
            description: z.string().min(1),
            modelConfig: dnsLabel,
            systemMessage: z.string().min(1),
            tools: z
              .array(
                z.strictObject({
                  remoteMcpServer: dnsLabel,
                  toolNames: z.array(z.string().min(1)).default([]),
                }),
              )
              .default([]),
            /** Other agents this one may call as tools. */
            agents: z.array(dnsLabel).default([]),
          })
          .check(
            invariant("agent-self-reference", (a, problems) =>
              a.agents.forEach((other, j) => {
                if (other === a.name) problems.add(["agents", j], "an agent cannot use itself as a tool");
              }),
            ),
          ),
      )
      .default([])
      .check(
        uniqueNames("agent name"),
        // The program creates each agent after the agents it calls (kagent does not retry an agent whose callee
        // appears later), so a cycle has no order; and it would hand one request round the cycle without end.
        invariant("agent-delegation-cycle", (agents, problems) => {
          const calls = new Map(agents.map((a) => [a.name, a.agents]));
          agents.forEach((a, i) => {
            const path = cycleFrom(a.name, calls);
            if (path !== undefined && path.length > 2 && path[0] === path.reduce((m, n) => (n < m ? n : m)))
              problems.add(
                [i, "agents"],
                `agents call each other in a cycle: ${path.join(" -> ")}`,
                "break the cycle: one of them must not call back",
              );
          });
        }),
      ),
    slackBot: z
      .strictObject({
        enabled: z.boolean(),
        /** The bot's image: kagent publishes none, so the stack names its own build (`{repository, tag}`). */
        image: imageSourceSchema.optional(),
        botTokenSecret: secretName,
        /** Socket Mode app-level token (xapp-...). */
        appTokenSecret: secretName,
        /** Slack request signing secret. */
        signingSecret: secretName,
        /** Agent answering when no other agent matches the message. */
        agent: dnsLabel,
      })
      .check(slackBotImage)
      .optional(),
    database: kagentDatabaseSchema.optional(),
    tools: kagentToolsSchema.default(kagentToolsDefault),
    telemetry: z.strictObject({ enabled: z.boolean() }).default({ enabled: false }),
  })
  .check(kagentDatabase);

export const kagentRules: Rule = (c, issues) => {
  const kagent = c.kagent;
  if (kagent === undefined) return;
  const routes = c.llm?.routes;
  kagent.modelConfigs.forEach((m, i) => {
    if (routes === undefined) return;
    if (
      resolve(
        issues,
        `kagent.modelConfigs[${i}].route`,
        m.route,
        routes.map((r) => r.name),
        "LLM route",
      )
    ) {
      const prefixes = routes.find((r) => r.name === m.route)!.rules.map((r) => r.pathPrefix);
      resolve(issues, `kagent.modelConfigs[${i}].pathPrefix`, m.pathPrefix, prefixes, "path prefix");
      const unreachable = clientAddressIssue(c, "llmRoute", m.route);
      if (unreachable !== undefined)
        issues.add(`kagent.modelConfigs[${i}].route`, unreachable.message, unreachable.hint);
    }
  });
  const servers = c.mcp?.servers;
  kagent.remoteMcpServers.forEach((r, i) => {
    const path = `kagent.remoteMcpServers[${i}].server`;
    if (
      servers === undefined ||
      !resolve(
        issues,
        path,
        r.server,
        servers.map((s) => s.name),
        "MCP server",
      )
    )
      return;
    if (kagent.enabled && c.mcp !== undefined && !c.mcp.enabled) {
      issues.add(
        path,
        `MCP server "${r.server}" is not deployed`,
        "enable mcp, or remove this remote MCP server",
      );
      return;
    }
    // In-cluster clients reach the gateway over plain HTTP (http://<gateway>.<namespace>.svc.cluster.local:<port>).
    const unreachable = clientAddressIssue(c, "mcpServer", r.server);
    if (unreachable !== undefined) issues.add(path, unreachable.message, unreachable.hint);
  });
  const modelConfigs = kagent.modelConfigs.map((m) => m.name);
  const remoteNames = kagent.remoteMcpServers.map((r) => r.name);
  const agentNames = kagent.agents.map((a) => a.name);
  kagent.agents.forEach((a, i) => {
    const base = `kagent.agents[${i}]`;
    resolve(issues, `${base}.modelConfig`, a.modelConfig, modelConfigs, "model config");
    a.tools.forEach((t, j) => {
      if (
        !resolve(
          issues,
          `${base}.tools[${j}].remoteMcpServer`,
          t.remoteMcpServer,
          remoteNames,
          "remote MCP server",
        )
      )
        return;
      const serverName = kagent.remoteMcpServers.find((r) => r.name === t.remoteMcpServer)!.server;
      const known = servers?.find((s) => s.name === serverName)?.tools ?? [];
      if (known.length === 0) return;
      t.toolNames.forEach((tool, k) => {
        if (!known.includes(tool)) {
          issues.add(
            `${base}.tools[${j}].toolNames[${k}]`,
            `MCP server "${serverName}" has no tool "${tool}"`,
            referenceHint(tool, known, "tool"),
          );
        }
      });
    });
    a.agents.forEach((other, j) => {
      if (other !== a.name) resolve(issues, `${base}.agents[${j}]`, other, agentNames, "agent");
    });
  });
  const bot = kagent.slackBot;
  if (bot !== undefined) resolve(issues, "kagent.slackBot.agent", bot.agent, agentNames, "agent");
};
