import { KAGENT_CONTROLLER_POD_LABELS, KAGENT_RELEASE, SLACK_BOT_NAME } from "../../lib/kagent";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringSettings } from "../../lib/monitoring";
import { charts, imagePin } from "../../lib/versions";
import { namespacePeer, publicHttpsEgress, rule, tcp } from "../../lib/networkPolicy";
import { Resources, Workload } from "../workload";
import {
  agentSpec,
  DATABASE_URL_KEY,
  DATABASE_URL_SECRET,
  KAGENT_CONTROLLER_PORT,
  kagentChartValues,
  KagentAddresses,
  KagentSettings,
  MODEL_API_KEY,
  modelBaseUrl,
  modelConfigSpec,
  modelSecretName,
  remoteMcpServerSpec,
} from "./specs";
import { resolvedSecret } from "../platform/resolvedSecrets";
import { agentRouteLabels, emitKagentTelemetry } from "./telemetry";
import { KAGENT_WAITS, READINESS_TIMEOUTS, readinessAnnotations } from "../../lib/readiness";

const SLACK_BOT_RESOURCES: Resources = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
};

export interface KagentArgs {
  /** The `kagent` config slice. */
  config: KagentSettings;
  /** kagent namespace name, from the Namespace's `metadata.name` output. */
  namespace: pulumi.Input<string>;
  /** The gateway layer's address book: model configs call LLM route URLs, RemoteMCPServers MCP server URLs. */
  addresses: KagentAddresses;
  /** Resolved secrets by name (secret Outputs): model keys, Slack tokens and the database URL. */
  secrets: Record<string, pulumi.Input<string>>;
  /** The MCP layer; RemoteMCPServers wait for it because the controller lists tools on creation. */
  mcpServersResource?: pulumi.Resource;
  /**
   * The shared monitoring settings, when the observability layer runs: traces go to its collector (when
   * `telemetry` is on), and with metrics on the controller and the Slack bot are scraped.
   */
  monitoring?: MonitoringSettings;
}

/**
 * kagent (kagent-dev/kagent@v0.9.12) with kmcp: the CRDs chart, the kagent chart on the stack's database,
 * ModelConfigs on the AI gateway's LLM routes, RemoteMCPServers on the MCP routes, the declared Agents, and the
 * Slack bot, which reaches agents over A2A through the controller.
 */
export class Kagent extends pulumi.ComponentResource {
  /** In-cluster URL of the kagent controller API (A2A, agents). */
  public readonly controllerUrl: string;
  /** Names of the layer's dashboard ConfigMaps. */
  public readonly dashboardNames: string[];

  constructor(name: string, args: KagentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:kagent:Kagent", name, {}, opts);
    const cfg = args.config;
    const modelSecrets: Record<string, k8s.core.v1.Secret> = {};
    const modelConfigs: Record<string, k8s.apiextensions.CustomResource> = {};
    const remoteMcpServers: Record<string, k8s.apiextensions.CustomResource> = {};
    const agents: Record<string, k8s.apiextensions.CustomResource> = {};
    const labels = { "app.kubernetes.io/part-of": "ai-platform", "app.kubernetes.io/managed-by": "pulumi" };
    const monitoring = args.monitoring;
    // Prometheus scrapes the controller and the Slack bot from its namespace.
    const metrics = monitoring?.metrics ? { namespace: monitoring.prometheusNamespace } : undefined;
    this.controllerUrl = `http://${KAGENT_RELEASE}-controller.${cfg.namespace}.svc.cluster.local:${KAGENT_CONTROLLER_PORT}`;

    const crds = new k8s.helm.v4.Chart(
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
      modelSecrets[secret] = new k8s.core.v1.Secret(
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

    // The controller's database URL, mounted as the chart's `database.postgres.urlFile`.
    let databaseUrl: k8s.core.v1.Secret | undefined;
    if (cfg.database !== undefined) {
      databaseUrl = new k8s.core.v1.Secret(
        `${name}-database-url`,
        {
          metadata: { name: DATABASE_URL_SECRET, namespace: args.namespace, labels },
          type: "Opaque",
          stringData: {
            [DATABASE_URL_KEY]: pulumi.secret(
              resolvedSecret(args.secrets, cfg.database.urlSecret, "kagent.database.urlSecret"),
            ),
          },
        },
        { parent: this },
      );
    }

    const baseUrls = Object.fromEntries(
      cfg.modelConfigs.map((m) => [m.name, modelBaseUrl(m, args.addresses)]),
    );
    const first = cfg.modelConfigs[0];
    new k8s.helm.v4.Chart(
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
          telemetryEndpoint: cfg.telemetry.enabled
            ? monitoring?.collector?.apply((c) => c.grpcUrl)
            : undefined,
          controllerMetrics: metrics !== undefined,
        }),
      },
      // The chart renders kagent.dev objects (default-model-config, tool server) that need the CRDs; the
      // controller mounts the database URL Secret and cannot start without it.
      {
        parent: this,
        dependsOn: [crds, ...(databaseUrl !== undefined ? [databaseUrl] : [])],
      },
    );

