import { AddressBook, platformAddressBook } from "../../lib/addressBook";
import { ExposurePlan, exposurePlan } from "../../lib/exposures";
import { rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import type { PlatformConfig } from "../../stacks/schema";

/** The parsed, validated configuration of a production stack file. */
export function stackConfig(stack: string): PlatformConfig {
  return loadPlatformConfig(rawConfigOf(readStackFile(stack)));
}

/** The address book the composition builds for a config. */
export function addressBookOf(config: PlatformConfig): AddressBook {
  return platformAddressBook(config);
}

/** The exposure plan the composition compiles for a config (the Cloudflare slice when that edge is on). */
export function exposurePlanOf(config: PlatformConfig): ExposurePlan {
  return exposurePlan(config.exposures, config.agentgateway.gateways, addressBookOf(config), {
    cloudflare: config.cloudflare?.enabled === true,
  });
}
