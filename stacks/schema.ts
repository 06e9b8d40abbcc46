import { z } from "zod";
import { adoptionSchema } from "./adoption";
import { guardPatternSchema } from "./checks/guards";
import { existingNodesSchema } from "./checks/operations";
import { problemCheck } from "./checks/refine";
import { evictionSchema } from "./eviction";
import { streamingGuardFields } from "./guardSchema";
import { imageSourceSchema } from "./images";
import { kagentDatabaseSchema, kagentToolsDefault, kagentToolsSchema } from "./kagentRuntime";
import { cidrProblem, ipv4Problem } from "./net";
import { SECRET_REF_PATTERN } from "./secretRef";
import { switchable } from "./switchable";
import { nodeMaintenanceSchema, talosCurrentSchema, talosRolloutSchema } from "./talosLifecycle";
import { machinePatches } from "./talosPatches";

/*
 * The stack configuration schema. Every top-level key is one Pulumi config key in the project namespace
 * (`ai-platform:<key>`); objects are strict so that a misspelled field is an error, not a silent default.
 * Cross-field rules (CIDRs, uniqueness, references) live in ./rules.ts.
 */

const dnsLabel = z
  .string()
  .max(63, { error: "must be at most 63 characters" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: "must be a DNS-1123 label (lower-case letters, digits, '-')",
  });
const ipv4 = z.string().superRefine(problemCheck(ipv4Problem));
const cidr = z.string().superRefine(problemCheck(cidrProblem));
const port = z
  .number()
  .int()
  .min(1, { error: "must be a port in 1-65535" })
  .max(65535, { error: "must be a port in 1-65535" });
const nodePort = z
  .number()
  .int()
  .min(30000, { error: "must be a NodePort in 30000-32767" })
  .max(32767, { error: "must be a NodePort in 30000-32767" });
const duration = z
  .string()
  .regex(/^[0-9]+(ms|s|m|h)$/, { error: "must be a duration like 500ms, 30s, 5m or 1h" });
const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "must be a fully qualified DNS name" });
const urlString = z.string().regex(/^https?:\/\/[^\s]+$/, { error: "must be an http(s) URL" });
const pathPrefix = z.string().regex(/^\/[^\s]*$/, { error: "must be an absolute path starting with '/'" });
/** Name of an entry in `secrets`; resolved by the cross-field rules. */
const secretName = z.string().min(1);
/** Key of an entry in the pinned image catalog (lib/versions.ts). */
const imageKey = z.string().min(1);
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/, { error: "must be a quantity like 100m or 128Mi" });
const labels = z.record(z.string(), z.string());

export const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity, memory: quantity }),
});

// ---------------------------------------------------------------- cluster (Talos)
const diskSchema = z.union([
  z.strictObject({
    path: z.string().regex(/^\/dev\/\S+$/, { error: "must be a device path like /dev/sda" }),
  }),
  z.strictObject({ serial: z.string().min(1) }),
  z.strictObject({
    selector: z.strictObject({
      size: z.string().optional(),
      model: z.string().optional(),
      type: z.enum(["ssd", "hdd", "nvme", "sd"]).optional(),
      busPath: z.string().optional(),
    }),
  }),
]);

const talosNodeSchema = z.strictObject({
  name: dnsLabel,
  address: ipv4,
  controller: z.boolean(),
  /** Install disk: a device path, a serial number, or a selector. */
  disk: diskSchema,
  /** Link name the static address is applied to (or the alias given to the MAC-selected link). */
  interface: z.string().min(1).default("eth0"),
  mac: z
    .string()
    .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, {
      error: "must be a lower-case MAC address like 00:11:22:33:44:55",
    })
    .optional(),
  labels: labels.default({}),
  /** Whether Longhorn may place replicas on this node (default: every node). */
  storage: z.boolean().default(true),
  maintenance: nodeMaintenanceSchema,
  /** Extra machine-configuration documents for this node only. */
  patches: machinePatches,
});

