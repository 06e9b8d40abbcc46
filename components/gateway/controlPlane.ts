import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTROLLER_RELEASE } from "../../lib/agentgatewayController";
import { charts } from "../../lib/versions";
import type { Resources } from "../workload/podSpec";

/** Controller replicas, log level and container resources (config `agentgateway.controller`). */
export interface ControllerConfig {
  replicas: number;
  logLevel: "debug" | "info" | "warn" | "error";
  resources?: Resources;
}

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

/** agentgateway CRDs chart, then the controller chart, both OCI and pinned in lib/versions.ts. */
export class AgentgatewayControlPlane extends pulumi.ComponentResource {
  /** The CRD chart; every agentgateway.dev object depends on it. */
  public readonly crds: k8s.helm.v4.Chart;

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
    const controller = new k8s.helm.v4.Chart(
      `${name}-controller`,
      {
        chart: charts.agentgateway.chart,
        version: charts.agentgateway.version,
        // Changing the release name renames the chart's objects (a Kubernetes name cannot change in place, so an
        // alias would not help), so Pulumi creates the renamed controller objects, then deletes the old
        // `agentgateway` ones; this Chart keeps its resource name and URN, and the proxies move to the new xDS
        // Service as the controller re-renders them. Where a Gateway named `agentgateway` had taken over those
        // objects, their deletion re-enqueues that Gateway and its proxy objects are applied again
        // (controller/pkg/controller/gw_controller.go, parent handler on Deployments, Services, ServiceAccounts).
        name: CONTROLLER_RELEASE,
        namespace: args.namespace,
        // The controller's ServiceAccount and ClusterRole binding, the chart default, set explicitly (values.yaml
        // `serviceAccount.create`); the rendered roles are judged by the policy pack's rbac-wildcards rule.
        values: { serviceAccount: { create: true }, ...controllerValues(args.controller) },
      },
      {
        parent: this,
        // The controller lists agentgateway and Gateway API kinds at start-up, so both CRD sets come first.
        dependsOn: [this.crds, ...(args.gatewayApiCrds !== undefined ? [args.gatewayApiCrds] : [])],
      },
    );
    this.registerOutputs({ crds: this.crds, controller });
  }
}
