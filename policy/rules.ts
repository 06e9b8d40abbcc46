/*
 * The platform's policy baseline as pure functions over plain resources: the Pod Security Standards
 * (policy/podSecurity.ts), secrets found by value (policy/secrets.ts), network isolation (policy/network.ts),
 * disruption budgets for every replicated or autoscaled workload (policy/availability.ts), RBAC wildcards
 * (policy/rbac.ts), pinned images, resources, labels and protection. policy/pack.ts wraps them for
 * @pulumi/policy; tests run the pack on fixtures and on recorded stacks.
 */
import { blockingPdbViolations, hostPathVolumeViolations, pdbViolations } from "./availability";
import { privilegedChartViolations } from "./charts";
import { networkIsolationViolations, worldEgressViolations, worldIngressViolations } from "./network";
import {
  anyPodTemplateOf,
  containerLabel,
  containersOf,
  get,
  isDeclaredKubernetesObject,
  isHelmType,
  kindOf,
  label,
  list,
  obj,
  podTemplateOf,
  PolicySubject,
  Violation,
} from "./objects";
import { namespacePodSecurityViolations, podSecurityStackViolations } from "./podSecurity";
import { rbacWildcardViolations } from "./rbac";
import { rbacPrivilegeViolations } from "./rbacPrivileges";
import { plainSecretViolations } from "./secrets";

export type { PolicySubject, Violation } from "./objects";
export { credentialFormat } from "./secrets";

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

/** Every container sets cpu and memory requests and limits. */
function resourceViolations(subject: PolicySubject): string[] {
  const template = podTemplateOf(subject);
  if (template === undefined) return [];
  const problems: string[] = [];
  for (const container of containersOf(template.spec)) {
    const missing: string[] = [];
    for (const kind of ["requests", "limits"])
      for (const res of ["cpu", "memory"])
        if (get(container, "resources", kind, res) === undefined) missing.push(`${kind}.${res}`);
    if (missing.length > 0)
      problems.push(`${containerLabel(subject, container)}: missing resources ${missing.join(", ")}`);
  }
  return problems;
}

/**
 * Tags that name one build: a full version (`1.27.0`, `v1.3.0`, `22.23.2-alpine`, CalVer `2026.8.2`, with any
 * pre-release or variant suffix) or a commit (7 to 40 hex digits, optionally `sha-` prefixed). A registry moves
 * `latest`, `3`, `3.12`, `lts-alpine` and the like to each new release; a digest pins whatever the tag.
 */
const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:[-+._][0-9A-Za-z][0-9A-Za-z.+_-]*)?$/;
const COMMIT = /^(?:sha-)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}$/;

/** Why a tag may move, or undefined when it names one build. */
function tagProblem(tag: string): string | undefined {
  if (tag === "") return "has an empty tag";
  if (FULL_VERSION.test(tag) || COMMIT.test(tag)) return undefined;
  return `tag "${tag}" moves (not a full version such as 1.2.3 or a commit)`;
}

/** Why an image reference is not pinned, or undefined when it is (a well-formed digest, or a full version tag). */
function imageProblem(image: string): string | undefined {
  const at = image.indexOf("@");
  if (at >= 0) {
    const digest = image.slice(at + 1);
    return /^sha256:[0-9a-f]{64}$/.test(digest) ? undefined : `digest "${digest}" is not sha256:<64 hex>`;
  }
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return "has no tag or digest";
  return tagProblem(lastSegment.slice(colon + 1));
}

/** Image settings in Helm values: `{repository, tag, digest}` blocks with a moving tag or a malformed digest. */
function valuesImageFindings(values: unknown, path: string[] = []): string[] {
  if (Array.isArray(values)) return values.flatMap((v, i) => valuesImageFindings(v, [...path, String(i)]));
  if (values === null || typeof values !== "object") return [];
  const v = values as Record<string, unknown>;
  const out: string[] = [];
  if (typeof v["repository"] === "string") {
    const digest = v["digest"];
    const tag = v["tag"];
    const at = path.join(".");
    if (typeof digest === "string" && digest !== "" && !/^sha256:[0-9a-f]{64}$/.test(digest))
      out.push(`${at}.digest "${digest}" is not sha256:<64 hex>`);
    // An empty tag leaves the chart's appVersion, which the chart version pins.
    else if (typeof tag === "string" && tag !== "" && tagProblem(tag) !== undefined)
      out.push(`${at}.${tagProblem(tag)!}`);
  }
  for (const [k, child] of Object.entries(v)) out.push(...valuesImageFindings(child, [...path, k]));
  return out;
}

/** Every image is pinned: a sha256 digest, or a tag that names a release. */
function imageViolations(subject: PolicySubject): string[] {
  if (isHelmType(subject.type))
    return valuesImageFindings(subject.props["values"]).map((f) => `${label(subject)}: image ${f}`);
  const template = anyPodTemplateOf(subject);
  if (template === undefined) return [];
  return containersOf(template.spec).flatMap((container) => {
    const image = typeof container["image"] === "string" ? container["image"] : "";
    const problem = image === "" ? "is missing" : imageProblem(image);
    return problem === undefined
      ? []
      : [
          `${containerLabel(subject, container)}: image "${image}" ${problem}; pin a release tag or sha256 digest`,
        ];
  });
}

