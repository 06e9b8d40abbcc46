import { z } from "zod";
import { dnsLabel, pathPrefix, port, resourcesSchema, secretName } from "../fields";
import { imageSourceSchema } from "../images";
import { mcpRoutePath } from "../../lib/addressBook";
import { envNameInvalid } from "../checks/names";
import { invariant, uniqueNames } from "../checks/refine";
import { envPortProblems } from "../checks/upstreamValues";
import type { Rule } from "./common";
import { referenceProblem } from "../addressBook";
import { referenceHint } from "../hints";

/* MCP servers: names, gateways, routes and images. */

const mcpBase = {
  name: dnsLabel,
  /** Gateway whose route fronts this server. */
  gateway: dnsLabel,
  /** Path prefix of the route on that gateway (default /<name>). */
  routePath: pathPrefix.optional(),
  /** Tool names the server exposes; agent tool lists and allow-lists are checked against them. */
  tools: z.array(z.string().min(1)).default([]),
};

export const mcpServerSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      kind: z.literal("inCluster"),
      ...mcpBase,
      /** Catalog key (lib/versions.ts), or `{repository, tag}` for an image upstream does not publish. */
      image: imageSourceSchema,
      port,
      path: pathPrefix.default("/mcp"),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).default({}),
      /** Environment variables filled from secrets (env name -> secret name). */
      secretEnv: z.record(z.string(), secretName).default({}),
      /** Public HTTPS ports the server calls out to (SaaS APIs, package registries); cluster DNS is always allowed. */
      egressPorts: z.array(port).default([]),
      replicas: z.number().int().min(1).default(1),
      resources: resourcesSchema.optional(),
    })
    .check(
      envNameInvalid,
      invariant("mcp-env-port", (server, problems) => {
        for (const { name, message } of envPortProblems(server.env, server.port))
          problems.add(["env", name], message, `listen on 0.0.0.0:${server.port}, or set port to match`);
      }),
    ),
  z.strictObject({
    kind: z.literal("remote"),
    ...mcpBase,
    host: z.string().min(1),
    port: port.default(443),
    path: pathPrefix.default("/mcp"),
    protocol: z.enum(["StreamableHTTP", "SSE"]).default("StreamableHTTP"),
    /** Bearer token sent upstream. */
    tokenSecret: secretName.optional(),
    /** What runs the server when `host` is an in-cluster Service this program does not create. */
    providedBy: z.string().min(1).optional(),
  }),
]);

export const mcpSchema = z.strictObject({
  enabled: z.boolean(),
  namespace: dnsLabel.default("agentgateway-system"),
  servers: z.array(mcpServerSchema).default([]).check(uniqueNames("MCP server name")),
});

export const mcpRules: Rule = (c, issues) => {
  const mcp = c.mcp;
  if (mcp === undefined) return;
  if (mcp.enabled && c.agentgateway !== undefined && !c.agentgateway.enabled) {
    issues.add("mcp.enabled", "MCP routing needs the AI gateway", "enable agentgateway or disable mcp");
  }
  const llmBackends = c.llm?.backends.map((b) => b.name) ?? [];
  const gateways = c.agentgateway?.gateways;
  mcp.servers.forEach((s, i) => {
    const base = `mcp.servers[${i}]`;
    if (llmBackends.includes(s.name) && c.agentgateway?.namespace === mcp.namespace) {
      issues.add(
        `${base}.name`,
        `"${s.name}" is also an LLM backend in the same namespace`,
        "backend names must be unique per namespace",
      );
    }
    // The address book decides whether the server's gateway exists, as it does for the server's clients.
    if (referenceProblem(c, "mcpServer", i)?.cause === "gateway") {
      const names = (gateways ?? []).map((g) => g.name);
      issues.add(
        `${base}.gateway`,
        `unknown gateway "${s.gateway}"`,
        referenceHint(s.gateway, names, "gateway"),
      );
    } else if (gateways !== undefined) {
      // The HTTPRoute lives in mcp.namespace; a listener only accepts routes of other namespaces with allowedRoutes All.
      const gateway = gateways.find((g) => g.name === s.gateway)!;
      const crossNamespace = c.agentgateway !== undefined && c.agentgateway.namespace !== mcp.namespace;
      if (crossNamespace && !gateway.listeners.some((l) => l.allowedRoutes === "All")) {
        issues.add(
          `${base}.gateway`,
          `gateway "${s.gateway}" does not accept routes from namespace "${mcp.namespace}"`,
          "set allowedRoutes: All on one of its listeners, or put the MCP servers in the gateway namespace",
        );
      }
    }
  });
  // Two routes with the same path prefix on one gateway would shadow each other.
  const prefixes: Array<{ key: string; path: string }> = [];
  c.llm?.routes.forEach((r, i) =>
    r.rules.forEach((rule, j) =>
      prefixes.push({
        key: `${r.gateway} ${rule.pathPrefix}`,
        path: `llm.routes[${i}].rules[${j}].pathPrefix`,
      }),
    ),
  );
  mcp.servers.forEach((s, i) =>
    prefixes.push({
      key: `${s.gateway} ${mcpRoutePath(s)}`,
      path: `mcp.servers[${i}].routePath`,
    }),
  );
  const seen = new Map<string, string>();
  for (const p of prefixes) {
    const first = seen.get(p.key);
    if (first === undefined) seen.set(p.key, p.path);
    else if (p.path.startsWith("mcp.")) {
      const [gateway, prefix] = p.key.split(" ");
      issues.add(
        p.path,
        `path ${prefix} on gateway "${gateway}" is already routed`,
        `already used at ${first}`,
      );
    }
  }
};
