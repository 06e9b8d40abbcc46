/*
 * How the pack reads the resources it is given: plain accessors over a Kubernetes object, the pod template of a
 * workload, and where an object came from (declared here, inside a YAML bundle, or rendered by a Helm chart).
 * Everything here is pure, so the same code runs in the policy analyzer and in tests.
 */

/** A resource as a policy sees it: a Kubernetes object's fields, or a provider resource's inputs. */
export interface PolicySubject {
  urn: string;
  type: string;
  name: string;
  /** For `kubernetes:` resources the object itself (apiVersion, kind, metadata, spec, data, ...). */
  props: Record<string, unknown>;
  /** The resource's effective `protect` option. */
  protect: boolean;
}

export interface Violation {
  policy: string;
  urn: string;
  message: string;
}

export type Obj = Record<string, unknown>;

export function obj(value: unknown): Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {};
}

export function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function get(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Obj)[key];
  }
  return node;
}

/** Kind of a Kubernetes subject (from the object, else from the `kubernetes:<group>/<version>:<Kind>` token). */
export function kindOf(subject: PolicySubject): string | undefined {
  if (!subject.type.startsWith("kubernetes:") || isHelmType(subject.type) || isYamlType(subject.type))
    return undefined;
  const kind = subject.props["kind"];
  if (typeof kind === "string") return kind;
  return /^kubernetes:[^:]+:([^:]+)$/.exec(subject.type)?.[1];
}

export function isHelmType(type: string): boolean {
  return type.startsWith("kubernetes:helm.sh/");
}

function isYamlType(type: string): boolean {
  return type.startsWith("kubernetes:yaml");
}

function ancestorTypes(urn: string): string[] {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.split("$").slice(0, -1);
}

/**
 * True for an object rendered by a Helm chart (a child of a `helm.sh` component, visible in the URN's type
 * chain). The chart, not this program, writes those objects; the pack still judges their security, see
 * RENDERED_RULES in policy/rules.ts.
 */
export function isRenderedByChart(urn: string): boolean {
  return ancestorTypes(urn).some(isHelmType);
}

/** True for a Kubernetes object this program writes: declared directly or inside a YAML bundle. */
export function isDeclaredKubernetesObject(subject: PolicySubject): boolean {
  return kindOf(subject) !== undefined && !isRenderedByChart(subject.urn);
}

/** True for any single Kubernetes object the pack sees, declared or rendered by a chart. */
export function isKubernetesObject(subject: PolicySubject): boolean {
  return kindOf(subject) !== undefined;
}

export function namespaceOf(subject: PolicySubject): string {
  const ns = get(subject.props, "metadata", "namespace");
  return typeof ns === "string" && ns !== "" ? ns : "default";
}

export function nameOf(subject: PolicySubject): string {
  const name = get(subject.props, "metadata", "name");
  return typeof name === "string" ? name : subject.name;
}

/** `Kind namespace/name` (or the resource name for non-Kubernetes resources), for messages. */
export function label(subject: PolicySubject): string {
  const kind = kindOf(subject);
  if (kind === undefined) return `${subject.type.split(":").pop() ?? subject.type} ${subject.name}`;
  const ns = get(subject.props, "metadata", "namespace");
  return typeof ns === "string" && ns !== ""
    ? `${kind} ${ns}/${nameOf(subject)}`
    : `${kind} ${nameOf(subject)}`;
}

const WORKLOAD_KINDS = new Set([
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
  "CronJob",
]);

export interface PodTemplate {
  metadata: Obj;
  spec: Obj;
}

/** The pod template of any workload the pack sees (declared or chart-rendered), or undefined. */
export function anyPodTemplateOf(subject: PolicySubject): PodTemplate | undefined {
  const kind = kindOf(subject);
  if (kind === undefined || !WORKLOAD_KINDS.has(kind)) return undefined;
  const p = subject.props;
  if (kind === "Pod") return { metadata: obj(p["metadata"]), spec: obj(p["spec"]) };
  const template =
    kind === "CronJob" ? get(p, "spec", "jobTemplate", "spec", "template") : get(p, "spec", "template");
  return { metadata: obj(get(template, "metadata")), spec: obj(get(template, "spec")) };
}

/** The pod template of a workload this program writes, or undefined for anything else. */
export function podTemplateOf(subject: PolicySubject): PodTemplate | undefined {
  return isDeclaredKubernetesObject(subject) ? anyPodTemplateOf(subject) : undefined;
}

export function containersOf(podSpec: Obj): Obj[] {
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((field) => list(podSpec[field]));
}

export function containerLabel(subject: PolicySubject, container: Obj): string {
  return `${label(subject)} container ${String(container["name"])}`;
}