const talosSchema = z.strictObject({
  enabled: z.boolean(),
  talosVersion: z
    .string()
    .regex(/^v[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Talos version like v1.13.9" }),
  kubernetesVersion: z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Kubernetes version like 1.36.3" }),
  /** Control-plane VIP announced by Talos (Layer2VIPConfig); the API endpoint is https://<vip>:6443. */
  apiVip: ipv4,
  network: z.strictObject({
    nodeCidr: cidr,
    gateway: ipv4,
    dnsServers: z.array(ipv4).min(1),
    ntpServers: z.array(z.string().min(1)).default([]),
    podCidr: cidr,
    serviceCidr: cidr,
  }),
  /** Official system extensions baked into the Image Factory schematic (form checked in checks/operations.ts). */
  extensions: z.array(z.string().min(1)),
  nodes: z.array(talosNodeSchema).min(1),
  rollout: talosRolloutSchema,
  current: talosCurrentSchema,
  /** Extra machine-configuration documents per role, applied after the program's own. */
  patches: z.strictObject({ controlplane: machinePatches, worker: machinePatches }).default({
    controlplane: [],
    worker: [],
  }),
  /** Why an even number of control planes is intended (etcd tolerates no more failures than with one fewer). */
  evenControlPlanesReason: z.string().min(1).optional(),
});

export const clusterSchema = z.strictObject({
  name: dnsLabel,
  /** Kubeconfig of an existing cluster, used when Talos is not managed here. */
  kubeconfigSecret: secretName.optional(),
  /** Facts about the nodes of an existing cluster (Talos off) that layers such as Longhorn depend on. */
  existingNodes: existingNodesSchema.optional(),
  talos: switchable(talosSchema),
});

// ---------------------------------------------------------------- Cilium / Longhorn
const ipBlock = z.union([z.strictObject({ cidr }), z.strictObject({ start: ipv4, stop: ipv4 })]);

export const ciliumSchema = z.strictObject({
  enabled: z.boolean(),
  lbPools: z.array(z.strictObject({ name: dnsLabel, blocks: z.array(ipBlock).min(1) })).default([]),
  l2Announcements: z
    .strictObject({ enabled: z.boolean(), interfaces: z.array(z.string()).default([]) })
    .default({ enabled: false, interfaces: [] }),
  bgp: z
    .strictObject({
      routerAddress: ipv4.optional(),
      routerAsn: z.number().int().positive().optional(),
      nodeAsn: z.number().int().positive().optional(),
    })
    .optional(),
  hubble: z.strictObject({ relay: z.boolean(), ui: z.boolean() }).default({ relay: false, ui: false }),
});

export const longhornSchema = z.strictObject({
  enabled: z.boolean(),
  namespace: dnsLabel.default("longhorn-system"),
  /** Longhorn's own default is 3 (longhorn/longhorn@v1.12.1: chart/values.yaml, persistence.defaultClassReplicaCount). */
  replicaCount: z.number().int().min(1).default(3),
  dataPath: z
    .string()
    .regex(/^\/\S*$/, { error: "must be an absolute path" })
    .default("/var/lib/longhorn/"),
  defaultStorageClass: z.boolean().default(true),
  backupTarget: z.string().optional(),
});

// ---------------------------------------------------------------- agentgateway
const listenerSchema = z.strictObject({
  name: dnsLabel,
  protocol: z.enum(["HTTP", "HTTPS"]),
  port,
  hostname: z.string().optional(),
  /** TLS certificate Secret for HTTPS listeners. */
  tls: z.strictObject({ secretName: dnsLabel, namespace: dnsLabel.optional() }).optional(),
  allowedRoutes: z.enum(["Same", "All"]).default("Same"),
});

const gatewayServiceSchema = z.discriminatedUnion("type", [
  /** NodePort numbers come from the exposure table, the single source shared with BIG-IP pools. */
  z.strictObject({ type: z.literal("NodePort") }),
  z.strictObject({ type: z.literal("LoadBalancer"), ip: ipv4 }),
  z.strictObject({ type: z.literal("ClusterIP") }),
]);

export const gatewaySchema = z.strictObject({
  name: dnsLabel,
  listeners: z.array(listenerSchema).min(1),
  service: gatewayServiceSchema,
  replicas: z.number().int().min(1).default(1),
  resources: resourcesSchema.optional(),
  /** Adds a route on every HTTP listener that redirects to https (301). */
  httpsRedirect: z.boolean().default(false),
});

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
  gateways: z.array(gatewaySchema).default([]),
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

// ---------------------------------------------------------------- LLM backends and routes
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
const memberName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
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
  z.strictObject({
    provider: z.literal("failover"),
    name: dnsLabel,
    /** Priority groups, highest priority first. */
    groups: z
      .array(z.strictObject({ providers: z.array(failoverProvider).min(1).max(16) }))
      .min(1)
      .max(8),
    eviction: evictionSchema,
  }),
]);

