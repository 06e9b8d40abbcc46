import { strict as assert } from "assert";
import {
  agentSpec,
  BUNDLED_AGENTS,
  kagentChartValues,
  modelBaseUrl,
  modelConfigSpec,
  remoteMcpServerSpec,
} from "../../../components/kagent";
import { charts } from "../../../lib/versions";
import { manifestOf } from "../../../recording/manifests";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import { activeSecretNames } from "../../../stacks/secretFields";
import { validateCoreObject } from "../../../conformance/core";
import { validateCustomResource } from "../../../conformance/crd";
import { schemasDir } from "../../../conformance/paths";
import {
  configIssues,
  gateway,
  gatewayConfig,
  kagentConfig,
  llmConfig,
  mcpConfig,
  mcpServer,
  observabilityConfig,
  platformConfig,
  rawConfig,
  type RawConfig,
  secrets,
} from "../../support/builders";
import { addressBookOf, stackConfig } from "../../support/stacks";
import { byType, descendantsOf, one, recordedStack, recordPlatform } from "../../support/record";
import { podBaselineViolations } from "../../support/podBaseline";

const SLACK_TOOLS = ["conversations_add_message", "conversations_replies", "conversations_history"];
const GITHUB_TOOLS = ["list_issues", "get_issue", "create_issue"];

/**
 * Agents on the LLM route `openai` of gateway `gw`, with tools from two MCP servers: in-cluster `slack` behind
 * gateway `mcp` and remote `github` behind gateway `github`. `lead` delegates to `issues` (GitHub tools) and
 * `chat` (Slack tools, the Slack bot's default agent). Traces go to the collector.
 */
function agentsRaw(): RawConfig {
  return rawConfig(
    gatewayConfig([gateway("gw"), gateway("mcp", 8090), gateway("github", 8092)]),
    llmConfig(),
    mcpConfig([
      mcpServer("slack", {
        image: "mcpSlack",
        port: 3000,
        gateway: "mcp",
        secretEnv: { SLACK_MCP_XOXB_TOKEN: "slack-bot-token" },
        tools: SLACK_TOOLS,
      }),
      {
        name: "github",
        kind: "remote",
        host: "api.githubcopilot.com",
        gateway: "github",
        tools: GITHUB_TOOLS,
      },
    ]),
    observabilityConfig(),
    kagentConfig({
      remoteMcpServers: [
        { name: "slack-remote", server: "slack", description: "Slack tools through agentgateway" },
        { name: "github-remote", server: "github", description: "GitHub tools through agentgateway" },
      ],
      agents: [
        {
          name: "lead",
          description: "Delegates",
          modelConfig: "default",
          systemMessage: "You delegate.",
          agents: ["issues", "chat"],
        },
        {
          name: "issues",
          description: "Manages issues",
          modelConfig: "default",
          systemMessage: "You manage issues.",
          tools: [{ remoteMcpServer: "github-remote", toolNames: GITHUB_TOOLS }],
        },
        {
          name: "chat",
          description: "Answers in Slack",
          modelConfig: "default",
          systemMessage: "You answer in Slack.",
          tools: [{ remoteMcpServer: "slack-remote", toolNames: SLACK_TOOLS }],
        },
      ],
      slackBot: {
        enabled: true,
        image: { repository: "registry.example.com/kagent-slackbot", tag: "1.2.3" },
        botTokenSecret: "slack-bot-token",
        appTokenSecret: "slack-app-token",
        signingSecret: "slack-signing-secret",
        agent: "chat",
      },
      telemetry: { enabled: true },
    }),
    secrets("slack-app-token", "slack-signing-secret"),
  );
}

const agentsConfig = platformConfig(agentsRaw());
const addresses = addressBookOf(agentsConfig);

type Values = Record<string, unknown>;

