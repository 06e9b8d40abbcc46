import { strict as assert } from "assert";
import { mcpBackendSpec, mcpRouteSpec } from "../../../components/mcp";
import { addressBook, mcpRoutePath } from "../../../lib/addressBook";
import { images } from "../../../lib/versions";
import { podBaselineViolations } from "../../support/podBaseline";
import { manifestOf } from "../../../recording/manifests";
import type { Recording } from "../../../recording/runtime";
import type { GatewayConfig, McpServerConfig, PlatformConfig } from "../../../stacks/schema";
import { activeSecretNames } from "../../../stacks/secretFields";
import { validateCoreObject } from "../../../conformance/core";
import { validateCustomResource } from "../../../conformance/crd";
import { schemasDir } from "../../../conformance/paths";
import {
  configIssues,
  gateway,
  gatewayConfig,
  mcpConfig,
  mcpServer,
  McpServerRaw,
  platformConfig,
  rawConfig,
} from "../../support/builders";
import { byType, descendantsOf, one, recordPlatform } from "../../support/record";

const mcpGateway: GatewayConfig = {
  name: "mcp-gateway-proxy",
  listeners: [{ name: "http", protocol: "HTTP", port: 8090, allowedRoutes: "Same" }],
  service: { type: "NodePort" },
  replicas: 1,
  httpsRedirect: false,
};

const SLACK_ENV = {
  SLACK_MCP_HOST: "0.0.0.0",
  SLACK_MCP_PORT: "3000",
  SLACK_MCP_ENABLED_TOOLS:
    "channels_list,conversations_history,conversations_replies,conversations_add_message,conversations_search_messages",
  SLACK_MCP_USERS_CACHE: "/tmp/users_cache.json",
  SLACK_MCP_CHANNELS_CACHE: "/tmp/channels_cache.json",
};
/** Two catalog images, one image of the config's own, and a remote server behind a second gateway. */
const SERVERS: McpServerRaw[] = [
  mcpServer("everything", { gateway: "mcp-gateway-proxy", tools: ["echo", "get-sum"] }),
  mcpServer("slack", {
    image: "mcpSlack",
    port: 3000,
    gateway: "mcp-gateway-proxy",
    env: SLACK_ENV,
    secretEnv: { SLACK_MCP_XOXB_TOKEN: "slack-bot-token" },
    egressPorts: [443],
  }),
  mcpServer("excalidraw", {
    image: { repository: "registry.example.com/excalidraw-mcp", tag: "0.3.2" },
    gateway: "mcp-gateway-proxy",
    env: { PORT: "3001", HOME: "/tmp" },
  }),
  {
    name: "github",
    kind: "remote",
    host: "api.githubcopilot.com",
    port: 443,
    path: "/mcp/",
    tokenSecret: "github-mcp-token",
    gateway: "github-gateway-proxy",
    tools: ["list_issues", "create_issue"],
  },
];
const MCP = rawConfig(
  gatewayConfig([gateway("mcp-gateway-proxy", 8090), gateway("github-gateway-proxy", 8092)]),
  mcpConfig(SERVERS),
  {
    policies: {
      enabled: true,
      items: [
        {
          type: "mcpAuthorization",
          name: "everything-tools",
          targets: [{ kind: "Backend", name: "everything" }],
          allowTools: ["echo"],
        },
        {
          type: "elicitation",
          name: "elicitation",
          targets: [{ kind: "Backend", name: "github" }],
          tools: ["create_issue"],
        },
      ],
    },
  },
);
const platform: PlatformConfig = platformConfig(MCP);
const everything = platform.mcp.servers.find((s) => s.name === "everything")!;
const github = platform.mcp.servers.find((s) => s.name === "github")!;