const routeRuleSchema = z.strictObject({
  pathPrefix,
  rewrite: z
    .union([z.strictObject({ fullPath: pathPrefix }), z.strictObject({ prefix: pathPrefix })])
    .optional(),
  backend: dnsLabel,
});

export const llmRouteSchema = z.strictObject({
  name: dnsLabel,
  gateway: dnsLabel,
  /** Listener (sectionName) to attach to; all listeners when omitted. */
  listener: dnsLabel.optional(),
  hostnames: z.array(z.string()).default([]),
  rules: z.array(routeRuleSchema).min(1),
});

export const llmSchema = z.strictObject({
  enabled: z.boolean(),
  backends: z.array(llmBackendSchema).default([]),
  routes: z.array(llmRouteSchema).default([]),
});

// ---------------------------------------------------------------- gateway policies
const policyTarget = z.strictObject({ kind: z.enum(["Gateway", "HTTPRoute", "Backend"]), name: dnsLabel });
const policyBase = {
  name: dnsLabel,
  enabled: z.boolean().default(true),
  targets: z.array(policyTarget).min(1),
};
const piiBuiltin = z.enum(["Ssn", "CreditCard", "PhoneNumber", "Email", "CaSin"]);

export const policySchema = z.discriminatedUnion("type", [
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
    /** Tools callable through the targeted MCP backend; everything else is denied. */
    allowTools: z.array(z.string().min(1)).min(1),
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
]);

export const policiesSchema = z.strictObject({
  enabled: z.boolean(),
  items: z.array(policySchema).default([]),
});

// ---------------------------------------------------------------- MCP servers
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
  z.strictObject({
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
  }),
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
  servers: z.array(mcpServerSchema).default([]),
});

// ---------------------------------------------------------------- kagent
export const kagentSchema = z.strictObject({
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
    .default([]),
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
    .default([]),
  agents: z
    .array(
      z.strictObject({
        name: dnsLabel,
        description: z.string().min(1),
        modelConfig: dnsLabel,
        systemMessage: z.string().min(1),
        tools: z
          .array(
            z.strictObject({ remoteMcpServer: dnsLabel, toolNames: z.array(z.string().min(1)).default([]) }),
          )
          .default([]),
        /** Other agents this one may call as tools. */
        agents: z.array(dnsLabel).default([]),
      }),
    )
    .default([]),
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
    .optional(),
  database: kagentDatabaseSchema.optional(),
  tools: kagentToolsSchema.default(kagentToolsDefault),
  telemetry: z.strictObject({ enabled: z.boolean() }).default({ enabled: false }),
});

// ---------------------------------------------------------------- observability
const ratio = z
  .number()
  .min(0, { error: "must be a ratio in 0-1" })
  .max(1, { error: "must be a ratio in 0-1" });

/** Alert thresholds: the AI gateway alerts of seed 002 and the agent alerts of seed 003, each overridable per stack. */
export const alertDefaults = {
  enabled: true,
  errorRateWarning: 0.05,
  errorRateCritical: 0.15,
  latencyP95Seconds: 30,
  rateLimitedPerSecond: 10,
  tokensPerMinuteLimit: 450000,
  tokensPerMinuteWarningRatio: 0.8,
  healthyBackendsMinRatio: 0.5,
  noTrafficFor: "30m",
  connectionPoolUsageRatio: 0.9,
  agentErrorRate: 0.05,
  agentLatencyP95Seconds: 2,
  agentMemoryRatio: 0.9,
  agentRestartsIn10m: 3,
  agentAvailability: 0.99,
};

