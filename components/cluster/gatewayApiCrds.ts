import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { crdBundles } from "../../lib/versions";

export interface GatewayApiCrdsArgs {
  /** Release manifest URL; defaults to the pinned standard-channel bundle (lib/versions.ts). */
  url?: string;
}

/**
 * The Gateway API CRDs (standard channel, pinned), installed once per cluster. Everything that creates
 * Gateway API objects (GatewayClass, Gateway, HTTPRoute, ...) depends on this component, which waits for
 * every CRD it contains.
 */
export class GatewayApiCrds extends pulumi.ComponentResource {
  public readonly crds: k8s.yaml.v2.ConfigFile;
  public readonly version: string;

  constructor(name: string, args: GatewayApiCrdsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:GatewayApiCrds", name, {}, opts);
    this.version = crdBundles.gatewayApi.version;
    this.crds = new k8s.yaml.v2.ConfigFile(
      `${name}-standard`,
      { file: args.url ?? crdBundles.gatewayApi.url },
      // protect: deleting or replacing a CRD deletes every Gateway and route of that kind (pulumi-kubernetes#2882).
      { parent: this, protect: true },
    );
    this.registerOutputs({ version: this.version });
  }
}
