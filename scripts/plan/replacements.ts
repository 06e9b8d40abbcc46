import * as fs from "fs";
import * as path from "path";
import { crdSchemaOf } from "../../conformance/crd";
import { schemasDir } from "../../conformance/paths";
import { typeTokenToGvk } from "../../recording/manifests";

/*
 * Which changed input forces a resource to be replaced, and from where that is known. A plan diff gives field
 * paths in the recording's form (`spec.rules[0].matches[0].path.value`); each rule below answers for one kind
 * of resource, citing what decides it upstream.
 */

/** Why a changed field replaces the resource, or makes the update fail. */
export interface ReplaceReason {
  path: string;
  because: string;
  /** `replace`: the engine replaces the resource; `refused`: the update is refused and nothing replaces it. */
  effect: "replace" | "refused";
}

const K8S_SOURCE = "pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties";

/*
 * pulumi/pulumi-kubernetes@94977969 (the newest source on hand; @pulumi/kubernetes 4.34.2 is pinned):
 * provider/pkg/provider/diff.go `forceNew` and provider.go Diff, which always adds `.metadata.name` and
 * `.metadata.namespace`. A Secret is replaced on `.type`, `.stringData` and `.data` unless the provider has
 * `enableSecretMutable` (and the Secret is not `immutable`); a ConfigMap on `.data` and `.binaryData` likewise
 * with `enableConfigMapMutable`.
 */
const SELECTOR = [".spec.selector"];
const CONTAINER_FIELDS = [
  "args",
  "command",
  "env",
  "image",
  "imagePullPolicy",
  "lifecycle",
  "livenessProbe",
  "ports",
  "readinessProbe",
  "resources",
  "securityContext",
  "stdin",
  "stdinOnce",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "tty",
  "volumeDevices",
  "volumeMounts",
  "workingDir",
];
const POD = [
  ...[
    "affinity",
    "automountServiceAccountToken",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostname",
    "imagePullSecrets",
    "nodeName",
    "nodeSelector",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "volumes",
  ].map((f) => `.spec.${f}`),
  ...["containers", "initContainers"].flatMap((c) => CONTAINER_FIELDS.map((f) => `.spec.${c}[*].${f}`)),
];
const STATEFULSET = [
  ".spec.podManagementPolicy",
  ".spec.revisionHistoryLimit",
  ".spec.selector",
  ".spec.serviceName",
  ".spec.volumeClaimTemplates",
];
const JOB = [".spec.completions", ".spec.parallelism", ".spec.selector", ".spec.template"];
const FORCE_NEW: Record<string, string[]> = {
  "apps/v1/Deployment": SELECTOR,
  "apps/v1/DaemonSet": SELECTOR,
  "apps/v1/StatefulSet": STATEFULSET,
  "batch/v1/Job": JOB,
  "v1/Pod": POD,
  "v1/PersistentVolumeClaim": [
    ".spec.accessModes",
    ".spec.selector",
    ".spec.storageClassName",
    ".spec.volumeName",
  ],
  "v1/ResourceQuota": [".spec.scopes"],
  "v1/Service": [".spec.clusterIP"],
  "rbac.authorization.k8s.io/v1/RoleBinding": [".roleRef"],
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": [".roleRef"],
  "storage.k8s.io/v1/StorageClass": [".parameters", ".provisioner"],
};

/** `spec.rules[0].x` -> `.spec.rules[*].x`, the form of the provider's field lists. */
function providerPath(p: string): string {
  return `.${p}`.replace(/\[\d+\]/g, "[*]").replace(/\["([^"]+)"\]/g, ".$1");
}

/** Whether a changed field is, or lies inside or around, a field of the list. */
function touches(changed: string, field: string): boolean {
  const c = providerPath(changed);
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return within(c, field) || within(field, c);
}

/** Fields that replace a Kubernetes object, given its manifest and its provider's inputs. */
export function kubernetesForceNew(
  manifest: Record<string, unknown>,
  providerInputs: Record<string, unknown>,
): string[] {
  const apiVersion = String(manifest["apiVersion"] ?? "");
  const kind = String(manifest["kind"] ?? "");
  const fields = [".metadata.name", ".metadata.namespace", ...(FORCE_NEW[`${apiVersion}/${kind}`] ?? [])];
  const immutable = manifest["immutable"] === true;
  const enabled = (key: string) => String(providerInputs[key]) === "true";
  if (apiVersion === "v1" && kind === "Secret") {
    fields.push(".type");
    if (immutable || !enabled("enableSecretMutable")) fields.push(".stringData", ".data");
  }
  if (apiVersion === "v1" && kind === "ConfigMap" && (immutable || !enabled("enableConfigMapMutable")))
    fields.push(".data", ".binaryData");
  return fields;
}

