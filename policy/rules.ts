/*
 * The platform's policy baseline as pure functions over plain resources: the Pod Security "restricted"
 * profile (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted) and the
 * Gatekeeper-style constraints of the platform specification (resource limits, image tag restrictions,
 * required labels, default-deny networking, secrets kept out of plain configuration). policy/index.ts wraps
 * them for @pulumi/policy; tests call them directly on fixtures and on recorded stacks.
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

export interface PolicyConfig {
  /** Labels every workload object must carry. */
  requiredLabels: string[];
  /** Labels every workload's pod template must carry (what Services, PDBs and NetworkPolicies select on). */
  requiredPodLabels: string[];
}

export const DEFAULT_POLICY_CONFIG: PolicyConfig = {
  requiredLabels: ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by"],
  requiredPodLabels: ["app.kubernetes.io/name", "app.kubernetes.io/instance"],
};

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function get(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Obj)[key];
  }
  return node;
}

/** Kind of a Kubernetes subject (from the object, else from the `kubernetes:<group>/<version>:<Kind>` token). */
export function kindOf(subject: PolicySubject): string | undefined {
  if (!subject.type.startsWith("kubernetes:")) return undefined;
  const kind = subject.props["kind"];
  if (typeof kind === "string") return kind;
  return /^kubernetes:[^:]+:([^:]+)$/.exec(subject.type)?.[1];
}

/**
 * True for an object rendered by a Helm chart or YAML bundle (a child of such a component, visible in the
 * URN's type chain). Those objects are hardened through chart values and upstream defaults, not declared
 * here, so these policies do not judge them.
 */
export function isRenderedByComponent(urn: string): boolean {
  const qualifiedType = urn.split("::")[2] ?? "";
  const ancestors = qualifiedType.split("$").slice(0, -1);
  return ancestors.some((t) => t.startsWith("kubernetes:helm.sh/") || t.startsWith("kubernetes:yaml/"));
}

/** True for a Kubernetes object declared directly by this program. */
export function isDeclaredKubernetesObject(subject: PolicySubject): boolean {
  return (
    kindOf(subject) !== undefined &&
    !subject.type.startsWith("kubernetes:helm.sh/") &&
    !subject.type.startsWith("kubernetes:yaml") &&
    !isRenderedByComponent(subject.urn)
  );
}

export function namespaceOf(subject: PolicySubject): string {
  const ns = get(subject.props, "metadata", "namespace");
  return typeof ns === "string" && ns !== "" ? ns : "default";
}

export function nameOf(subject: PolicySubject): string {
  const name = get(subject.props, "metadata", "name");
  return typeof name === "string" ? name : subject.name;
}

const WORKLOAD_KINDS = new Set([
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
]);

/** The pod template of a workload (metadata + spec), or undefined for anything else. */
export function podTemplateOf(subject: PolicySubject): { metadata: Obj; spec: Obj } | undefined {
  const kind = kindOf(subject);
  if (kind === undefined || !WORKLOAD_KINDS.has(kind) || !isDeclaredKubernetesObject(subject))
    return undefined;
  const p = subject.props;
  if (kind === "Pod") return { metadata: obj(p["metadata"]), spec: obj(p["spec"]) };
  const template =
    kind === "CronJob" ? get(p, "spec", "jobTemplate", "spec", "template") : get(p, "spec", "template");
  return { metadata: obj(get(template, "metadata")), spec: obj(get(template, "spec")) };
}

function containersOf(podSpec: Obj): Array<{ container: Obj; init: boolean }> {
  return [
    ...list(podSpec["initContainers"]).map((container) => ({ container, init: true })),
    ...list(podSpec["containers"]).map((container) => ({ container, init: false })),
  ];
}

function label(subject: PolicySubject): string {
  return `${kindOf(subject) ?? subject.type} ${namespaceOf(subject)}/${nameOf(subject)}`;
}

/** Pod Security "restricted": non-root, no privilege escalation, read-only root fs, capabilities dropped, seccomp. */
export function podSecurityViolations(subject: PolicySubject): string[] {
  const template = podTemplateOf(subject);
  if (template === undefined) return [];
  const problems: string[] = [];
  const pod = template.spec;
  const podContext = obj(pod["securityContext"]);
  const where = label(subject);
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"])
    if (pod[ns] === true) problems.push(`${where}: ${ns} is set`);
  for (const volume of list(pod["volumes"]))
    if (volume["hostPath"] !== undefined)
      problems.push(`${where}: volume ${String(volume["name"])} is a hostPath`);
  for (const { container } of containersOf(pod)) {
    const c = `${where} container ${String(container["name"])}`;
    const sc = obj(container["securityContext"]);
    if ((sc["runAsNonRoot"] ?? podContext["runAsNonRoot"]) !== true)
      problems.push(`${c}: runAsNonRoot must be true`);
    if ((sc["runAsUser"] ?? podContext["runAsUser"]) === 0) problems.push(`${c}: must not run as UID 0`);
    if (sc["privileged"] === true) problems.push(`${c}: must not be privileged`);
    if (sc["allowPrivilegeEscalation"] !== false)
      problems.push(`${c}: allowPrivilegeEscalation must be false`);
    if (sc["readOnlyRootFilesystem"] !== true) problems.push(`${c}: readOnlyRootFilesystem must be true`);
    const drop = (get(sc, "capabilities", "drop") ?? []) as unknown[];
    if (!drop.includes("ALL")) problems.push(`${c}: capabilities must drop ALL`);
    const added = ((get(sc, "capabilities", "add") ?? []) as unknown[]).filter(
      (cap) => cap !== "NET_BIND_SERVICE",
    );
    if (added.length > 0) problems.push(`${c}: must not add capabilities ${added.join(", ")}`);
    for (const port of list(container["ports"]))
      if (port["hostPort"] !== undefined && port["hostPort"] !== 0)
        problems.push(`${c}: must not use hostPort ${String(port["hostPort"])}`);
    const seccomp = get(sc, "seccompProfile", "type") ?? get(podContext, "seccompProfile", "type");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      problems.push(`${c}: seccompProfile must be RuntimeDefault or Localhost`);
  }
  return problems;
}

