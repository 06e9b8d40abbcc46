import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImagePin } from "../../lib/versions";
import { dnsEgress, namespacePeer, networkPolicySpec, rule, Rule, tcp } from "../../lib/networkPolicy";
import {
  buildPodSpec,
  EnvValue,
  Probes,
  Resources,
  selectorLabels,
  standardLabels,
  Toleration,
  WorkloadPort,
} from "./podSpec";

export interface WorkloadAutoscaling {
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilisation in percent of the request. */
  cpuUtilization: number;
  /** Target average memory utilisation in percent of the request. */
  memoryUtilization?: number;
}

export interface WorkloadMetrics {
  /** Name of the port serving metrics (one of `ports`). */
  port: string;
  /** Scrape path (default /metrics). */
  path?: string;
  /** Namespace of the scraper, allowed in on the metrics port. */
  fromNamespace?: pulumi.Input<string>;
  /** Create a prometheus-operator ServiceMonitor. */
  serviceMonitor: boolean;
  /** Extra labels on the ServiceMonitor (what the Prometheus selector matches). */
  labels?: Record<string, string>;
}

export interface WorkloadArgs {
  /** Namespace name, taken from the Namespace's `metadata.name` output so that ordering follows. */
  namespace: pulumi.Input<string>;
  /** Name of the Kubernetes objects (Deployment, Service, ...); defaults to the component name. */
  objectName?: string;
  /** `app.kubernetes.io/component` label. */
  component?: string;
  /** `app.kubernetes.io/part-of` label. */
  partOf?: string;
  /** Pinned image from lib/versions.ts. */
  image: ImagePin;
  /** Container arguments. */
  args?: string[];
  /** Literal, non-secret environment variables. */
  env?: Record<string, string>;
  /** Environment variables from resolved secrets (secret Outputs); stored in the Secret `<objectName>-env`. */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Container ports; the Service exposes all of them. */
  ports: WorkloadPort[];
  /** Annotations of the Service (e.g. agentgateway MCP path). */
  serviceAnnotations?: Record<string, string>;
  /** Requests and limits (both required). */
  resources: Resources;
  /** Readiness, liveness and optional startup probes. */
  probes: Probes;
  /** Writable directories (emptyDir) under the read-only root filesystem; default ["/tmp"]. */
  writablePaths?: string[];
  /** Size limit of each writable emptyDir (default 64Mi). */
  scratchSize?: string;
  /** UID/GID the pod runs as (non-root). */
  runAsUser?: number;
  /** Replicas when not autoscaled (default 1). */
  replicas?: number;
  /** HorizontalPodAutoscaler; replaces `replicas`. */
  autoscaling?: WorkloadAutoscaling;
  /** Another autoscaler (e.g. a KEDA ScaledObject) owns the replica count: the Deployment leaves it unset. */
  replicasManagedExternally?: boolean;
  /** Extended resources such as `nvidia.com/gpu`, requested and limited alike. */
  extendedResources?: Record<string, string>;
  /** Node labels the pods must land on. */
  nodeSelector?: Record<string, string>;
  /** Taints the pods tolerate (e.g. dedicated GPU nodes). */
  tolerations?: Toleration[];
  /** Who may connect; everything else is denied. */
  ingress: Rule[];
  /** What the workload may reach besides cluster DNS. */
  egress?: Rule[];
  /** Metrics endpoint: NetworkPolicy ingress for the scraper and an optional ServiceMonitor. */
  metrics?: WorkloadMetrics;
  /** The prometheus-operator CRDs, when another layer installs them; the ServiceMonitor waits for them. */
  monitoringCrds?: pulumi.Resource;
}

/**
 * One hardened in-cluster service: Deployment (restricted security context, read-only root filesystem,
 * requests/limits, probes, pinned image, standard labels), Service, PodDisruptionBudget, NetworkPolicy and,
 * optionally, a Secret for secret env, a HorizontalPodAutoscaler and a ServiceMonitor.
 */
