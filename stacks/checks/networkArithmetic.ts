import type { CrossRule } from ".";
import { cidrsOverlap, ipInCidr } from "../../lib/net";

/*
 * Network arithmetic the cluster depends on. Cilium runs in `ipam.mode: kubernetes`
 * (components/cluster/cilium.ts), so each node gets its pod range from kube-controller-manager, which cuts the pod
 * CIDR into `--node-cidr-mask-size` blocks (default /24 for IPv4: kubernetes/kubernetes@v1.36
 * cmd/kube-controller-manager/app/core.go, defaultNodeMaskCIDRIPv4); a node that finds no free block stays
 * without pod addresses. And an address in the pod or Service network is routed into the cluster, not to the machine
 * that holds it.
 */

const DEFAULT_NODE_MASK = 24;

/** The node mask the stack's control-plane patches give kube-controller-manager, or the default. */
function nodeMask(patches: ReadonlyArray<Record<string, unknown>>): { mask: number; from?: string } {
  let found: { mask: number; from?: string } = { mask: DEFAULT_NODE_MASK };
  patches.forEach((doc, i) => {
    const cluster = doc["cluster"] as
      { controllerManager?: { extraArgs?: Record<string, unknown> } } | undefined;
    const args = cluster?.controllerManager?.extraArgs ?? {};
    for (const key of ["node-cidr-mask-size-ipv4", "node-cidr-mask-size"]) {
      const value = Number(args[key]);
      if (args[key] !== undefined && Number.isInteger(value)) {
        found = { mask: value, from: `cluster.talos.patches.controlplane[${i}] (${key})` };
        break;
      }
    }
  });
  return found;
}

const podCidrCapacity: CrossRule = {
  id: "pod-cidr-capacity",
  check({ config }, issues) {
    const talos = config.cluster?.talos;
    if (talos === undefined || !talos.enabled) return;
    const prefix = Number(talos.network.podCidr.split("/")[1]);
    const { mask, from } = nodeMask(talos.patches.controlplane);
    const blocks = mask >= prefix ? 2 ** (mask - prefix) : 0;
    const where = from === undefined ? "kube-controller-manager's default" : from;
    if (blocks < talos.nodes.length)
      issues.add(
        "cluster.talos.network.podCidr",
        mask < prefix
          ? `${talos.network.podCidr} is smaller than one node's /${mask} pod range (${where})`
          : `${talos.network.podCidr} holds ${blocks} node range${blocks === 1 ? "" : "s"} of /${mask} (${where}), but the cluster has ${talos.nodes.length} nodes`,
        `use a pod CIDR of /${mask - Math.ceil(Math.log2(talos.nodes.length))} or larger`,
      );
  },
};

const clusterCidrsClear: CrossRule = {
  id: "cluster-cidr-clear",
  check({ config, addresses }, issues) {
    const talos = config.cluster?.talos;
    if (talos === undefined || !talos.enabled) return;
    for (const a of addresses)
      for (const [key, what] of [
        ["podCidr", "pod"],
        ["serviceCidr", "Service"],
      ] as const) {
        const cidr = talos.network[key];
        // A pod or Service network over the node network is already reported (invariant talos-network).
        if (ipInCidr(a.ip, cidr) && !cidrsOverlap(cidr, talos.network.nodeCidr))
          issues.add(
            a.path,
            `${a.ip} (the ${a.role}) is inside the ${what} network ${cidr}`,
            `traffic to it would be routed into the cluster; move it or the cluster.talos.network.${key}`,
          );
      }
  },
};

export const networkArithmeticRules: CrossRule[] = [podCidrCapacity, clusterCidrsClear];
