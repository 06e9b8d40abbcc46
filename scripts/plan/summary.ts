import { plannedAction } from "../../recording/plan";
import type { Recording } from "../../recording/runtime";
import { gatewayUrl, layerOf, platformGraph, type PlatformGraph, type RouteNode } from "./platformGraph";

/*
 * out/<stack>/summary.md: what a reviewer reads first in a pull request. Counts per planned action and per
 * layer, the exposure table and a Mermaid diagram of the platform, all from the recorded plan; sections other
 * steps add (the diff against a base, the rendered charts) are passed in as Markdown.
 */

/** Planned actions in the order they are reported; `none` is a component that holds nothing itself. */
const ACTIONS = ["create", "import", "upsert", "take-ownership"] as const;

/** Resources per layer and planned action (components included, under `none`). */
export function actionCounts(recording: Recording): Map<string, Map<string, number>> {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const counts = new Map<string, Map<string, number>>();
  for (const r of recording.resources) {
    const layer = layerOf(r, byUrn);
    const row = counts.get(layer) ?? new Map<string, number>();
    const action = plannedAction(r) ?? "none";
    row.set(action, (row.get(action) ?? 0) + 1);
    counts.set(layer, row);
  }
  return counts;
}

/** A Markdown table; `|` in cells is escaped. */
export function table(header: string[], rows: string[][]): string {
  const cell = (c: string) => c.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [header, header.map(() => "---"), ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

function countsSection(recording: Recording): string {
  const counts = actionCounts(recording);
  const columns = [...ACTIONS, "none"].filter((a) => [...counts.values()].some((row) => row.has(a)));
  const total = (a: string) => [...counts.values()].reduce((n, row) => n + (row.get(a) ?? 0), 0);
  const rows = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([layer, row]) => [
      layer,
      ...columns.map((a) => String(row.get(a) ?? 0)),
      String([...row.values()].reduce((x, y) => x + y, 0)),
    ]);
  rows.push(["**all**", ...columns.map((a) => `**${total(a)}**`), `**${recording.resources.length}**`]);
  const header = ["layer", ...columns.map((a) => (a === "none" ? "component only" : a)), "resources"];
  return [
    "## Actions",
    "",
    "Planned against an empty state: `create` makes the object, `import`, `upsert` and `take-ownership` take an",
    "existing one over (see the adoption settings). Compare with a base (`--base`) for what changes.",
    "",
    table(header, rows),
  ].join("\n");
}

function exposureSection(graph: PlatformGraph): string {
  if (graph.exposures.length === 0) return "## Exposures\n\nThe stack exposes nothing outside the cluster.";
  return [
    "## Exposures",
    "",
    table(
      ["hostname", "address", "via", "gateway", "NodePort", "backend Service"],
      graph.exposures.map((e) => [e.hostname, e.address, e.via, e.gateway, e.nodePort, e.backend]),
    ),
  ].join("\n");
}

/** The route a URL on a gateway reaches: the one on that gateway with the longest matching path prefix. */
function routeOfUrl(url: string | undefined, routes: RouteNode[]): RouteNode | undefined {
  const target = url === undefined ? undefined : gatewayUrl(url);
  if (target === undefined) return undefined;
  let best: { route: RouteNode; length: number } | undefined;
  for (const route of routes.filter((r) => r.gateways.includes(target.gateway)))
    for (const p of route.paths)
      if (target.path.startsWith(p) && (best === undefined || p.length > best.length))
        best = { route, length: p.length };
  return best?.route;
}

/** The Mermaid flowchart of the platform graph, one subgraph per layer. */
export function mermaid(graph: PlatformGraph): string {
  const ids = new Map<string, string>();
  const id = (key: string) => {
    if (!ids.has(key)) ids.set(key, `n${ids.size}`);
    return ids.get(key)!;
  };
  const label = (...lines: string[]) => `["${lines.map((l) => l.replace(/"/g, "#quot;")).join("<br/>")}"]`;
  const layers = new Map<string, string[]>();
  const place = (layer: string, node: string) => layers.set(layer, [...(layers.get(layer) ?? []), node]);
  const edges: string[] = [];
  const edge = (from: string, to: string, text?: string) =>
    edges.push(`  ${from} -->${text ? `|"${text.replace(/"/g, "#quot;")}"|` : ""} ${to}`);

  for (const g of graph.gateways) {
    const ports = g.listeners.map(
      (l) =>
        `${l.name}:${l.port}${g.service.nodePorts[l.port] ? ` → NodePort ${g.service.nodePorts[l.port]}` : ""}`,
    );
    place(g.layer, `${id(`gw:${g.name}`)}${label(`Gateway ${g.name}`, ...ports)}`);
  }
  for (const b of graph.backends)
    place(b.layer, `${id(`be:${b.name}`)}${label(`backend ${b.name}`, ...b.describes)}`);
  for (const r of graph.routes) {
    place(
      r.layer,
      `${id(`rt:${r.name}`)}${label(`HTTPRoute ${r.name}`, r.paths.length > 0 ? r.paths.join(" ") : "every path")}`,
    );
    for (const g of r.gateways) edge(id(`gw:${g}`), id(`rt:${r.name}`));
    for (const b of r.backends) edge(id(`rt:${r.name}`), id(`be:${b}`));
  }
  graph.exposures.forEach((e, i) => {
    const node = id(`ex:${i}`);
    place("edge", `${node}${label(`${e.via} ${e.address}`, ...(e.hostname !== "—" ? [e.hostname] : []))}`);
    if (graph.gateways.some((g) => g.name === e.gateway))
      edge(node, id(`gw:${e.gateway}`), e.nodePort !== "—" ? `NodePort ${e.nodePort}` : undefined);
  });
  for (const a of graph.agents) {
    place(a.layer, `${id(`ag:${a.name}`)}${label(`Agent ${a.name}`)}`);
    for (const call of a.calls) {
      if (call.kind === "agent") {
        edge(id(`ag:${a.name}`), id(`ag:${call.name}`), "agent");
        continue;
      }
      const route = routeOfUrl(call.url, graph.routes);
      const target = route ? id(`rt:${route.name}`) : id(`url:${call.url ?? call.name}`);
      if (!route) place("unresolved", `${target}${label(call.url ?? `${call.name} (no URL)`)}`);
      edge(id(`ag:${a.name}`), target, `${call.kind} ${call.name}`);
    }
  }
  const lines = ["flowchart LR"];
  for (const [layer, nodes] of [...layers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  subgraph layer_${layer.replace(/[^A-Za-z0-9]/g, "_")}["${layer}"]`);
    for (const n of [...new Set(nodes)]) lines.push(`    ${n}`);
    lines.push("  end");
  }
  lines.push(...[...new Set(edges)]);
  return lines.join("\n");
}

/** The summary document: headline, counts, exposures, the extra sections given, the diagram. */
export function summaryMarkdown(recording: Recording, sections: string[] = []): string {
  const graph = platformGraph(recording);
  const custom = recording.resources.filter((r) => r.custom).length;
  return [
    `# Plan of stack \`${recording.stack}\``,
    "",
    `${recording.resources.length} resources (${custom} custom), ${recording.invokes.length} invokes; ` +
      `${graph.gateways.length} gateways, ${graph.routes.length} routes, ${graph.backends.length} backends, ` +
      `${graph.agents.length} agents.`,
    "",
    ...sections.flatMap((s) => [s, ""]),
    countsSection(recording),
    "",
    exposureSection(graph),
    "",
    "## Platform",
    "",
    "As the plan declares it: edge addresses, Gateways with their listeners, routes and backends, agents",
    "and the model and MCP routes they call, grouped by layer.",
    "",
    "```mermaid",
    mermaid(graph),
    "```",
    "",
  ].join("\n");
}