interface PackageSchema {
  name: string;
  version?: string;
  resources?: Record<string, { inputProperties?: Record<string, { willReplaceOnChanges?: boolean }> }>;
}

const packages = new Map<string, { schema: PackageSchema; file: string } | undefined>();

/** The package schema on file for a provider package (`f5bigip`, `talos`, `onepassword`), if any. */
function packageSchema(pkg: string): { schema: PackageSchema; file: string } | undefined {
  if (packages.has(pkg)) return packages.get(pkg);
  const dir = schemasDir();
  const file =
    dir === undefined
      ? undefined
      : fs
          .readdirSync(path.join(dir, "providers"))
          .filter((f) => f.startsWith(`${pkg}-`) && f.endsWith(".json"))
          .sort()
          .pop();
  const found =
    dir === undefined || file === undefined
      ? undefined
      : {
          schema: JSON.parse(fs.readFileSync(path.join(dir, "providers", file), "utf8")) as PackageSchema,
          file,
        };
  packages.set(pkg, found);
  return found;
}

/** Whether replacements of a resource type can be predicted from what is on file. */
export function hasReplaceRules(type: string): boolean {
  if (type.startsWith("kubernetes:")) return true;
  return packageSchema(type.split(":")[0]!)?.schema.resources?.[type] !== undefined;
}

/** Fields of a CRD schema marked immutable (`x-kubernetes-validations` rule `self == oldSelf`), as paths. */
export function immutableCrdFields(schema: unknown, at = ""): string[] {
  if (schema === null || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const rules = (node["x-kubernetes-validations"] ?? []) as Array<{ rule?: string }>;
  const own = rules.some((r) => /^\s*self\s*==\s*oldSelf\s*$/.test(r.rule ?? "")) ? [at || "."] : [];
  const props = Object.entries((node["properties"] ?? {}) as Record<string, unknown>).flatMap(([k, v]) =>
    immutableCrdFields(v, `${at}.${k}`),
  );
  const items = node["items"] === undefined ? [] : immutableCrdFields(node["items"], `${at}[*]`);
  return [...own, ...props, ...items];
}

/**
 * Why the changed fields of a resource replace it (or make its update fail): the provider's own rules for
 * Kubernetes objects, `willReplaceOnChanges` in the provider schemas on file, immutable CRD fields, and the
 * resource's `replaceOnChanges` option.
 */
export function replaceReasons(
  resource: { type: string; inputs: Record<string, unknown>; replaceOnChanges: string[] },
  changed: string[],
  providerInputs: Record<string, unknown>,
): ReplaceReason[] {
  const reasons: ReplaceReason[] = [];
  const add = (p: string, because: string, effect: ReplaceReason["effect"] = "replace") => {
    if (!reasons.some((r) => r.path === p && r.effect === effect)) reasons.push({ path: p, because, effect });
  };
  for (const option of resource.replaceOnChanges)
    for (const p of changed)
      if (option === "*" || touches(p, providerPath(option)))
        add(p, `the resource's replaceOnChanges option lists \`${option}\``);
  const gvk = typeTokenToGvk(resource.type);
  const isObject =
    gvk !== undefined &&
    !resource.type.startsWith("kubernetes:helm.sh/") &&
    !resource.type.startsWith("kubernetes:yaml");
  if (isObject) {
    const manifest = { apiVersion: gvk.apiVersion, kind: gvk.kind, ...resource.inputs };
    const forceNew = kubernetesForceNew(manifest, providerInputs);
    for (const p of changed) {
      const field = forceNew.find((f) => touches(p, f));
      if (field !== undefined) add(p, `${K8S_SOURCE}: \`${field}\` of ${gvk.kind} forces a new object`);
    }
    const schema = crdSchemaOf(String(manifest["apiVersion"]), String(manifest["kind"]));
    for (const field of schema === undefined ? [] : immutableCrdFields(schema))
      for (const p of changed)
        if (touches(p, field))
          add(
            p,
            `the ${gvk.kind} CRD marks \`${field}\` immutable (self == oldSelf): the API server refuses the update`,
            "refused",
          );
    return reasons;
  }
  const pkg = packageSchema(resource.type.split(":")[0]!);
  const props = pkg?.schema.resources?.[resource.type]?.inputProperties ?? {};
  for (const p of changed) {
    const top = p.split(/[.[]/)[0]!;
    if (props[top]?.willReplaceOnChanges === true)
      add(p, `\`${top}\` is willReplaceOnChanges in the ${pkg!.file.replace(/\.json$/, "")} provider schema`);
  }
  return reasons;
}
