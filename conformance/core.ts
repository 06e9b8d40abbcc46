import type { ErrorObject } from "ajv";
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

const models = new Map<string, ModelClass | undefined>();

/**
 * The kubernetes-models class for a built-in apiVersion and kind, or undefined when there is none.
 * kubernetes-models ships one module per apiVersion/kind; each is loaded when first asked for (an apiVersion's
 * index module loads every kind of it, hundreds of modules, for the dozen a stack uses).
 */
export function coreModel(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (models.has(key)) return models.get(key);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
  let model: ModelClass | undefined;
  if (
    CORE_GROUPS.has(group) &&
    /^v\d+((alpha|beta)\d+)?$/.test(apiVersion.split("/").pop()!) &&
    /^[A-Z][A-Za-z0-9]*$/.test(kind)
  ) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, unknown>;
      const cls = mod[kind] as (ModelClass & { kind?: string }) | undefined;
      model = typeof cls === "function" && cls.kind === kind ? cls : undefined;
    } catch {
      model = undefined;
    }
  }
  models.set(key, model);
  return model;
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
