import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { crdBundles } from "../../lib/versions";

/**
 * The Gateway API CRDs (standard channel, pinned), installed once per cluster. Everything that creates
 * Gateway API objects (GatewayClass, Gateway, HTTPRoute, ...) depends on this component, which waits for
 * every CRD it contains.
 */
export class GatewayApiCrds extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:GatewayApiCrds", name, {}, opts);
    new k8s.yaml.v2.ConfigFile(
      `${name}-standard`,
      { file: crdBundles.gatewayApi.url },
      // protect: deleting or replacing a CRD deletes every Gateway and route of that kind (pulumi-kubernetes#2882).
      { parent: this, protect: true },
    );
    this.registerOutputs({ version: crdBundles.gatewayApi.version });
  }
}