/** Every container sets cpu and memory requests and limits. */
export function resourceViolations(subject: PolicySubject): string[] {
  const template = podTemplateOf(subject);
  if (template === undefined) return [];
  const problems: string[] = [];
  for (const { container } of containersOf(template.spec)) {
    const missing: string[] = [];
    for (const kind of ["requests", "limits"])
      for (const res of ["cpu", "memory"])
        if (get(container, "resources", kind, res) === undefined) missing.push(`${kind}.${res}`);
    if (missing.length > 0)
      problems.push(
        `${label(subject)} container ${String(container["name"])}: missing resources ${missing.join(", ")}`,
      );
  }
  return problems;
}

/** An image reference is pinned when it has a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== "" && tag !== "latest";
}

/** No `latest` tag and no missing tag. */
export function imageViolations(subject: PolicySubject): string[] {
  const template = podTemplateOf(subject);
  if (template === undefined) return [];
  return containersOf(template.spec)
    .filter(({ container }) => typeof container["image"] !== "string" || !isPinnedImage(container["image"]))
    .map(
      ({ container }) =>
        `${label(subject)} container ${String(container["name"])}: image "${String(container["image"] ?? "")}" is not pinned to a tag or digest (and must not be latest)`,
    );
}

/** Workload objects and their pod templates carry the required labels. */
export function labelViolations(
  subject: PolicySubject,
  config: PolicyConfig = DEFAULT_POLICY_CONFIG,
): string[] {
  const template = podTemplateOf(subject);
  if (template === undefined) return [];
  const objectLabels = obj(get(subject.props, "metadata", "labels"));
  const podLabels = obj(template.metadata["labels"]);
  const problems: string[] = [];
  const missing = config.requiredLabels.filter(
    (l) => typeof objectLabels[l] !== "string" || objectLabels[l] === "",
  );
  if (missing.length > 0) problems.push(`${label(subject)}: missing labels ${missing.join(", ")}`);
  const missingPod = config.requiredPodLabels.filter(
    (l) => typeof podLabels[l] !== "string" || podLabels[l] === "",
  );
  if (missingPod.length > 0)
    problems.push(`${label(subject)}: pod template missing labels ${missingPod.join(", ")}`);
  return problems;
}

const SECRET_NAME =
  /(^|[_.-])(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)$/i;
const SECRET_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|^\[secret\]$|^PLACEHOLDER-SECRET-/;

/** True for a key/value pair that looks like a secret carried in plain configuration. */
export function looksLikePlainSecret(key: string, value: unknown): boolean {
  if (typeof value !== "string" || value === "") return false;
  return SECRET_VALUE.test(value) || SECRET_NAME.test(key);
}

/** No secret values in ConfigMaps or in literal container env (they belong in Secrets, referenced by secretKeyRef). */
export function plainSecretViolations(subject: PolicySubject): string[] {
  const kind = kindOf(subject);
  if (kind === undefined || !isDeclaredKubernetesObject(subject)) return [];
  const problems: string[] = [];
  if (kind === "ConfigMap") {
    for (const [key, value] of Object.entries(obj(subject.props["data"]))) {
      if (looksLikePlainSecret(key, value))
        problems.push(`${label(subject)}: key "${key}" holds a secret in plain text; use a Secret`);
    }
  }
  const template = podTemplateOf(subject);
  for (const { container } of template === undefined ? [] : containersOf(template.spec)) {
    for (const env of list(container["env"])) {
      const name = String(env["name"] ?? "");
      if (env["value"] !== undefined && looksLikePlainSecret(name, env["value"])) {
        problems.push(
          `${label(subject)} container ${String(container["name"])}: env ${name} is a literal secret; use valueFrom.secretKeyRef`,
        );
      }
    }
  }
  return problems;
}

