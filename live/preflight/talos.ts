import type { PlannedState } from "../plan";
import type { TalosNodeRef, TalosResourceFile } from "../talos";
import { Finding, finding } from "./findings";
import { LiveState, SourceState, talosResources } from "./liveState";

/*
 * The per-node Talos section of the report. The nodes' snapshots (talosctl's machineconfig, version and
 * extensions of each) go through every check in TALOS_CHECKS, and through the checks the caller adds (a
 * comparison of each node's live configuration with what the program applies, which needs the stack's config).
 */

type Obj = Record<string, unknown>;

export interface TalosNodeSnapshot extends TalosNodeRef {
  source: SourceState;
  /** talosctl's YAML output per resource file, as the snapshot holds it. */
  files: Partial<Record<TalosResourceFile, string>>;
}

/** A check of the stack's nodes: its findings (area `talos`, object `talosObject(node)` for one node's). */
export type TalosCheck = (nodes: readonly TalosNodeSnapshot[], plan: PlannedState) => Finding[];

export function talosObject(node: TalosNodeRef): string {
  return `Talos node ${node.name} (${node.address})`;
}

/** Whether the node was read at all: without its snapshot nothing can be said of what its apply does. */
function nodeRead(node: TalosNodeSnapshot): Finding[] {
  const missing = (["machineconfig", "version", "extensions"] as const).filter(
    (f) => node.files[f] === undefined,
  );
  if (node.source.status !== "ok" || missing.length > 0) {
    const why =
      node.source.error ??
      (missing.length > 0 ? `no ${missing.join(", ")} in the snapshot` : node.source.status);
    return [
      finding(
        "talos",
        talosObject(node),
        "blocked",
        "blocker",
        `not read (${why}): what the configuration apply does to it is unknown.`,
        {
          hint: "reach the node with talosctl (TALOSCONFIG) and take the snapshot again",
        },
      ),
    ];
  }
  const version = talosResources(node.files.version!)
    .map((r) => (r["spec"] as Obj | undefined)?.["version"])
    .find((v) => v !== undefined);
  const extensions = talosResources(node.files.extensions!)
    .map((r) => ((r["spec"] as Obj | undefined)?.["metadata"] as Obj | undefined)?.["name"])
    .filter((n) => n !== undefined);
  return [
    finding(
      "talos",
      talosObject(node),
      "unchanged",
      "info",
      `read: Talos ${String(version ?? "version unknown")}, extensions ${extensions.length > 0 ? extensions.join(", ") : "none"}.`,
    ),
  ];
}

/** The checks the Talos section always runs, in order. */
export const TALOS_CHECKS: readonly TalosCheck[] = [(nodes) => nodes.flatMap(nodeRead)];

export function talosNodeSnapshots(nodes: readonly TalosNodeRef[], live: LiveState): TalosNodeSnapshot[] {
  return nodes.map((n) => ({
    ...n,
    source: live.sources.get(`talos/${n.name}`) ?? { status: "missing" },
    files: live.talos.get(n.name) ?? {},
  }));
}

export function talosFindings(
  nodes: readonly TalosNodeSnapshot[],
  plan: PlannedState,
  checks: readonly TalosCheck[] = TALOS_CHECKS,
): Finding[] {
  return checks.flatMap((check) => check(nodes, plan));
}
