import type * as pulumi from "@pulumi/pulumi";
import { invokeTalos } from "./provider";
import type { ClientConfigurationArgs } from "./types";

/** `talos.client` functions of the talos 0.8.1 schema. */

export interface GetClientConfigurationArgs {
  clusterName: pulumi.Input<string>;
  /** Client credentials from the machine Secrets. */
  clientConfiguration: pulumi.Input<ClientConfigurationArgs>;
  /** Talos API endpoints written into the talosconfig (control-plane addresses). */
  endpoints?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default target nodes written into the talosconfig. */
  nodes?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface GetClientConfigurationResult {
  id: string;
  clusterName: string;
  endpoints?: string[];
  nodes?: string[];
  /** The talosconfig document (secret). */
  talosConfig: string;
}

/** `talos:client/getConfiguration:getConfiguration`: renders a talosconfig; the result is secret. */
export function getConfigurationOutput(
  args: GetClientConfigurationArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetClientConfigurationResult> {
  return invokeTalos<GetClientConfigurationResult>(
    "talos:client/getConfiguration:getConfiguration",
    {
      clusterName: args.clusterName,
      clientConfiguration: args.clientConfiguration,
      endpoints: args.endpoints,
      nodes: args.nodes,
    },
    opts,
    true,
  );
}
