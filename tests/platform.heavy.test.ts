import * as assert from "assert";
import { LAYERS, layerPlan } from "../lib/layers";
import type { PlatformConfig } from "../stacks/schema";
import {
  bigipConfig,
  configIssues,
  exposure,
  gateway,
  gatewayConfig,
  kagentConfig,
  llmConfig,
  LONGHORN_EXTENSIONS,
  longhorn,
  mcpConfig,
  mcpServer,
  observabilityConfig,
  platformConfig,
  rawConfig,
  RawConfig,
  talosCluster,
  talosNode,
  tenant,
  tenantsConfig,
  tenantWorkload,
} from "./support/builders";
import { recordPlatform } from "./support/record";

/**
 * Every layer on and wired to the others: Talos nodes behind BIG-IP, the AI gateway with an LLM route and an
 * MCP gateway, kagent using both, observability with its collector, and a tenant agent on the LLM route.
 */
const EVERYTHING = rawConfig(
  talosCluster({
    extensions: LONGHORN_EXTENSIONS,
    nodes: [talosNode(11), talosNode(12), talosNode(13), talosNode(14, { controller: false })],
  }),
  longhorn({ replicaCount: 2 }),
  gatewayConfig([gateway("gw", 8080), gateway("mcp", 8090)]),
  llmConfig(),
  mcpConfig([mcpServer("everything", { gateway: "mcp" })]),
  kagentConfig({
    remoteMcpServers: [{ name: "everything-remote", server: "everything", description: "Reference tools" }],
    telemetry: { enabled: true },
  }),
  observabilityConfig(),
  bigipConfig(),
  { exposures: [exposure("gw", { bigip: { vip: "10.1.0.20", ports: [{ port: 8080, nodePort: 31080 }] } })] },
  tenantsConfig([
    tenant("team-a", {
      workloads: [
        tenantWorkload("assistant", {
          kind: "agent",
          image: "agentopsLlmAgent",
          model: { name: "gpt-4o-mini", route: "openai", pathPrefix: "/openai" },
        }),
      ],
    }),
  ]),
);

/**
 * Layer switches of EVERYTHING, flipped in every combination. Longhorn is left out: it takes nothing from
 * another layer and gives nothing to one (its Talos mounts are the cluster layer's, tested there), and it would
 * double the matrix. The Cloudflare edge has its own tests (cloudflare-edge).
 */
const SWITCHES = [
  "agentgateway.enabled",
  "llm.enabled",
  "mcp.enabled",
  "kagent.enabled",
  "observability.enabled",
  "observability.collector.enabled",
  "bigip.enabled",
  "tenants.enabled",
] as const;

type Switches = Record<string, boolean>;

const combinations: Switches[] = Array.from({ length: 1 << SWITCHES.length }, (_, mask) =>
  Object.fromEntries(SWITCHES.map((s, i) => [s, (mask & (1 << i)) !== 0])),
);

const label = (set: Switches) =>
  Object.entries(set)
    .map(([k, v]) => `${k.replace(/\.enabled$/, "")}=${v ? "on" : "off"}`)
    .join(" ");

/**
 * The config of one combination. The exposure table follows the edge it needs: without BIG-IP its rows lose
 * their VIPs, and without the AI gateway there is nothing to expose.
 */
function variant(set: Switches): RawConfig {
  const raw = structuredClone(EVERYTHING) as Record<string, unknown>;
  for (const [path, on] of Object.entries(set)) {
    const keys = path.split(".");
    let node = raw;
    for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
    node[keys[keys.length - 1]!] = on;
  }
  const exposures = raw["exposures"] as Array<Record<string, unknown>>;
  if (!set["agentgateway.enabled"]) raw["exposures"] = [];
  else if (!set["bigip.enabled"]) raw["exposures"] = exposures.map(({ bigip: _, ...row }) => row);
  return raw as RawConfig;
}

describe("platform: every combination of layer switches", function () {
  this.timeout(300_000);
  const valid: Array<{ set: Switches; config: PlatformConfig }> = [];

  before(() => {
    for (const set of combinations) {
      if (configIssues(variant(set)).length === 0) valid.push({ set, config: platformConfig(variant(set)) });
    }
  });

  it("each combination is valid, or rejected with every issue's config path and hint", () => {
    assert.deepEqual(configIssues(EVERYTHING), [], "every layer on is valid");
    for (const set of combinations) {
      const issues = configIssues(variant(set));
      // Formatted as `ai-platform:<path>: <message> (hint: <hint>)`.
      for (const i of issues) assert.match(i, /^ai-platform:[^:\s]+: .+ \(hint: .+\)$/, label(set));
    }
    // The matrix is not vacuous: every layer is built by some valid combination and left out by another.
    for (const layer of LAYERS.filter((l) => !["cluster", "longhorn", "cloudflare"].includes(l))) {
      assert.ok(
        valid.some((v) => layerPlan(v.config).has(layer)),
        `some valid combination builds ${layer}`,
      );
      assert.ok(
        valid.some((v) => !layerPlan(v.config).has(layer)),
        `some valid combination leaves ${layer} out`,
      );
    }
  });

  it("every valid combination records through the composition without error", async () => {
    for (const { set, config } of valid) {
      const recording = await recordPlatform(variant(set));
      const components = new Set(recording.resources.map((r) => r.type));
      // Each built layer shows up as its component; a layer left out registers nothing.
      const expected: Record<string, string> = {
        gateway: "platform:gateway:AiGateway",
        observability: "platform:observability:Observability",
        mcp: "platform:mcp:McpServers",
        kagent: "platform:kagent:Kagent",
        bigip: "platform:edge:BigipEdge",
        tenants: "platform:tenant:Tenant",
      };
      const plan = layerPlan(config);
      for (const [layer, type] of Object.entries(expected)) {
        const built =
          plan.has(layer as (typeof LAYERS)[number]) &&
          (layer !== "tenants" || config.tenants.items.length > 0);
        assert.equal(components.has(type), built, `${label(set)}: ${layer}`);
      }
    }
  });
});