export const observabilitySchema = z.strictObject({
  enabled: z.boolean(),
  collector: z
    .strictObject({
      enabled: z.boolean(),
      /** Release and Service name of the fan-out collector (the Service is exactly this name). */
      name: dnsLabel.default("otel-collector"),
      /** Namespace of the collector, and of the monitors, rules and dashboards of this layer. */
      namespace: dnsLabel,
      replicas: z.number().int().min(1).default(1),
      resources: resourcesSchema.optional(),
    })
    .prefault({ enabled: false, namespace: "observability" }),
  langfuse: z
    .strictObject({
      enabled: z.boolean(),
      /** Langfuse base URL; the collector appends /api/public/otel. */
      endpoint: urlString,
      publicKeySecret: secretName,
      secretKeySecret: secretName,
      /** What runs Langfuse when the endpoint is an in-cluster Service this program does not create. */
      providedBy: z.string().min(1).optional(),
    })
    .optional(),
  otlpExporters: z
    .array(
      z.strictObject({
        name: dnsLabel,
        /** host:port for grpc, a URL for http. */
        endpoint: z.string().min(1),
        protocol: z.enum(["grpc", "http"]),
        insecure: z.boolean().default(false),
        /** What runs the endpoint when it is an in-cluster Service this program does not create. */
        providedBy: z.string().min(1).optional(),
      }),
    )
    .default([]),
  gatewayTracing: z
    .strictObject({
      enabled: z.boolean(),
      accessLogs: z.boolean(),
      /** Share of new traces the proxies start (agentgateway randomSampling). */
      sampling: ratio.default(1),
    })
    .default({ enabled: true, accessLogs: true, sampling: 1 }),
  metrics: z
    .strictObject({
      enabled: z.boolean(),
      interval: duration.default("30s"),
      /** Labels on every monitor and rule, for the Prometheus selectors (kube-prometheus-stack: release). */
      labels: labels.default({}),
      /** Namespace of the Prometheus that scrapes workloads (allowed in on their metrics ports). */
      prometheusNamespace: dnsLabel.default("monitoring"),
    })
    .default({ enabled: true, interval: "30s", labels: {}, prometheusNamespace: "monitoring" }),
  alerts: z
    .strictObject({
      enabled: z.boolean(),
      errorRateWarning: ratio.default(alertDefaults.errorRateWarning),
      errorRateCritical: ratio.default(alertDefaults.errorRateCritical),
      latencyP95Seconds: z.number().positive().default(alertDefaults.latencyP95Seconds),
      rateLimitedPerSecond: z.number().positive().default(alertDefaults.rateLimitedPerSecond),
      tokensPerMinuteLimit: z.number().int().positive().default(alertDefaults.tokensPerMinuteLimit),
      tokensPerMinuteWarningRatio: ratio.default(alertDefaults.tokensPerMinuteWarningRatio),
      healthyBackendsMinRatio: ratio.default(alertDefaults.healthyBackendsMinRatio),
      noTrafficFor: duration.default(alertDefaults.noTrafficFor),
      connectionPoolUsageRatio: ratio.default(alertDefaults.connectionPoolUsageRatio),
      agentErrorRate: ratio.default(alertDefaults.agentErrorRate),
      agentLatencyP95Seconds: z.number().positive().default(alertDefaults.agentLatencyP95Seconds),
      agentMemoryRatio: ratio.default(alertDefaults.agentMemoryRatio),
      agentRestartsIn10m: z.number().int().min(0).default(alertDefaults.agentRestartsIn10m),
      agentAvailability: ratio.default(alertDefaults.agentAvailability),
    })
    .default(alertDefaults),
  dashboards: z.strictObject({ enabled: z.boolean() }).default({ enabled: true }),
});

// ---------------------------------------------------------------- exposures and edge
const exposureTarget = z.union([
  z.strictObject({ gateway: dnsLabel }),
  z.strictObject({ service: z.strictObject({ namespace: dnsLabel, name: dnsLabel }) }),
]);

export const exposureSchema = z.strictObject({
  name: dnsLabel,
  enabled: z.boolean().default(true),
  hostname,
  target: exposureTarget,
  /** BIG-IP virtual server: one per port, pool members are every node at the NodePort. */
  bigip: z
    .strictObject({
      vip: ipv4,
      ports: z.array(z.strictObject({ port, nodePort })).min(1),
    })
    .optional(),
  /** DNS published by this program (Cloudflare), or managed elsewhere (external). */
  dns: z
    .strictObject({
      provider: z.enum(["cloudflare", "external"]),
      mode: z.enum(["record", "tunnel"]).default("record"),
      proxied: z.boolean().default(false),
    })
    .default({ provider: "external", mode: "record", proxied: false }),
});