/** Every reference an agent's tools make, by kind (for the resolution checks). */
function agentToolRefs(
  spec: Record<string, unknown>,
): Array<{ kind: string; apiGroup: string; name: string; toolNames: string[] }> {
  const tools = ((spec["declarative"] as Record<string, unknown> | undefined)?.["tools"] ?? []) as Array<
    Record<string, unknown>
  >;
  return tools.map((t) => {
    const ref = (t["type"] === "McpServer" ? t["mcpServer"] : t["agent"]) as Record<string, unknown>;
    return {
      kind: t["type"] === "Agent" ? "Agent" : String(ref["kind"] ?? ""),
      apiGroup: String(ref["apiGroup"] ?? ""),
      name: String(ref["name"]),
      toolNames: (ref["toolNames"] ?? []) as string[],
    };
  });
}

/** The issues validation reports for the agents config with an edit applied to its raw values. */
function agentsIssues(edit: (values: Record<string, Values>) => void): string[] {
  const raw = agentsRaw();
  edit(raw as unknown as Record<string, Values>);
  return configIssues(raw);
}

function agents(values: Record<string, Values>): Array<Values & { tools: Values[] }> {
  return (values["kagent"] as { agents: Array<Values & { tools: Values[] }> }).agents;
}

function name(r: RecordedResource): string {
  return (r.inputs["metadata"] as { name: string }).name;
}

function spec(r: RecordedResource): Values {
  return r.inputs["spec"] as Values;
}

