import type { Recording } from "../../recording/runtime";
import type { PlatformConfig } from "../../stacks/schema";
import { DeclaredTalos, plannedTalosNodes, schematicId, talosNodeReports } from "../talosNodes";
import { Finding, finding } from "./findings";
import { TalosCheck, talosObject } from "./talos";

/*
 * The Talos section's comparison of each node with what the program applies to it (../talosNodes.ts): its
 * versions and schematic against the declared ones, and its configuration diff classified by what Talos does
 * with each difference under the stack's apply mode.
 */

/** The check for a stack with Talos on; none when Talos is off. */
export function talosConfigChecks(config: PlatformConfig, recording: Recording): TalosCheck[] {
  const talos = config.cluster.talos;
  if (!talos.enabled) return [];
  const declared: DeclaredTalos = {
    talosVersion: talos.talosVersion,
    kubernetesVersion: talos.kubernetesVersion,
    schematicId: schematicId(talos.extensions),
    applyMode: talos.rollout.applyMode,
    allowDowngrade: talos.rollout.allowDowngrade,
  };
  const planned = plannedTalosNodes(recording, talos.nodes);
  return [
    (nodes) => {
      // A node the snapshot could not read already has its blocker (./talos.ts nodeRead).
      const read = new Map(
        nodes
          .filter((n) => n.source.status === "ok" && n.files.machineconfig !== undefined)
          .map((n) => [n.name, n]),
      );
      const report = talosNodeReports(
        planned.filter((n) => read.has(n.name)),
        declared,
        (name) => read.get(name)!.files,
      );
      const findings: Finding[] = report.blockers.map((message) =>
        finding("talos", "Talos nodes", "blocked", "blocker", message),
      );
      for (const node of report.nodes) {
        const object = talosObject({ name: node.node, address: node.address });
        for (const message of node.blockers)
          findings.push(finding("talos", object, "blocked", "blocker", message));
        if (node.changes.length > 0)
          findings.push(
            finding("talos", object, "update", "change", node.changes.join("\n"), {
              changes: node.differences
                .filter((d) => d.effect !== "refused under no_reboot")
                .map((d) => ({
                  path: d.document === "v1alpha1" ? `.${d.path}` : `${d.document} .${d.path}`,
                  ...(d.live !== undefined ? { live: d.live } : {}),
                  ...(d.planned !== undefined ? { planned: d.planned } : {}),
                  note: d.effect,
                })),
            }),
          );
      }
      return findings;
    },
  ];
}