export const bigipSchema = z.strictObject({
  enabled: z.boolean(),
  addressSecret: secretName,
  usernameSecret: secretName,
  passwordSecret: secretName,
  /** Partition every LTM object is created in (objects are named /<partition>/<name>). */
  partition: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, { error: "must be a partition name like Common (no slashes)" })
    .default("Common"),
  /**
   * Turns TLS verification of the management API off. The provider's own default is true (off); here the
   * default is verification on, which needs trustedCertPath.
   */
  validateCertsDisable: z.boolean().default(false),
  /** PEM file (on the machine running Pulumi) of the CA that signed the management certificate. */
  trustedCertPath: z.string().min(1).optional(),
  /** Health monitor of every pool; BIG-IP requires interval < timeout. */
  monitor: z
    .strictObject({
      type: z.enum(["tcp", "http"]),
      interval: z.number().int().positive(),
      timeout: z.number().int().positive(),
    })
    .default({ type: "tcp", interval: 5, timeout: 16 }),
});

export const cloudflareSchema = z.strictObject({
  enabled: z.boolean(),
  apiTokenSecret: secretName,
  accountIdSecret: secretName,
  zone: hostname,
  tunnel: z
    .strictObject({
      enabled: z.boolean(),
      name: dnsLabel,
      namespace: dnsLabel,
      replicas: z.number().int().min(1).default(2),
      /** Secret holding the tunnel secret (base64 of at least 32 random bytes). */
      secret: secretName,
    })
    .optional(),
});

// ---------------------------------------------------------------- tenants
/** A whole-number percentage; the 1-100 range is a cross-field rule so that the message names the field. */
const percentage = z.number().int();
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" });
const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });

const tenantWorkloadSchema = z.strictObject({
  name: dnsLabel,
  /** `agent` workloads reach their model through the AI gateway; `service` workloads have no model. */
  kind: z.enum(["agent", "service"]).default("service"),
  image: imageKey,
  /** Container arguments; the image's own arguments when empty. */
  args: z.array(z.string()).default([]),
  /** LLM access through an AI gateway route (never a provider key): the URL goes into LLM_BASE_URL. */
  model: z
    .strictObject({
      /** Model name passed to the gateway (LLM_MODEL). */
      name: z.string().min(1),
      /** LLM route (llm.routes) whose gateway serves the model. */
      route: dnsLabel,
      /** Path prefix of one of the route's rules. */
      pathPrefix,
    })
    .optional(),
  /** HTTP port serving the API, /health and /metrics (named "http"). */
  port: port.default(8080),
  healthPath: pathPrefix.default("/health"),
  env: z.record(envName, z.string()).default({}),
  /** Environment variables filled from secrets (env name -> secret name). */
  secretEnv: z.record(envName, secretName).default({}),
  /** Workloads of the same tenant this one calls (NetworkPolicy ingress on theirs, egress on this one). */
  calls: z.array(dnsLabel).default([]),
  replicas: z.number().int().min(1).default(1),
  resources: resourcesSchema.default({
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
  }),
  /** HorizontalPodAutoscaler, or a KEDA ScaledObject (which owns its own HPA) when keda is set. */
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1),
      maxReplicas: z.number().int().min(1),
      targetCPUUtilizationPercentage: percentage,
      targetMemoryUtilizationPercentage: percentage.optional(),
      keda: z
        .strictObject({
          /** Prometheus base URL KEDA queries. */
          serverAddress: urlString,
          /** PromQL returning a single value. */
          query: z.string().min(1),
          /** Per-replica target value of the query. */
          threshold: z.number().positive(),
        })
        .optional(),
    })
    .optional(),
  /** VerticalPodAutoscaler (autoscaling.k8s.io/v1); `Off` only records recommendations. */
  vpa: z
    .strictObject({
      updateMode: z.enum(["Off", "Initial", "Recreate", "InPlaceOrRecreate"]).default("Off"),
      minAllowed: cpuMemory.optional(),
      maxAllowed: cpuMemory.optional(),
    })
    .optional(),
  gpu: z
    .strictObject({
      count: z.number().int().min(1),
      /** Extended resource name of the device plugin. */
      resource: z.string().min(1).default("nvidia.com/gpu"),
      nodeSelector: labels.default({}),
      tolerations: z
        .array(
          z.strictObject({
            key: z.string().min(1),
            operator: z.enum(["Exists", "Equal"]).default("Exists"),
            value: z.string().optional(),
            effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
          }),
        )
        .default([]),
    })
    .optional(),
  /** A ServiceMonitor scraping /metrics on the http port. */
  serviceMonitor: z.boolean().default(true),
});

