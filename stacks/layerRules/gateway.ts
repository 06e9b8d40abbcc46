import { z } from "zod";
import { evictionSchema } from "../eviction";
import { cidr, dnsLabel, ipv4, pathPrefix, port, resourcesSchema, secretName } from "../fields";
import { DNS1123_SUBDOMAIN } from "../../lib/kubernetesNames";
import { invariant, uniqueNames, uniqueWithin } from "../checks/refine";
import type { PartialConfig, Rule } from "./common";
import { resolve } from "./common";
import { referenceProblem } from "../addressBook";
import { referenceHint } from "../hints";

/* Gateways, listeners, LLM backends and routes. */

const listenerSchema = z
  .strictObject({
    name: dnsLabel,
    protocol: z.enum(["HTTP", "HTTPS"]),
    port,
    hostname: z.string().optional(),
    /** TLS certificate Secret for HTTPS listeners. */
    tls: z.strictObject({ secretName: dnsLabel, namespace: dnsLabel.optional() }).optional(),
    allowedRoutes: z.enum(["Same", "All"]).default("Same"),
  })
  .check(
    invariant("listener-tls", (l, problems) => {
      if (l.protocol === "HTTPS" && l.tls === undefined)
        problems.add(["tls"], "HTTPS listener needs a TLS certificate", "set tls.secretName");
      if (l.protocol === "HTTP" && l.tls !== undefined)
        problems.add(["tls"], "TLS is only valid on HTTPS listeners");
    }),
  );

const gatewayServiceSchema = z.discriminatedUnion("type", [
  /** NodePort numbers come from the exposure table, the single source shared with BIG-IP pools. */
  z.strictObject({ type: z.literal("NodePort") }),
  z.strictObject({ type: z.literal("LoadBalancer"), ip: ipv4 }),
  z.strictObject({ type: z.literal("ClusterIP") }),
]);

export const gatewaySchema = z
  .strictObject({
    name: dnsLabel,
    listeners: z.array(listenerSchema).min(1),
    service: gatewayServiceSchema,
    replicas: z.number().int().min(1).default(1),
    resources: resourcesSchema.optional(),
    /** Adds a route on every HTTP listener that redirects to https (301). */
    httpsRedirect: z.boolean().default(false),
  })
  .check(
    invariant("gateway-listeners", (g, problems) => {
      uniqueWithin(
        problems,
        g.listeners,
        (l) => l.name,
        (j) => ["listeners", j, "name"],
        "listener name",
      );
      uniqueWithin(
        problems,
        g.listeners,
        (l) => String(l.port),
        (j) => ["listeners", j, "port"],
        "listener port",
      );
      const has = (protocol: string) => g.listeners.some((l) => l.protocol === protocol);
      if (g.httpsRedirect && !(has("HTTP") && has("HTTPS")))
        problems.add(["httpsRedirect"], "needs both an HTTP and an HTTPS listener");
    }),
  );

export const agentgatewaySchema = z.strictObject({
  enabled: z.boolean(),
  namespace: dnsLabel.default("agentgateway-system"),
  controller: z
    .strictObject({
      replicas: z.number().int().min(1).default(1),
      logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
      resources: resourcesSchema.optional(),
    })
    .default({ replicas: 1, logLevel: "info" }),
  gateways: z
    .array(gatewaySchema)
    .default([])
    .check(
      invariant("gateway-names", (gateways, problems) => {
        uniqueWithin(
          problems,
          gateways,
          (g) => g.name,
          (i) => [i, "name"],
          "gateway name",
        );
        const lbs = gateways.flatMap((g, i) =>
          g.service.type === "LoadBalancer" ? [{ ip: g.service.ip, i }] : [],
        );
        uniqueWithin(
          problems,
          lbs,
          (x) => x.ip,
          (k) => [lbs[k]!.i, "service", "ip"],
          "LoadBalancer IP",
        );
      }),
    ),
  /** NetworkPolicy and PodDisruptionBudget for every gateway's proxy pods. */
  hardening: z
    .strictObject({
      networkPolicy: z.boolean().default(true),
      /** Namespaces whose pods may reach the listeners; with ingressCidrs both empty, any source may. */
      ingressNamespaces: z.array(dnsLabel).default([]),
      /** Address ranges (e.g. the LAN behind a LoadBalancer IP) that may reach the listeners. */
      ingressCidrs: z.array(cidr).default([]),
      /** Namespaces whose pods may scrape proxy metrics. */
      metricsNamespaces: z.array(dnsLabel).default(["monitoring"]),
      /** A PodDisruptionBudget (minAvailable 1) for gateways running more than one replica. */
      podDisruptionBudget: z.boolean().default(true),
    })
    .default({
      networkPolicy: true,
      ingressNamespaces: [],
      ingressCidrs: [],
      metricsNamespaces: ["monitoring"],
      podDisruptionBudget: true,
    }),
});

