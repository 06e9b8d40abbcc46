import { loadPlatformConfig } from "./stacks/load";
import { SecretResolver } from "./stacks/secrets";

/**
 * The AI platform program: load and validate the stack config, build each enabled layer, export outputs.
 * Run by `pulumi up` (compiled to dist/index.js) and by the offline recording runtime.
 */
export = async () => {
  const config = loadPlatformConfig();
  const secrets = new SecretResolver(config.secrets);
  return {
    cluster: config.cluster.name,
    secretNames: Object.keys(config.secrets).sort(),
    bigipPassword: config.bigip?.enabled ? secrets.get(config.bigip.passwordSecret) : undefined,
  };
};