export const tenantsSchema = z.strictObject({
  enabled: z.boolean(),
  items: z
    .array(
      z.strictObject({
        name: dnsLabel,
        adminGroups: z.array(z.string().min(1)).default([]),
        quota: z.strictObject({
          /** requests.cpu */
          cpu: quantity,
          /** requests.memory */
          memory: quantity,
          limitsCpu: quantity.optional(),
          limitsMemory: quantity.optional(),
          pods: z.number().int().positive(),
          /** requests.<gpu resource>; GPU workloads are refused when unset (0). */
          gpus: z.number().int().min(0).default(0),
        }),
        /** Container defaults and bounds (LimitRange). */
        limits: z
          .strictObject({
            defaultRequest: cpuMemory,
            default: cpuMemory,
            max: cpuMemory.optional(),
          })
          .default({
            defaultRequest: { cpu: "100m", memory: "128Mi" },
            default: { cpu: "500m", memory: "512Mi" },
          }),
        costCenter: z.string().optional(),
        /** Gateways whose MCP routes the tenant's pods may call (the AI gateways follow from the models). */
        mcpGateways: z.array(dnsLabel).default([]),
        workloads: z.array(tenantWorkloadSchema).default([]),
      }),
    )
    .default([]),
});

// ---------------------------------------------------------------- secrets
export const secretsSchema = z.record(
  dnsLabel,
  z.string().regex(SECRET_REF_PATTERN, {
    error: "must be op://<vault>/<item>/[<section>/]<field> or config:<key>",
  }),
);

/** A layer left out of the stack file is off. */
const off = { enabled: false } as const;

export const platformConfigSchema = z.strictObject({
  secrets: secretsSchema.default({}),
  cluster: clusterSchema,
  cilium: ciliumSchema.prefault(off),
  longhorn: longhornSchema.prefault(off),
  agentgateway: agentgatewaySchema.prefault(off),
  llm: llmSchema.prefault(off),
  policies: policiesSchema.prefault(off),
  mcp: mcpSchema.prefault(off),
  kagent: kagentSchema.prefault(off),
  observability: observabilitySchema.prefault(off),
  exposures: z.array(exposureSchema).default([]),
  bigip: switchable(bigipSchema).optional(),
  cloudflare: switchable(cloudflareSchema).optional(),
  tenants: tenantsSchema.default({ enabled: false, items: [] }),
  adoption: adoptionSchema.default(adoptionSchema.parse({})),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type ClusterConfig = PlatformConfig["cluster"];
/** Talos settings when Talos is on (with Talos off, no other Talos field is required). */
export type TalosConfig = Extract<ClusterConfig["talos"], { enabled: true }>;
export type TalosNodeConfig = TalosConfig["nodes"][number];
export type CiliumConfig = PlatformConfig["cilium"];
export type LonghornConfig = PlatformConfig["longhorn"];
export type AgentgatewayConfig = PlatformConfig["agentgateway"];
export type GatewayConfig = AgentgatewayConfig["gateways"][number];
export type LlmConfig = PlatformConfig["llm"];
export type LlmBackendConfig = LlmConfig["backends"][number];
export type LlmRouteConfig = LlmConfig["routes"][number];
export type PolicyConfig = PlatformConfig["policies"]["items"][number];
export type McpConfig = PlatformConfig["mcp"];
export type McpServerConfig = McpConfig["servers"][number];
export type KagentConfig = PlatformConfig["kagent"];
export type ObservabilityConfig = PlatformConfig["observability"];
export type ExposureConfig = PlatformConfig["exposures"][number];
/** The BIG-IP and Cloudflare layers when on; off, they need no other field. */
export type BigipConfig = Extract<NonNullable<PlatformConfig["bigip"]>, { enabled: true }>;
export type CloudflareConfig = Extract<NonNullable<PlatformConfig["cloudflare"]>, { enabled: true }>;
export type TenantsConfig = PlatformConfig["tenants"];
export type TenantConfig = TenantsConfig["items"][number];
export type TenantWorkloadConfig = TenantConfig["workloads"][number];