describe("mcp: routing (pure)", () => {
  it("routes each server at /<name> unless routePath says otherwise", () => {
    assert.equal(mcpRoutePath({ name: "everything" }), "/everything");
    assert.equal(mcpRoutePath({ name: "github", routePath: "/gh/mcp" }), "/gh/mcp");
  });

  it("builds in-cluster URLs from the gateway's proxy Service and listener port", () => {
    const two: GatewayConfig = {
      ...mcpGateway,
      name: "agentgateway",
      listeners: [
        { name: "https", protocol: "HTTPS", port: 443, allowedRoutes: "All", tls: { secretName: "tls" } },
        { name: "http", protocol: "HTTP", port: 80, allowedRoutes: "Same" },
      ],
    };
    const httpsOnly: GatewayConfig = { ...two, name: "tls-only", listeners: [two.listeners[0]!] };
    const route = (name: string, gateway: string, listener?: string) => ({
      name,
      gateway,
      ...(listener !== undefined ? { listener } : {}),
      rules: [{ pathPrefix: "/x" }],
    });
    const book = addressBook({
      namespace: "ai-system",
      gateways: [mcpGateway, two, httpsOnly],
      llmRoutes: [
        route("first-http", "agentgateway"),
        route("named", "agentgateway", "https"),
        route("no-client-listener", "tls-only"),
        route("unknown-listener", "agentgateway", "grpc"),
        route("unknown-gateway", "nope"),
      ],
      mcpServers: [{ name: "slack", gateway: "mcp-gateway-proxy" }],
    });
    assert.equal(book.mcpServers["slack"], "http://mcp-gateway-proxy.ai-system.svc.cluster.local:8090/slack");
    assert.equal(
      book.llmRoutes["first-http"]?.urls["/x"],
      "http://agentgateway.ai-system.svc.cluster.local:80/x",
      "first HTTP listener",
    );
    assert.equal(
      book.llmRoutes["named"]?.urls["/x"],
      "https://agentgateway.ai-system.svc.cluster.local:443/x",
      "named listener",
    );
    assert.deepEqual(
      book.unresolved.map((u) => [u.name, u.cause, u.problem]),
      [
        [
          "no-client-listener",
          "clientListener",
          'gateway "tls-only" has no HTTP listener for in-cluster clients',
        ],
        ["unknown-listener", "listener", 'gateway "agentgateway" has no listener "grpc"'],
        ["unknown-gateway", "gateway", 'gateway "nope" is unknown'],
      ],
    );
    assert.deepEqual(
      Object.keys(book.llmRoutes),
      ["first-http", "named"],
      "an unresolved route has no address",
    );
  });

  it("points RemoteMCPServer URLs at the server's own gateway (GitHub on 8092)", () => {
    const gateways = platform.agentgateway.gateways;
    const book = addressBook({
      namespace: "agentgateway-system",
      gateways,
      llmRoutes: [],
      mcpServers: [everything, github, { ...github, name: "lost", gateway: "nope" }],
    });
    assert.deepEqual(book.mcpServers, {
      everything: "http://mcp-gateway-proxy.agentgateway-system.svc.cluster.local:8090/everything",
      github: "http://github-gateway-proxy.agentgateway-system.svc.cluster.local:8092/github",
    });
    assert.deepEqual(
      book.unresolved.map((u) => [u.kind, u.name, u.cause]),
      [["mcpServer", "lost", "gateway"]],
    );
  });

  it("selects in-cluster Services by label and sends remote servers over TLS with the token Secret", () => {
    assert.deepEqual(
      mcpBackendSpec(everything, {
        namespace: "agentgateway-system",
        serviceLabels: { "app.kubernetes.io/name": "mcp-everything" },
      }),
      {
        mcp: {
          targets: [
            {
              name: "everything",
              selector: {
                namespaces: { matchLabels: { "kubernetes.io/metadata.name": "agentgateway-system" } },
                services: { matchLabels: { "app.kubernetes.io/name": "mcp-everything" } },
              },
            },
          ],
        },
      },
    );
    assert.deepEqual(
      mcpBackendSpec(github, { namespace: "x", serviceLabels: {}, tokenSecretName: "github-mcp-token" }),
      {
        mcp: {
          targets: [
            {
              name: "github",
              static: {
                host: "api.githubcopilot.com",
                port: 443,
                path: "/mcp/",
                protocol: "StreamableHTTP",
                policies: {
                  tls: { sni: "api.githubcopilot.com" },
                  auth: { secretRef: { name: "github-mcp-token" } },
                },
              },
            },
          ],
        },
      },
    );
    const plain: McpServerConfig = {
      ...(github as Extract<McpServerConfig, { kind: "remote" }>),
      port: 8080,
      tokenSecret: undefined,
    };
    assert.deepEqual(mcpBackendSpec(plain, { namespace: "x", serviceLabels: {} }), {
      mcp: {
        targets: [
          {
            name: "github",
            static: { host: "api.githubcopilot.com", port: 8080, path: "/mcp/", protocol: "StreamableHTTP" },
          },
        ],
      },
    });
  });

  it("lists exactly the secrets the layer reads", () => {
    assert.deepEqual(activeSecretNames(platform, "mcp"), ["github-mcp-token", "slack-bot-token"]);
    const none = { ...platform, mcp: { enabled: true, namespace: "x", servers: [] } };
    assert.deepEqual(activeSecretNames(none, "mcp"), []);
  });

  it("attaches the route to the gateway in the agentgateway namespace", () => {
    assert.deepEqual(mcpRouteSpec(everything, "agentgateway-system"), {
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: "mcp-gateway-proxy",
          namespace: "agentgateway-system",
        },
      ],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/everything" } }],
          backendRefs: [{ group: "agentgateway.dev", kind: "AgentgatewayBackend", name: "everything" }],
        },
      ],
    });
  });
});