export class Workload extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  /** In-cluster DNS name of the Service. */
  public readonly serviceHost: pulumi.Output<string>;
  /** Selector labels of the pods. */
  public readonly selector: Record<string, string>;

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:Workload", name, {}, opts);
    const objectName = args.objectName ?? name;
    const labelInput = {
      name: objectName,
      component: args.component,
      partOf: args.partOf,
      version: args.image.tag,
    };
    const labels = standardLabels(labelInput);
    this.selector = selectorLabels(labelInput);
    const metadata = { name: objectName, namespace: args.namespace, labels };

    const env: Record<string, EnvValue> = {};
    for (const [k, v] of Object.entries(args.env ?? {})) env[k] = { value: v };
    const secretEnvNames = Object.keys(args.secretEnv ?? {}).sort();
    let envSecret: k8s.core.v1.Secret | undefined;
    if (secretEnvNames.length > 0) {
      const secretName = `${objectName}-env`;
      envSecret = new k8s.core.v1.Secret(
        `${name}-env`,
        {
          metadata: { ...metadata, name: secretName },
          type: "Opaque",
          stringData: Object.fromEntries(secretEnvNames.map((k) => [k, pulumi.secret(args.secretEnv![k]!)])),
        },
        { parent: this },
      );
      for (const k of secretEnvNames) env[k] = { secretKeyRef: { name: secretName, key: k } };
    }

    const podSpec = buildPodSpec({
      name: objectName,
      image: args.image,
      args: args.args,
      env,
      ports: args.ports,
      resources: args.resources,
      probes: args.probes,
      writablePaths: args.writablePaths,
      scratchSize: args.scratchSize,
      runAsUser: args.runAsUser,
      extendedResources: args.extendedResources,
      nodeSelector: args.nodeSelector,
      tolerations: args.tolerations,
    });

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: {
          replicas:
            args.autoscaling === undefined && args.replicasManagedExternally !== true
              ? (args.replicas ?? 1)
              : undefined,
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: { metadata: { labels }, spec: podSpec as unknown as k8s.types.input.core.v1.PodSpec },
        },
      },
      // Pods read the env Secret at start; the Secret must exist first.
      { parent: this, dependsOn: envSecret !== undefined ? [envSecret] : [] },
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { ...metadata, annotations: args.serviceAnnotations },
        spec: {
          type: "ClusterIP",
          selector: this.selector,
          ports: args.ports.map((p) => ({
            name: p.name,
            port: p.port,
            targetPort: p.name,
            protocol: "TCP",
            appProtocol: p.appProtocol,
          })),
        },
      },
      { parent: this },
    );

    // maxUnavailable (not minAvailable) so that a single replica never blocks a node drain.
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: this.selector } } },
      { parent: this },
    );

    const ingress = [...args.ingress];
    if (args.metrics?.fromNamespace !== undefined) {
      ingress.push(rule(namespacePeer(args.metrics.fromNamespace), tcp(args.metrics.port)));
    }
    new k8s.networking.v1.NetworkPolicy(
      `${name}-netpol`,
      {
        metadata,
        // Both directions are denied except for the listed peers; cluster DNS is always allowed.
        spec: networkPolicySpec({
          podSelector: this.selector,
          ingress,
          egress: [dnsEgress(), ...(args.egress ?? [])],
        }),
      },
      { parent: this },
    );

    if (args.autoscaling !== undefined) {
      const a = args.autoscaling;
      const metrics: k8s.types.input.autoscaling.v2.MetricSpec[] = [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuUtilization } },
        },
      ];
      if (a.memoryUtilization !== undefined) {
        metrics.push({
          type: "Resource",
          resource: {
            name: "memory",
            target: { type: "Utilization", averageUtilization: a.memoryUtilization },
          },
        });
      }
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: objectName },
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
            metrics,
          },
        },
        { parent: this },
      );
    }

    if (args.metrics?.serviceMonitor === true) {
      const m = args.metrics;
      new k8s.apiextensions.CustomResource(
        `${name}-monitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: { ...metadata, labels: { ...labels, ...m.labels } },
          spec: {
            selector: { matchLabels: this.selector },
            namespaceSelector: { matchNames: [args.namespace] },
            endpoints: [{ port: m.port, path: m.path ?? "/metrics", interval: "30s" }],
          },
        },
        // The ServiceMonitor kind exists only once the prometheus-operator CRDs are installed.
        { parent: this, dependsOn: args.monitoringCrds !== undefined ? [args.monitoringCrds] : [] },
      );
    }

    this.serviceHost = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
    this.registerOutputs({ serviceName: service.metadata.name, serviceHost: this.serviceHost });
  }
}
