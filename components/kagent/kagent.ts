import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, KagentConfig, LlmRouteConfig, McpServerConfig } from "../../stacks/schema";
import { charts, images, isImageKey } from "../versions";
import { networkPolicySpec, publicHttpsEgress, Resources, Workload } from "../workload";
import {
  agentSpec,
  kagentChartValues,
  localMcpServerSpec,
  MODEL_API_KEY,
  modelBaseUrl,
  modelConfigSpec,
  modelSecretName,
  remoteMcpServerSpec,
} from "./specs";
import { resolvedSecret } from "../platform/resolvedSecrets";

/** Port of the kagent controller API (helm/kagent/values.yaml controller.service.ports.port). */
export const KAGENT_CONTROLLER_PORT = 8083;
/** Helm release name; the controller Service is `<release>-controller`. */
export const KAGENT_RELEASE = "kagent";

const SLACK_BOT_RESOURCES: Resources = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};
const LOCAL_MCP_RESOURCES: Resources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

export interface KagentMetrics {
  /** Namespace of the Prometheus that scrapes the Slack bot. */
  namespace: pulumi.Input<string>;
  /** Create a ServiceMonitor for the Slack bot. */
  serviceMonitor: boolean;
  /** prometheus-operator CRDs (ServiceMonitor), installed by another layer. */
  monitoringCrds?: pulumi.Resource;
}

export interface KagentArgs {
  /** The `kagent` config slice. */
  config: KagentConfig;
  /** kagent namespace name, from the Namespace's `metadata.name` output. */
  namespace: pulumi.Input<string>;
  /** Name of the agentgateway namespace, used in the in-cluster URLs of routes (agentgateway.namespace). */
  gatewayNamespace: string;
  /** The AI gateway's Gateways (agentgateway.gateways): listener ports of the URLs. */
  gateways: GatewayConfig[];
  /** LLM routes (llm.routes): model configs point at one of their rules. */
  llmRoutes: LlmRouteConfig[];
  /** MCP servers (mcp.servers): RemoteMCPServers point at their routes. */
  mcpServers: McpServerConfig[];
  /** Resolved secrets by name (secret Outputs): model keys and Slack tokens. */
  secrets: Record<string, pulumi.Input<string>>;
  /** OTLP gRPC endpoint (host:port) of the trace collector (Observability.otlpGrpcEndpoint or `collectorEndpoint`). */
  telemetryEndpoint?: pulumi.Input<string>;
  /** The MCP layer; RemoteMCPServers wait for it because the controller lists tools on creation. */
  mcpServersResource?: pulumi.Resource;
  /** Metrics scraping of the Slack bot. */
  metrics?: KagentMetrics;
}

/**
 * kagent (kagent-dev/kagent@v0.9.12) with kmcp: the CRDs chart, the kagent chart, ModelConfigs on the AI
 * gateway's LLM routes, RemoteMCPServers on the MCP routes, the declared Agents, and the Slack bot with its
 * local kmcp MCPServer.
 */
export class Kagent extends pulumi.ComponentResource {
  public readonly crds: k8s.helm.v4.Chart;
  public readonly chart: k8s.helm.v4.Chart;
  public readonly modelSecrets: Record<string, k8s.core.v1.Secret> = {};
  public readonly modelConfigs: Record<string, k8s.apiextensions.CustomResource> = {};
  public readonly remoteMcpServers: Record<string, k8s.apiextensions.CustomResource> = {};
  public readonly agents: Record<string, k8s.apiextensions.CustomResource> = {};
  public readonly slackBot?: Workload;
  public readonly localMcpServer?: k8s.apiextensions.CustomResource;
  /** PodDisruptionBudget and NetworkPolicy of the local MCPServer's pods. */
  public readonly localMcpServerGuards: pulumi.CustomResource[] = [];
  /** In-cluster URL of the kagent controller API (A2A, agents). */
  public readonly controllerUrl: string;

