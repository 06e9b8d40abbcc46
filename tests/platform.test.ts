import * as assert from "assert";
import { LAYERS, layerPlan } from "../lib/layers";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import { parsePlatformConfig } from "../stacks/load";
import type { PlatformConfig } from "../stacks/schema";
import { applyFixture } from "./support/fixtures";
import { recordVariant } from "./support/record";

/**
 * Layer switches of the rooster stack file (every section is configured there); flipped in every combination.
 * Longhorn is left out: it takes nothing from another layer and gives nothing to one (its Talos mounts are
 * the cluster layer's, tested there), and it would double the matrix. Rooster configures no Cloudflare edge.
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
 * The stack-file edit of one combination. The exposure table follows the edge it needs: without BIG-IP its
 * rows lose their VIPs, and without the AI gateway there is nothing to expose.
 */
function variant(set: Switches): { base: string; set: Record<string, unknown>; delete: string[] } {
  const exposures = rawConfigOf(readStackFile("rooster")).values["exposures"] as unknown[];
  const edits: Record<string, unknown> = { ...set };
  if (!set["agentgateway.enabled"]) edits["exposures"] = [];
  const drop =
    set["bigip.enabled"] || !set["agentgateway.enabled"]
      ? []
      : exposures.map((_, i) => `exposures[${i}].bigip`);
  return { base: "rooster", set: edits, delete: drop };
}

function parsed(set: Switches): ReturnType<typeof parsePlatformConfig> {
  return parsePlatformConfig(
    rawConfigOf(applyFixture({ file: "matrix.yaml", description: "", ...variant(set) })),
  );
}

describe("platform: every combination of layer switches", function () {
  this.timeout(300_000);
  const valid: Array<{ set: Switches; config: PlatformConfig }> = [];

  before(() => {
    for (const set of combinations) {
      const { config } = parsed(set);
      if (config !== undefined) valid.push({ set, config });
    }
  });

  it("each combination is valid, or rejected with every issue's config path and hint", () => {
    for (const set of combinations) {
      const { config, issues } = parsed(set);
      if (config !== undefined) continue;
      assert.ok(issues.length > 0, label(set));
      for (const i of issues)
        assert.ok(i.path.length > 0 && i.hint !== undefined, `${label(set)}: ${i.message}`);
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

  it("every valid combination records through index.ts and the composition without error", async () => {
    for (const { set, config } of valid) {
      const recording = await recordVariant(variant(set));
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
