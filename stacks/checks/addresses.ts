import { cidrRange, intToIp, ipInCidr, ipToInt } from "../../lib/net";
import type { CrossRule } from ".";
import type { AddressUse } from "./configIndex";

/*
 * Address plans that can work on the wire: inside the CIDR is not enough. The network and broadcast
 * addresses are not host addresses, an address held by two things makes both flap (ARP, Layer 2 VIPs,
 * BIG-IP virtual addresses), and an LB IPAM pool that can hand out an address already in use steals it.
 */

/** Pairs other rules already report (duplicate node, node on the API VIP, duplicate LoadBalancer IP). */
function reportedElsewhere(a: AddressUse, b: AddressUse): boolean {
  const roles = new Set([a.role, b.role]);
  if (roles.size === 1) return a.role !== "router";
  return roles.has("node") && roles.has("API VIP");
}

const addressUsedTwice: CrossRule = {
  id: "address-used-twice",
  check({ addresses }, issues) {
    addresses.forEach((a, i) => {
      const first = addresses
        .slice(0, i)
        .find((b) => b.ip === a.ip && !(a.role === "BIG-IP VIP" && b.role === a.role));
      if (first === undefined || reportedElsewhere(a, first)) return;
      issues.add(
        a.path,
        `${a.ip} is already the address of the ${first.role} (${first.path})`,
        "every node, VIP, router and LoadBalancer address must be different",
      );
    });
  },
};

const networkOrBroadcast: CrossRule = {
  id: "address-network-or-broadcast",
  check({ config, addresses }, issues) {
    const nodeCidr = config.cluster?.talos.network?.nodeCidr;
    if (nodeCidr === undefined || Number(nodeCidr.split("/")[1]) > 30) return;
    const [network, broadcast] = cidrRange(nodeCidr);
    for (const a of addresses) {
      if (!ipInCidr(a.ip, nodeCidr)) continue;
      const value = ipToInt(a.ip);
      if (value === network || value === broadcast) {
        issues.add(
          a.path,
          `${a.ip} is the ${value === network ? "network" : "broadcast"} address of ${nodeCidr}`,
          `use a host address from ${intToIp(network + 1)} to ${intToIp(broadcast - 1)}`,
        );
      }
    }
  },
};

interface Block {
  path: string;
  first: number;
  last: number;
  text: string;
}

const lbPoolOverlap: CrossRule = {
  id: "lb-pool-overlap",
  check({ config, addresses, enabled }, issues) {
    const cilium = config.cilium;
    if (cilium === undefined || !enabled("cilium")) return;
    const blocks: Block[] = cilium.lbPools.flatMap((p, i) =>
      p.blocks.map((b, j) => {
        const path = `cilium.lbPools[${i}].blocks[${j}]`;
        if ("cidr" in b) {
          const [first, last] = cidrRange(b.cidr);
          return { path, first, last, text: b.cidr };
        }
        return { path, first: ipToInt(b.start), last: ipToInt(b.stop), text: `${b.start}-${b.stop}` };
      }),
    );
    blocks.forEach((b, i) => {
      const other = blocks.slice(0, i).find((o) => o.first <= b.last && b.first <= o.last);
      if (other !== undefined)
        issues.add(
          b.path,
          `${b.text} overlaps ${other.text} at ${other.path}`,
          "LB IPAM pools must not overlap",
        );
      const taken = addresses.find(
        (a) => a.role !== "LoadBalancer IP" && ipToInt(a.ip) >= b.first && ipToInt(a.ip) <= b.last,
      );
      if (taken !== undefined)
        issues.add(
          b.path,
          `${b.text} contains ${taken.ip}, the ${taken.role} at ${taken.path}`,
          "Cilium could hand that address to a LoadBalancer Service; leave it out of the pool",
        );
      const network = config.cluster?.talos.enabled ? config.cluster.talos.network : undefined;
      for (const key of ["podCidr", "serviceCidr"] as const) {
        const cidr = network?.[key];
        const [first, last] = cidr !== undefined ? cidrRange(cidr) : [1, 0];
        if (cidr !== undefined && first <= b.last && b.first <= last)
          issues.add(
            b.path,
            `${b.text} overlaps the cluster's ${key === "podCidr" ? "pod" : "service"} network ${cidr}`,
          );
      }
    });
  },
};

export const addressRules: CrossRule[] = [addressUsedTwice, networkOrBroadcast, lbPoolOverlap];