const hostOverride = z.strictObject({
  host: z.string().min(1),
  port,
  path: pathPrefix.optional(),
  /** What runs the endpoint when `host` is an in-cluster Service this program does not create. */
  providedBy: z.string().min(1).optional(),
});
const llmProviderFields = {
  name: dnsLabel,
  model: z.string().min(1).optional(),
  /** Secret holding the provider API key (becomes the `Authorization` key of a Kubernetes Secret). */
  secret: secretName,
};
const providerVariants = [
  z.strictObject({
    provider: z.literal("openai"),
    ...llmProviderFields,
    hostOverride: hostOverride.optional(),
  }),
  z.strictObject({ provider: z.literal("xai"), ...llmProviderFields, hostOverride: hostOverride.optional() }),
  z.strictObject({
    provider: z.literal("anthropic"),
    ...llmProviderFields,
    hostOverride: hostOverride.optional(),
  }),
  z.strictObject({ provider: z.literal("gemini"), ...llmProviderFields }),
  z.strictObject({
    provider: z.literal("azureopenai"),
    ...llmProviderFields,
    endpoint: z.string().min(1),
    deploymentName: z.string().min(1),
    apiVersion: z.string().optional(),
  }),
  z.strictObject({
    provider: z.literal("vertexai"),
    ...llmProviderFields,
    projectId: z.string().min(1),
    region: z.string().default("global"),
  }),
  z.strictObject({
    provider: z.literal("bedrock"),
    ...llmProviderFields,
    region: z.string().default("us-east-1"),
  }),
] as const;
/** Failover members are named inside the backend only, so dots are allowed (e.g. "gpt-3.5"); the CRD wants a DNS subdomain. */
const memberName = z.string().regex(DNS1123_SUBDOMAIN, {
  error: "must be a DNS subdomain (lower-case letters, digits, '-' and '.')",
});
const failoverProvider = z.discriminatedUnion(
  "provider",
  providerVariants.map((v) => v.extend({ name: memberName })) as unknown as typeof providerVariants,
);

export const llmBackendSchema = z.discriminatedUnion("provider", [
  ...providerVariants,
  z.strictObject({
    provider: z.literal("static"),
    name: dnsLabel,
    /** One host and port: AgentgatewayBackend.spec.static takes a single address in v1.4. */
    host: z.string().min(1),
    port,
    /** What runs the backend when `host` is an in-cluster Service this program does not create. */
    providedBy: z.string().min(1).optional(),
  }),
  z
    .strictObject({
      provider: z.literal("failover"),
      name: dnsLabel,
      /** Priority groups, highest priority first. */
      groups: z
        .array(z.strictObject({ providers: z.array(failoverProvider).min(1).max(16) }))
        .min(1)
        .max(8),
      eviction: evictionSchema,
    })
    .check(
      invariant("failover-member-names", (b, problems) => {
        const members = b.groups.flatMap((g, gi) => g.providers.map((p, pi) => ({ name: p.name, gi, pi })));
        uniqueWithin(
          problems,
          members,
          (m) => m.name,
          (k) => ["groups", members[k]!.gi, "providers", members[k]!.pi, "name"],
          "failover provider name",
        );
      }),
    ),
]);

const routeRuleSchema = z.strictObject({
  pathPrefix,
  rewrite: z
    .union([z.strictObject({ fullPath: pathPrefix }), z.strictObject({ prefix: pathPrefix })])
    .optional(),
  backend: dnsLabel,
});

export const llmRouteSchema = z
  .strictObject({
    name: dnsLabel,
    gateway: dnsLabel,
    /** Listener (sectionName) to attach to; all listeners when omitted. */
    listener: dnsLabel.optional(),
    hostnames: z.array(z.string()).default([]),
    rules: z.array(routeRuleSchema).min(1),
  })
  .check(
    invariant("route-path-prefixes", (r, problems) =>
      uniqueWithin(
        problems,
        r.rules,
        (x) => x.pathPrefix,
        (j) => ["rules", j, "pathPrefix"],
        "path prefix",
      ),
    ),
  );

export const llmSchema = z.strictObject({
  enabled: z.boolean(),
  backends: z.array(llmBackendSchema).default([]).check(uniqueNames("backend name")),
  routes: z.array(llmRouteSchema).default([]).check(uniqueNames("route name")),
});

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
  const backendNames = llm.backends.map((b) => b.name);
  const gateways = c.agentgateway?.gateways;
  llm.routes.forEach((r, i) => {
    // The address book decides whether the route's gateway and listener exist, as it does for the route's clients.
    const problem = referenceProblem(c, "llmRoute", i);
    if (problem?.cause === "gateway") {
      const names = (gateways ?? []).map((g) => g.name);
      issues.add(
        `llm.routes[${i}].gateway`,
        `unknown gateway "${r.gateway}"`,
        referenceHint(r.gateway, names, "gateway"),
      );
    } else if (problem?.cause === "listener" && r.listener !== undefined) {
      const names = gateways!.find((g) => g.name === r.gateway)!.listeners.map((l) => l.name);
      issues.add(
        `llm.routes[${i}].listener`,
        `unknown listener "${r.listener}"`,
        referenceHint(r.listener, names, "listener"),
      );
    }
    r.rules.forEach((rule, j) =>
      resolve(issues, `llm.routes[${i}].rules[${j}].backend`, rule.backend, backendNames, "backend"),
    );
  });
};
