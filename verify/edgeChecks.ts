import * as fs from "fs";
import { readBigip } from "../live/bigip";
import { readCloudflare } from "../live/cloudflare";
import { snapshotTargets } from "../live/targets";
import type { VerifyContext } from "./context";
import { chatRequest, newTraceparent } from "./gatewayChecks";
import { Check, fail, pass, skip } from "./run";
import { gatewayBase, guardProbes, llmProbes } from "./targets";

/*
 * Checks beyond the cluster: a request through the gateway arrives in Langfuse as a trace (the collector
 * fan-out works end to end), BIG-IP's pool members are up, the Cloudflare tunnel is healthy. Credentials as
 * `npm run snapshot` takes them: the provider's environment variable, else the stack's `op://` reference.
 */

type Obj = Record<string, unknown>;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Sends a guarded sample (never billed) or, with provider calls on, one completion, with a fresh traceparent,
 * then polls the Langfuse public API for that trace id (`GET /api/public/traces/<id>`, Basic auth with the
 * project's public and secret key; langfuse/langfuse web/src/pages/api/public/traces/[traceId].ts).
 */
export function langfuseChecks(ctx: VerifyContext, waitMs: number, pollMs = 2000): Check[] {
  const config = ctx.stack.config;
  const lf = config.observability.langfuse;
  if (
    !config.observability.enabled ||
    lf === undefined ||
    !lf.enabled ||
    !config.observability.gatewayTracing.enabled
  )
    return [];
  return [
    {
      group: "langfuse",
      name: "a request through the gateway arrives in Langfuse as a trace",
      // Room for the request and the key lookups besides the wait for the trace.
      timeoutMs: waitMs + 15_000,
      async run(signal) {
        const guard = guardProbes(config).probes[0];
        const llm = llmProbes(config)[0];
        const probe = guard?.probe ?? (ctx.providerCalls ? llm : undefined);
        if (probe === undefined) return skip("no guard sample to send, and provider calls are off");
        const base = gatewayBase(config, probe.gateway);
        if (base === undefined) return skip(`gateway ${probe.gateway} has no address outside the cluster`);
        const trace = newTraceparent();
        const sent = await ctx.fetch(`${base.url}${probe.pathPrefix}`, {
          ...chatRequest(probe, guard?.sample ?? "ping", trace.header),
          signal,
        });
        const [publicKey, secretKey] = await Promise.all([
          ctx.secret({ env: "LANGFUSE_PUBLIC_KEY", ref: config.secrets[lf.publicKeySecret] }),
          ctx.secret({ env: "LANGFUSE_SECRET_KEY", ref: config.secrets[lf.secretKeySecret] }),
        ]);
        const auth = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString("base64")}`;
        const url = `${lf.endpoint.replace(/\/+$/, "")}/api/public/traces/${trace.traceId}`;
        let last = "";
        const until = Date.now() + waitMs;
        while (!signal.aborted && Date.now() < until) {
          const response = await ctx.fetch(url, { headers: { authorization: auth }, signal });
          if (response.ok) return pass(`trace ${trace.traceId} (request answered HTTP ${sent.status})`);
          last = `HTTP ${response.status}`;
          if (response.status !== 404) break;
          await sleep(pollMs, signal);
        }
        return fail(
          `trace ${trace.traceId} of a request via ${base.via} did not arrive within ${Math.round(waitMs / 1000)} s (Langfuse: ${last})`,
        );
      },
    },
  ];
}

export function bigipChecks(ctx: VerifyContext): Check[] {
  const t = snapshotTargets(ctx.stack.plan, ctx.stack.config).bigip;
  if (t === undefined) return [];
  const pools = ctx.stack.plan.bigip
    .filter((r) => r.type === "f5bigip:ltm/pool:Pool")
    .map((r) => String(r.inputs["name"]));
  let read: Promise<Obj[]> | undefined;
  const livePools = async () => {
    const [host, username, password] = await Promise.all([t.host, t.username, t.password].map(ctx.secret));
    const port = ctx.env[t.port.env];
    const answers = await readBigip({
      host: host!,
      username: username!,
      password: password!,
      ...(port ? { port } : {}),
      ...(t.trustedCertPath !== undefined ? { ca: fs.readFileSync(t.trustedCertPath, "utf8") } : {}),
      verifyCertificate: t.verifyCertificate,
    });
    return (answers["ltm-pool"]["items"] ?? []) as Obj[];
  };
  return pools.map((pool): Check => ({
    group: "bigip",
    name: `pool ${pool} has its members up`,
    async run() {
      const found = (await (read ??= livePools())).find((p) => p["fullPath"] === pool);
      if (found === undefined) return fail("pool not found");
      const members = (((found["membersReference"] ?? {}) as Obj)["items"] ?? []) as Obj[];
      if (members.length === 0) return fail("the pool has no members");
      // A member's `state` is its monitor's verdict: up, down, unchecked, user-down (iControl REST ltm pool members).
      const down = members
        .filter((m) => m["state"] !== "up")
        .map((m) => `${String(m["name"])} ${String(m["state"])}`);
      return down.length === 0 ? pass(`${members.length} members up`) : fail(`not up: ${down.join(", ")}`);
    },
  }));
}

export function cloudflareChecks(ctx: VerifyContext): Check[] {
  const t = snapshotTargets(ctx.stack.plan, ctx.stack.config).cloudflare;
  const tunnel = ctx.stack.plan.cloudflare.find(
    (r) => r.type === "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared",
  );
  if (t === undefined || tunnel === undefined) return [];
  const name = String(tunnel.inputs["name"]);
  return [
    {
      group: "cloudflare",
      name: `tunnel ${name} is healthy`,
      async run() {
        const [apiToken, accountId] = await Promise.all([t.apiToken, t.accountId].map(ctx.secret));
        const baseUrl = ctx.env["CLOUDFLARE_BASE_URL"];
        const lists = await readCloudflare(
          { apiToken: apiToken!, accountId: accountId!, ...(baseUrl ? { baseUrl } : {}) },
          t.zone,
        );
        const found = ((lists.tunnels["result"] ?? []) as Obj[]).find((x) => x["name"] === name);
        if (found === undefined) return fail("tunnel not found in the account");
        // cfd_tunnel `status`: inactive, degraded, healthy or down (Cloudflare API v4 Cloudflare Tunnel).
        return found["status"] === "healthy"
          ? pass(`healthy, ${((found["connections"] ?? []) as unknown[]).length} connections`)
          : fail(`status ${String(found["status"])}`);
      },
    },
  ];
}