describe("mcp: config rules", () => {
  it("rejects MCP servers in another namespace than a gateway that only accepts its own routes", () => {
    assert.deepEqual(
      configIssues(MCP, mcpConfig(SERVERS, { namespace: "mcp-tools" })),
      [0, 1, 2, 3].map(
        (i) =>
          `ai-platform:mcp.servers[${i}].gateway: gateway "${i === 3 ? "github-gateway-proxy" : "mcp-gateway-proxy"}" does not accept routes from namespace "mcp-tools" (hint: set allowedRoutes: All on one of its listeners, or put the MCP servers in the gateway namespace)`,
      ),
    );
  });

  it("checks MCP authorization allow-lists against the server's tools", () => {
    assert.deepEqual(
      configIssues(MCP, {
        policies: {
          enabled: true,
          items: [
            {
              type: "mcpAuthorization",
              name: "everything-tools",
              targets: [{ kind: "Backend", name: "everything" }],
              allowTools: ["echo", "add"],
            },
          ],
        },
      }),
      [
        'ai-platform:policies.items[0].allowTools[1]: MCP server "everything" has no tool "add" (hint: declared tools: echo, get-sum)',
      ],
    );
  });

  it("rejects an unknown image key for an in-cluster server", () => {
    assert.deepEqual(
      configIssues(MCP, mcpConfig(SERVERS.map((s) => (s.name === "slack" ? { ...s, image: "mcpSlak" } : s)))),
      ['ai-platform:mcp.servers[1].image: unknown image "mcpSlak" (hint: did you mean "mcpSlack"?)'],
    );
  });
});

