import type { PartialConfig, Rule } from "./common";
import { resolve, unique } from "./common";

/* Gateways, listeners, LLM backends and routes. */

export const gatewayRules: Rule = (c, issues) => {
  const agw = c.agentgateway;
  if (agw === undefined) return;
  unique(
    issues,
    agw.gateways,
    (g) => g.name,
    (i) => `agentgateway.gateways[${i}].name`,
    "gateway name",
  );
  const lbs = agw.gateways
    .map((g, i) => ({ ip: g.service.type === "LoadBalancer" ? g.service.ip : undefined, i }))
    .filter((x) => x.ip !== undefined);
  unique(
    issues,
    lbs,
    (x) => x.ip!,
    (k) => `agentgateway.gateways[${lbs[k]!.i}].service.ip`,
    "LoadBalancer IP",
  );
  agw.gateways.forEach((g, i) => {
    const base = `agentgateway.gateways[${i}]`;
    unique(
      issues,
      g.listeners,
      (l) => l.name,
      (j) => `${base}.listeners[${j}].name`,
      "listener name",
    );
    unique(
      issues,
      g.listeners,
      (l) => String(l.port),
      (j) => `${base}.listeners[${j}].port`,
      "listener port",
    );
    g.listeners.forEach((l, j) => {
      if (l.protocol === "HTTPS" && l.tls === undefined) {
        issues.add(
          `${base}.listeners[${j}].tls`,
          "HTTPS listener needs a TLS certificate",
          "set tls.secretName",
        );
      }
      if (l.protocol === "HTTP" && l.tls !== undefined) {
        issues.add(`${base}.listeners[${j}].tls`, "TLS is only valid on HTTPS listeners");
      }
    });
    if (
      g.httpsRedirect &&
      !(g.listeners.some((l) => l.protocol === "HTTP") && g.listeners.some((l) => l.protocol === "HTTPS"))
    ) {
      issues.add(`${base}.httpsRedirect`, "needs both an HTTP and an HTTPS listener");
    }
  });
};

/** Names of HTTPRoutes the program creates, for policy targets. */
export function routeNames(c: PartialConfig): string[] {
  const names = c.llm?.routes.map((r) => r.name) ?? [];
  const mcpRoutes = c.mcp?.servers.map((s) => s.name) ?? [];
  return [...names, ...mcpRoutes];
}

export const llmRules: Rule = (c, issues) => {
  const llm = c.llm;
  if (llm === undefined) return;
  if (llm.enabled && c.agentgateway !== undefined && !c.agentgateway.enabled) {
    issues.add("llm.enabled", "LLM routing needs the AI gateway", "enable agentgateway or disable llm");
  }
  unique(
    issues,
    llm.backends,
    (b) => b.name,
    (i) => `llm.backends[${i}].name`,
    "backend name",
  );
  llm.backends.forEach((b, i) => {
    if (b.provider !== "failover") return;
    const providers = b.groups.flatMap((g, gi) =>
      g.providers.map((p, pi) => ({
        name: p.name,
        path: `llm.backends[${i}].groups[${gi}].providers[${pi}].name`,
      })),
    );
    unique(
      issues,
      providers,
      (p) => p.name,
      (k) => providers[k]!.path,
      "failover provider name",
    );
  });
  unique(
    issues,
    llm.routes,
    (r) => r.name,
    (i) => `llm.routes[${i}].name`,
    "route name",
  );
  const backendNames = llm.backends.map((b) => b.name);
  const gateways = c.agentgateway?.gateways;
  llm.routes.forEach((r, i) => {
    if (gateways !== undefined) {
      const gwNames = gateways.map((g) => g.name);
      if (
        resolve(issues, `llm.routes[${i}].gateway`, r.gateway, gwNames, "gateway") &&
        r.listener !== undefined
      ) {
        const listeners = gateways.find((g) => g.name === r.gateway)!.listeners.map((l) => l.name);
        resolve(issues, `llm.routes[${i}].listener`, r.listener, listeners, "listener");
      }
    }
    unique(
      issues,
      r.rules,
      (x) => x.pathPrefix,
      (j) => `llm.routes[${i}].rules[${j}].pathPrefix`,
      "path prefix",
    );
    r.rules.forEach((rule, j) =>
      resolve(issues, `llm.routes[${i}].rules[${j}].backend`, rule.backend, backendNames, "backend"),
    );
  });
};
