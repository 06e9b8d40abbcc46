import type * as k8s from "@pulumi/kubernetes";
import type { ImagePin } from "../../lib/versions";

/*
 * Pure builders for the hardened pod template every in-cluster service of the program uses (MCP servers, the
 * Slack bot, the collector, cloudflared, tenant agents). The restricted Pod Security profile plus the hardening
 * of the AgentOps and A1 orchestrator platforms: read-only root filesystem, requests and limits, probes, pinned images, standard labels.
 */

/** Fixed non-root identity used when the image does not need its own user (distroless "nonroot"). */
export const DEFAULT_RUN_AS_USER = 65532;

export interface ResourceQuantities {
  cpu: string;
  memory: string;
}

export interface Resources {
  requests: ResourceQuantities;
  limits: ResourceQuantities;
}

export interface WorkloadPort {
  /** IANA_SVC_NAME-style port name (also used by probes and ServiceMonitors). */
  name: string;
  port: number;
  /** Service `appProtocol`, e.g. `agentgateway.dev/mcp` for MCP servers selected by agentgateway. */
  appProtocol?: string;
}

export type Probe =
  | {
      type: "http";
      path: string;
      port: string;
      initialDelaySeconds?: number;
      periodSeconds?: number;
      failureThreshold?: number;
    }
  | {
      type: "tcp";
      port: string;
      initialDelaySeconds?: number;
      periodSeconds?: number;
      failureThreshold?: number;
    };

export interface Probes {
  readiness: Probe;
  liveness: Probe;
  /** Slow starters (e.g. a package fetched at start) get a startup probe so liveness does not kill them. */
  startup?: Probe;
}

/** A container env value that is either literal or read from a key of a Secret. */
export type EnvValue = { value: string } | { secretKeyRef: { name: string; key: string } };

export interface PodSpecInput {
  /** Container name (also the `app.kubernetes.io/name` label). */
  name: string;
  image: ImagePin;
  args?: string[];
  env?: Record<string, EnvValue>;
  ports: WorkloadPort[];
  resources: Resources;
  probes: Probes;
  /** Directories that must stay writable under the read-only root filesystem (each an emptyDir). */
  writablePaths?: string[];
  /** Size limit of each writable emptyDir (default 64Mi). */
  scratchSize?: string;
  runAsUser?: number;
  /** Extended resources (e.g. `nvidia.com/gpu`), set as both request and limit: they cannot be overcommitted. */
  extendedResources?: Record<string, string>;
  /** Node labels the pod must land on (e.g. GPU nodes). */
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

export interface Toleration {
  key: string;
  operator: "Exists" | "Equal";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface LabelInput {
  name: string;
  component?: string;
  partOf?: string;
  version?: string;
}

/** The recommended `app.kubernetes.io/*` labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export function standardLabels(l: LabelInput): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/name": l.name,
    "app.kubernetes.io/instance": l.name,
    "app.kubernetes.io/managed-by": "pulumi",
  };
  if (l.component !== undefined) labels["app.kubernetes.io/component"] = l.component;
  if (l.partOf !== undefined) labels["app.kubernetes.io/part-of"] = l.partOf;
  if (l.version !== undefined) labels["app.kubernetes.io/version"] = labelValue(l.version);
  return labels;
}

/** The immutable subset used by Deployment selectors, Services, PDBs and NetworkPolicies. */
export function selectorLabels(l: LabelInput): Record<string, string> {
  return { "app.kubernetes.io/name": l.name, "app.kubernetes.io/instance": l.name };
}

/** Label values allow [A-Za-z0-9._-] only, at most 63 characters. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

export function restrictedPodSecurityContext(runAsUser = DEFAULT_RUN_AS_USER): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: "RuntimeDefault" },
  } satisfies k8s.types.input.core.v1.PodSecurityContext;
}

export function restrictedContainerSecurityContext(): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  } satisfies k8s.types.input.core.v1.SecurityContext;
}

export function probeSpec(p: Probe): k8s.types.input.core.v1.Probe {
  const timing = {
    initialDelaySeconds: p.initialDelaySeconds ?? 5,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: 3,
    failureThreshold: p.failureThreshold ?? 3,
  };
  return p.type === "http"
    ? ({ httpGet: { path: p.path, port: p.port }, ...timing } satisfies k8s.types.input.core.v1.Probe)
    : ({ tcpSocket: { port: p.port }, ...timing } satisfies k8s.types.input.core.v1.Probe);
}

/** `/tmp` -> `tmp`, `/home/app/.cache` -> `home-app-cache`. */
export function volumeNameFor(mountPath: string): string {
  const name = mountPath
    .replace(/^\/+/, "")
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return (name === "" ? "root" : name).slice(0, 63);
}

function envList(env: Record<string, EnvValue>): k8s.types.input.core.v1.EnvVar[] {
  return Object.keys(env)
    .sort()
    .map((name) => {
      const v = env[name]!;
      return "value" in v
        ? ({ name, value: v.value } satisfies k8s.types.input.core.v1.EnvVar)
        : ({ name, valueFrom: { secretKeyRef: v.secretKeyRef } } satisfies k8s.types.input.core.v1.EnvVar);
    });
}

/**
 * The pod spec of a hardened single-container workload. Pure: the Workload component feeds it into a
 * Deployment, and tests check it against the restricted profile.
 */
export function buildPodSpec(input: PodSpecInput): Record<string, unknown> {
  const ports = input.ports.map((p) => p.name);
  for (const probe of [input.probes.readiness, input.probes.liveness, input.probes.startup]) {
    if (probe !== undefined && !ports.includes(probe.port))
      throw new Error(`${input.name}: probe port "${probe.port}" is not a container port`);
  }
  const writable = [...new Set(input.writablePaths ?? ["/tmp"])];
  const container: k8s.types.input.core.v1.Container = {
    name: input.name,
    // Pins are immutable release tags: the config schema rejects a stack-named image on `latest` or with a tag
    // in its repository, and the policy pack's pinned-images rule checks every container.
    image: `${input.image.repository}:${input.image.tag}`,
    imagePullPolicy: "IfNotPresent",
    ports: input.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })),
    env: envList(input.env ?? {}),
    resources: {
      requests: { ...input.resources.requests, ...input.extendedResources },
      limits: { ...input.resources.limits, ...input.extendedResources },
    },
    readinessProbe: probeSpec(input.probes.readiness),
    livenessProbe: probeSpec(input.probes.liveness),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: writable.map((path) => ({ name: volumeNameFor(path), mountPath: path })),
  };
  if (input.probes.startup !== undefined) container.startupProbe = probeSpec(input.probes.startup);
  if (input.args !== undefined && input.args.length > 0) container.args = input.args;
  const spec: Record<string, unknown> = {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext(input.runAsUser),
    containers: [container],
    volumes: writable.map((path) => ({
      name: volumeNameFor(path),
      emptyDir: { sizeLimit: input.scratchSize ?? "64Mi" },
    })),
  } satisfies k8s.types.input.core.v1.PodSpec;
  if (input.nodeSelector !== undefined && Object.keys(input.nodeSelector).length > 0)
    spec["nodeSelector"] = { ...input.nodeSelector };
  if (input.tolerations !== undefined && input.tolerations.length > 0)
    spec["tolerations"] = input.tolerations.map((t) => ({ ...t }));
  return spec;
}
