import { currentReleases } from "../../live/helmRelease";
import { redactLiveObject } from "../../live/kubernetes";
import type { KubernetesState } from "../../live/preflight/liveState";
import { keyOf } from "../../live/preflight/liveState";
import type { PlannedChart, PlannedObject, PlannedResource, PlannedState } from "../../live/plan";

/* Small plans and live states for the preflight's unit tests. */

type Obj = Record<string, unknown>;

/** A planned Kubernetes object from its manifest (created unless said otherwise). */
export function planned(manifest: Obj, extra: Partial<PlannedObject> = {}): PlannedObject {
  const apiVersion = String(manifest["apiVersion"]);
  const meta = manifest["metadata"] as Obj;
  return {
    urn: `urn:${String(meta["name"])}`,
    group: apiVersion.includes("/") ? apiVersion.split("/")[0]! : "",
    version: apiVersion.split("/").pop()!,
    kind: String(manifest["kind"]),
    ...(typeof meta["namespace"] === "string" ? { namespace: meta["namespace"] } : {}),
    name: String(meta["name"]),
    manifest,
    action: "create",
    force: false,
    ...extra,
  };
}

export function planOf(parts: {
  objects?: PlannedObject[];
  charts?: PlannedChart[];
  bigip?: PlannedResource[];
  cloudflare?: PlannedResource[];
}): PlannedState {
  const objects = parts.objects ?? [];
  return {
    stack: "test",
    objects,
    charts: parts.charts ?? [],
    bigip: parts.bigip ?? [],
    cloudflare: parts.cloudflare ?? [],
    talosApplies: [],
    namespaces: [...new Set(objects.map((o) => o.namespace).filter((n): n is string => n !== undefined))],
  };
}

/** A live Kubernetes state as a snapshot would hold it (redacted), every kind listed. */
export function liveOf(objects: Obj[]): KubernetesState {
  const redacted = objects.map(redactLiveObject);
  return {
    objects: redacted,
    notServed: new Set(),
    helmReleases: currentReleases(redacted),
    byKey: new Map(redacted.map((o) => [keyOf(o), o])),
  };
}

/** managedFields entry of one manager owning the given FieldsV1 tree. */
export function managedBy(manager: string, fieldsV1: Obj, operation = "Apply"): Obj {
  return { manager, operation, fieldsType: "FieldsV1", fieldsV1 };
}

export function resource(type: string, inputs: Obj, importId = ""): PlannedResource {
  return {
    urn: `urn:pulumi:test::ai-platform::${type}::${String(inputs["name"] ?? "r")}`,
    type,
    inputs,
    importId,
  };
}
