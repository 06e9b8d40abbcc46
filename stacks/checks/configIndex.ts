import type { PartialConfig } from "../rules";
import type { PlatformConfig } from "../schema";

export type LayerKey = Exclude<keyof PlatformConfig, "secrets" | "exposures">;

/** An IPv4 address the plan puts on the network, with the config path that sets it. */
export interface AddressUse {
  ip: string;
  path: string;
  role: "node" | "API VIP" | "router" | "LoadBalancer IP" | "BIG-IP VIP";
}

/** Facts about the config that several rules need, computed once. */
export interface ConfigIndex {
  config: PartialConfig;
  /** Whether a layer is on; undefined when its config did not parse (its own errors are already reported). */
  enabled(layer: LayerKey): boolean | undefined;
  /** Addresses in use on the nodes' network and the BIG-IP, each with its path. */
  addresses: AddressUse[];
}

export function buildIndex(config: PartialConfig): ConfigIndex {
  const addresses: AddressUse[] = [];
  const talos = config.cluster?.talos;
  if (talos?.enabled) {
    // Shared infrastructure first, so that a clash is reported on the node or Service that takes its address.
    addresses.push({ ip: talos.network.gateway, path: "cluster.talos.network.gateway", role: "router" });
    addresses.push({ ip: talos.apiVip, path: "cluster.talos.apiVip", role: "API VIP" });
    talos.nodes.forEach((n, i) =>
      addresses.push({ ip: n.address, path: `cluster.talos.nodes[${i}].address`, role: "node" }),
    );
  }
  if (config.agentgateway?.enabled) {
    config.agentgateway.gateways.forEach((g, i) => {
      if (g.service.type === "LoadBalancer")
        addresses.push({
          ip: g.service.ip,
          path: `agentgateway.gateways[${i}].service.ip`,
          role: "LoadBalancer IP",
        });
    });
  }
  if (config.bigip?.enabled) {
    config.exposures?.forEach((e, i) => {
      if (e.enabled && e.bigip !== undefined)
        addresses.push({ ip: e.bigip.vip, path: `exposures[${i}].bigip.vip`, role: "BIG-IP VIP" });
    });
  }
  return {
    config,
    enabled: (layer) => {
      // A layer that failed to parse is absent; an optional layer left out parsed to undefined.
      if (!(layer in config)) return undefined;
      const value = config[layer] as { enabled?: boolean } | undefined;
      return value?.enabled ?? false;
    },
    addresses,
  };
}
