import { randomBytes } from "crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { VerifyContext } from "./context";
import { Check, errorText, fail, pass, skip } from "./run";
import { exposureEndpoints, gatewayBase, guardProbes, llmProbes, LlmProbe, mcpProbes } from "./targets";

/*
 * Checks through the gateways, as a client outside the cluster calls them: every exposure answers, each LLM
 * route rule completes one token (only with provider calls allowed: each is billed), each rejecting guard
 * refuses its own sample before any provider sees it, and each MCP route initializes and lists only the tools
 * the stack allows (MCP TypeScript SDK client).
 */

const body = async (r: Response) => (await r.text()).slice(0, 200).replace(/\s+/g, " ");

/**
 * A W3C traceparent with a fresh trace id. agentgateway starts its span off the caller's trace and samples a
 * caller's trace unless `clientSampling` says otherwise (agentgateway/agentgateway@v1.4.1
 * crates/agentgateway/src/proxy/httpproxy.rs, telemetry/log.rs TraceSampler), and Langfuse keeps the OTel trace
 * id as its own (langfuse/langfuse packages/shared/src/server/otel/OtelIngestionProcessor.ts).
 */
export function newTraceparent(): { traceId: string; header: string } {
  const traceId = randomBytes(16).toString("hex");
  return { traceId, header: `00-${traceId}-${randomBytes(8).toString("hex")}-01` };
}

/** An OpenAI-shaped chat completion of one token; agentgateway translates it for the route's provider. */
export function chatRequest(probe: LlmProbe, content: string, traceparent?: string): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...(traceparent ? { traceparent } : {}) },
    body: JSON.stringify({
      ...(probe.model !== undefined ? { model: probe.model } : {}),
      messages: [{ role: "user", content }],
      max_tokens: 1,
    }),
  };
}

export function exposureChecks(ctx: VerifyContext): Check[] {
  return exposureEndpoints(ctx.stack.config).map((e): Check => ({
    group: "gateways",
    name: `exposure ${e.exposure} answers on ${e.via}`,
    async run(signal) {
      try {
        const response = await ctx.fetch(e.url, { signal });
        // Any HTTP answer is the proxy's: a listener without a route for `/` answers 404.
        return pass(`HTTP ${response.status}`);
      } catch (err) {
        return fail(errorText(err));
      }
    },
  }));
}

export function llmChecks(ctx: VerifyContext): Check[] {
  const config = ctx.stack.config;
  const checks: Check[] = llmProbes(config).map((p) => ({
    group: "llm",
    name: `route ${p.route} ${p.pathPrefix} answers through ${p.gateway}`,
    async run(signal) {
      if (!ctx.providerCalls) return skip("provider calls are off (--no-provider-calls)");
      const base = gatewayBase(config, p.gateway);
      if (base === undefined) return skip(`gateway ${p.gateway} has no address outside the cluster`);
      const response = await ctx.fetch(`${base.url}${p.pathPrefix}`, { ...chatRequest(p, "ping"), signal });
      return response.ok
        ? pass(`HTTP ${response.status} via ${base.via}`)
        : fail(`HTTP ${response.status} via ${base.via}: ${await body(response)}`);
    },
  }));
  const guards = guardProbes(config);
  for (const g of guards.probes)
    checks.push({
      group: "llm",
      name: `guard ${g.policy} rejects its sample on ${g.probe.route} ${g.probe.pathPrefix}`,
      async run(signal) {
        const base = gatewayBase(config, g.probe.gateway);
        if (base === undefined) return skip(`gateway ${g.probe.gateway} has no address outside the cluster`);
        const response = await ctx.fetch(`${base.url}${g.probe.pathPrefix}`, {
          ...chatRequest(g.probe, g.sample),
          signal,
        });
        return response.status === g.statusCode
          ? pass(`HTTP ${response.status}`)
          : fail(`HTTP ${response.status}, want ${g.statusCode}: ${await body(response)}`);
      },
    });
  for (const policy of guards.withoutSample)
    checks.push({
      group: "llm",
      name: `guard ${policy} rejects its sample`,
      run: async () => skip("the stack gives its patterns no mustMatch sample"),
    });
  return checks;
}

export function mcpChecks(ctx: VerifyContext): Check[] {
  const config = ctx.stack.config;
  return mcpProbes(config).map((m): Check => ({
    group: "mcp",
    name: `MCP ${m.server} initializes and lists only its allowed tools`,
    async run(signal) {
      const base = gatewayBase(config, m.gateway);
      if (base === undefined) return skip(`gateway ${m.gateway} has no address outside the cluster`);
      const transport = new StreamableHTTPClientTransport(new URL(`${base.url}${m.path}`), {
        fetch: (url, init) => ctx.fetch(url, { ...init, signal }),
      });
      const client = new Client({ name: "ai-platform-verify", version: "1.0.0" });
      try {
        await client.connect(transport, { signal });
        const { tools } = await client.listTools(undefined, { signal });
        const names = tools.map((t) => t.name);
        if (m.allowed === undefined)
          return pass(`${names.length} tools (the stack declares none to compare)`);
        const hidden = names.filter((n) => !m.allowed!.includes(n));
        return hidden.length === 0
          ? pass(`${names.length} tools, all allowed`)
          : fail(`lists tools that should be hidden: ${hidden.join(", ")}`);
      } catch (err) {
        return fail(errorText(err));
      } finally {
        await client.close().catch(() => undefined);
      }
    },
  }));
}