/** Talos machine secrets and stateful storage must be protected against delete and replace. */
export function protectViolations(subject: PolicySubject): string[] {
  if (subject.protect) return [];
  if (subject.type === "talos:machine/secrets:Secrets")
    return [`${subject.name}: Talos machine secrets must be protected (losing them locks the cluster out)`];
  const kind = kindOf(subject);
  if (kind === undefined || !isDeclaredKubernetesObject(subject)) return [];
  if (kind === "PersistentVolumeClaim" || kind === "PersistentVolume")
    return [`${label(subject)}: stateful storage must be protected`];
  if (kind === "StatefulSet" && list(get(subject.props, "spec", "volumeClaimTemplates")).length > 0) {
    return [`${label(subject)}: a StatefulSet with volume claims must be protected`];
  }
  return [];
}

function selectorMatches(matchLabels: Obj, labels: Obj): boolean {
  const entries = Object.entries(matchLabels);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Every namespace with declared workloads has a NetworkPolicy (Kubernetes or Cilium) declared in it. */
export function networkPolicyViolations(subjects: PolicySubject[]): Violation[] {
  const declared = subjects.filter(isDeclaredKubernetesObject);
  const covered = new Set(
    declared
      .filter((s) => kindOf(s) === "NetworkPolicy" || kindOf(s) === "CiliumNetworkPolicy")
      .map(namespaceOf),
  );
  return declared
    .filter((s) => podTemplateOf(s) !== undefined && !covered.has(namespaceOf(s)))
    .map((s) => ({
      policy: "namespace-network-policy",
      urn: s.urn,
      message: `${label(s)}: namespace ${namespaceOf(s)} has workloads but no NetworkPolicy`,
    }));
}

function replicasOf(subject: PolicySubject): number {
  const replicas = get(subject.props, "spec", "replicas");
  return typeof replicas === "number" ? replicas : 1;
}

/** Every Deployment or StatefulSet with more than one replica has a PodDisruptionBudget selecting its pods. */
export function pdbViolations(subjects: PolicySubject[]): Violation[] {
  const declared = subjects.filter(isDeclaredKubernetesObject);
  const pdbs = declared.filter((s) => kindOf(s) === "PodDisruptionBudget");
  return declared
    .filter((s) => (kindOf(s) === "Deployment" || kindOf(s) === "StatefulSet") && replicasOf(s) > 1)
    .filter((s) => {
      const podLabels = obj(podTemplateOf(s)?.metadata["labels"]);
      return !pdbs.some(
        (p) =>
          namespaceOf(p) === namespaceOf(s) &&
          selectorMatches(obj(get(p.props, "spec", "selector", "matchLabels")), podLabels),
      );
    })
    .map((s) => ({
      policy: "replicated-workload-pdb",
      urn: s.urn,
      message: `${label(s)}: ${replicasOf(s)} replicas but no PodDisruptionBudget selects its pods`,
    }));
}

export interface ResourceRule {
  name: string;
  description: string;
  check: (subject: PolicySubject, config: PolicyConfig) => string[];
}

export interface StackRule {
  name: string;
  description: string;
  check: (subjects: PolicySubject[], config: PolicyConfig) => Violation[];
}

export const RESOURCE_RULES: ResourceRule[] = [
  {
    name: "pod-security-restricted",
    description:
      "Workloads meet the Pod Security restricted profile: non-root, no privilege escalation, read-only root filesystem, all capabilities dropped, seccomp.",
    check: (s) => podSecurityViolations(s),
  },
  {
    name: "container-resources",
    description: "Every container sets cpu and memory requests and limits.",
    check: (s) => resourceViolations(s),
  },
  {
    name: "pinned-images",
    description: "Every image is pinned to a tag or digest; no latest, no missing tag.",
    check: (s) => imageViolations(s),
  },
  {
    name: "required-labels",
    description: "Workloads and their pod templates carry the required labels.",
    check: (s, c) => labelViolations(s, c),
  },
  {
    name: "no-plaintext-secrets",
    description: "No secret values in ConfigMaps or literal container env; secrets live in Secrets.",
    check: (s) => plainSecretViolations(s),
  },
  {
    name: "protect-stateful",
    description: "Talos machine secrets and stateful storage are protected.",
    check: (s) => protectViolations(s),
  },
];

export const STACK_RULES: StackRule[] = [
  {
    name: "namespace-network-policy",
    description: "Every namespace with workloads declared here has a NetworkPolicy.",
    check: (subjects) => networkPolicyViolations(subjects),
  },
  {
    name: "replicated-workload-pdb",
    description: "Every replicated Deployment or StatefulSet has a PodDisruptionBudget.",
    check: (subjects) => pdbViolations(subjects),
  },
];

/** Every violation of every rule over a set of resources (what the pack reports for one stack). */
export function evaluate(
  subjects: PolicySubject[],
  config: PolicyConfig = DEFAULT_POLICY_CONFIG,
): Violation[] {
  const violations: Violation[] = [];
  for (const subject of subjects) {
    for (const rule of RESOURCE_RULES)
      violations.push(
        ...rule.check(subject, config).map((message) => ({ policy: rule.name, urn: subject.urn, message })),
      );
  }
  for (const rule of STACK_RULES) violations.push(...rule.check(subjects, config));
  return violations;
}
