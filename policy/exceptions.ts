import { get, kindOf, nameOf, obj, PolicySubject } from "./objects";

/*
 * Declared exceptions. A stack declares an exception on the object it concerns, as an annotation whose value is
 * the reason, so the declaration travels with the object into the pack (and into the cluster, where it explains
 * itself): a Namespace declares that its pods need a Pod Security level below restricted, that it cannot carry a
 * default-deny NetworkPolicy yet, or that the charts installed into it ship RBAC wildcards; a Role or ClusterRole
 * declares its own wildcards. An annotation without a reason declares nothing.
 */

const EXCEPTION_PREFIX = "policy.ai-platform.dev";
/** Value `<level>: <reason>`; the level must equal the namespace's `pod-security.kubernetes.io/enforce` label. */
export const POD_SECURITY_EXCEPTION = `${EXCEPTION_PREFIX}/pod-security-exception`;
/** Value: why the namespace has no default-deny NetworkPolicy. */
export const NETWORK_POLICY_EXCEPTION = `${EXCEPTION_PREFIX}/network-policy-exception`;
/** Value: why RBAC wildcards are accepted (on a Role/ClusterRole, or on the namespace charts install into). */
export const RBAC_WILDCARD_EXCEPTION = `${EXCEPTION_PREFIX}/rbac-wildcard-exception`;

/** Value: why a declared Role, ClusterRole or binding grants what rbac-privileges reports (on that object only). */
export const RBAC_PRIVILEGE_EXCEPTION = `${EXCEPTION_PREFIX}/rbac-privilege-exception`;

export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";
const LEVELS: PodSecurityLevel[] = ["privileged", "baseline", "restricted"];

export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
  return typeof value === "string" && (LEVELS as string[]).includes(value);
}

interface NamespaceExceptions {
  /** Level the namespace's pods are judged at (restricted unless an exception is declared and matches). */
  podSecurity: PodSecurityLevel;
  podSecurityReason?: string;
  networkPolicyReason?: string;
  rbacWildcardReason?: string;
}

/**
 * Namespaces the program does not manage but installs into. Talos exempts kube-system from Pod Security
 * admission (siderolabs/talos@v1.13.9 website/content/v1.13/reference/configuration/, apiServer admissionControl
 * example: `exemptions.namespaces: [kube-system]`), and Cilium's agent needs host networking and privileges there.
 */
const BUILTIN_EXCEPTIONS: Record<string, NamespaceExceptions> = {
  "kube-system": {
    podSecurity: "privileged",
    podSecurityReason:
      "Cilium's agent runs host-networked with NET_ADMIN/SYS_ADMIN; Talos exempts kube-system from Pod Security admission",
    networkPolicyReason: "cluster components (CNI, CoreDNS, kube-apiserver) that Talos and Cilium install",
  },
};

function annotation(subject: PolicySubject, key: string): string | undefined {
  const value = obj(get(subject.props, "metadata", "annotations"))[key];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The declared Pod Security exception of a Namespace: its level and reason, or a problem with the declaration. */
export function podSecurityDeclaration(
  subject: PolicySubject,
): { level: PodSecurityLevel; reason: string } | { problem: string } | undefined {
  const raw = annotation(subject, POD_SECURITY_EXCEPTION);
  if (raw === undefined) return undefined;
  const match = /^([a-z]+)\s*:\s*(\S.*)$/s.exec(raw);
  if (match === null || !isPodSecurityLevel(match[1]))
    return { problem: `${POD_SECURITY_EXCEPTION} must read "<privileged|baseline>: <reason>", got "${raw}"` };
  return { level: match[1], reason: match[2]!.trim() };
}

/** The enforce label of a Namespace, or undefined when unset. */
export function enforcedLevel(subject: PolicySubject): string | undefined {
  const value = obj(get(subject.props, "metadata", "labels"))[ENFORCE_LABEL];
  return typeof value === "string" ? value : undefined;
}

/**
 * The exceptions in force per namespace: built-ins, then every Namespace object of the stack. A Pod Security
 * exception applies only when it matches the enforce label (policy/podSecurity.ts reports a mismatch).
 */
export function namespaceExceptions(subjects: PolicySubject[]): Map<string, NamespaceExceptions> {
  const out = new Map<string, NamespaceExceptions>(Object.entries(BUILTIN_EXCEPTIONS));
  for (const s of subjects) {
    if (kindOf(s) !== "Namespace") continue;
    const declared = podSecurityDeclaration(s);
    const matches =
      declared !== undefined && "level" in declared && declared.level === enforcedLevel(s)
        ? declared
        : undefined;
    out.set(nameOf(s), {
      podSecurity: matches?.level ?? "restricted",
      podSecurityReason: matches?.reason,
      networkPolicyReason: annotation(s, NETWORK_POLICY_EXCEPTION),
      rbacWildcardReason: annotation(s, RBAC_WILDCARD_EXCEPTION),
    });
  }
  return out;
}

/** The reason a Role/ClusterRole gives for its own wildcards, if any. */
export function roleWildcardReason(subject: PolicySubject): string | undefined {
  return annotation(subject, RBAC_WILDCARD_EXCEPTION);
}

/** The reason a declared role or binding gives for what rbac-privileges reports, if any. */
export function rolePrivilegeReason(subject: PolicySubject): string | undefined {
  return annotation(subject, RBAC_PRIVILEGE_EXCEPTION);
}

/** Annotations that declare a namespace's exceptions (what the program writes on its Namespace objects). */
export function exceptionAnnotations(e: {
  podSecurity?: { level: "privileged" | "baseline"; reason: string };
  networkPolicy?: string;
  rbacWildcards?: string;
}): Record<string, string> {
  const out: Record<string, string> = {};
  if (e.podSecurity !== undefined)
    out[POD_SECURITY_EXCEPTION] = `${e.podSecurity.level}: ${e.podSecurity.reason}`;
  if (e.networkPolicy !== undefined) out[NETWORK_POLICY_EXCEPTION] = e.networkPolicy;
  if (e.rbacWildcards !== undefined) out[RBAC_WILDCARD_EXCEPTION] = e.rbacWildcards;
  return out;
}
