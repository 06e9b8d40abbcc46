import type { BigipConfig, CloudflareConfig, PlatformConfig, TalosConfig } from "../../stacks/schema";

/** The Talos settings of a stack whose Talos layer is on (test stacks are); throws otherwise. */
export function talosOn(config: PlatformConfig): TalosConfig {
  if (!config.cluster.talos.enabled) throw new Error("the stack's Talos layer is off");
  return config.cluster.talos;
}

/** The BIG-IP layer of a stack that enables it; throws otherwise. */
export function bigipOn(config: PlatformConfig): BigipConfig {
  if (!config.bigip?.enabled) throw new Error("the stack's BIG-IP layer is off");
  return config.bigip;
}

/** The Cloudflare layer of a stack that enables it; throws otherwise. */
export function cloudflareOn(config: PlatformConfig): CloudflareConfig {
  if (!config.cloudflare?.enabled) throw new Error("the stack's Cloudflare layer is off");
  return config.cloudflare;
}
