import * as pulumi from "@pulumi/pulumi";
import { plugins } from "../versions";

/*
 * Shared options of every talos registration. `@pulumiverse/talos` cannot be installed here, so these
 * bindings speak to the plugin directly; the plugin version and download URL come from the pinned
 * `plugins.talos` (pulumiverse/pulumi-talos@v0.8.1 sdk/nodejs/package.json `pulumi.server`).
 */

/** Resource options with the talos plugin pinned; caller options win except for the pin itself. */
export function talosResourceOptions(
  opts: pulumi.CustomResourceOptions | undefined,
  additionalSecretOutputs: string[] = [],
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts ?? {}, {
    version: plugins.talos.version,
    pluginDownloadURL: plugins.talos.pluginDownloadURL,
    additionalSecretOutputs,
  });
}

/** Invoke options with the talos plugin pinned. */
export function talosInvokeOptions(opts: pulumi.InvokeOutputOptions | undefined): pulumi.InvokeOutputOptions {
  return { ...opts, version: plugins.talos.version, pluginDownloadURL: plugins.talos.pluginDownloadURL };
}

/**
 * Invokes a talos function with the Output form (`runtime.invokeOutput`), which keeps secretness; the plain
 * promise form drops it (pulumi/pulumi@v3.248.0 sdk/nodejs/runtime/invoke.ts). When the function returns
 * secret values, the whole result is wrapped in `pulumi.secret` so no field can leak through an apply.
 */
export function invokeTalos<T>(
  token: string,
  args: pulumi.Inputs,
  opts: pulumi.InvokeOutputOptions | undefined,
  secret: boolean,
): pulumi.Output<T> {
  const result = pulumi.runtime.invokeOutput<T>(token, args, talosInvokeOptions(opts));
  return secret ? (pulumi.secret(result) as pulumi.Output<T>) : result;
}
