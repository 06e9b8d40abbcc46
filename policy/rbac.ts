import { namespaceExceptions, RBAC_WILDCARD_EXCEPTION, roleWildcardReason } from "./exceptions";
import { chartFacts, grantsEverything, wildcardFindings } from "./charts";
import {
  get,
  isHelmType,
  isRenderedByChart,
  kindOf,
  label,
  namespaceOf,
  obj,
  PolicySubject,
  Violation,
} from "./objects";

/*
 * RBAC wildcards (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimise-permissions): no `*`
 * verb, resource or API group and no `*` non-resource URL, in Roles and ClusterRoles the program declares, that
 * charts render (seen when the engine registers a helm.sh/v4 Chart's objects) or that a chart is known to render
 * from the values it is given (policy/charts.ts). A stack accepts wildcards by declaring the reason on the role or,
 * for chart-rendered roles, on the namespace the chart installs into.
 */

/** The Helm release a chart-rendered object belongs to (the chart's standard instance label). */
function releaseOf(subject: PolicySubject): string | undefined {
  const labels = obj(get(subject.props, "metadata", "labels"));
  const v = labels["app.kubernetes.io/instance"] ?? labels["release"];
  return typeof v === "string" ? v : undefined;
}

function helmNamespace(s: PolicySubject): string {
  return typeof s.props["namespace"] === "string" && s.props["namespace"] !== ""
    ? s.props["namespace"]
    : "default";
}

function helmReleaseName(s: PolicySubject): string {
  return typeof s.props["name"] === "string" && s.props["name"] !== "" ? s.props["name"] : s.name;
}

/** Wildcards in roles, unless the role (or, for chart roles, the chart's namespace) declares why. */
export function rbacWildcardViolations(subjects: PolicySubject[]): Violation[] {
  const exceptions = namespaceExceptions(subjects);
  const helm = subjects.filter((s) => isHelmType(s.type));
  const out: Violation[] = [];
  const report = (s: PolicySubject, message: string) =>
    out.push({ policy: "rbac-wildcards", urn: s.urn, message });
  for (const s of subjects) {
    const kind = kindOf(s);
    if (kind === "Role" || kind === "ClusterRole") {
      const findings = wildcardFindings(s.props["rules"]);
      if (findings.length === 0 || roleWildcardReason(s) !== undefined) continue;
      // A chart's namespace may accept the chart's narrowing wildcards, never a cluster-admin grant.
      if (isRenderedByChart(s.urn) && !grantsEverything(s.props["rules"])) {
        const release = helm.find((h) => helmReleaseName(h) === releaseOf(s));
        const ns =
          release !== undefined ? helmNamespace(release) : kind === "Role" ? namespaceOf(s) : undefined;
        if (ns !== undefined && exceptions.get(ns)?.rbacWildcardReason !== undefined) continue;
      }
      report(s, `${label(s)}: ${findings.join("; ")}; narrow it or declare ${RBAC_WILDCARD_EXCEPTION}`);
    } else if (isHelmType(s.type)) {
      const facts = chartFacts(s);
      if (facts === undefined) continue;
      const ns = helmNamespace(s);
      const fixed = exceptions.get(ns)?.rbacWildcardReason !== undefined ? [] : facts.fixedRbacWildcards;
      if (fixed.length > 0)
        report(
          s,
          `${label(s)} (${facts.chart}): ${fixed.join("; ")}; declare ${RBAC_WILDCARD_EXCEPTION} on namespace ${ns} with the reason`,
        );
      const fromValues = facts.valueRbacWildcards(obj(s.props["values"]));
      if (fromValues.length > 0) report(s, `${label(s)} (${facts.chart}): ${fromValues.join("; ")}`);
    }
  }
  return out;
}
