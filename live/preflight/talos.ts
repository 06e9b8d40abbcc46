import type { PlannedState } from "../plan";
import type { TalosNodeRef, TalosResourceFile } from "../talos";
import { Finding, finding } from "./findings";
import { LiveState, SourceState, talosResources } from "./liveState";

/*
 * The per-node Talos section of the report. Each node's snapshot (talosctl's machineconfig, version and
 * extensions of it) goes through every check in TALOS_NODE_CHECKS; a comparison of the node's live
 * configuration with what the program applies adds itself there.
 */

type Obj = Record<string, unknown>;

export interface TalosNodeSnapshot extends TalosNodeRef {
  source: SourceState;
  /** talosctl's YAML output per resource file, as the snapshot holds it. */
  files: Partial<Record<TalosResourceFile, string>>;
}

/** A check of one node: its findings (area `talos`, object `Talos node <name>`). */
export type TalosNodeCheck = (node: TalosNodeSnapshot, plan: PlannedState) => Finding[];

export function talosObject(node: TalosNodeRef): string {
  return `Talos node ${node.name} (${node.address})`;
}

/** Whether the node was read at all: without its snapshot nothing can be said of what its apply does. */
const nodeRead: TalosNodeCheck = (node) => {
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
};

/** The checks every node goes through, in order. */
export const TALOS_NODE_CHECKS: TalosNodeCheck[] = [nodeRead];

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
  checks: readonly TalosNodeCheck[] = TALOS_NODE_CHECKS,
): Finding[] {
  return nodes.flatMap((node) => checks.flatMap((check) => check(node, plan)));
}
