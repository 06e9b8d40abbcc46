import { isEnvName } from "../stacks/checks/names";
import { parseQuantityValue } from "./cel";
import { describeObject, isPlaceholderValue } from "./paths";

/*
 * What the API server's own validation refuses that the OpenAPI schemas do not express: the forms of names,
 * namespaces, labels, annotation keys, container and port names, environment variable names, and requests
 * above limits (kubernetes/kubernetes@v1.36.3: pkg/apis/core/validation/validation.go and
 * staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go, pkg/util/validation/validation.go).
 */

type Obj = Record<string, unknown>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** IANA service names: at most 15 lower-case letters, digits and single dashes, with at least one letter. */
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const isLabel = (s: string) => s.length <= 63 && DNS1123_LABEL.test(s);
const isSubdomain = (s: string) => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isSubdomain(prefix)) return `prefix "${prefix}" is not a DNS subdomain`;
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return `"${name}" is not a qualified name`;
  return undefined;
}

/** Kinds whose name the API server validates as a DNS-1123 label (or DNS-1035 for Services). */
const LABEL_NAMED = new Set(["Namespace", "Pod", "StatefulSet"]);
/** RBAC objects take path-segment names (`system:...` is allowed). */
const PATH_SEGMENT_NAMED = new Set(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

function nameProblems(kind: string, name: string): string[] {
  if (PATH_SEGMENT_NAMED.has(kind))
    return /[/%]/.test(name) || name === "." || name === ".."
      ? [`name "${name}" may not contain '/' or '%'`]
      : [];
  // Services and the Gateways whose proxy Service the agentgateway controller names after them.
  if (kind === "Service" || kind === "Gateway")
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? []
      : [
          `name "${name}" must be a DNS-1035 label (lower case, starting with a letter, at most 63 characters)`,
        ];
  if (LABEL_NAMED.has(kind))
    return isLabel(name) ? [] : [`name "${name}" must be a DNS-1123 label (at most 63 characters)`];
  return isSubdomain(name) ? [] : [`name "${name}" must be a DNS-1123 subdomain (at most 253 characters)`];
}

function containerProblems(path: string, container: Obj): string[] {
  const problems: string[] = [];
  const name = String(container["name"] ?? "");
  if (!isLabel(name)) problems.push(`${path}/name "${name}" must be a DNS-1123 label`);
  ((container["env"] ?? []) as Obj[]).forEach((e, i) => {
    if (!isEnvName(String(e["name"] ?? "")))
      problems.push(`${path}/env/${i}/name "${String(e["name"])}" is not a valid environment variable name`);
  });
  ((container["ports"] ?? []) as Obj[]).forEach((p, i) => {
    const portName = p["name"];
    if (typeof portName === "string" && (portName.length > 15 || !IANA_SVC_NAME.test(portName)))
      problems.push(
        `${path}/ports/${i}/name "${portName}" must be an IANA service name (at most 15 characters)`,
      );
  });
  const resources = (container["resources"] ?? {}) as { requests?: Obj; limits?: Obj };
  for (const [resource, request] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[resource];
    if (limit === undefined || isPlaceholderValue(request) || isPlaceholderValue(limit)) continue;
    const r = parseQuantityValue(String(request));
    const l = parseQuantityValue(String(limit));
    if (r === undefined || l === undefined) problems.push(`${path}/resources: ${resource} is not a quantity`);
    else if (r > l)
      problems.push(
        `${path}/resources/requests/${resource} ${String(request)} is above the limit ${String(limit)}`,
      );
  }
  return problems;
}

/** The pod spec of a Pod or of a workload's pod template, with its JSON pointer. */
function podSpecOf(manifest: Obj): { path: string; spec: Obj } | undefined {
  const spec = manifest["spec"] as Obj | undefined;
  if (spec === undefined) return undefined;
  if (manifest["kind"] === "Pod") return { path: "/spec", spec };
  const template = (
    manifest["kind"] === "CronJob" ? ((spec["jobTemplate"] as Obj)?.["spec"] as Obj) : spec
  )?.["template"] as Obj | undefined;
  const podSpec = template?.["spec"] as Obj | undefined;
  if (podSpec === undefined) return undefined;
  return {
    path: manifest["kind"] === "CronJob" ? "/spec/jobTemplate/spec/template/spec" : "/spec/template/spec",
    spec: podSpec,
  };
}

/** Every API-server validation problem of one object's names, labels and containers. */
export function validateObjectMeta(manifest: Obj): string[] {
  const label = describeObject(manifest);
  const kind = String(manifest["kind"] ?? "");
  const metadata = (manifest["metadata"] ?? {}) as Obj;
  const problems: string[] = [];
  const name = metadata["name"];
  if (typeof name === "string" && name !== "" && !isPlaceholderValue(name))
    problems.push(...nameProblems(kind, name));
  const namespace = metadata["namespace"];
  if (typeof namespace === "string" && !isPlaceholderValue(namespace) && !isLabel(namespace))
    problems.push(`namespace "${namespace}" must be a DNS-1123 label`);
  for (const [key, value] of Object.entries((metadata["labels"] ?? {}) as Obj)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) problems.push(`label key "${key}": ${keyProblem}`);
    const v = String(value);
    if (v.length > 63 || (v !== "" && !QUALIFIED_NAME.test(v)))
      problems.push(`label "${key}" has an invalid value "${v}"`);
  }
  for (const key of Object.keys((metadata["annotations"] ?? {}) as Obj)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) problems.push(`annotation key "${key}": ${keyProblem}`);
  }
  const pod = podSpecOf(manifest);
  if (pod !== undefined) {
    for (const field of ["initContainers", "containers"]) {
      ((pod.spec[field] ?? []) as Obj[]).forEach((c, i) =>
        problems.push(...containerProblems(`${pod.path}/${field}/${i}`, c)),
      );
    }
  }
  if (kind === "Service") {
    (((manifest["spec"] as Obj | undefined)?.["ports"] ?? []) as Obj[]).forEach((p, i) => {
      const portName = p["name"];
      if (typeof portName === "string" && !isLabel(portName))
        problems.push(`/spec/ports/${i}/name "${portName}" must be a DNS-1123 label`);
    });
  }
  return problems.map((p) => `${label}: ${p}`);
}
