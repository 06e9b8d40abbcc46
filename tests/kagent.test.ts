import { strict as assert } from "assert";
import {
  agentSpec,
  BUNDLED_AGENTS,
  kagentChartValues,
  modelBaseUrl,
  modelConfigSpec,
  remoteMcpServerSpec,
} from "../components/kagent";
import { charts } from "../lib/versions";
import { manifestOf } from "../recording/manifests";
import type { RecordedResource, Recording } from "../recording/runtime";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import { formatIssue } from "../stacks/issues";
import { parsePlatformConfig } from "../stacks/load";
import { activeSecretNames } from "../stacks/secretFields";
import { validateCoreObject } from "./conformance/core";
import { validateCustomResource } from "./conformance/crd";
import { schemasDir } from "./conformance/paths";
import { addressBookOf, stackConfig } from "./support/stacks";
import { byType, descendantsOf, one, recordedStack } from "./support/record";
import { restrictedViolations } from "./support/restrictedPod";

const rooster = stackConfig("rooster");
const addresses = addressBookOf(rooster);

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

/** Parses the rooster stack file with edits applied to its raw config values, returning formatted issues. */
function roosterIssues(edit: (values: Record<string, Values>) => void): string[] {
  const raw = rawConfigOf(readStackFile("rooster"));
  edit(raw.values as Record<string, Values>);
  return parsePlatformConfig(raw).issues.map(formatIssue);
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
    const mc = rooster.kagent.modelConfigs[0]!;
    const url = modelBaseUrl(mc, addresses);
    assert.equal(url, "http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080/openai");
    assert.deepEqual(modelConfigSpec(mc, url), {
      model: "gpt-4o-mini",
      provider: "OpenAI",
      apiKeySecret: "kagent-openai-api-key",
      apiKeySecretKey: "OPENAI_API_KEY",
      openAI: { baseUrl: url },
    });
    assert.throws(
      () => modelBaseUrl({ route: "openai", pathPrefix: "/v2" }, addresses),
      /the address book has no URL for openai \/v2/,
    );
  });

  it("points RemoteMCPServers at the MCP routes over Streamable HTTP", () => {
    const [slack, github] = rooster.kagent.remoteMcpServers;
    assert.deepEqual(remoteMcpServerSpec(slack!, addresses), {
      description: "Slack tools through agentgateway",
      protocol: "STREAMABLE_HTTP",
      url: "http://mcp-gateway-proxy.agentgateway-system.svc.cluster.local:8090/slack",
      timeout: "30s",
    });
    assert.equal(
      remoteMcpServerSpec(github!, addresses)["url"],
      "http://github-gateway-proxy.agentgateway-system.svc.cluster.local:8092/github",
    );
  });

  it("writes kind RemoteMCPServer and apiGroup kagent.dev on every MCP tool reference", () => {
    const teamLead = agentSpec(rooster.kagent.agents.find((a) => a.name === "team-lead")!);
    assert.deepEqual(
      agentToolRefs(teamLead).map((r) => `${r.kind}/${r.name}`),
      ["Agent/github-issues", "Agent/github-pr", "Agent/slackbot-k8s"],
    );
    const issues = agentSpec(rooster.kagent.agents.find((a) => a.name === "github-issues")!);
    const declarative = issues["declarative"] as Values;
    assert.deepEqual(declarative["tools"], [
      {
        type: "McpServer",
        mcpServer: {
          apiGroup: "kagent.dev",
          kind: "RemoteMCPServer",
          name: "github-mcp-remote",
          toolNames: ["list_issues", "get_issue", "create_issue", "add_issue_comment", "search_issues"],
        },
      },
    ]);
    assert.equal(declarative["modelConfig"], "openai-via-gateway");
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
      config: rooster.kagent,
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
      config: { ...rooster.kagent, ui: { enabled: false }, telemetry: { enabled: true } },
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
    assert.deepEqual(activeSecretNames(rooster, "kagent"), [
      "kagent-database-url",
      "openai-api-key",
      "slack-app-token",
      "slack-bot-token",
      "slack-signing-secret",
    ]);
    assert.deepEqual(
      activeSecretNames(
        {
          ...rooster,
          kagent: { ...rooster.kagent, slackBot: { ...rooster.kagent.slackBot!, enabled: false } },
        },
        "kagent",
      ),
      ["kagent-database-url", "openai-api-key"],
    );
  });
});

