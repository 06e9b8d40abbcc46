import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentgatewayConfig } from "../../stacks/schema";
import { charts } from "../versions";

export type ControllerConfig = AgentgatewayConfig["controller"];

/**
 * Values of the agentgateway controller chart (agentgateway/agentgateway@v1.4.1:controller/install/helm/
 * agentgateway/values.yaml): replicas and log level under `controller`, container resources at the top level,
 * and a controller PodDisruptionBudget once there is more than one replica.
 */
export function controllerValues(c: ControllerConfig): Record<string, unknown> {
  return {
    controller: {
      replicaCount: c.replicas,
      logLevel: c.logLevel,
      ...(c.replicas > 1 ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
    },
    ...(c.resources !== undefined ? { resources: c.resources } : {}),
  };
}

export interface AgentgatewayControlPlaneArgs {
  /** Namespace of the controller (a Namespace's metadata.name output, so the charts wait for it). */
  namespace: pulumi.Input<string>;
  /** Controller replicas, log level and resources (config `agentgateway.controller`). */
  controller: ControllerConfig;
  /** The Gateway API CRDs; the controller watches Gateway API kinds from its first start. */
  gatewayApiCrds?: pulumi.Resource;
}

/** agentgateway CRDs chart, then the controller chart, both OCI and pinned in components/versions.ts. */
export class AgentgatewayControlPlane extends pulumi.ComponentResource {
  /** The CRD chart; every agentgateway.dev object depends on it. */
  public readonly crds: k8s.helm.v4.Chart;
  public readonly controller: k8s.helm.v4.Chart;

  constructor(name: string, args: AgentgatewayControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:gateway:AgentgatewayControlPlane", name, {}, opts);
    this.crds = new k8s.helm.v4.Chart(
      `${name}-crds`,
      {
        chart: charts.agentgatewayCrds.chart,
        version: charts.agentgatewayCrds.version,
        name: "agentgateway-crds",
        namespace: args.namespace,
      },
      // Protected: replacing or deleting the CRDs deletes every backend, policy and parameters object (pulumi-kubernetes#2882).
      { parent: this, protect: true },
    );
    this.controller = new k8s.helm.v4.Chart(
      `${name}-controller`,
      {
        chart: charts.agentgateway.chart,
        version: charts.agentgateway.version,
        name: "agentgateway",
        namespace: args.namespace,
        values: controllerValues(args.controller),
      },
      {
        parent: this,
        // The controller lists agentgateway and Gateway API kinds at start-up, so both CRD sets come first.
        dependsOn: [this.crds, ...(args.gatewayApiCrds !== undefined ? [args.gatewayApiCrds] : [])],
      },
    );
    this.registerOutputs({ crds: this.crds, controller: this.controller });
  }
}
