import type * as pulumi from "@pulumi/pulumi";
import type { AddressBook } from "../../lib/addressBook";
import { KAGENT_CONTROLLER_POD_LABELS, KAGENT_RELEASE } from "../../lib/kagent";
import type { ImagePin } from "../../lib/versions";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, Resources } from "../workload";

/*
 * Pure builders of the kagent objects (kagent-dev/kagent@v0.9.12, CRDs kagent.dev v1alpha2) and of the kagent
 * chart values.
 */

/** Port of the kagent controller API (helm/kagent/values.yaml controller.service.ports.port). */
export const KAGENT_CONTROLLER_PORT = 8083;

/** A kagent ModelConfig: a model served OpenAI-compatibly by a rule of an LLM route on the AI gateway. */
export interface KagentModelConfig {
  name: string;
  model: string;
  /** LLM route serving the model. */
  route: string;
  /** Path prefix of the route rule used as base URL. */
  pathPrefix: string;
  /** Stack secret holding the API key. */
  secret: string;
}

/** A kagent RemoteMCPServer: an MCP server reached through its gateway route. */
export interface KagentRemoteMcpServer {
  name: string;
  /** MCP server (of the MCP layer) behind it. */
  server: string;
  description: string;
  /** Request timeout (Go duration). */
  timeout: string;
}

/** A declarative kagent Agent. */
export interface KagentAgent {
  name: string;
  description: string;
  /** ModelConfig it runs on. */
  modelConfig: string;
  systemMessage: string;
  /** RemoteMCPServers it uses, optionally narrowed to some of their tools. */
  tools: { remoteMcpServer: string; toolNames: string[] }[];
  /** Other agents it may call as tools. */
  agents: string[];
}

/** The Slack bot talking to agents over A2A. */
export interface KagentSlackBot {
  enabled: boolean;
  /** Catalog key or explicit pin of the bot's image (required when enabled). */
  image?: string | ImagePin;
  /** Stack secrets of the bot token, the Socket Mode app token and the request signing secret. */
  botTokenSecret: string;
  appTokenSecret: string;
  signingSecret: string;
  /** Agent answering when no other agent matches. */
  agent: string;
}

/** What the kagent layer runs. */
export interface KagentSettings {
  /** Namespace name, used in the controller URL. */
  namespace: string;
  ui: { enabled: boolean };
  modelConfigs: KagentModelConfig[];
  remoteMcpServers: KagentRemoteMcpServer[];
  agents: KagentAgent[];
  slackBot?: KagentSlackBot;
  /** Stack secret with the controller's PostgreSQL URL. */
  database?: { urlSecret: string };
  /** The kagent-tools MCP server and the reach of its ClusterRole. */
  tools: { enabled: boolean; access: "readOnly" | "clusterAdmin" };
  /** Agent traces to the collector. */
  telemetry: { enabled: boolean };
}

/** What kagent reads of the gateway layer's address book: model-route and MCP server URLs, and the routes' namespace. */
export type KagentAddresses = Pick<AddressBook, "mcpServers" | "namespace"> & {
  llmRoutes: Record<string, { urls: Record<string, string> }>;
};

/** Secret key holding the OpenAI-compatible API key, as the chart names it (helm/kagent/values.yaml providers.openAI). */
export const MODEL_API_KEY = "OPENAI_API_KEY";

/** Bundled agents of the kagent chart (helm/kagent/Chart-template.yaml); off, so only declared agents run. */
export const BUNDLED_AGENTS = [
  "k8s-agent",
  "kgateway-agent",
  "istio-agent",
  "promql-agent",
  "observability-agent",
  "argo-rollouts-agent",
  "helm-agent",
  "cilium-policy-agent",
  "cilium-manager-agent",
  "cilium-debug-agent",
] as const;

/** Kubernetes Secret (in the kagent namespace) holding the API key of a stack secret. */
export function modelSecretName(secret: string): string {
  return `kagent-${secret}`;
}

/**
 * OpenAI-compatible base URL of a model config: the LLM route's rule on its gateway, e.g.
 * http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/openai (the client appends /chat/completions).
 */