describe("mcp: servers through the composition", () => {
  let recording: Recording;
  before(async () => {
    recording = await recordPlatform(MCP);
  });

  it("creates a Workload for each in-cluster server and a backend and route for every server", () => {
    const component = one(recording, "platform:mcp:McpServers", "mcp");
    const direct = recording.resources
      .filter((r) => r.parent === component.urn)
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(direct, [
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend mcp-everything-backend",
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend mcp-excalidraw-backend",
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend mcp-github-backend",
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend mcp-slack-backend",
      "kubernetes:core/v1:Secret mcp-github-token",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute mcp-everything-route",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute mcp-excalidraw-route",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute mcp-github-route",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute mcp-slack-route",
      "platform:workload:Workload mcp-everything",
      "platform:workload:Workload mcp-excalidraw",
      "platform:workload:Workload mcp-slack",
    ]);
  });

  it("names backends and routes after the servers, so policies targeting Backend/<server> apply", () => {
    const mcp = descendantsOf(recording, one(recording, "platform:mcp:McpServers", "mcp"));
    const namesOf = (type: string) =>
      mcp
        .filter((r) => r.type === type)
        .map((r) => (r.inputs["metadata"] as { name: string }).name)
        .sort();
    const backends = namesOf("kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend");
    const routes = namesOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    assert.deepEqual(backends, ["everything", "excalidraw", "github", "slack"]);
    assert.deepEqual(routes, backends);
    const mcpPolicyTargets = platform.policies.items
      .filter((p) => p.type === "mcpAuthorization" || p.type === "elicitation")
      .flatMap((p) => p.targets.map((t) => t.name));
    assert.ok(mcpPolicyTargets.length > 0);
    for (const t of mcpPolicyTargets) assert.ok(backends.includes(t), `policy target ${t}`);
  });

  it("marks the in-cluster Service ports as MCP for the backend selector", () => {
    const svc = one(recording, "kubernetes:core/v1:Service", "mcp-slack-service").inputs;
    assert.deepEqual((svc["metadata"] as Record<string, unknown>)["annotations"], {
      "agentgateway.dev/mcp-path": "/mcp",
    });
    assert.deepEqual((svc["spec"] as Record<string, unknown>)["ports"], [
      { name: "mcp", port: 3000, targetPort: "mcp", protocol: "TCP", appProtocol: "agentgateway.dev/mcp" },
    ]);
    const backend = one(
      recording,
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend",
      "mcp-slack-backend",
    ).inputs["spec"] as { mcp: { targets: Array<{ selector: { services: { matchLabels: unknown } } }> } };
    assert.deepEqual(
      backend.mcp.targets[0]!.selector.services.matchLabels,
      (svc["spec"] as Record<string, unknown>)["selector"],
    );
  });

  it("gives every server a /tmp big enough for a package installed at start", () => {
    for (const name of ["everything", "slack", "excalidraw"]) {
      const pod = (
        one(recording, "kubernetes:apps/v1:Deployment", `mcp-${name}-deployment`).inputs["spec"] as {
          template: { spec: { volumes: unknown[] } };
        }
      ).template.spec;
      assert.deepEqual(pod.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "512Mi" } }], name);
    }
  });

  it("runs the pinned images with their HTTP transport arguments", () => {
    const container = (name: string) =>
      (
        one(recording, "kubernetes:apps/v1:Deployment", `mcp-${name}-deployment`).inputs["spec"] as {
          template: { spec: { containers: Array<Record<string, unknown>> } };
        }
      ).template.spec.containers[0]!;
    assert.equal(
      container("everything")["image"],
      `${images.mcpEverything.repository}:${images.mcpEverything.tag}`,
    );
    assert.deepEqual(container("everything")["args"], [
      "npx",
      "--yes",
      "@modelcontextprotocol/server-everything@2026.8.31",
      "streamableHttp",
    ]);
    assert.deepEqual(container("slack")["args"], ["--transport", "http"]);
    assert.equal(container("excalidraw")["args"], undefined);
    for (const name of ["everything", "slack", "excalidraw"])
      assert.doesNotMatch(String(container(name)["image"]), /:latest$/);
    assert.deepEqual(container("slack")["env"], [
      { name: "SLACK_MCP_CHANNELS_CACHE", value: "/tmp/channels_cache.json" },
      {
        name: "SLACK_MCP_ENABLED_TOOLS",
        value:
          "channels_list,conversations_history,conversations_replies,conversations_add_message,conversations_search_messages",
      },
      { name: "SLACK_MCP_HOST", value: "0.0.0.0" },
      { name: "SLACK_MCP_PORT", value: "3000" },
      { name: "SLACK_MCP_USERS_CACHE", value: "/tmp/users_cache.json" },
      {
        name: "SLACK_MCP_XOXB_TOKEN",
        valueFrom: { secretKeyRef: { name: "mcp-slack-env", key: "SLACK_MCP_XOXB_TOKEN" } },
      },
    ]);
  });

  it("hardens every MCP workload: restricted pods, limits, probes, PDB and NetworkPolicy", async () => {
    for (const workload of byType(recording, "platform:workload:Workload").filter((w) =>
      w.name.startsWith("mcp-"),
    )) {
      const children = descendantsOf(recording, workload);
      const types = children.map((c) => c.type);
      for (const t of [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:Service",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      ]) {
        assert.ok(types.includes(t), `${workload.name} has a ${t}`);
      }
      const deployment = children.find((c) => c.type === "kubernetes:apps/v1:Deployment")!;
      const pod = (deployment.inputs["spec"] as { template: { spec: Record<string, unknown> } }).template
        .spec;
      assert.deepEqual(await podBaselineViolations(pod), []);
      const np = children.find((c) => c.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!.inputs[
        "spec"
      ] as { ingress: Array<{ from: unknown }> };
      assert.deepEqual(
        np.ingress.map((r) => r.from),
        [
          [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "agentgateway-system" } },
              podSelector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "mcp-gateway-proxy" } },
            },
          ],
        ],
        `${workload.name}: only the proxies of the gateway that routes it`,
      );
    }
  });

  it("orders backends after the agentgateway CRDs and routes after the Gateway API CRDs and their backend", () => {
    const agentgatewayCrds = one(
      recording,
      "kubernetes:helm.sh/v4:Chart",
      "ai-gateway-control-plane-crds",
    ).urn;
    const gatewayApiCrds = descendantsOf(
      recording,
      one(recording, "platform:cluster:GatewayApiCrds", "cluster-gateway-api"),
    ).map((r) => r.urn);
    for (const server of ["everything", "excalidraw", "github", "slack"]) {
      const backend = one(
        recording,
        "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend",
        `mcp-${server}-backend`,
      );
      assert.ok(
        backend.dependencies.includes(agentgatewayCrds),
        `${server} backend after the agentgateway CRDs`,
      );
      const route = one(
        recording,
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        `mcp-${server}-route`,
      );
      assert.deepEqual(
        route.dependencies.filter((d) => !d.includes(":Namespace::")).sort(),
        [backend.urn, ...gatewayApiCrds].sort(),
        server,
      );
    }
    const github = one(
      recording,
      "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend",
      "mcp-github-backend",
    );
    assert.ok(
      github.dependencies.includes(one(recording, "kubernetes:core/v1:Secret", "mcp-github-token").urn),
    );
  });

  it("keeps the GitHub token secret", () => {
    const secret = one(recording, "kubernetes:core/v1:Secret", "mcp-github-token");
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    const text = JSON.stringify(recording.resources);
    for (const value of recording.secretValues)
      assert.ok(!text.includes(value), "a secret value reached recorded inputs");
  });

  it("validates backends and routes against the agentgateway and Gateway API CRDs", function () {
    if (schemasDir() === undefined) {
      console.warn("SKIPPED: upstream schemas not found (set PLATFORM_SCHEMAS_DIR)");
      this.skip();
    }
    const mcpComponent = one(recording, "platform:mcp:McpServers", "mcp");
    const crs = descendantsOf(recording, mcpComponent).filter(
      (r) =>
        r.type === "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend" ||
        r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    );
    assert.equal(crs.length, 8);
    for (const r of crs) assert.deepEqual(validateCustomResource(manifestOf(r)), [], r.name);
    const core = descendantsOf(recording, mcpComponent).filter(
      (r) => r.custom && !r.type.includes(".dev/") && !r.type.includes("gateway.networking"),
    );
    assert.equal(core.length, 14);
    for (const r of core) assert.deepEqual(validateCoreObject(manifestOf(r)), [], r.name);
  });

  it("rejects a backend without targets when validated (the check can fail)", function () {
    if (schemasDir() === undefined) this.skip();
    const backend = manifestOf(
      one(recording, "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayBackend", "mcp-everything-backend"),
    );
    const broken = { ...backend, spec: { mcp: { target: [] } } };
    assert.notDeepEqual(validateCustomResource(broken), []);
  });
});