  constructor(name: string, args: KagentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kagent:Kagent", name, {}, opts);
    const cfg = args.config;
    const labels = { "app.kubernetes.io/part-of": "ai-platform", "app.kubernetes.io/managed-by": "pulumi" };
    this.controllerUrl = `http://${KAGENT_RELEASE}-controller.${cfg.namespace}.svc.cluster.local:${KAGENT_CONTROLLER_PORT}`;

    this.crds = new k8s.helm.v4.Chart(
      `${name}-crds`,
      {
        chart: charts.kagentCrds.chart,
        version: charts.kagentCrds.version,
        name: `${KAGENT_RELEASE}-crds`,
        namespace: args.namespace,
      },
      // Deleting the CRDs deletes every Agent, ModelConfig and MCP server object in the cluster.
      { parent: this, protect: true },
    );

    for (const secret of [...new Set(cfg.modelConfigs.map((m) => m.secret))].sort()) {
      this.modelSecrets[secret] = new k8s.core.v1.Secret(
        `${name}-model-${secret}`,
        {
          metadata: { name: modelSecretName(secret), namespace: args.namespace, labels },
          type: "Opaque",
          stringData: {
            [MODEL_API_KEY]: pulumi.secret(resolvedSecret(args.secrets, secret, "kagent.modelConfigs")),
          },
        },
        { parent: this },
      );
    }

    const baseUrls = Object.fromEntries(
      cfg.modelConfigs.map((m) => [
        m.name,
        modelBaseUrl(m, args.llmRoutes, args.gateways, args.gatewayNamespace),
      ]),
    );
    const first = cfg.modelConfigs[0];
    this.chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        chart: charts.kagent.chart,
        version: charts.kagent.version,
        name: KAGENT_RELEASE,
        namespace: args.namespace,
        values: kagentChartValues({
          config: cfg,
          defaultModel:
            first === undefined
              ? undefined
              : {
                  model: first.model,
                  secretName: modelSecretName(first.secret),
                  baseUrl: baseUrls[first.name]!,
                },
          telemetryEndpoint: args.telemetryEndpoint,
        }),
      },
      // The chart renders kagent.dev objects (default-model-config, tool server) that need the CRDs.
      { parent: this, dependsOn: [this.crds] },
    );

    for (const mc of cfg.modelConfigs) {
      this.modelConfigs[mc.name] = new k8s.apiextensions.CustomResource(
        `${name}-model-config-${mc.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "ModelConfig",
          metadata: { name: mc.name, namespace: args.namespace, labels },
          spec: modelConfigSpec(mc, baseUrls[mc.name]!),
        },
        // ModelConfig is a kagent CRD kind; the controller reads the key Secret when it reconciles.
        { parent: this, dependsOn: [this.crds, this.modelSecrets[mc.secret]!] },
      );
    }

    for (const r of cfg.remoteMcpServers) {
      this.remoteMcpServers[r.name] = new k8s.apiextensions.CustomResource(
        `${name}-remote-mcp-${r.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "RemoteMCPServer",
          metadata: { name: r.name, namespace: args.namespace, labels },
          spec: remoteMcpServerSpec(r, args.mcpServers, args.gateways, args.gatewayNamespace),
        },
        // RemoteMCPServer is a kagent CRD kind; the controller discovers tools through the route when it is created.
        {
          parent: this,
          dependsOn: [this.crds, ...(args.mcpServersResource !== undefined ? [args.mcpServersResource] : [])],
        },
      );
    }

    for (const agent of cfg.agents) {
      const refs = [
        this.modelConfigs[agent.modelConfig],
        ...agent.tools.map((t) => this.remoteMcpServers[t.remoteMcpServer]),
      ].filter((r): r is k8s.apiextensions.CustomResource => r !== undefined);
      this.agents[agent.name] = new k8s.apiextensions.CustomResource(
        `${name}-agent-${agent.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "Agent",
          metadata: { name: agent.name, namespace: args.namespace, labels },
          spec: agentSpec(agent),
        },
        // Agent is a kagent CRD kind; its model config and tool servers exist first so the first reconcile succeeds.
        { parent: this, dependsOn: [this.crds, ...refs] },
      );
    }

    const bot = cfg.slackBot;
    if (bot !== undefined && bot.enabled) {
      if (!isImageKey(bot.image)) throw new Error(`kagent.slackBot: unknown image "${bot.image}"`);
      this.slackBot = new Workload(
        `${name}-slack-bot`,
        {
          namespace: args.namespace,
          objectName: "slack-bot",
          component: "slack-bot",
          partOf: "ai-platform",
          image: images[bot.image],
          // Environment contract of kagent-dev/kagent:slackbot/src/kagent_slackbot/config.py and constants.py.
          env: {
            KAGENT_BASE_URL: this.controllerUrl,
            SERVER_HOST: "0.0.0.0",
            SERVER_PORT: "8080",
            LOG_LEVEL: "INFO",
            DEFAULT_AGENT_NAMESPACE: cfg.namespace,
            DEFAULT_AGENT_NAME: bot.agent,
            HOME: "/tmp",
          },
          secretEnv: {
            SLACK_BOT_TOKEN: resolvedSecret(
              args.secrets,
              bot.botTokenSecret,
              "kagent.slackBot.botTokenSecret",
            ),
            SLACK_APP_TOKEN: resolvedSecret(
              args.secrets,
              bot.appTokenSecret,
              "kagent.slackBot.appTokenSecret",
            ),
            SLACK_SIGNING_SECRET: resolvedSecret(
              args.secrets,
              bot.signingSecret,
              "kagent.slackBot.signingSecret",
            ),
          },
          ports: [{ name: "http", port: 8080 }],
          resources: SLACK_BOT_RESOURCES,
          probes: {
            readiness: { type: "http", path: "/ready", port: "http", periodSeconds: 10 },
            liveness: {
              type: "http",
              path: "/health",
              port: "http",
              initialDelaySeconds: 30,
              periodSeconds: 20,
            },
          },
          writablePaths: ["/tmp"],
          // The image runs as appuser (UID 1000), which owns /app (slackbot/Dockerfile).
          runAsUser: 1000,
          // Socket Mode: the bot dials out to Slack; nothing connects in except the metrics scraper.
          ingress: [],
          egress: [
            publicHttpsEgress([443]),
            { to: { namespace: args.namespace }, ports: [{ port: KAGENT_CONTROLLER_PORT }] },
          ],
          metrics:
            args.metrics === undefined
              ? undefined
              : {
                  port: "http",
                  path: "/metrics",
                  fromNamespace: args.metrics.namespace,
                  serviceMonitor: args.metrics.serviceMonitor,
                },
          monitoringCrds: args.metrics?.monitoringCrds,
        },
        { parent: this },
      );

      const local = bot.localMcpServer;
      if (local !== undefined) {
        if (!isImageKey(local.image))
          throw new Error(`kagent.slackBot.localMcpServer: unknown image "${local.image}"`);
        const envSecretName = `${local.name}-env`;
        const envSecret = new k8s.core.v1.Secret(
          `${name}-${local.name}-env`,
          {
            metadata: { name: envSecretName, namespace: args.namespace, labels },
            type: "Opaque",
            stringData: {
              [local.tokenEnv]: pulumi.secret(
                resolvedSecret(args.secrets, bot.botTokenSecret, "kagent.slackBot.botTokenSecret"),
              ),
            },
          },
          { parent: this },
        );
        this.localMcpServer = new k8s.apiextensions.CustomResource(
          `${name}-${local.name}`,
          {
            apiVersion: "kagent.dev/v1alpha1",
            kind: "MCPServer",
            metadata: { name: local.name, namespace: args.namespace, labels },
            spec: localMcpServerSpec({
              image: images[local.image],
              port: local.port,
              path: local.path,
              env: local.env,
              tokenSecretName: envSecretName,
              resources: LOCAL_MCP_RESOURCES,
            }),
          },
          // MCPServer is a kmcp CRD kind (shipped with kagent-crds); kmcp mounts the env Secret into its pods.
          { parent: this, dependsOn: [this.crds, envSecret] },
        );
        // kmcp labels the pods of an MCPServer with name and instance = the MCPServer's name
        // (kagent-dev/kmcp:pkg/controller/transportadapter/transportadapter_translator.go), so the
        // disruption budget and the network policy of the Workload block can be applied to them here.
        const selector = { "app.kubernetes.io/name": local.name, "app.kubernetes.io/instance": local.name };
        const metadata = { name: local.name, namespace: args.namespace, labels };
        this.localMcpServerGuards = [
          new k8s.policy.v1.PodDisruptionBudget(
            `${name}-${local.name}-pdb`,
            { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
            { parent: this },
          ),
          new k8s.networking.v1.NetworkPolicy(
            `${name}-${local.name}-netpol`,
            {
              metadata,
              spec: networkPolicySpec(
                selector,
                [{ from: { namespace: args.namespace }, ports: [{ port: local.port }] }],
                [publicHttpsEgress([443])],
              ) as unknown as k8s.types.input.networking.v1.NetworkPolicySpec,
            },
            { parent: this },
          ),
        ];
      }
    }

    this.registerOutputs({
      controllerUrl: this.controllerUrl,
      agents: Object.keys(this.agents),
      remoteMcpServers: Object.keys(this.remoteMcpServers),
      modelConfigs: Object.keys(this.modelConfigs),
    });
  }
}
