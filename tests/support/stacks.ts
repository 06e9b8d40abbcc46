import { rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import type { PlatformConfig } from "../../stacks/schema";

/** The parsed, validated configuration of a production stack file. */
export function stackConfig(stack: string): PlatformConfig {
  return loadPlatformConfig(rawConfigOf(readStackFile(stack)));
}