export function modelBaseUrl(
  mc: Pick<KagentModelConfig, "route" | "pathPrefix">,
  addresses: Pick<KagentAddresses, "llmRoutes">,
): string {
  const url = addresses.llmRoutes[mc.route]?.urls[mc.pathPrefix];
  if (url === undefined) throw new Error(`the address book has no URL for ${mc.route} ${mc.pathPrefix}`);
  return url;
}

/** ModelConfig v1alpha2 spec: provider OpenAI through the AI gateway's route, key from a Secret. */
export function modelConfigSpec(mc: KagentModelConfig, baseUrl: string): Record<string, unknown> {
  return {
    model: mc.model,
    provider: "OpenAI",
    apiKeySecret: modelSecretName(mc.secret),
    apiKeySecretKey: MODEL_API_KEY,
    openAI: { baseUrl },
  };
}

/** RemoteMCPServer v1alpha2 spec for an MCP server fronted by agentgateway, at its address book URL. */
export function remoteMcpServerSpec(
  r: KagentRemoteMcpServer,
  addresses: Pick<KagentAddresses, "mcpServers">,
): Record<string, unknown> {
  const url = addresses.mcpServers[r.server];
  if (url === undefined) throw new Error(`the address book has no URL for MCP server "${r.server}"`);
  return {
    description: r.description,
    // agentgateway terminates MCP itself and speaks Streamable HTTP to clients whatever the upstream transport.
    protocol: "STREAMABLE_HTTP",
    url,
    timeout: r.timeout,
  };
}

/** Requests and limits of every declarative agent pod. */
export const AGENT_RESOURCES: Resources = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};

/**
 * Agent v1alpha2 spec. Tool references name `apiGroup: kagent.dev, kind: RemoteMCPServer` explicitly: the
 * translator resolves an empty kind to a kmcp MCPServer (go/core/internal/controller/translator/agent/adk_api_translator.go).
 * Agent pods get the restricted security context (not a read-only root: the ADK runtime writes to its home).
 */
export function agentSpec(agent: KagentAgent): Record<string, unknown> {
  const tools: Array<Record<string, unknown>> = [
    ...agent.tools.map((t) => {
      const mcpServer: Record<string, unknown> = {
        apiGroup: "kagent.dev",
        kind: "RemoteMCPServer",
        name: t.remoteMcpServer,
      };
      if (t.toolNames.length > 0) mcpServer["toolNames"] = t.toolNames;
      return { type: "McpServer", mcpServer };
    }),
    ...agent.agents.map((name) => ({ type: "Agent", agent: { name } })),
  ];
  // The image's own non-root user is kept (no fixed UID) and its root filesystem stays writable.
  const containerContext = omit(restrictedContainerSecurityContext(), ["readOnlyRootFilesystem"]);
  const podContext = omit(restrictedPodSecurityContext(), ["runAsUser", "runAsGroup", "fsGroup"]);
  return {
    type: "Declarative",
    description: agent.description,
    declarative: {
      runtime: "python",
      modelConfig: agent.modelConfig,
      systemMessage: agent.systemMessage,
      tools,
      deployment: {
        resources: AGENT_RESOURCES,
        podSecurityContext: podContext,
        securityContext: containerContext,
      },
    },
  };
}