describe("kagent: config validation names the path", () => {
  it("reports a tool name typo with the agent tool path", () => {
    assert.deepEqual(
      roosterIssues((v) => {
        (agents(v)[3]!.tools[0]!["toolNames"] as string[])[1] = "conversations_reply";
      }),
      [
        'ai-platform:kagent.agents[3].tools[0].toolNames[1]: MCP server "slack" has no tool "conversations_reply" (hint: did you mean "conversations_replies"?)',
      ],
    );
  });

  it("reports a missing model config with the agent path", () => {
    assert.deepEqual(
      roosterIssues((v) => {
        agents(v)[2]!["modelConfig"] = "openai-direct";
      }),
      [
        'ai-platform:kagent.agents[2].modelConfig: unknown model config "openai-direct" (hint: declared model configs: openai-via-gateway)',
      ],
    );
  });

  it("reports a model config on a route path the LLM route does not serve", () => {
    assert.deepEqual(
      roosterIssues((v) => {
        (v["kagent"] as { modelConfigs: Values[] }).modelConfigs[0]!["pathPrefix"] = "/openia";
      }),
      [
        'ai-platform:kagent.modelConfigs[0].pathPrefix: unknown path prefix "/openia" (hint: did you mean "/openai"?)',
      ],
    );
  });

  it("reports remote MCP servers whose MCP layer is off or whose gateway has no HTTP listener", () => {
    assert.deepEqual(
      roosterIssues((v) => {
        (v["mcp"] as Values)["enabled"] = false;
      }),
      [
        'ai-platform:kagent.remoteMcpServers[0].server: MCP server "slack" is not deployed (hint: enable mcp, or remove this remote MCP server)',
        'ai-platform:kagent.remoteMcpServers[1].server: MCP server "github" is not deployed (hint: enable mcp, or remove this remote MCP server)',
        'ai-platform:kagent.remoteMcpServers[2].server: MCP server "everything" is not deployed (hint: enable mcp, or remove this remote MCP server)',
        'ai-platform:kagent.remoteMcpServers[3].server: MCP server "excalidraw" is not deployed (hint: enable mcp, or remove this remote MCP server)',
      ],
    );
    assert.deepEqual(
      roosterIssues((v) => {
        const gateways = (v["agentgateway"] as { gateways: Array<Values & { listeners: Values[] }> })
          .gateways;
        const github = gateways.find((g) => g["name"] === "github-gateway-proxy")!;
        github.listeners = [
          { name: "https", protocol: "HTTPS", port: 8092, tls: { secretName: "github-tls" } },
        ];
      }),
      [
        'ai-platform:kagent.remoteMcpServers[1].server: gateway "github-gateway-proxy" of MCP server "github" has no HTTP listener (hint: add an HTTP listener for in-cluster MCP clients)',
      ],
    );
  });

  it("requires the Slack signing secret", () => {
    assert.deepEqual(
      roosterIssues((v) => {
        delete (v["kagent"] as { slackBot: Values }).slackBot["signingSecret"];
      }),
      ["ai-platform:kagent.slackBot.signingSecret: is required"],
    );
  });
});

describe("kagent: rooster", () => {
  let recording: Recording;
  const cr = (kind: string) =>
    recording.resources.filter(
      (r) => r.type.startsWith("kubernetes:kagent.dev/") && r.type.endsWith(`:${kind}`),
    );
  before(async () => {
    recording = await recordedStack("rooster");
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
      "http://langfuse-otel-collector.agentgateway-system.svc.cluster.local:4317",
    );
  });

  it("makes every kagent custom resource wait for the CRDs chart", () => {
    const crds = one(recording, "kubernetes:helm.sh/v4:Chart", "kagent-crds");
    const all = recording.resources.filter((r) => r.type.startsWith("kubernetes:kagent.dev/"));
    assert.equal(all.length, 1 + 4 + 4);
    for (const r of all) assert.ok(r.dependencies.includes(crds.urn), `${r.name} depends on the kagent CRDs`);
  });

  it("creates the declared agents, remote MCP servers and model configs", () => {
    assert.deepEqual(cr("Agent").map(name).sort(), [
      "github-issues",
      "github-pr",
      "slackbot-k8s",
      "team-lead",
    ]);
    assert.deepEqual(cr("RemoteMCPServer").map(name).sort(), [
      "everything-mcp-remote",
      "excalidraw-mcp-remote",
      "github-mcp-remote",
      "slack-mcp-remote",
    ]);
    assert.deepEqual(cr("ModelConfig").map(name), ["openai-via-gateway"]);
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
    assert.equal(refs, 6);
  });

  it("keeps agent tool names within the tools their MCP server declares", () => {
    const remote = new Map(
      rooster.kagent.remoteMcpServers.map((r) => [
        r.name,
        rooster.mcp.servers.find((s) => s.name === r.server)!,
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
      rooster.mcp.servers.length,
      "one per gateway-fronted MCP server",
    );
    for (const server of cr("RemoteMCPServer")) {
      const url = new URL(String(spec(server)["url"]));
      const [gatewayName, gatewayNamespace, svc] = url.hostname.split(".");
      assert.equal(svc, "svc", url.href);
      const gateway = rooster.agentgateway.gateways.find((g) => g.name === gatewayName);
      assert.ok(gateway !== undefined, `${url.href}: a gateway of the config`);
      assert.equal(gatewayNamespace, rooster.agentgateway.namespace);
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
    assert.deepEqual(secrets.map(name).sort(), [
      "kagent-database-url",
      "kagent-openai-api-key",
      "slack-bot-env",
    ]);
    for (const s of secrets) assert.deepEqual(s.secretPaths, ["stringData"], name(s));
    const modelConfig = cr("ModelConfig")[0]!;
    assert.deepEqual(spec(modelConfig)["apiKeySecret"], "kagent-openai-api-key");
    assert.ok(
      modelConfig.dependencies.includes(
        one(recording, "kubernetes:core/v1:Secret", "kagent-model-openai-api-key").urn,
      ),
    );
    const text = JSON.stringify(recording.resources);
    for (const value of recording.secretValues)
      assert.ok(!text.includes(value), "a secret value reached recorded inputs");
  });

  it("runs the Slack bot as a hardened workload that reaches Slack and the controller only", () => {
    const bot = one(recording, "platform:workload:Workload", "kagent-slack-bot");
    const children = descendantsOf(recording, bot);
    const deployment = children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
    const pod = (spec(deployment)["template"] as { spec: Values }).spec;
    assert.deepEqual(restrictedViolations(pod, "slack-bot"), []);
    const container = (pod["containers"] as Values[])[0]!;
    assert.equal(container["image"], "registry.a1.internal/ai-platform/kagent-slackbot:b98cf4d2");
    const env = Object.fromEntries(
      (container["env"] as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
    assert.equal(env["KAGENT_BASE_URL"], "http://kagent-controller.kagent.svc.cluster.local:8083");
    assert.equal(env["DEFAULT_AGENT_NAME"], "slackbot-k8s");
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
                "kubernetes.io/metadata.name": rooster.observability.metrics.prometheusNamespace,
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