describe("kagent: specs (pure)", () => {
  it("points model configs at the LLM route's rule on its gateway", () => {
    const mc = agentsConfig.kagent.modelConfigs[0]!;
    const url = modelBaseUrl(mc, addresses);
    assert.equal(url, "http://gw.agentgateway-system.svc.cluster.local:8080/openai");
    assert.deepEqual(modelConfigSpec(mc, url), {
      model: "gpt-4o-mini",
      provider: "OpenAI",
      apiKeySecret: "kagent-openai-key",
      apiKeySecretKey: "OPENAI_API_KEY",
      openAI: { baseUrl: url },
    });
    assert.throws(
      () => modelBaseUrl({ route: "openai", pathPrefix: "/v2" }, addresses),
      /the address book has no URL for openai \/v2/,
    );
  });

  it("points RemoteMCPServers at the MCP routes over Streamable HTTP", () => {
    const [slack, github] = agentsConfig.kagent.remoteMcpServers;
    assert.deepEqual(remoteMcpServerSpec(slack!, addresses), {
      description: "Slack tools through agentgateway",
      protocol: "STREAMABLE_HTTP",
      url: "http://mcp.agentgateway-system.svc.cluster.local:8090/slack",
      timeout: "30s",
    });
    assert.equal(
      remoteMcpServerSpec(github!, addresses)["url"],
      "http://github.agentgateway-system.svc.cluster.local:8092/github",
    );
  });

  it("writes kind RemoteMCPServer and apiGroup kagent.dev on every MCP tool reference", () => {
    const lead = agentSpec(agentsConfig.kagent.agents.find((a) => a.name === "lead")!);
    assert.deepEqual(
      agentToolRefs(lead).map((r) => `${r.kind}/${r.name}`),
      ["Agent/issues", "Agent/chat"],
    );
    const issues = agentSpec(agentsConfig.kagent.agents.find((a) => a.name === "issues")!);
    const declarative = issues["declarative"] as Values;
    assert.deepEqual(declarative["tools"], [
      {
        type: "McpServer",
        mcpServer: {
          apiGroup: "kagent.dev",
          kind: "RemoteMCPServer",
          name: "github-remote",
          toolNames: ["list_issues", "get_issue", "create_issue"],
        },
      },
    ]);
    assert.equal(declarative["modelConfig"], "default");
    const deployment = declarative["deployment"] as Values;
    assert.deepEqual(deployment["podSecurityContext"], {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(deployment["securityContext"], {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(deployment["resources"], {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "1", memory: "1Gi" },
    });
  });

  it("configures the chart: gateway default model, telemetry, no bundled agents", () => {
    const values = kagentChartValues({
      config: agentsConfig.kagent,
      defaultModel: {
        model: "gpt-4o-mini",
        secretName: "kagent-openai-api-key",
        baseUrl: "http://gw/openai",
      },
      telemetryEndpoint: "http://langfuse-otel-collector.agentgateway-system.svc.cluster.local:4317",
    });
    assert.deepEqual(values["otel"], {
      tracing: {
        enabled: true,
        exporter: {
          otlp: {
            endpoint: "http://langfuse-otel-collector.agentgateway-system.svc.cluster.local:4317",
            protocol: "grpc",
            insecure: true,
            timeout: 15000,
          },
        },
      },
    });
    assert.deepEqual(values["providers"], {
      default: "openAI",
      openAI: {
        provider: "OpenAI",
        model: "gpt-4o-mini",
        apiKeySecretRef: "kagent-openai-api-key",
        apiKeySecretKey: "OPENAI_API_KEY",
        config: { baseUrl: "http://gw/openai" },
      },
    });
    for (const agent of BUNDLED_AGENTS) assert.deepEqual(values[agent], { enabled: false });
    assert.deepEqual(values["kmcp"], { enabled: true });
    assert.deepEqual(values["podSecurityContext"], {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(values["securityContext"], {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepEqual(values["ui"], { replicas: 1 });
    const quiet = kagentChartValues({
      config: { ...agentsConfig.kagent, ui: { enabled: false }, telemetry: { enabled: true } },
    });
    assert.equal(
      ((quiet["otel"] as Values)["tracing"] as Values)["enabled"],
      false,
      "no endpoint, no tracing",
    );
    assert.deepEqual(quiet["ui"], { replicas: 0 });
    assert.equal(quiet["providers"], undefined);
  });

  it("lists exactly the secrets the layer reads", () => {
    assert.deepEqual(activeSecretNames(agentsConfig, "kagent"), [
      "kagent-database-url",
      "openai-key",
      "slack-app-token",
      "slack-bot-token",
      "slack-signing-secret",
    ]);
    assert.deepEqual(
      activeSecretNames(
        {
          ...agentsConfig,
          kagent: { ...agentsConfig.kagent, slackBot: { ...agentsConfig.kagent.slackBot!, enabled: false } },
        },
        "kagent",
      ),
      ["kagent-database-url", "openai-key"],
    );
  });
});

describe("kagent: config validation names the path", () => {
  it("reports a tool name typo with the agent tool path", () => {
    assert.deepEqual(
      agentsIssues((v) => {
        (agents(v)[2]!.tools[0]!["toolNames"] as string[])[1] = "conversations_reply";
      }),
      [
        'ai-platform:kagent.agents[2].tools[0].toolNames[1]: MCP server "slack" has no tool "conversations_reply" (hint: did you mean "conversations_replies"?)',
      ],
    );
  });

  it("reports a missing model config with the agent path", () => {
    assert.deepEqual(
      agentsIssues((v) => {
        agents(v)[1]!["modelConfig"] = "openai-direct";
      }),
      [
        'ai-platform:kagent.agents[1].modelConfig: unknown model config "openai-direct" (hint: declared model configs: default)',
      ],
    );
  });

  it("reports a model config on a route path the LLM route does not serve", () => {
    assert.deepEqual(
      agentsIssues((v) => {
        (v["kagent"] as { modelConfigs: Values[] }).modelConfigs[0]!["pathPrefix"] = "/openia";
      }),
      [
        'ai-platform:kagent.modelConfigs[0].pathPrefix: unknown path prefix "/openia" (hint: did you mean "/openai"?)',
      ],
    );
  });

  it("reports remote MCP servers whose MCP layer is off or whose gateway has no HTTP listener", () => {
    assert.deepEqual(
      agentsIssues((v) => {
        (v["mcp"] as Values)["enabled"] = false;
      }),
      [
        'ai-platform:kagent.remoteMcpServers[0].server: MCP server "slack" is not deployed (hint: enable mcp, or remove this remote MCP server)',
        'ai-platform:kagent.remoteMcpServers[1].server: MCP server "github" is not deployed (hint: enable mcp, or remove this remote MCP server)',
      ],
    );
    assert.deepEqual(
      agentsIssues((v) => {
        const gateways = (v["agentgateway"] as { gateways: Array<Values & { listeners: Values[] }> })
          .gateways;
        const github = gateways.find((g) => g["name"] === "github")!;
        github.listeners = [
          { name: "https", protocol: "HTTPS", port: 8092, tls: { secretName: "github-tls" } },
        ];
      }),
      [
        'ai-platform:kagent.remoteMcpServers[1].server: gateway "github" of MCP server "github" has no HTTP listener (hint: add an HTTP listener for in-cluster MCP clients)',
      ],
    );
  });

  it("requires the Slack signing secret", () => {
    assert.deepEqual(
      agentsIssues((v) => {
        delete (v["kagent"] as { slackBot: Values }).slackBot["signingSecret"];
      }),
      ["ai-platform:kagent.slackBot.signingSecret: is required"],
    );
  });
});

describe("kagent: recorded through the composition", () => {
  let recording: Recording;
  const cr = (kind: string) =>
    recording.resources.filter(
      (r) => r.type.startsWith("kubernetes:kagent.dev/") && r.type.endsWith(`:${kind}`),
    );
  before(async () => {
    recording = await recordPlatform(agentsRaw());
  });

  it("installs the CRDs chart, then the chart (OCI, pinned), and protects the CRDs", () => {
    const crds = one(recording, "kubernetes:helm.sh/v4:Chart", "kagent-crds");
    const chart = one(recording, "kubernetes:helm.sh/v4:Chart", "kagent-chart");
    assert.equal(crds.inputs["chart"], "oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds");
    assert.equal(chart.inputs["chart"], "oci://ghcr.io/kagent-dev/kagent/helm/kagent");
    assert.equal(crds.inputs["version"], charts.kagentCrds.version);
    assert.equal(chart.inputs["version"], "0.9.12");
    assert.equal(chart.inputs["name"], "kagent");
    assert.equal(chart.inputs["namespace"], "kagent");
    assert.ok(crds.options.remote && chart.options.remote);
    assert.ok(crds.options.protect);
    assert.ok(chart.dependencies.includes(crds.urn));
    const otel = ((chart.inputs["values"] as Values)["otel"] as Values)["tracing"] as Values;
    assert.equal(otel["enabled"], true);
    assert.equal(
      ((otel["exporter"] as Values)["otlp"] as Values)["endpoint"],
      "http://otel-collector.monitoring.svc.cluster.local:4317",
    );
  });

  it("makes every kagent custom resource wait for the CRDs chart", () => {
    const crds = one(recording, "kubernetes:helm.sh/v4:Chart", "kagent-crds");
    const all = recording.resources.filter((r) => r.type.startsWith("kubernetes:kagent.dev/"));
    assert.equal(all.length, 1 + 2 + 3);
    for (const r of all) assert.ok(r.dependencies.includes(crds.urn), `${r.name} depends on the kagent CRDs`);
  });

  it("creates the declared agents, remote MCP servers and model configs", () => {
    assert.deepEqual(cr("Agent").map(name).sort(), ["chat", "issues", "lead"]);
    assert.deepEqual(cr("RemoteMCPServer").map(name).sort(), ["github-remote", "slack-remote"]);
    assert.deepEqual(cr("ModelConfig").map(name), ["default"]);
  });

  it("resolves every agent tool to a RemoteMCPServer or an Agent the program creates", () => {
    const remote = new Set(cr("RemoteMCPServer").map(name));
    const agentNames = new Set(cr("Agent").map(name));
    const models = new Set(cr("ModelConfig").map(name));
    let refs = 0;
    for (const agent of cr("Agent")) {
      const s = spec(agent);
      assert.ok(
        models.has(String((s["declarative"] as Values)["modelConfig"])),
        `${name(agent)} model config`,
      );
      for (const ref of agentToolRefs(s)) {
        refs++;
        if (ref.kind === "Agent")
          assert.ok(
            agentNames.has(ref.name) && ref.name !== name(agent),
            `${name(agent)} -> agent ${ref.name}`,
          );
        else {
          assert.equal(ref.kind, "RemoteMCPServer", `${name(agent)} -> ${ref.name}`);
          assert.equal(ref.apiGroup, "kagent.dev");
          assert.ok(remote.has(ref.name), `${name(agent)} -> ${ref.name}`);
        }
      }
    }
    assert.equal(refs, 4);
  });

  it("keeps agent tool names within the tools their MCP server declares", () => {
    const remote = new Map(
      agentsConfig.kagent.remoteMcpServers.map((r) => [
        r.name,
        agentsConfig.mcp.servers.find((s) => s.name === r.server)!,
      ]),
    );
    for (const agent of cr("Agent")) {
      for (const ref of agentToolRefs(spec(agent)).filter((r) => r.kind === "RemoteMCPServer")) {
        const tools = remote.get(ref.name)!.tools;
        for (const tool of ref.toolNames) assert.ok(tools.includes(tool), `${name(agent)}: ${tool}`);
      }
    }
  });

  it("points every RemoteMCPServer URL at a route the gateway layer serves", () => {
    const routes = byType(recording, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    assert.equal(
      cr("RemoteMCPServer").length,
      agentsConfig.mcp.servers.length,
      "one per gateway-fronted MCP server",
    );
    for (const server of cr("RemoteMCPServer")) {
      const url = new URL(String(spec(server)["url"]));
      const [gatewayName, gatewayNamespace, svc] = url.hostname.split(".");
      assert.equal(svc, "svc", url.href);
      const gateway = agentsConfig.agentgateway.gateways.find((g) => g.name === gatewayName);
      assert.ok(gateway !== undefined, `${url.href}: a gateway of the config`);
      assert.equal(gatewayNamespace, agentsConfig.agentgateway.namespace);
      assert.ok(
        gateway.listeners.some((l) => l.protocol === "HTTP" && l.port === Number(url.port)),
        `${url.href}: an HTTP listener port of ${gateway.name}`,
      );
      const served = routes.filter((r) => {
        const s = spec(r) as {
          parentRefs: Values[];
          rules: Array<{ matches: Array<{ path: { value: string } }> }>;
        };
        return (
          s.parentRefs.some((p) => p["name"] === gatewayName && p["namespace"] === gatewayNamespace) &&
          s.rules.some((rule) =>
            rule.matches.some(
              (m) => url.pathname === m.path.value || url.pathname.startsWith(`${m.path.value}/`),
            ),
          )
        );
      });
      assert.equal(served.length, 1, `${url.href} is served by exactly one route`);
      assert.equal(spec(server)["protocol"], "STREAMABLE_HTTP");
    }
  });

  it("keeps model keys, Slack tokens and the database URL in Secrets and out of every plain input", () => {
    const kagent = one(recording, "platform:kagent:Kagent", "kagent");
    const secrets = descendantsOf(recording, kagent).filter((r) => r.type === "kubernetes:core/v1:Secret");
    assert.deepEqual(secrets.map(name).sort(), ["kagent-database-url", "kagent-openai-key", "slack-bot-env"]);
    for (const s of secrets) assert.deepEqual(s.secretPaths, ["stringData"], name(s));
    const modelConfig = cr("ModelConfig")[0]!;
    assert.deepEqual(spec(modelConfig)["apiKeySecret"], "kagent-openai-key");
    assert.ok(
      modelConfig.dependencies.includes(
        one(recording, "kubernetes:core/v1:Secret", "kagent-model-openai-key").urn,
      ),
    );
    const text = JSON.stringify(recording.resources);
    for (const value of recording.secretValues)
      assert.ok(!text.includes(value), "a secret value reached recorded inputs");
  });

  it("runs the Slack bot as a hardened workload that reaches Slack and the controller only", async () => {
    const bot = one(recording, "platform:workload:Workload", "kagent-slack-bot");
    const children = descendantsOf(recording, bot);
    const deployment = children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
    const pod = (spec(deployment)["template"] as { spec: Values }).spec;
    assert.deepEqual(await podBaselineViolations(pod), []);
    const container = (pod["containers"] as Values[])[0]!;
    assert.equal(container["image"], "registry.example.com/kagent-slackbot:1.2.3");
    const env = Object.fromEntries(
      (container["env"] as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
    assert.equal(env["KAGENT_BASE_URL"], "http://kagent-controller.kagent.svc.cluster.local:8083");
    assert.equal(env["DEFAULT_AGENT_NAME"], "chat");
    assert.deepEqual(env["SLACK_SIGNING_SECRET"], {
      secretKeyRef: { name: "slack-bot-env", key: "SLACK_SIGNING_SECRET" },
    });
    assert.ok(children.some((c) => c.type === "kubernetes:policy/v1:PodDisruptionBudget"));
    const np = spec(children.find((c) => c.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!) as {
      ingress: unknown[];
      egress: Array<{ ports: unknown[] }>;
    };
    // Only the Prometheus namespace may connect in, to the metrics port its ServiceMonitor scrapes.
    assert.deepEqual(np.ingress, [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: {
                "kubernetes.io/metadata.name": agentsConfig.observability.metrics.prometheusNamespace,
              },
            },
          },
        ],
        ports: [{ port: "http", protocol: "TCP" }],
      },
    ]);
    assert.deepEqual(
      np.egress.map((e) => e.ports),
      [
        [
          { port: 53, protocol: "UDP" },
          { port: 53, protocol: "TCP" },
        ],
        [{ port: 443, protocol: "TCP" }],
        [{ port: 8083, protocol: "TCP" }],
      ],
    );
  });

  it("validates every kagent custom resource against its CRD, and the Slack bot's objects against Kubernetes", function () {
    if (schemasDir() === undefined) {
      console.warn("SKIPPED: upstream schemas not found (set PLATFORM_SCHEMAS_DIR)");
      this.skip();
    }
    const all = recording.resources.filter((r) => r.type.startsWith("kubernetes:kagent.dev/"));
    for (const r of all) assert.deepEqual(validateCustomResource(manifestOf(r)), [], r.name);
    const agent = manifestOf(cr("Agent")[0]!);
    const typo = {
      ...agent,
      spec: {
        ...(agent["spec"] as Values),
        declarative: { ...((agent["spec"] as Values)["declarative"] as Values), tool: [] },
      },
    };
    assert.notDeepEqual(validateCustomResource(typo), [], "a misspelled field fails validation");
    const kagent = one(recording, "platform:kagent:Kagent", "kagent");
    const core = descendantsOf(recording, kagent).filter(
      (r) =>
        r.custom &&
        !r.type.includes("kagent.dev/") &&
        !r.type.includes("helm.sh") &&
        !r.type.includes("monitoring.coreos.com/"),
    );
    // Model key and database URL Secrets, the agents dashboard; the Slack bot's Secret, Deployment, Service,
    // budget and policy.
    assert.equal(core.length, 8);
    for (const r of core) assert.deepEqual(validateCoreObject(manifestOf(r)), [], r.name);
  });
});

describe("kagent: homeops", () => {
  // The production stack's own choice: homeops runs the gateway without MCP servers or agents.
  it("deploys neither MCP servers nor kagent (documented in Pulumi.homeops.yaml)", async () => {
    const homeops = stackConfig("homeops");
    assert.equal(homeops.mcp.enabled, false);
    assert.equal(homeops.kagent.enabled, false);
    const recording = await recordedStack("homeops");
    assert.deepEqual(
      recording.resources.filter(
        (r) => r.type.startsWith("platform:mcp") || r.type.startsWith("platform:kagent"),
      ),
      [],
    );
  });
});
