import { mcpRoutePath } from "../lib/addressBook";
import type { PlatformConfig } from "../stacks/schema";

/*
 * Where the operator's machine reaches each gateway and what every check expects, decided from the stack's
 * config: a gateway answers on its BIG-IP VIPs, its tunnel hostname or its LoadBalancer IP (whichever the
 * stack gives it); an LLM route rule takes one chat completion, a guard its own `mustMatch` samples, an MCP
 * route lists the tools the stack declares for the server (narrowed by an enabled mcpAuthorization policy).
 */

export interface Endpoint {
  /** What the address is: `VIP 172.16.20.120:8080`, `tunnel ai.sklab.dev`, `LoadBalancer 10.50.0.30:443`. */
  via: string;
  url: string;
}

/** The gateway's external endpoints, preferred first: LoadBalancer IP, BIG-IP VIPs, tunnel hostnames. */
export function gatewayEndpoints(config: PlatformConfig): Map<string, Endpoint[]> {
  const out = new Map<string, Endpoint[]>();
  const add = (gw: string, e: Endpoint) => out.set(gw, [...(out.get(gw) ?? []), e]);
  for (const gw of config.agentgateway.gateways) {
    if (gw.service.type !== "LoadBalancer") continue;
    for (const l of gw.listeners)
      add(gw.name, {
        via: `LoadBalancer ${gw.service.ip}:${l.port}`,
        url: `${l.protocol === "HTTPS" ? "https" : "http"}://${gw.service.ip}:${l.port}`,
      });
  }
  for (const e of config.exposures) {
    if (!e.enabled || !("gateway" in e.target)) continue;
    const gw = config.agentgateway.gateways.find((g) => g.name === (e.target as { gateway: string }).gateway);
    if (gw === undefined) continue;
    for (const p of e.bigip?.ports ?? []) {
      // A VIP port forwards to the NodePort of the listener on the same port (lib/exposures.ts nodePortsFor).
      const listener = gw.listeners.find((l) => l.port === p.port) ?? gw.listeners[0]!;
      add(gw.name, {
        via: `VIP ${e.bigip!.vip}:${p.port}`,
        url: `${listener.protocol === "HTTPS" ? "https" : "http"}://${e.bigip!.vip}:${p.port}`,
      });
    }
    if (e.dns.mode === "tunnel") add(gw.name, { via: `tunnel ${e.hostname}`, url: `https://${e.hostname}` });
  }
  return out;
}

/** Every exposure address that must answer: each VIP port and each tunnel hostname. */
export function exposureEndpoints(config: PlatformConfig): Array<{ exposure: string } & Endpoint> {
  const all = gatewayEndpoints(config);
  const out: Array<{ exposure: string } & Endpoint> = [];
  for (const e of config.exposures.filter((x) => x.enabled && "gateway" in x.target)) {
    const gw = (e.target as { gateway: string }).gateway;
    for (const ep of all.get(gw) ?? [])
      if (
        (ep.via.startsWith("VIP ") &&
          e.bigip?.ports.some((p) => ep.via === `VIP ${e.bigip!.vip}:${p.port}`)) ||
        ep.via === `tunnel ${e.hostname}`
      )
        out.push({ exposure: e.name, ...ep });
  }
  return out;
}

/** The endpoint a check calls a gateway through (the first one the stack gives it). */
export function gatewayBase(config: PlatformConfig, gateway: string): Endpoint | undefined {
  return gatewayEndpoints(config).get(gateway)?.[0];
}

export interface LlmProbe {
  route: string;
  gateway: string;
  pathPrefix: string;
  backend: string;
  /** The model to ask for (the backend's; a failover backend picks its own). */
  model?: string;
}

export function llmProbes(config: PlatformConfig): LlmProbe[] {
  if (!config.llm.enabled) return [];
  return config.llm.routes.flatMap((r) =>
    r.rules.map((rule) => {
      const backend = config.llm.backends.find((b) => b.name === rule.backend);
      const model = backend !== undefined && "model" in backend ? backend.model : undefined;
      return {
        route: r.name,
        gateway: r.gateway,
        pathPrefix: rule.pathPrefix,
        backend: rule.backend,
        ...(model !== undefined ? { model } : {}),
      };
    }),
  );
}

export interface GuardProbe {
  policy: string;
  sample: string;
  /** The route rule the sample is sent through. */
  probe: LlmProbe;
  statusCode: number;
}

/** Each rejecting guard's first `mustMatch` sample, sent through the first LLM route rule it covers. */
export function guardProbes(config: PlatformConfig): { probes: GuardProbe[]; withoutSample: string[] } {
  const llm = llmProbes(config);
  const probes: GuardProbe[] = [];
  const withoutSample: string[] = [];
  if (!config.policies.enabled) return { probes, withoutSample };
  for (const item of config.policies.items) {
    if (!item.enabled || item.type !== "promptGuard") continue;
    const sample = item.reject.patterns.flatMap((p) => p.mustMatch)[0];
    const covered = llm.find((p) =>
      item.targets.some(
        (t) =>
          (t.kind === "Gateway" && t.name === p.gateway) ||
          (t.kind === "HTTPRoute" && t.name === p.route) ||
          (t.kind === "Backend" && t.name === p.backend),
      ),
    );
    if (covered === undefined) continue;
    if (sample === undefined) withoutSample.push(item.name);
    else probes.push({ policy: item.name, sample, probe: covered, statusCode: item.reject.statusCode });
  }
  return { probes, withoutSample };
}

export interface McpProbe {
  server: string;
  gateway: string;
  path: string;
  /** Tools the route may list; undefined when the stack declares none. */
  allowed?: string[];
}

export function mcpProbes(config: PlatformConfig): McpProbe[] {
  if (!config.mcp.enabled) return [];
  const policies = config.policies.enabled ? config.policies.items.filter((p) => p.enabled) : [];
  return config.mcp.servers.map((s) => {
    const allowList = policies.find(
      (p) =>
        p.type === "mcpAuthorization" && p.targets.some((t) => t.kind === "Backend" && t.name === s.name),
    );
    const allowed =
      allowList !== undefined && allowList.type === "mcpAuthorization"
        ? allowList.allowTools
        : s.tools.length > 0
          ? s.tools
          : undefined;
    return {
      server: s.name,
      gateway: s.gateway,
      path: mcpRoutePath(s),
      ...(allowed !== undefined ? { allowed } : {}),
    };
  });
}
