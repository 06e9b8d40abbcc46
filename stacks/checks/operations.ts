import { z } from "zod";
import { OFFICIAL_EXTENSIONS } from "../../lib/talosExtensions";
import { closest } from "../hints";
import type { CrossRule } from ".";
import type { ProblemSink } from "./refine";

/*
 * Operational sanity of the cluster layer: what Talos and etcd accept, and what Longhorn needs of the nodes
 * whether or not this program manages them.
 */

/**
 * etcd needs a majority of members: 2 control planes tolerate no more failures than 1, and 4 no more than 3,
 * while adding a member to be lost (https://etcd.io/docs/v3.6/faq/, "Why an odd number of cluster
 * members?"). An even count is an error unless the config says why.
 */
/** Talos settings the operations invariants read (when Talos is on). */
interface TalosFacts {
  nodes: Array<{ controller: boolean }>;
  talosVersion: string;
  extensions: string[];
  evenControlPlanesReason?: string | undefined;
}

/** An even number of control planes tolerates no more etcd failures than one fewer (an invariant of cluster.talos). */
export function controlPlaneCountProblems(talos: TalosFacts, problems: ProblemSink): void {
  const count = talos.nodes.filter((n) => n.controller).length;
  if (count > 0 && count % 2 === 0 && talos.evenControlPlanesReason === undefined)
    problems.add(
      ["nodes"],
      `${count} control-plane nodes tolerate ${(count - 2) / 2} etcd member failure${count === 4 ? "" : "s"}, no more than ${count - 1} would`,
      `use ${count - 1} or ${count + 1} control planes, or give the reason in cluster.talos.evenControlPlanesReason`,
    );
}

/**
 * The Image Factory takes official extensions by their image name under siderolabs/
 * (siderolabs/image-factory: pkg/schematic/schematic.go,
 * `customization.systemExtensions.officialExtensions`), e.g. siderolabs/iscsi-tools.
 */
export function extensionProblem(name: string): { message: string; hint?: string } | undefined {
  if (/^siderolabs\/[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name)) return undefined;
  const image = /^(?:ghcr\.io\/)?siderolabs\/([a-z0-9-]+)(?::[^/]+|@sha256:[0-9a-f]+)$/.exec(name);
  if (image !== null)
    return {
      message: `"${name}" is an image reference`,
      hint: `use the extension name "siderolabs/${image[1]}"`,
    };
  if (/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name))
    return { message: `"${name}" has no siderolabs/ prefix`, hint: `use "siderolabs/${name}"` };
  const lower = name.toLowerCase().replace(/_/g, "-");
  return {
    message: `"${name}" is not an official extension name`,
    hint: /^siderolabs\/[a-z0-9-]+$/.test(lower)
      ? `use "${lower}"`
      : "names look like siderolabs/iscsi-tools",
  };
}

/** A well-formed name that is not in the official catalog of the Talos release (lib/talosExtensions.ts). */
function unofficialExtension(
  name: string,
  talosVersion: string,
): { message: string; hint?: string } | undefined {
  const minor = talosVersion.replace(/^v/, "").split(".").slice(0, 2).join(".");
  const catalog = OFFICIAL_EXTENSIONS[minor];
  const short = name.replace(/^siderolabs\//, "");
  if (catalog === undefined || catalog.names.includes(short)) return undefined;
  const like = closest(short, catalog.names);
  return {
    message: `"${name}" is not an official extension of Talos ${talosVersion} (siderolabs/extensions ${catalog.tag})`,
    hint:
      like !== undefined ? `did you mean "siderolabs/${like}"?` : "see the extension catalog of that release",
  };
}

/** Each extension once, by its official name in the Talos release's catalog (an invariant of cluster.talos). */
export function extensionNameProblems(talos: TalosFacts, problems: ProblemSink): void {
  const seen = new Map<string, number>();
  talos.extensions.forEach((name, i) => {
    const problem = extensionProblem(name) ?? unofficialExtension(name, talos.talosVersion);
    if (problem !== undefined) problems.add(["extensions", i], problem.message, problem.hint);
    const first = seen.get(name);
    if (first !== undefined)
      problems.add(["extensions", i], `"${name}" is listed twice`, "already at {see}", ["extensions", first]);
    else seen.set(name, i);
  });
}

export const existingNodesSchema = z.strictObject({
  /** Nodes that can hold Longhorn replicas. */
  storageNodes: z.number().int().min(1),
  /** System extensions of the nodes' Talos schematic, when the existing nodes run Talos. */
  talosExtensions: z.array(z.string().min(1)).optional(),
});

/** The Talos extensions Longhorn needs on every node (iSCSI and the util-linux tools it calls). */
export const LONGHORN_EXTENSIONS = ["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"];

/** Longhorn on a cluster this program does not manage: its node facts come from cluster.existingNodes. */
const longhornExistingCluster: CrossRule = {
  id: "longhorn-existing-cluster",
  check({ config, enabled }, issues) {
    const cluster = config.cluster;
    const longhorn = config.longhorn;
    if (cluster === undefined || cluster.talos.enabled || longhorn === undefined || !enabled("longhorn"))
      return;
    const existing = cluster.existingNodes;
    if (existing === undefined) {
      issues.add(
        "cluster.existingNodes",
        "is required for Longhorn on an existing cluster",
        "give storageNodes (nodes that can hold replicas) and, on Talos nodes, their talosExtensions",
      );
      return;
    }
    if (longhorn.replicaCount > existing.storageNodes)
      issues.add(
        "longhorn.replicaCount",
        `${longhorn.replicaCount} replicas but only ${existing.storageNodes} storage node${existing.storageNodes === 1 ? "" : "s"}`,
        `use at most ${existing.storageNodes}`,
      );
    const missing = LONGHORN_EXTENSIONS.filter((e) => existing.talosExtensions?.includes(e) === false);
    if (missing.length > 0)
      issues.add(
        "cluster.existingNodes.talosExtensions",
        `Longhorn needs the Talos extension${missing.length === 1 ? "" : "s"} ${missing.join(" and ")}`,
        "add them to the nodes' schematic, or disable longhorn",
      );
  },
};

export const operationRules: CrossRule[] = [longhornExistingCluster];