function omit(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

/**
 * The controller's metrics Service as the chart renders it with `controller.metrics.enabled` and secure serving
 * off: `<release>-controller-metrics` with the controller labels, port `http-metrics` (`https` with secure
 * serving) on 8443 (helm/kagent/templates/controller-metrics-service.yaml, _helpers.tpl kagent.controller.labels,
 * values.yaml controller.metrics). The API Service `<release>-controller` carries the same labels but no port of
 * that name, so a monitor selecting these labels and this port scrapes the metrics Service only.
 */
export const KAGENT_METRICS_SERVICE = {
  name: `${KAGENT_RELEASE}-controller-metrics`,
  labels: KAGENT_CONTROLLER_POD_LABELS,
  port: "http-metrics",
  scheme: "http",
} as const;

/** Secret (in the kagent namespace) with the database URL, and where the controller reads it. */
export const DATABASE_URL_SECRET = `${KAGENT_RELEASE}-database-url`;
export const DATABASE_URL_KEY = "url";
const DATABASE_URL_DIR = "/etc/kagent/database";

export interface ChartValuesInput {
  /** kagent's namespace (where its agents live), UI, tools and telemetry switches. */
  config: Pick<KagentSettings, "namespace" | "ui" | "tools" | "telemetry">;
  /** Serve controller metrics on the chart's metrics Service (scraped by KAGENT_METRICS_SERVICE's monitor). */
  controllerMetrics?: boolean;
  /** The model config the chart's own `default-model-config` mirrors, with its base URL. */
  defaultModel?: { model: string; secretName: string; baseUrl: string };
  /** OTLP gRPC endpoint (host:port) of the trace collector. */
  telemetryEndpoint?: pulumi.Input<string>;
}

/** Values of the kagent chart (kagent-dev/kagent@v0.9.12:helm/kagent/values.yaml). */
export function kagentChartValues(input: ChartValuesInput): Record<string, unknown> {
  const values: Record<string, unknown> = {
    // The chart's defaults, stated so that a chart upgrade cannot loosen them (restricted profile, read-only root).
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    // The chart renders one UI Deployment (it has no enable flag): 0 replicas switches it off.
    ui: { replicas: input.config.ui.enabled ? 1 : 0 },
    kmcp: { enabled: true },
    // The bundled Postgres is "for development and evaluation only" with the literal password `kagent`
    // (templates/postgresql-secret.yaml), so it is off and the controller reads the URL of the stack's database
    // from a file: urlFile wins over url and bundled (templates/controller-deployment.yaml), and keeps the
    // password out of the Deployment's env.
    database: {
      postgres: { urlFile: `${DATABASE_URL_DIR}/${DATABASE_URL_KEY}`, bundled: { enabled: false } },
    },
    // Without rbac.namespaces the getter rules (get/list/watch on every core resource) are a ClusterRole bound
    // cluster-wide, so the controller would read every Secret of the cluster; with it, a Role and RoleBinding in
    // kagent's own namespace, where the program creates every agent, and the controller watches only that
    // namespace (templates/rbac/getter-role.yaml, writer-role.yaml, values.yaml rbac.namespaces).
    rbac: { namespaces: [input.config.namespace] },
    controller: {
      volumes: [{ name: "database-url", secret: { secretName: DATABASE_URL_SECRET } }],
      volumeMounts: [{ name: "database-url", mountPath: DATABASE_URL_DIR, readOnly: true }],
      // Secure serving would need every scraper to hold a token bound to `<release>-metrics-reader` and to
      // skip verification of the controller's self-signed certificate; plain HTTP like the other targets.
      metrics: { enabled: input.controllerMetrics ?? false, secureServing: false },
    },
    // The kagent-tools subchart (kagent-dev/tools@v0.2.1) defaults to a `*`/`*`/`*` ClusterRole; readOnly gives
    // get/list/watch without Secrets (templates/clusterrole.yaml) and --read-only drops its write tools
    // (cmd/main.go).
    "kagent-tools":
      input.config.tools.access === "readOnly"
        ? { enabled: input.config.tools.enabled, rbac: { readOnly: true }, tools: { args: ["--read-only"] } }
        : { enabled: input.config.tools.enabled, rbac: { readOnly: false } },
    // querydoc (doc2vec) defaults on with an empty OpenAI key (values.yaml querydoc.openai.apiKey) and no agent
    // here uses it.
    querydoc: { enabled: false },
    // grafana-mcp needs a Grafana URL and service-account token this platform does not run.
    "grafana-mcp": { enabled: false },
    otel: {
      tracing: {
        enabled: input.config.telemetry.enabled && input.telemetryEndpoint !== undefined,
        exporter: {
          otlp: { endpoint: input.telemetryEndpoint ?? "", protocol: "grpc", insecure: true, timeout: 15000 },
        },
      },
    },
  };
  for (const agent of BUNDLED_AGENTS) values[agent] = { enabled: false };
  if (input.defaultModel !== undefined) {
    values["providers"] = {
      default: "openAI",
      openAI: {
        provider: "OpenAI",
        model: input.defaultModel.model,
        apiKeySecretRef: input.defaultModel.secretName,
        apiKeySecretKey: MODEL_API_KEY,
        config: { baseUrl: input.defaultModel.baseUrl },
      },
    };
  }
  return values;
}
