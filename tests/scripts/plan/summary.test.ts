import { strict as assert } from "assert";
import { platformGraph } from "../../../scripts/plan/platformGraph";
import { actionCounts, mermaid, summaryMarkdown } from "../../../scripts/plan/summary";
import { recordedStack } from "../../support/record";
import { component, k8s, recordingOf, resource } from "../../support/planRecordings";

/** Node ids declared in a Mermaid flowchart, and the ids its edges use. */
function mermaidIds(text: string): { declared: Set<string>; used: Set<string> } {
  const declared = new Set([...text.matchAll(/^\s+(n\d+)\[/gm)].map((m) => m[1]!));
  const used = new Set(
    [...text.matchAll(/^\s+(n\d+) -->(?:\|"[^"]*"\|)? (n\d+)$/gm)].flatMap((m) => [m[1]!, m[2]!]),
  );
  return { declared, used };
}

describe("plan summary", () => {
  it("counts every resource once, per layer and planned action", async () => {
    const recording = await recordedStack("rooster");
    const counts = actionCounts(recording);
    const total = [...counts.values()].flatMap((row) => [...row.values()]).reduce((a, b) => a + b, 0);
    assert.equal(total, recording.resources.length);
    assert.ok(counts.get("edge")?.get("create"), "BIG-IP objects are counted in the edge layer");
    assert.ok(counts.get("gateway")?.get("create"));
  });

  it("rooster: every VIP reaches a Gateway through the NodePort its pool members use", async () => {
    const graph = platformGraph(await recordedStack("rooster"));
    const vips = graph.exposures.filter((e) => e.via === "BIG-IP");
    assert.ok(vips.length > 0);
    for (const row of vips) {
      const gateway = graph.gateways.find((g) => g.name === row.gateway);
      assert.ok(gateway, `${row.address}: ${row.gateway}`);
      assert.ok(Object.values(gateway.service.nodePorts).includes(Number(row.nodePort)), row.address);
      assert.notEqual(row.hostname, "—", `${row.address} has its hostname from the VIP table`);
    }
  });

  it("homeops: the tunnel hostname reaches the gateway its ingress rule names", async () => {
    const graph = platformGraph(await recordedStack("homeops"));
    const tunnel = graph.exposures.find((e) => e.via === "Cloudflare tunnel");
    assert.ok(tunnel);
    assert.ok(
      graph.gateways.some((g) => g.name === tunnel.gateway),
      tunnel.gateway,
    );
  });

  it("a pool member on a NodePort no gateway Service has is shown unresolved, not guessed", () => {
    const edge = component("edge", "BigipEdge", "bigip");
    const under = { parent: edge.urn };
    const recording = recordingOf([
      edge,
      resource(
        "f5bigip:ltm/virtualServer:VirtualServer",
        "vs",
        { destination: "10.0.0.1", port: 443, pool: "/Common/p" },
        under,
      ),
      resource(
        "f5bigip:ltm/poolAttachment:PoolAttachment",
        "m1",
        { pool: "/Common/p", node: "/Common/n1:30001" },
        under,
      ),
      k8s("gateway.networking.k8s.io/v1", "Gateway", "gw", {
        spec: {
          listeners: [{ name: "http", port: 80, protocol: "HTTP" }],
          infrastructure: { parametersRef: { name: "gw" } },
        },
      }),
      k8s("agentgateway.dev/v1alpha1", "AgentgatewayParameters", "gw", {
        spec: { service: { spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30002 }] } } },
      }),
    ]);
    const [row] = platformGraph(recording).exposures;
    assert.equal(row?.gateway, "no Service on NodePort 30001");
    assert.equal(row?.backend, "—");
  });

  it("the diagram links agents to the routes their model and MCP URLs reach", async () => {
    const graph = platformGraph(await recordedStack("rooster"));
    const text = mermaid(graph);
    const { declared, used } = mermaidIds(text);
    for (const id of used) assert.ok(declared.has(id), `edge endpoint ${id} is a declared node`);
    for (const g of graph.gateways) assert.ok(text.includes(`Gateway ${g.name}`));
    assert.ok(graph.agents.length > 0);
    assert.doesNotMatch(text, /layer_unresolved/, "every agent call reaches a route");
    assert.match(text, /-->\|"model [^"]+"\| n\d+/);
    assert.match(text, /-->\|"tool [^"]+"\| n\d+/);
  });

  it("summary.md has the counts, the exposure table and the Mermaid diagram", async () => {
    const md = summaryMarkdown(await recordedStack("homeops"));
    assert.match(md, /^## Actions$/m);
    assert.match(md, /^\| hostname \| address \| via \| gateway \| NodePort \| backend Service \|$/m);
    assert.match(md, /^```mermaid\nflowchart LR\n/m);
    assert.doesNotMatch(md, /PLACEHOLDER-SECRET/);
  });
});
