import { RBAC_PRIVILEGE_EXCEPTION, rolePrivilegeReason } from "./exceptions";
import { chartFacts } from "./charts";
import {
  get,
  isHelmType,
  kindOf,
  label,
  list,
  namespaceOf,
  nameOf,
  obj,
  Obj,
  PolicySubject,
  strings,
  Violation,
} from "./objects";

/*
 * RBAC that grants more than a wildcard check sees (https://kubernetes.io/docs/concepts/security/rbac-good-practices/,
 * "Privilege escalation risks"): bindings to everyone (system:anonymous, system:unauthenticated,
 * system:authenticated) or to every service account; cluster-admin handed out through a binding; the `escalate`,
 * `bind` and `impersonate` verbs; `nodes/proxy` (the kubelet API, which runs commands in any pod of the node); and
 * Secrets read cluster-wide. Declared roles and bindings, chart-rendered ones (a helm.sh/v4 Chart's objects) and
 * what chart values make a chart render (./charts.ts) are judged; a declared object may give its reason in
 * RBAC_PRIVILEGE_EXCEPTION, a chart's grant is changed through its values.
 */

/** Subjects that stand for everyone, or for every service account (kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects). */
function broadSubject(subject: Obj): string | undefined {
  const kind = subject["kind"];
  const name = String(subject["name"] ?? "");
  if (kind === "User" && name === "system:anonymous")
    return "every unauthenticated request (system:anonymous)";
  if (kind !== "Group") return undefined;
  if (name === "system:unauthenticated") return "every unauthenticated request (system:unauthenticated)";
  if (name === "system:authenticated")
    return "every authenticated user and service account (system:authenticated)";
  if (name === "system:serviceaccounts")
    return "every service account of the cluster (system:serviceaccounts)";
  if (name.startsWith("system:serviceaccounts:"))
    return `every service account of namespace ${name.slice("system:serviceaccounts:".length)} (${name})`;
  return undefined;
}

const ESCALATING_VERBS: Record<string, string> = {
  escalate: "grants roles beyond its own permissions",
  bind: "binds any role, including ones it does not hold",
  impersonate: "acts as any user, group or service account",
};

const READ_VERBS = ["get", "list", "watch", "*"];

/** Whether a rule reads Secrets: core group, `secrets` (or `*`), a read verb, no resourceNames narrowing it. */
function readsSecrets(rule: Obj): boolean {
  const groups = strings(rule["apiGroups"]);
  const resources = strings(rule["resources"]);
  return (
    (groups.includes("") || groups.includes("*")) &&
    (resources.includes("secrets") || resources.includes("*")) &&
    strings(rule["verbs"]).some((v) => READ_VERBS.includes(v)) &&
    strings(rule["resourceNames"]).length === 0
  );
}

/** What a role's rules grant beyond wildcards; `clusterWide` adds Secret reads (a ClusterRole bound cluster-wide). */
export function privilegeFindings(rules: unknown, clusterWide: boolean): string[] {
  const out: string[] = [];
  list(rules).forEach((rule, i) => {
    for (const verb of strings(rule["verbs"]))
      if (verb in ESCALATING_VERBS) out.push(`rule ${i} grants ${verb} (${ESCALATING_VERBS[verb]})`);
    if (strings(rule["resources"]).includes("nodes/proxy"))
      out.push(`rule ${i} grants nodes/proxy (the kubelet API: commands in any pod of the node)`);
    if (clusterWide && readsSecrets(rule)) out.push(`rule ${i} reads Secrets in every namespace`);
  });
  return out;
}

function roleRef(binding: PolicySubject): { kind: string; name: string } {
  const ref = obj(binding.props["roleRef"]);
  return { kind: String(ref["kind"] ?? ""), name: String(ref["name"] ?? "") };
}

/** Bindings, roles and chart values that grant more than a workload should hold. */
export function rbacPrivilegeViolations(subjects: PolicySubject[]): Violation[] {
  const out: Violation[] = [];
  const report = (s: PolicySubject, message: string) =>
    out.push({ policy: "rbac-privileges", urn: s.urn, message });
  const bindings = subjects.filter((s) => ["RoleBinding", "ClusterRoleBinding"].includes(kindOf(s) ?? ""));
  const boundClusterWide = new Set(
    bindings
      .filter((b) => kindOf(b) === "ClusterRoleBinding" && roleRef(b).kind === "ClusterRole")
      .map((b) => roleRef(b).name),
  );
  for (const s of subjects) {
    const kind = kindOf(s);
    const accepted = rolePrivilegeReason(s) !== undefined;
    const fix = `narrow it, or declare ${RBAC_PRIVILEGE_EXCEPTION} with the reason`;
    if (kind === "Role" || kind === "ClusterRole") {
      const clusterWide = kind === "ClusterRole" && boundClusterWide.has(nameOf(s));
      const findings = privilegeFindings(s.props["rules"], clusterWide);
      if (findings.length > 0 && !accepted) report(s, `${label(s)}: ${findings.join("; ")}; ${fix}`);
    } else if (kind === "RoleBinding" || kind === "ClusterRoleBinding") {
      const findings = list(s.props["subjects"]).flatMap((subject) => {
        const who = broadSubject(subject);
        return who === undefined ? [] : [`binds ${roleRef(s).kind} ${roleRef(s).name} to ${who}`];
      });
      if (roleRef(s).kind === "ClusterRole" && roleRef(s).name === "cluster-admin")
        findings.push(
          kind === "RoleBinding"
            ? `hands out cluster-admin in namespace ${namespaceOf(s)} (every verb on every resource there, Secrets and RBAC included)`
            : "hands out cluster-admin",
        );
      if (findings.length > 0 && !accepted) report(s, `${label(s)}: ${findings.join("; ")}; ${fix}`);
    } else if (isHelmType(s.type)) {
      const facts = chartFacts(s);
      const found = facts?.valuePrivileges?.(obj(get(s.props, "values"))) ?? [];
      if (found.length > 0) report(s, `${label(s)} (${facts!.chart}): ${found.join("; ")}`);
    }
  }
  return out;
}
