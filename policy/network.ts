import { namespaceExceptions, NETWORK_POLICY_EXCEPTION } from "./exceptions";
import {
  anyPodTemplateOf,
  get,
  isHelmType,
  kindOf,
  label,
  list,
  namespaceOf,
  obj,
  Obj,
  PolicySubject,
  Violation,
} from "./objects";

/*
 * NetworkPolicy that isolates (https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies):
 * every namespace that runs workloads has a namespace-wide default-deny for ingress and egress, and egress to the
 * whole IPv4/IPv6 internet names its ports.
 */

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

function isEmptySelector(selector: unknown): boolean {
  const s = obj(selector);
  return Object.keys(obj(s["matchLabels"])).length === 0 && list(s["matchExpressions"]).length === 0;
}

/** A rule that admits everything: no peers and no ports, or the whole internet on every port. */
function allowsAll(rule: Obj, peersField: "from" | "to"): boolean {
  const peers = list(rule[peersField]);
  const ports = list(rule["ports"]);
  if (ports.length > 0) return false;
  return (
    peers.length === 0 ||
    peers.some(
      (p) => WORLD.has(String(get(p, "ipBlock", "cidr"))) && list(get(p, "ipBlock", "except")).length === 0,
    )
  );
}

/** The directions a NetworkPolicy denies by default for every pod of its namespace. */
function defaultDenies(subject: PolicySubject): Set<"Ingress" | "Egress"> {
  const out = new Set<"Ingress" | "Egress">();
  if (kindOf(subject) !== "NetworkPolicy") return out;
  const spec = obj(subject.props["spec"]);
  if (!isEmptySelector(spec["podSelector"])) return out;
  const types = Array.isArray(spec["policyTypes"]) ? (spec["policyTypes"] as unknown[]) : ["Ingress"];
  if (types.includes("Ingress") && !list(spec["ingress"]).some((r) => allowsAll(r, "from")))
    out.add("Ingress");
  if (types.includes("Egress") && !list(spec["egress"]).some((r) => allowsAll(r, "to"))) out.add("Egress");
  return out;
}

/** Namespaces that run workloads: any pod template the pack sees, and any namespace a chart installs into. */
function workloadNamespaces(subjects: PolicySubject[]): Map<string, PolicySubject> {
  const out = new Map<string, PolicySubject>();
  for (const s of subjects) {
    const ns = isHelmType(s.type)
      ? typeof s.props["namespace"] === "string" && s.props["namespace"] !== ""
        ? s.props["namespace"]
        : undefined
      : anyPodTemplateOf(s) !== undefined
        ? namespaceOf(s)
        : undefined;
    if (ns !== undefined && !out.has(ns)) out.set(ns, s);
  }
  return out;
}

/** Every workload namespace has a default-deny for ingress and for egress, unless it declares an exception. */
export function networkIsolationViolations(subjects: PolicySubject[]): Violation[] {
  const exceptions = namespaceExceptions(subjects);
  const denied = new Map<string, Set<string>>();
  for (const s of subjects)
    for (const d of defaultDenies(s))
      denied.set(namespaceOf(s), new Set([...(denied.get(namespaceOf(s)) ?? []), d]));
  const out: Violation[] = [];
  for (const [ns, first] of workloadNamespaces(subjects)) {
    if (exceptions.get(ns)?.networkPolicyReason !== undefined) continue;
    const missing = ["Ingress", "Egress"].filter((d) => !denied.get(ns)?.has(d));
    if (missing.length > 0)
      out.push({
        policy: "network-isolation",
        urn: first.urn,
        message: `namespace ${ns} runs workloads (${label(first)}) but has no default-deny NetworkPolicy for ${missing.join(" and ")} (podSelector {}, no allow-all rule), and declares no ${NETWORK_POLICY_EXCEPTION}`,
      });
  }
  return out;
}

/** Egress to the whole internet names its ports (Kubernetes ipBlock and Cilium toCIDR/toEntities world). */
export function worldEgressViolations(subject: PolicySubject): string[] {
  const kind = kindOf(subject);
  const spec = obj(subject.props["spec"]);
  const problems: string[] = [];
  if (kind === "NetworkPolicy") {
    list(spec["egress"]).forEach((rule, i) => {
      const world = list(rule["to"]).some((p) => WORLD.has(String(get(p, "ipBlock", "cidr"))));
      if (world && list(rule["ports"]).length === 0)
        problems.push(`${label(subject)}: egress rule ${i} reaches 0.0.0.0/0 on every port; name its ports`);
    });
  }
  if (kind === "CiliumNetworkPolicy" || kind === "CiliumClusterwideNetworkPolicy") {
    const specs = [spec, ...list(subject.props["specs"])];
    for (const s of specs)
      list(s["egress"]).forEach((rule, i) => {
        const world =
          [...(Array.isArray(rule["toCIDR"]) ? rule["toCIDR"] : [])].some((c) => WORLD.has(String(c))) ||
          list(rule["toCIDRSet"]).some((c) => WORLD.has(String(c["cidr"]))) ||
          (Array.isArray(rule["toEntities"]) && rule["toEntities"].some((e) => e === "world" || e === "all"));
        if (world && list(rule["toPorts"]).length === 0)
          problems.push(
            `${label(subject)}: egress rule ${i} reaches the world on every port; name its toPorts`,
          );
      });
  }
  return problems;
}
