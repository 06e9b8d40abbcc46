import { LayerNamespace, layerNamespaces, LayerToggles } from "../../lib/layers";
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
  /** The namespace each layer of the plan owns (lib/layers.ts). */
  namespaces: LayerNamespace[];
}

/**
 * The namespaces the layers of this config own, decided by the layer plan (lib/layers.ts) that also creates
 * them. A layer whose config did not parse counts as off (its own errors are already reported).
 */
export function ownedNamespaces(config: PartialConfig): LayerNamespace[] {
  const off = { enabled: false, namespace: "" };
  const toggles: LayerToggles = {
    longhorn: config.longhorn ?? off,
    agentgateway: config.agentgateway ?? off,
    mcp: config.mcp ?? off,
    kagent: config.kagent ?? off,
    observability: config.observability ?? { enabled: false, collector: off },
    bigip: config.bigip,
    cloudflare: config.cloudflare,
    tenants: config.tenants ?? off,
  };
  return layerNamespaces(toggles);
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
    namespaces: ownedNamespaces(config),
  };
}
