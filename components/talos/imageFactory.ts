import * as pulumi from "@pulumi/pulumi";
import { invokeTalos, talosResourceOptions } from "./provider";

/** `talos.imagefactory` resources and functions of the talos 0.8.1 schema. */

export interface SchematicArgs {
  /** Schematic YAML (`customization.systemExtensions.officialExtensions`, ...). */
  schematic?: pulumi.Input<string>;
}

/** `talos:imageFactory/schematic:Schematic`: registers a schematic with the Image Factory; `id` is its content hash. */
export class Schematic extends pulumi.CustomResource {
  public static readonly __pulumiType = "talos:imageFactory/schematic:Schematic";
  declare public readonly schematic: pulumi.Output<string | undefined>;

  constructor(name: string, args: SchematicArgs, opts?: pulumi.CustomResourceOptions) {
    super(Schematic.__pulumiType, name, { schematic: args.schematic }, talosResourceOptions(opts));
  }
}

export interface GetUrlsArgs {
  schematicId: pulumi.Input<string>;
  /** Talos version, e.g. "v1.13.9". */
  talosVersion: pulumi.Input<string>;
  /** Platform such as "metal" (default) or "nocloud". */
  platform?: pulumi.Input<string>;
  architecture?: pulumi.Input<string>;
  sbc?: pulumi.Input<string>;
}

/** `talos:imageFactory/getUrlsUrls:getUrlsUrls`. */
export interface ImageFactoryUrls {
  installer: string;
  installerSecureboot: string;
  iso: string;
  isoSecureboot?: string;
  diskImage: string;
  diskImageSecureboot?: string;
  initramfs?: string;
  kernel?: string;
  kernelCommandLine?: string;
  pxe?: string;
  uki?: string;
}

export interface GetUrlsResult {
  id: string;
  schematicId: string;
  talosVersion: string;
  platform?: string;
  architecture?: string;
  urls: ImageFactoryUrls;
}

/** `talos:imageFactory/getUrls:getUrls`: installer and boot-media URLs of a schematic. */
export function getUrlsOutput(
  args: GetUrlsArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetUrlsResult> {
  return invokeTalos<GetUrlsResult>(
    "talos:imageFactory/getUrls:getUrls",
    {
      schematicId: args.schematicId,
      talosVersion: args.talosVersion,
      platform: args.platform,
      architecture: args.architecture,
      sbc: args.sbc,
    },
    opts,
    false,
  );
}
