import * as pulumi from "@pulumi/pulumi";
import { invokeTalos, talosResourceOptions } from "./provider";
import type { ClientConfiguration, ClientConfigurationArgs, MachineSecrets, Timeouts } from "./types";

/*
 * `talos.machine` resources and functions of the talos 0.8.1 schema. Secret-bearing outputs are listed in
 * additionalSecretOutputs: the schema's secret properties plus objects that contain a secret leaf.
 */

export interface SecretsArgs {
  /** Talos feature contract the secrets are generated for, e.g. "v1.13". */
  talosVersion?: pulumi.Input<string>;
}

/** `talos:machine/secrets:Secrets`: the cluster CA, keys and tokens, generated once. */
export class Secrets extends pulumi.CustomResource {
  public static readonly __pulumiType = "talos:machine/secrets:Secrets";
  /** Client credentials for talosctl and the other talos resources (secret). */
  declare public readonly clientConfiguration: pulumi.Output<ClientConfiguration>;
  /** The machine secrets bundle (secret). */
  declare public readonly machineSecrets: pulumi.Output<MachineSecrets>;
  declare public readonly talosVersion: pulumi.Output<string>;

  constructor(name: string, args: SecretsArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super(
      Secrets.__pulumiType,
      name,
      { talosVersion: args.talosVersion, clientConfiguration: undefined, machineSecrets: undefined },
      talosResourceOptions(opts, ["clientConfiguration", "machineSecrets"]),
    );
  }
}

/** `applyMode` values accepted by the provider (terraform-provider-talos v0.11.0 OneOf validator). */
export type ApplyMode = "auto" | "reboot" | "no_reboot" | "staged" | "staged_if_needing_reboot";

export interface ConfigurationApplyArgs {
  /** Node address the configuration is applied to. */
  node: pulumi.Input<string>;
  /** Talos API endpoint used to reach the node (defaults to `node`). */
  endpoint?: pulumi.Input<string>;
  /** Client credentials from {@link Secrets}. */
  clientConfiguration?: pulumi.Input<ClientConfigurationArgs>;
  /** Machine configuration rendered by {@link getConfigurationOutput} (secret). */
  machineConfigurationInput?: pulumi.Input<string>;
  /** Per-node strategic-merge or JSON patches applied on top of the input configuration. */
  configPatches?: pulumi.Input<pulumi.Input<string>[]>;
  applyMode?: pulumi.Input<ApplyMode>;
  /** What happens to the node when the resource is destroyed (defaults: graceful, no reboot, no reset). */
  onDestroy?: pulumi.Input<{
    graceful?: pulumi.Input<boolean>;
    reboot?: pulumi.Input<boolean>;
    reset?: pulumi.Input<boolean>;
  }>;
  timeouts?: pulumi.Input<Timeouts>;
}

/** `talos:machine/configurationApply:ConfigurationApply`: applies a machine configuration to one node. */
export class ConfigurationApply extends pulumi.CustomResource {
  public static readonly __pulumiType = "talos:machine/configurationApply:ConfigurationApply";
  declare public readonly node: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;
  declare public readonly applyMode: pulumi.Output<string>;
  /** The configuration as applied, patches included (secret). */
  declare public readonly machineConfiguration: pulumi.Output<string>;
  declare public readonly machineConfigurationHash: pulumi.Output<string>;
  declare public readonly resolvedApplyMode: pulumi.Output<string>;

  constructor(name: string, args: ConfigurationApplyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ConfigurationApply.__pulumiType,
      name,
      {
        node: args.node,
        endpoint: args.endpoint,
        clientConfiguration:
          args.clientConfiguration === undefined ? undefined : pulumi.secret(args.clientConfiguration),
        machineConfigurationInput:
          args.machineConfigurationInput === undefined
            ? undefined
            : pulumi.secret(args.machineConfigurationInput),
        configPatches: args.configPatches,
        applyMode: args.applyMode,
        onDestroy: args.onDestroy,
        timeouts: args.timeouts,
        machineConfiguration: undefined,
        machineConfigurationHash: undefined,
        resolvedApplyMode: undefined,
      },
      talosResourceOptions(opts, [
        "clientConfiguration",
        "clientConfigurationWo",
        "machineConfiguration",
        "machineConfigurationInput",
        "machineConfigurationInputWo",
      ]),
    );
  }
}

export interface BootstrapArgs {
  /** The control-plane node that starts etcd. */
  node: pulumi.Input<string>;
  /** Talos API endpoint used to reach the node (defaults to `node`). */
  endpoint?: pulumi.Input<string>;
  /** Client credentials from {@link Secrets}. */
  clientConfiguration?: pulumi.Input<ClientConfigurationArgs>;
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string> }>;
}

/** `talos:machine/bootstrap:Bootstrap`: bootstraps etcd on one control-plane node, once per cluster. */
export class Bootstrap extends pulumi.CustomResource {
  public static readonly __pulumiType = "talos:machine/bootstrap:Bootstrap";
  declare public readonly node: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: BootstrapArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      Bootstrap.__pulumiType,
      name,
      {
        node: args.node,
        endpoint: args.endpoint,
        clientConfiguration:
          args.clientConfiguration === undefined ? undefined : pulumi.secret(args.clientConfiguration),
        timeouts: args.timeouts,
      },
      talosResourceOptions(opts, ["clientConfiguration", "clientConfigurationWo"]),
    );
  }
}

/** Machine roles accepted by `getConfiguration` (terraform-provider-talos v0.11.0 validator). */
export type MachineType = "controlplane" | "worker";

export interface GetConfigurationArgs {
  clusterName: pulumi.Input<string>;
  /** `https://<api endpoint>:6443`. */
  clusterEndpoint: pulumi.Input<string>;
  machineType: pulumi.Input<MachineType>;
  /** `machineSecrets` of {@link Secrets}. */
  machineSecrets: pulumi.Input<MachineSecrets>;
  talosVersion?: pulumi.Input<string>;
  kubernetesVersion?: pulumi.Input<string>;
  /** Patches applied to every machine of this role. */
  configPatches?: pulumi.Input<pulumi.Input<string>[]>;
  docs?: pulumi.Input<boolean>;
  examples?: pulumi.Input<boolean>;
}

export interface GetConfigurationResult {
  id: string;
  clusterName: string;
  clusterEndpoint: string;
  machineType: string;
  /** The rendered machine configuration (secret). */
  machineConfiguration: string;
  talosVersion?: string;
  kubernetesVersion?: string;
  configPatches?: string[];
}

/** `talos:machine/getConfiguration:getConfiguration`: renders a role's machine configuration; the result is secret. */
export function getConfigurationOutput(
  args: GetConfigurationArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetConfigurationResult> {
  return invokeTalos<GetConfigurationResult>(
    "talos:machine/getConfiguration:getConfiguration",
    {
      clusterName: args.clusterName,
      clusterEndpoint: args.clusterEndpoint,
      machineType: args.machineType,
      machineSecrets: args.machineSecrets,
      talosVersion: args.talosVersion,
      kubernetesVersion: args.kubernetesVersion,
      configPatches: args.configPatches,
      docs: args.docs,
      examples: args.examples,
    },
    opts,
    true,
  );
}
