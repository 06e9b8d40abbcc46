import * as pulumi from "@pulumi/pulumi";
import { plugins } from "../versions";

/** Configuration of the f5bigip provider (schema `config.variables`; only the keys this program sets). */
export interface BigipProviderArgs {
  /** Management host or IP of the BIG-IP (secret Output resolved from a secret reference). */
  address: pulumi.Input<string>;
  /** Management user name (secret Output resolved from a secret reference). */
  username: pulumi.Input<string>;
  /** Management password; wrapped in `pulumi.secret` here because the upstream schema does not mark it secret. */
  password: pulumi.Input<string>;
  /** Management port when it is not 443 (a string in the provider schema). */
  port?: pulumi.Input<string>;
  /**
   * Disables TLS verification of the management API. Upstream defaults to `true` (verification off); this
   * binding always sends the value so the choice is explicit in the stack config.
   */
  validateCertsDisable: pulumi.Input<boolean>;
  /** PEM file of the management CA; the provider requires it when certificate validation is on. */
  trustedCertPath?: pulumi.Input<string>;
  /** Opts out of F5 usage telemetry (TEEM). */
  teemDisable?: pulumi.Input<boolean>;
}

/**
 * Explicit provider for package `f5bigip` (type `pulumi:providers:f5bigip`), plugin pinned in
 * components/versions.ts. f5bigip publishes no pluginDownloadURL, so the engine fetches the plugin from
 * Pulumi's default source (pulumi/pulumi-f5bigip@v3.24.0 sdk/nodejs/package.json).
 */
export class BigipProvider extends pulumi.ProviderResource {
  public static readonly __pulumiType = "f5bigip";

  constructor(name: string, args: BigipProviderArgs, opts?: pulumi.ResourceOptions) {
    super(
      BigipProvider.__pulumiType,
      name,
      {
        address: pulumi.secret(args.address),
        username: pulumi.secret(args.username),
        password: pulumi.secret(args.password),
        port: args.port,
        // Booleans go as booleans (as Pulumi YAML sends them), typed as in the schema; the bridge's config
        // encoding accepts these and the JSON-encoded strings generated SDKs send (pulumi-terraform-bridge#2550).
        validateCertsDisable: args.validateCertsDisable,
        trustedCertPath: args.trustedCertPath,
        teemDisable: args.teemDisable,
      },
      pulumi.mergeOptions(
        { version: plugins.f5bigip.version },
        pulumi.mergeOptions(opts ?? {}, { additionalSecretOutputs: ["address", "username", "password"] }),
      ),
    );
  }
}
