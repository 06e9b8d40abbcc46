import * as pulumi from "@pulumi/pulumi";
import { invokeTalos, talosResourceOptions } from "./provider";
import type { ClientConfigurationArgs } from "./types";

/** `talos.cluster` resources and functions of the talos 0.8.1 schema. */

export interface KubeconfigArgs {
  /** Client credentials from the machine Secrets. */
  clientConfiguration: pulumi.Input<ClientConfigurationArgs>;
  /** Control-plane node the kubeconfig is fetched from. */
  node: pulumi.Input<string>;
  /** Talos API endpoint used to reach the node (defaults to `node`). */
  endpoint?: pulumi.Input<string>;
  /** Renew the client certificate when it expires within this duration (provider default 720h). */
  certificateRenewalDuration?: pulumi.Input<string>;
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string>; update?: pulumi.Input<string> }>;
}

/** Parsed client settings of a kubeconfig (`clientKey` secret). */
export interface KubernetesClientConfiguration {
  host: string;
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
}

/** `talos:cluster/kubeconfig:Kubeconfig`: the cluster's admin kubeconfig. */
export class Kubeconfig extends pulumi.CustomResource {
  public static readonly __pulumiType = "talos:cluster/kubeconfig:Kubeconfig";
  /** The kubeconfig document (secret). */
  declare public readonly kubeconfigRaw: pulumi.Output<string>;
  /** The kubeconfig's parsed client settings (secret: it carries the client key). */
  declare public readonly kubernetesClientConfiguration: pulumi.Output<KubernetesClientConfiguration>;
  declare public readonly node: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;
  declare public readonly certificateRenewalDuration: pulumi.Output<string>;

  constructor(name: string, args: KubeconfigArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      Kubeconfig.__pulumiType,
      name,
      {
        clientConfiguration: pulumi.secret(args.clientConfiguration),
        node: args.node,
        endpoint: args.endpoint,
        certificateRenewalDuration: args.certificateRenewalDuration,
        timeouts: args.timeouts,
        kubeconfigRaw: undefined,
        kubernetesClientConfiguration: undefined,
      },
      talosResourceOptions(opts, ["clientConfiguration", "kubeconfigRaw", "kubernetesClientConfiguration"]),
    );
  }
}

export interface GetHealthArgs {
  clientConfiguration: pulumi.Input<ClientConfigurationArgs>;
  controlPlaneNodes: pulumi.Input<pulumi.Input<string>[]>;
  /** Talos API endpoints the check connects through. */
  endpoints: pulumi.Input<pulumi.Input<string>[]>;
  workerNodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Check Talos services only, not Kubernetes node readiness. */
  skipKubernetesChecks?: pulumi.Input<boolean>;
  /** `read` timeout, provider default 10m. */
  timeouts?: pulumi.Input<{ read?: pulumi.Input<string> }>;
}

export interface GetHealthResult {
  id: string;
  controlPlaneNodes: string[];
  endpoints: string[];
  workerNodes?: string[];
  skipKubernetesChecks?: boolean;
}

/** `talos:cluster/getHealth:getHealth`: waits until the cluster passes the Talos health checks. */
export function getHealthOutput(
  args: GetHealthArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetHealthResult> {
  return invokeTalos<GetHealthResult>(
    "talos:cluster/getHealth:getHealth",
    {
      clientConfiguration: args.clientConfiguration,
      controlPlaneNodes: args.controlPlaneNodes,
      endpoints: args.endpoints,
      workerNodes: args.workerNodes,
      skipKubernetesChecks: args.skipKubernetesChecks,
      timeouts: args.timeouts,
    },
    opts,
    // The echoed clientConfiguration carries the client key.
    true,
  );
}