/** Workload objects and their pod templates carry the required labels. */
function labelViolations(subject: PolicySubject, config: PolicyConfig = DEFAULT_POLICY_CONFIG): string[] {
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

/** Talos machine secrets and stateful storage must be protected against delete and replace. */
function protectViolations(subject: PolicySubject): string[] {
  if (subject.protect) return [];
  if (subject.type === "talos:machine/secrets:Secrets")
    return [`${subject.name}: Talos machine secrets must be protected (losing them locks the cluster out)`];
  const kind = kindOf(subject);
  if (kind === undefined || !isDeclaredKubernetesObject(subject)) return [];
  if (kind === "PersistentVolumeClaim" || kind === "PersistentVolume")
    return [`${label(subject)}: stateful storage must be protected`];
  if (kind === "StatefulSet" && list(get(subject.props, "spec", "volumeClaimTemplates")).length > 0)
    return [`${label(subject)}: a StatefulSet with volume claims must be protected`];
  return [];
}

export interface ResourceRule {
  name: string;
  description: string;
  /** Violation messages; the secrets rule answers asynchronously (secretlint's API is async). */
  check: (subject: PolicySubject, config: PolicyConfig) => string[] | Promise<string[]>;
}

export interface StackRule {
  name: string;
  description: string;
  check: (subjects: PolicySubject[], config: PolicyConfig) => Violation[];
}

export const RESOURCE_RULES: ResourceRule[] = [
  {
    name: "namespace-pod-security",
    description:
      "Every Namespace enforces a Pod Security level; below restricted only with a declared exception at the same level.",
    check: (s) => namespacePodSecurityViolations(s),
  },
  {
    name: "container-resources",
    description: "Every declared container sets cpu and memory requests and limits.",
    check: (s) => resourceViolations(s),
  },
  {
    name: "pinned-images",
    description:
      "Every image (declared, chart-rendered, or in Helm values) is pinned to a sha256 digest, a full version tag (1.2.3, v1.2.3-alpine) or a commit; no latest, 3, 3.12, lts-alpine or other moving tags.",
    check: (s) => imageViolations(s),
  },
  {
    name: "required-labels",
    description: "Declared workloads and their pod templates carry the required labels.",
    check: (s, c) => labelViolations(s, c),
  },
  {
    name: "no-plaintext-secrets",
    description:
      "No credential outside a Secret: secretlint's recommended rules and further known formats, literal passwords and secret keys, random values under secret names, in every string of an object or Helm values and in the config files they embed.",
    check: (s) => plainSecretViolations(s),
  },
  {
    name: "protect-stateful",
    description: "Talos machine secrets and stateful storage are protected.",
    check: (s) => protectViolations(s),
  },
  {
    name: "egress-world-ports",
    description:
      "Every egress rule to the internet (0.0.0.0/0, ::/0, or CIDRs that add up to half of it) names single ports, not a range.",
    check: (s) => worldEgressViolations(s),
  },
];

export const STACK_RULES: StackRule[] = [
  {
    name: "pod-security",
    description:
      "Every pod template meets Pod Security restricted (baseline or privileged only where its namespace declares that exception); privileged charts install only into such namespaces.",
    check: (subjects) => [
      ...podSecurityStackViolations(subjects),
      ...privilegedChartViolations(subjects),
      ...hostPathVolumeViolations(subjects),
    ],
  },
  {
    name: "network-isolation",
    description:
      "Every namespace with workloads has a default-deny NetworkPolicy for ingress and egress, and no policy there admits the whole internet.",
    check: (subjects) => [...networkIsolationViolations(subjects), ...worldIngressViolations(subjects)],
  },
  {
    name: "replicated-workload-pdb",
    description:
      "Every Deployment or StatefulSet with replicas > 1, an HPA with minReplicas > 1, or a KEDA ScaledObject has a PodDisruptionBudget (matchLabels and matchExpressions count), and no PodDisruptionBudget allows no eviction.",
    check: (subjects) => [...pdbViolations(subjects), ...blockingPdbViolations(subjects)],
  },
  {
    name: "rbac-wildcards",
    description:
      "No * verbs, resources, API groups or non-resource URLs in declared or chart-rendered roles, unless declared with a reason.",
    check: (subjects) => rbacWildcardViolations(subjects),
  },
  {
    name: "rbac-privileges",
    description:
      "No binding to everyone or every service account, no cluster-admin through a binding, no escalate, bind, impersonate or nodes/proxy, no cluster-wide Secret reads (declared, chart-rendered or from chart values), unless a declared object gives its reason.",
    check: (subjects) => rbacPrivilegeViolations(subjects),
  },
];
