import { namespaceExceptions, POD_SECURITY_EXCEPTION } from "./exceptions";
import { privilegeFindings } from "./rbacPrivileges";
import { get, isHelmType, label, list, Obj, PolicySubject, strings, Violation } from "./objects";

/*
 * What the pack knows about the charts the program installs, for what it cannot see: a helm.sh/v3 Release is one
 * resource (its objects never reach the pack), and no helm binary renders charts here. Each fact cites the chart
 * template that decides it; what a chart renders that no value controls and no fact covers is listed in the README.
 */

/** True when a rule grants everything: `*` verbs on `*` resources in `*` API groups (cluster-admin). */
export function grantsEverything(rules: unknown): boolean {
  return list(rules).some((r) =>
    ["verbs", "resources", "apiGroups"].every((f) => strings(r[f]).includes("*")),
  );
}

/** The wildcards of an RBAC rule list, e.g. `rule 0 has * in verbs`. */
export function wildcardFindings(rules: unknown): string[] {
  const out: string[] = [];
  list(rules).forEach((rule, i) => {
    const wild = (field: string) =>
      strings(rule[field]).some((v) => v === "*" || v.endsWith("/*") || v.startsWith("*/"));
    const bad = ["verbs", "resources", "apiGroups", "nonResourceURLs"].filter(wild);
    if (bad.length > 0) out.push(`rule ${i} has * in ${bad.join(", ")}`);
  });
  return out;
}

export interface ChartFacts {
  chart: string;
  /** Why the chart's pods need the privileged Pod Security level whatever the values, if they do. */
  privileged?: string;
  /** RBAC wildcards the chart renders whatever the values (a namespace exception can accept them). */
  fixedRbacWildcards: string[];
  /** RBAC wildcards these values make the chart render (fixed by changing the values, never by an exception). */
  valueRbacWildcards: (values: Obj) => string[];
  /** Escalating grants and cluster-wide Secret reads these values make the chart render (./rbacPrivileges.ts). */
  valuePrivileges?: (values: Obj) => string[];
}

const FACTS: ChartFacts[] = [
  {
    chart: "longhorn",
    // longhorn/longhorn@v1.12.1 chart/templates/daemonset-sa.yaml and deployment-driver.yaml: privileged manager
    // and CSI plugin containers with hostPath mounts of /dev, /proc and the data path.
    privileged: "longhorn-manager and the CSI plugin run privileged with hostPath mounts",
    // chart/templates/clusterrole.yaml: longhorn-role grants verbs "*" on CRDs, core storage objects,
    // storage.k8s.io, snapshot and longhorn.io resources and cluster roles; no value turns that off.
    fixedRbacWildcards: [
      "ClusterRole longhorn-role grants verbs * (chart/templates/clusterrole.yaml, not value-controlled)",
    ],
    valueRbacWildcards: () => [],
  },
  {
    chart: "cilium",
    // cilium/cilium install/kubernetes/cilium/templates/cilium-agent/daemonset.yaml: host network, privileged
    // init containers and the agent capabilities; the operator ClusterRole lists verbs and resources explicitly.
    privileged:
      "the Cilium agent runs host-networked with NET_ADMIN/SYS_ADMIN and privileged init containers",
    fixedRbacWildcards: [],
    valueRbacWildcards: () => [],
  },
  {
    chart: "kagent",
    // kagent-dev/kagent helm/kagent/templates/rbac/clusterrole.yaml: the getter and writer ClusterRoles grant
    // resources "*" in the core, apps, batch, rbac and apiextensions groups; no value narrows them.
    fixedRbacWildcards: [
      "ClusterRoles <release>-getter-role and -writer-role grant resources * (templates/rbac/clusterrole.yaml, not value-controlled)",
    ],
    // kagent-dev/tools@v0.2.1 helm values.yaml `rbac.readOnly`: false deploys cluster-admin (`*` verbs, resources
    // and API groups); true a get/list/watch ClusterRole plus `rbac.additionalRules`.
    valueRbacWildcards: (values) => {
      const tools = get(values, "kagent-tools");
      const on = get(tools, "enabled") !== false && get(tools, "useDefaultServiceAccount") !== true;
      if (!on || get(tools, "rbac", "create") === false) return [];
      if (get(tools, "rbac", "readOnly") !== true)
        return ["kagent-tools renders a cluster-admin ClusterRole; set kagent-tools.rbac.readOnly"];
      return wildcardFindings(get(tools, "rbac", "additionalRules")).map(
        (f) => `kagent-tools.rbac.additionalRules ${f}`,
      );
    },
    // helm/kagent/templates/rbac/getter-role.yaml: without `rbac.namespaces` the getter rules (get/list/watch on
    // resources "*" of the core group) are a ClusterRole bound to the controller cluster-wide, so it reads every
    // Secret of the cluster; with it, a Role per listed namespace. kagent-tools' readOnly role leaves Secrets out.
    valuePrivileges: (values) => [
      ...(strings(get(values, "rbac", "namespaces")).length === 0
        ? [
            "the getter ClusterRole reads Secrets in every namespace; set rbac.namespaces to kagent's namespace",
          ]
        : []),
      ...privilegeFindings(get(values, "kagent-tools", "rbac", "additionalRules"), true).map(
        (f) => `kagent-tools.rbac.additionalRules ${f}`,
      ),
    ],
  },
  {
    chart: "opentelemetry-collector",
    // open-telemetry/opentelemetry-helm-charts opentelemetry-collector templates/clusterrole.yaml: rendered from
    // `clusterRole.rules` (plus presets) when `clusterRole.create` is true.
    fixedRbacWildcards: [],
    valueRbacWildcards: (values) =>
      get(values, "clusterRole", "create") === true
        ? wildcardFindings(get(values, "clusterRole", "rules")).map((f) => `clusterRole.rules ${f}`)
        : [],
    valuePrivileges: (values) =>
      get(values, "clusterRole", "create") === true
        ? privilegeFindings(get(values, "clusterRole", "rules"), true).map((f) => `clusterRole.rules ${f}`)
        : [],
  },
];

/** The chart name of a Release or Chart (`chart` may be a repo name or an OCI reference). */
function chartName(subject: PolicySubject): string | undefined {
  const chart = subject.props["chart"];
  if (typeof chart !== "string") return undefined;
  return chart.slice(chart.lastIndexOf("/") + 1);
}

export function chartFacts(subject: PolicySubject): ChartFacts | undefined {
  if (!isHelmType(subject.type)) return undefined;
  const name = chartName(subject);
  return FACTS.find((f) => f.chart === name);
}

/** A chart whose pods need privilege installs only into a namespace that declares the privileged exception. */
export function privilegedChartViolations(subjects: PolicySubject[]): Violation[] {
  const exceptions = namespaceExceptions(subjects);
  const out: Violation[] = [];
  for (const s of subjects) {
    const facts = chartFacts(s);
    if (facts?.privileged === undefined) continue;
    const ns = typeof s.props["namespace"] === "string" ? s.props["namespace"] : "default";
    if (exceptions.get(ns)?.podSecurity !== "privileged")
      out.push({
        policy: "pod-security",
        urn: s.urn,
        message: `${label(s)} (${facts.chart}): ${facts.privileged}, but namespace ${ns} declares no privileged exception (${POD_SECURITY_EXCEPTION})`,
      });
  }
  return out;
}
