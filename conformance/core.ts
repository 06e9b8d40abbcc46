import type { ErrorObject } from "ajv";
import { DaemonSet, Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from "kubernetes-models/rbac.authorization.k8s.io/v1";
import {
  ConfigMap,
  LimitRange,
  Namespace,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from "kubernetes-models/v1";
import { formatAjvError, realErrors } from "./crd";
import { describeObject } from "./paths";

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
}

/** Built-in API groups: objects of these groups are validated against the Kubernetes models, not CRDs. */
export const CORE_GROUPS = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

const MODELS: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/Secret": Secret,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ResourceQuota": ResourceQuota,
  "v1/LimitRange": LimitRange,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "apps/v1/DaemonSet": DaemonSet,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
} as unknown as Record<string, ModelClass>;

/** The kubernetes-models class for a built-in apiVersion and kind, or undefined when there is none. */
export function coreModel(apiVersion: string, kind: string): ModelClass | undefined {
  const known = MODELS[`${apiVersion}/${kind}`];
  if (known !== undefined) return known;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
  if (
    !CORE_GROUPS.has(group) ||
    !/^v\d+((alpha|beta)\d+)?$/.test(apiVersion.split("/").pop()!) ||
    !/^[A-Z][A-Za-z0-9]*$/.test(kind)
  ) {
    return undefined;
  }
  try {
    // Other built-in kinds: kubernetes-models ships one module per apiVersion/kind.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, unknown>;
    const cls = mod[kind] as (ModelClass & { kind?: string }) | undefined;
    return typeof cls === "function" && cls.kind === kind ? cls : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates a built-in Kubernetes object with kubernetes-models (the upstream OpenAPI schemas of the
 * Kubernetes API); returns the problems found. "[secret]" stand-ins pass; an unknown kind is a problem.
 */
export function validateCoreObject(manifest: Record<string, unknown>): string[] {
  const label = describeObject(manifest);
  const apiVersion = manifest["apiVersion"];
  const kind = manifest["kind"];
  if (typeof apiVersion !== "string" || typeof kind !== "string")
    return [`${label}: apiVersion and kind are required`];
  const Model = coreModel(apiVersion, kind);
  if (Model === undefined) return [`${label}: no Kubernetes model for ${apiVersion} ${kind}`];
  const problems: string[] = [];
  const metadata = manifest["metadata"] as Record<string, unknown> | undefined;
  if (typeof metadata?.["name"] !== "string" || metadata["name"] === "")
    problems.push(`${label}: /metadata/name is required`);
  try {
    new Model(manifest).validate();
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors;
    if (!Array.isArray(errors)) problems.push(`${label}: ${(err as Error).message}`);
    else problems.push(...realErrors(manifest, errors).map((e) => formatAjvError(label, e)));
  }
  return problems;
}
