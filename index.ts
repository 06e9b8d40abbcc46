import { buildPlatform } from "./platform";
import { loadPlatformConfig } from "./stacks/load";
import { SecretResolver } from "./stacks/secrets";

/**
 * The AI platform program: load and validate the stack config, build every enabled layer, export outputs.
 * Run by `pulumi up` (compiled to dist/index.js) and by the offline recording runtime.
 */
export = async () => {
  const config = loadPlatformConfig();
  return buildPlatform(config, { secrets: new SecretResolver(config.secrets) });
};