    for (const mc of cfg.modelConfigs) {
      modelConfigs[mc.name] = new k8s.apiextensions.CustomResource(
        `${name}-model-config-${mc.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "ModelConfig",
          metadata: {
            name: mc.name,
            namespace: args.namespace,
            labels,
            annotations: readinessAnnotations(KAGENT_WAITS.modelConfig, READINESS_TIMEOUTS.modelConfig),
          },
          spec: modelConfigSpec(mc, baseUrls[mc.name]!),
        },
        // ModelConfig is a kagent CRD kind; the controller reads the key Secret when it reconciles.
        { parent: this, dependsOn: [crds, modelSecrets[mc.secret]!] },
      );
    }

    for (const r of cfg.remoteMcpServers) {
      remoteMcpServers[r.name] = new k8s.apiextensions.CustomResource(
        `${name}-remote-mcp-${r.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "RemoteMCPServer",
          metadata: {
            name: r.name,
            namespace: args.namespace,
            labels,
            // Accepted once kagent lists its tools through the gateway route; the gateway layer and the MCP
            // servers never wait for it.
            annotations: readinessAnnotations(
              KAGENT_WAITS.remoteMcpServer,
              READINESS_TIMEOUTS.remoteMcpServer,
            ),
          },
          spec: remoteMcpServerSpec(r, args.addresses),
        },
        // RemoteMCPServer is a kagent CRD kind; the controller discovers tools through the route when it is created.
        {
          parent: this,
          dependsOn: [crds, ...(args.mcpServersResource !== undefined ? [args.mcpServersResource] : [])],
        },
      );
    }

    for (const agent of agentsInCallOrder(cfg.agents)) {
      const refs = [
        modelConfigs[agent.modelConfig],
        ...agent.tools.map((t) => remoteMcpServers[t.remoteMcpServer]),
        // kagent compiles an agent only once the agents it calls exist and does not retry when they appear
        // (reconciler.go ReconcileKagentAgent returns no error; agent_controller.go watches no Agents).
        ...agent.agents.map((a) => agents[a]),
      ].filter((r): r is k8s.apiextensions.CustomResource => r !== undefined);
      agents[agent.name] = new k8s.apiextensions.CustomResource(
        `${name}-agent-${agent.name}`,
        {
          apiVersion: "kagent.dev/v1alpha2",
          kind: "Agent",
          metadata: {
            name: agent.name,
            namespace: args.namespace,
            labels,
            annotations: readinessAnnotations(KAGENT_WAITS.agent, READINESS_TIMEOUTS.agent),
          },
          spec: agentSpec(agent),
        },
        // Agent is a kagent CRD kind; its model config, tool servers and called agents exist first so the first
        // reconcile succeeds.
        { parent: this, dependsOn: [crds, ...refs] },
      );
    }

    const bot = cfg.slackBot;
    if (bot !== undefined && bot.enabled) {
      new Workload(
        `${name}-slack-bot`,
        {
          namespace: args.namespace,
          objectName: SLACK_BOT_NAME,
          component: "slack-bot",
          partOf: "ai-platform",
          // Config validation requires the image of an enabled bot.
          image: imagePin(bot.image!),
          // Environment contract of the bot (kagent-dev/kagent@b98cf4d2:slackbot/src/kagent_slackbot/config.py,
          // constants.py): it lists agents at KAGENT_BASE_URL/api/agents and talks A2A to
          // KAGENT_BASE_URL/api/a2a/<namespace>/<agent>/ (services/a2a_client.py), the controller's A2A route
          // (kagent-dev/kagent@v0.9.12:go/core/internal/httpserver/server.go APIPathA2A).
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
          // The image runs as appuser (UID 1000), which owns /app (kagent-dev/kagent@b98cf4d2:slackbot/Dockerfile).
          runAsUser: 1000,
          // Socket Mode: the bot dials out to Slack; nothing connects in except the metrics scraper.
          ingress: [],
          egress: [
            publicHttpsEgress([443]),
            // The controller's pods only: agents and other pods of the namespace serve nothing the bot calls.
            rule(namespacePeer(args.namespace, KAGENT_CONTROLLER_POD_LABELS), tcp(KAGENT_CONTROLLER_PORT)),
          ],
          metrics:
            metrics === undefined
              ? undefined
              : { port: "http", path: "/metrics", fromNamespace: metrics.namespace, serviceMonitor: true },
        },
        { parent: this },
      );
    }

    this.dashboardNames =
      monitoring === undefined
        ? []
        : emitKagentTelemetry(
            this,
            name,
            args.namespace,
            agentRouteLabels(cfg, args.addresses.namespace),
            monitoring,
          );

    this.registerOutputs({
      controllerUrl: this.controllerUrl,
      agents: Object.keys(agents),
      remoteMcpServers: Object.keys(remoteMcpServers),
      modelConfigs: Object.keys(modelConfigs),
    });
  }
}

/**
 * Agents ordered so that every agent comes after the agents it calls; agents in a call cycle keep their
 * config order (kagent refuses the cycle itself: translator/agent/compiler.go validateAgent).
 */
export function agentsInCallOrder<A extends { name: string; agents: readonly string[] }>(
  agents: readonly A[],
): A[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const out: A[] = [];
  const visit = (a: A) => {
    if (placed.has(a.name) || visiting.has(a.name)) return;
    visiting.add(a.name);
    for (const callee of a.agents) {
      const next = byName.get(callee);
      if (next !== undefined) visit(next);
    }
    visiting.delete(a.name);
    placed.add(a.name);
    out.push(a);
  };
  agents.forEach(visit);
  return out;
}
