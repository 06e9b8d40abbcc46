import { isKubernetesObject, manifestOf, typeTokenToGvk } from "../recording/manifests";
import { plannedAction, PlannedAction } from "../recording/plan";
import type { RecordedResource, Recording } from "../recording/runtime";

/*
 * What the program declares, read from the recording of the offline plan (never from plan.json, whose layout
 * belongs to the plan command): Kubernetes objects, Helm charts and releases, BIG-IP and Cloudflare objects,
 * Talos nodes.
 */

type Obj = Record<string, unknown>;

export interface PlannedObject {
  urn: string;
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The object as the program sends it (secret values "[secret]"). */
  manifest: Obj;
  action: PlannedAction;
  /** Server-side apply with force (pulumi.com/patchForce or the provider's enablePatchForce). */
  force: boolean;
}

export interface PlannedChart {
  urn: string;
  /** `release`: a Helm release (helm.sh/v3 Release); `chart`: objects rendered by Pulumi (helm.sh/v4 Chart). */
  form: "release" | "chart";
  release: string;
  namespace: string;
  chart: string;
  version?: string;
  values: Obj;
  /** Dotted value paths the program marks secret. */
  secretValuePaths: string[];
  action: PlannedAction;
  /**
   * The release is kept at its live chart version and values (adoption `release`: ignoreChanges on both), so
   * the run changes neither; the value changes apply once the stack says `upgrade`.
   */
  keptAtLive: boolean;
}

export interface PlannedResource {
  urn: string;
  type: string;
  inputs: Obj;
  /** The `import` ID, "" when created. */
  importId: string;
}

export interface PlannedState {
  stack: string;
  objects: PlannedObject[];
  charts: PlannedChart[];
  /** BIG-IP (`f5bigip:`) and Cloudflare (`cloudflare:`) resources, and Talos configuration applies. */
  bigip: PlannedResource[];
  cloudflare: PlannedResource[];
  talosApplies: PlannedResource[];
  /** Every namespace the plan creates or puts something in. */
  namespaces: string[];
}

const CHART_FORMS: Record<string, PlannedChart["form"]> = {
  "kubernetes:helm.sh/v3:Release": "release",
  "kubernetes:helm.sh/v4:Chart": "chart",
};

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function patchForcing(recording: Recording): Set<string> {
  return new Set(
    recording.resources
      .filter(
        (r) => r.type === "pulumi:providers:kubernetes" && String(r.inputs["enablePatchForce"]) === "true",
      )
      .map((r) => r.urn),
  );
}

function plannedObject(r: RecordedResource, forcingProviders: Set<string>): PlannedObject {
  const manifest = manifestOf(r);
  const gvk = typeTokenToGvk(r.type)!;
  const { group, version } = splitApiVersion(String(manifest["apiVersion"] ?? gvk.apiVersion));
  const metadata = (manifest["metadata"] ?? {}) as Obj;
  const annotations = (metadata["annotations"] ?? {}) as Obj;
  return {
    urn: r.urn,
    group,
    version,
    kind: String(manifest["kind"] ?? gvk.kind),
    ...(typeof metadata["namespace"] === "string" ? { namespace: metadata["namespace"] } : {}),
    name: String(metadata["name"] ?? r.name),
    manifest,
    action: plannedAction(r) ?? "create",
    force: annotations["pulumi.com/patchForce"] === "true" || forcingProviders.has(r.provider),
  };
}

function plannedChart(r: RecordedResource): PlannedChart {
  const inputs = r.inputs;
  return {
    urn: r.urn,
    form: CHART_FORMS[r.type]!,
    release: String(inputs["name"] ?? r.name),
    namespace: String(inputs["namespace"] ?? "default"),
    chart: String(inputs["chart"] ?? ""),
    ...(typeof inputs["version"] === "string" ? { version: inputs["version"] } : {}),
    values: (inputs["values"] ?? {}) as Obj,
    secretValuePaths: r.secretPaths
      .filter((p) => p.startsWith("values."))
      .map((p) => p.slice("values.".length)),
    action: plannedAction(r) ?? "create",
    keptAtLive: ["version", "values"].every((f) => r.options.ignoreChanges.includes(f)),
  };
}

function resource(r: RecordedResource): PlannedResource {
  return { urn: r.urn, type: r.type, inputs: r.inputs, importId: r.options.import };
}

export function plannedState(recording: Recording): PlannedState {
  const forcing = patchForcing(recording);
  const objects = recording.resources.filter(isKubernetesObject).map((r) => plannedObject(r, forcing));
  const charts = recording.resources.filter((r) => CHART_FORMS[r.type] !== undefined).map(plannedChart);
  const namespaces = new Set<string>();
  for (const o of objects) {
    if (o.namespace !== undefined) namespaces.add(o.namespace);
    if (o.group === "" && o.kind === "Namespace") namespaces.add(o.name);
  }
  for (const c of charts) namespaces.add(c.namespace);
  const custom = recording.resources.filter((r) => r.custom);
  return {
    stack: recording.stack,
    objects,
    charts,
    bigip: custom.filter((r) => r.type.startsWith("f5bigip:ltm/")).map(resource),
    cloudflare: custom.filter((r) => r.type.startsWith("cloudflare:index/")).map(resource),
    talosApplies: custom
      .filter((r) => r.type === "talos:machine/configurationApply:ConfigurationApply")
      .map(resource),
    namespaces: [...namespaces].sort(),
  };
}
