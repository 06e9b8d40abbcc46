import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AutoscalingConfig, GpuConfig, TenantWorkload, VpaConfig } from "./args";
import { MODEL_ENV } from "../../lib/tenantWorkload";
import type { ImagePin } from "../../lib/versions";
import type { Rule } from "../../lib/networkPolicy";
import { Probes, Toleration, Workload, WorkloadAutoscaling } from "../workload";

/*
 * An agent (or supporting service) of a tenant: the AgentOps platform's AgentDeployment expressed with the shared workload
 * block instead of a custom controller, plus the optional KEDA ScaledObject and VerticalPodAutoscaler.
 */

export const HTTP_PORT_NAME = "http";

/** The workload block's HPA settings, or undefined when KEDA owns scaling (its ScaledObject creates the HPA). */
export function hpaSettings(a: AutoscalingConfig | undefined): WorkloadAutoscaling | undefined {
  if (a === undefined || a.keda !== undefined) return undefined;
  return {
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    cpuUtilization: a.targetCPUUtilizationPercentage,
    memoryUtilization: a.targetMemoryUtilizationPercentage,
  };
}

/**
 * KEDA ScaledObject spec (keda.sh/v1alpha1): the CPU and memory targets as `cpu`/`memory` triggers with the
 * trigger-level `metricType: Utilization` (`metadata.type` is deprecated since KEDA 2.8, keda.sh/docs/2.8/scalers/cpu)
 * plus the Prometheus trigger (keda.sh/docs/2.x/scalers/prometheus); KEDA derives one HPA from all of them.
 * Trigger metadata values are strings.
 */
export function scaledObjectSpec(
  deployment: string,
  a: AutoscalingConfig,
  keda: NonNullable<AutoscalingConfig["keda"]>,
): Record<string, unknown> {
  const triggers: Array<Record<string, unknown>> = [
    { type: "cpu", metricType: "Utilization", metadata: { value: String(a.targetCPUUtilizationPercentage) } },
  ];
  if (a.targetMemoryUtilizationPercentage !== undefined) {
    triggers.push({
      type: "memory",
      metricType: "Utilization",
      metadata: { value: String(a.targetMemoryUtilizationPercentage) },
    });
  }
  triggers.push({
    type: "prometheus",
    metadata: {
      serverAddress: keda.serverAddress,
      query: keda.query,
      threshold: String(keda.threshold),
    },
  });
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment },
    minReplicaCount: a.minReplicas,
    maxReplicaCount: a.maxReplicas,
    triggers,
  };
}

/**
 * VerticalPodAutoscaler spec (autoscaling.k8s.io/v1). Modes Off/Initial/Recreate/InPlaceOrRecreate; `Auto` is
 * deprecated (kubernetes/autoscaler:vertical-pod-autoscaler/docs/quickstart.md).
 */
export function vpaSpec(deployment: string, container: string, vpa: VpaConfig): Record<string, unknown> {
  const policy: Record<string, unknown> = {
    containerName: container,
    controlledResources: ["cpu", "memory"],
  };
  if (vpa.minAllowed !== undefined) policy["minAllowed"] = { ...vpa.minAllowed };
  if (vpa.maxAllowed !== undefined) policy["maxAllowed"] = { ...vpa.maxAllowed };
  return {
    targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment },
    updatePolicy: { updateMode: vpa.updateMode },
    resourcePolicy: { containerPolicies: [policy] },
  };
}

/** GPU request, node selector and tolerations; nothing at all when the workload asks for no GPU. */
export function gpuSettings(gpu: GpuConfig | undefined): {
  extendedResources?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
} {
  if (gpu === undefined) return {};
  return {
    extendedResources: { [gpu.resource]: String(gpu.count) },
    nodeSelector: { ...gpu.nodeSelector },
    tolerations: gpu.tolerations.map((t) => {
      const out: Toleration = { key: t.key, operator: t.operator };
      if (t.value !== undefined) out.value = t.value;
      if (t.effect !== undefined) out.effect = t.effect;
      return out;
    }),
  };
}

/** Literal env of the container: the workload's own, plus the model route for agents. */
export function workloadEnv(
  w: Pick<TenantWorkload, "name" | "env" | "model">,
  modelBaseUrl: string | undefined,
): Record<string, string> {
  const env = { ...w.env };
  if (w.model === undefined) return env;
  if (modelBaseUrl === undefined) throw new Error(`${w.name}: a model needs the gateway base URL`);
  env[MODEL_ENV.baseUrl] = modelBaseUrl;
  env[MODEL_ENV.model] = w.model.name;
  return env;
}

