import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { filesUnder, schemasDir } from "../../conformance/paths";

/*
 * Fields a change of which does not update an object in place:
 * - ForceNew: pulumi-kubernetes replaces the object (delete, then create, for a named one) when one of these
 *   changes on an object it already manages (pulumi/pulumi-kubernetes provider/pkg/provider/diff.go
 *   forceNewProperties; Secret data too unless the provider's enableSecretMutable).
 * - Immutable: the API server refuses the change, so an apply that takes over an object fails (apps/v1
 *   selectors and most of a StatefulSet's spec, kubernetes/kubernetes pkg/apis/apps/validation
 *   ValidateDeploymentUpdate/ValidateStatefulSetUpdate; Service clusterIP, core/validation; RoleBinding roleRef,
 *   rbac/validation; Job selector and template, batch/validation), and CRD fields guarded by the CEL rule
 *   `self == oldSelf` (e.g. GatewayClass spec.controllerName, Gateway API v1.6.1).
 */

const SELECTOR = "spec.selector";

/** pulumi-kubernetes diff.go forceNew, by group/Kind (the versions it lists are the served ones). */
const FORCE_NEW: Record<string, string[]> = {
  "apps/Deployment": [SELECTOR],
  "apps/DaemonSet": [SELECTOR],
  "apps/StatefulSet": [
    "spec.podManagementPolicy",
    "spec.revisionHistoryLimit",
    SELECTOR,
    "spec.serviceName",
    "spec.volumeClaimTemplates",
  ],
  "/PersistentVolumeClaim": ["spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
  "/ResourceQuota": ["spec.scopes"],
  "/Secret": ["type", "data", "stringData"],
  "/Service": ["spec.clusterIP"],
  "rbac.authorization.k8s.io/RoleBinding": ["roleRef"],
  "rbac.authorization.k8s.io/ClusterRoleBinding": ["roleRef"],
  "storage.k8s.io/StorageClass": ["parameters", "provisioner"],
  "batch/Job": ["spec.completions", "spec.parallelism", SELECTOR, "spec.template"],
};

/** Fields the API server refuses to change on update. */
const API_IMMUTABLE: Record<string, string[]> = {
  "apps/Deployment": [SELECTOR],
  "apps/DaemonSet": [SELECTOR],
  "apps/ReplicaSet": [SELECTOR],
  "apps/StatefulSet": ["spec.podManagementPolicy", SELECTOR, "spec.serviceName", "spec.volumeClaimTemplates"],
  "/Service": ["spec.clusterIP"],
  "rbac.authorization.k8s.io/RoleBinding": ["roleRef"],
  "rbac.authorization.k8s.io/ClusterRoleBinding": ["roleRef"],
  "batch/Job": [SELECTOR, "spec.template"],
};

function within(pathText: string, field: string): boolean {
  return pathText === field || pathText.startsWith(`${field}.`) || pathText.startsWith(`${field}[`);
}

type Obj = Record<string, unknown>;

let celImmutable: Map<string, string[]> | undefined;

/** Paths whose CRD schema says `self == oldSelf`, by group/Kind, from the CRDs under the schemas directory. */
function celImmutableFields(): Map<string, string[]> {
  if (celImmutable !== undefined) return celImmutable;
  celImmutable = new Map();
  const dir = schemasDir();
  if (dir === undefined) return celImmutable;
  for (const file of filesUnder(path.join(dir, "crds"), [".yaml", ".yml"])) {
    const text = fs.readFileSync(file, "utf8");
    if (!/self\s*==\s*oldSelf/.test(text)) continue;
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as Obj | null;
      const spec = crd?.["spec"] as Obj | undefined;
      if (crd?.["kind"] !== "CustomResourceDefinition" || spec === undefined) continue;
      const key = `${String(spec["group"])}/${String((spec["names"] as Obj)["kind"])}`;
      const paths = new Set(celImmutable.get(key) ?? []);
      for (const version of (spec["versions"] as Obj[] | undefined) ?? []) {
        const schema = ((version["schema"] as Obj | undefined)?.["openAPIV3Schema"] ?? {}) as Obj;
        collect(schema, "", paths);
      }
      celImmutable.set(key, [...paths]);
    }
  }
  return celImmutable;
}

function collect(schema: Obj, at: string, out: Set<string>): void {
  const rules = (schema["x-kubernetes-validations"] as Obj[] | undefined) ?? [];
  if (at !== "" && rules.some((r) => /^\s*self\s*==\s*oldSelf\s*$/.test(String(r["rule"])))) out.add(at);
  for (const [name, child] of Object.entries((schema["properties"] ?? {}) as Record<string, Obj>))
    collect(child, at === "" ? name : `${at}.${name}`, out);
}

/** The ForceNew field a changed path falls under, for an object the program already manages. */
export function forceNewField(group: string, kind: string, pathText: string): string | undefined {
  return FORCE_NEW[`${group}/${kind}`]?.find((f) => within(pathText, f));
}

/** The field the API server (or the CRD's CEL rules) refuses to change, that a changed path falls under. */
export function immutableField(group: string, kind: string, pathText: string): string | undefined {
  return [
    ...(API_IMMUTABLE[`${group}/${kind}`] ?? []),
    ...(celImmutableFields().get(`${group}/${kind}`) ?? []),
  ].find((f) => within(pathText, f));
}
