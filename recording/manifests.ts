import type { RecordedResource } from "./runtime";

/**
 * True for a recorded resource that is one Kubernetes object: a custom `kubernetes:` resource, but not a
 * Helm release (`kubernetes:helm.sh/*`), a YAML bundle (`kubernetes:yaml*`) or a provider.
 */
export function isKubernetesObject(r: RecordedResource): boolean {
  return (
    r.custom &&
    r.type.startsWith("kubernetes:") &&
    !r.type.startsWith("kubernetes:helm.sh/") &&
    !r.type.startsWith("kubernetes:yaml") &&
    !r.type.startsWith("pulumi:providers:")
  );
}

/** `kubernetes:apps/v1:Deployment` -> { apiVersion: "apps/v1", kind: "Deployment" }; core group is `core`. */
export function typeTokenToGvk(type: string): { apiVersion: string; kind: string } | undefined {
  const match = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
  if (match === null) return undefined;
  const groupVersion = match[1]!;
  return {
    apiVersion: groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion,
    kind: match[2]!,
  };
}

function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(dropEmpty);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = dropEmpty(v);
    return out;
  }
  return value;
}

/**
 * The Kubernetes object a recorded `kubernetes:` resource stands for. The SDK sends the object itself as the
 * inputs (apiVersion, kind, metadata, spec/data/stringData/...); unset fields arrive as null and are dropped.
 * apiVersion and kind fall back to the type token when the inputs lack them.
 */
export function manifestOf(resource: RecordedResource): Record<string, unknown> {
  const manifest = dropEmpty(resource.inputs) as Record<string, unknown>;
  const gvk = typeTokenToGvk(resource.type);
  if (gvk !== undefined) {
    if (typeof manifest["apiVersion"] !== "string") manifest["apiVersion"] = gvk.apiVersion;
    if (typeof manifest["kind"] !== "string") manifest["kind"] = gvk.kind;
  }
  return manifest;
}