export function healthProbes(path: string): Probes {
  return {
    readiness: { type: "http", path, port: HTTP_PORT_NAME, initialDelaySeconds: 5 },
    liveness: { type: "http", path, port: HTTP_PORT_NAME, initialDelaySeconds: 15, periodSeconds: 20 },
  };
}

export interface AgentWorkloadArgs {
  /** Tenant namespace name, from the Namespace's `metadata.name` output so that ordering follows. */
  namespace: pulumi.Input<string>;
  /** The workload's configuration (image key already resolved into `image`). */
  workload: TenantWorkload;
  /** Pinned image of `workload.image`. */
  image: ImagePin;
  /** AI gateway URL of the model route (agents only); the pods get it as LLM_BASE_URL. */
  modelBaseUrl?: string;
  /** Resolved secret values per env name of `workload.secretEnv` (secret Outputs). */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Callers admitted on the http port (besides the metrics scraper). */
  ingress?: Rule[];
  /** Peers the workload calls, besides DNS (the tenant's namespace policies add the gateways). */
  egress?: Rule[];
  /** `app.kubernetes.io/part-of` label (the tenant). */
  partOf?: string;
  /** Namespace of the Prometheus scraping /metrics, and the labels its ServiceMonitor selector matches. */
  metrics?: { namespace: pulumi.Input<string>; labels?: Record<string, string> };
  /** The prometheus-operator CRDs, when installed by this program; the ServiceMonitor waits for them. */
  monitoringCrds?: pulumi.Resource;
}

/**
 * One tenant workload: the hardened workload block (Deployment, Service, PDB, NetworkPolicy, HPA,
 * ServiceMonitor, env Secret) plus a KEDA ScaledObject or a VerticalPodAutoscaler when configured.
 */
export class AgentWorkload extends pulumi.ComponentResource {
  constructor(name: string, args: AgentWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tenant:AgentWorkload", name, {}, opts);
    const w = args.workload;
    const secretNames = Object.keys(w.secretEnv).sort();
    const given = Object.keys(args.secretEnv ?? {}).sort();
    if (secretNames.join(",") !== given.join(",")) {
      throw new Error(
        `${w.name}: secret env ${given.join(", ") || "(none)"} does not match the configured ${secretNames.join(", ") || "(none)"}`,
      );
    }
    const imageArgs =
      w.args.length > 0 ? w.args : args.image.args !== undefined ? [...args.image.args] : undefined;

    const workload = new Workload(
      `${name}-workload`,
      {
        namespace: args.namespace,
        objectName: w.name,
        component: w.kind,
        partOf: args.partOf,
        image: args.image,
        args: imageArgs,
        env: workloadEnv(w, args.modelBaseUrl),
        secretEnv: args.secretEnv,
        ports: [{ name: HTTP_PORT_NAME, port: w.port }],
        resources: w.resources,
        probes: healthProbes(w.healthPath),
        replicas: w.replicas,
        autoscaling: hpaSettings(w.autoscaling),
        replicasManagedExternally: w.autoscaling?.keda !== undefined,
        ...gpuSettings(w.gpu),
        ingress: args.ingress ?? [],
        egress: args.egress ?? [],
        metrics: {
          port: HTTP_PORT_NAME,
          path: "/metrics",
          fromNamespace: args.metrics?.namespace,
          serviceMonitor: w.serviceMonitor,
          labels: args.metrics?.labels,
        },
        monitoringCrds: args.monitoringCrds,
      },
      { parent: this },
    );

    const metadata = { name: w.name, namespace: args.namespace, labels: workload.selector };
    if (w.autoscaling?.keda !== undefined) {
      new k8s.apiextensions.CustomResource(
        `${name}-scaledobject`,
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "ScaledObject",
          metadata,
          spec: scaledObjectSpec(w.name, w.autoscaling, w.autoscaling.keda),
        },
        // KEDA marks a ScaledObject whose target is missing as not ready; create it once the Deployment exists.
        { parent: this, dependsOn: [workload.deployment] },
      );
    }
    if (w.vpa !== undefined) {
      new k8s.apiextensions.CustomResource(
        `${name}-vpa`,
        {
          apiVersion: "autoscaling.k8s.io/v1",
          kind: "VerticalPodAutoscaler",
          metadata,
          spec: vpaSpec(w.name, w.name, w.vpa),
        },
        { parent: this },
      );
    }

    this.registerOutputs({ serviceHost: workload.serviceHost });
  }
}
