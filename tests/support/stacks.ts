import type { AddressBook } from "../../lib/addressBook";
import type { ExposurePlan } from "../../lib/exposures";
import { platformFacts } from "../../platform";
import { rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import type { PlatformConfig } from "../../stacks/schema";

/** The parsed, validated configuration of a production stack file. */
export function stackConfig(stack: string): PlatformConfig {
  return loadPlatformConfig(rawConfigOf(readStackFile(stack)));
}

/** The address book the composition builds for a config. */
export function addressBookOf(config: PlatformConfig): AddressBook {
  return platformFacts(config).addresses;
}

/** The exposure plan the composition compiles for a config (the Cloudflare slice when that edge is on). */
export function exposurePlanOf(config: PlatformConfig): ExposurePlan {
  return platformFacts(config).exposures;
}
