import { namespaceExceptions, NETWORK_POLICY_EXCEPTION } from "./exceptions";
import {
  anyPodTemplateOf,
  get,
  isHelmType,
  kindOf,
  label,
  list,
  namespaceOf,
  strings,
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

/** First and last address of an IPv4 CIDR, or undefined for anything else. */
function ipv4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (m === null) return undefined;
  const ip = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(m[5]));
  const first = Math.floor(ip / size) * size;
  return [first, first + size - 1];
}

/** Addresses of IPv4 space the CIDRs cover together (overlaps counted once). */
function ipv4Coverage(cidrs: string[]): number {
  const ranges = cidrs
    .flatMap((c) => {
      const range = ipv4Range(c);
      return range === undefined ? [] : [range];
    })
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = -1;
  for (const [first, last] of ranges) {
    if (last <= end) continue;
    covered += last - Math.max(first, end + 1) + 1;
    end = last;
  }
  return covered;
}

/**
 * Whether CIDRs reach the internet as a whole: `0.0.0.0/0`, `::/0`, an IPv6 `/1`, or IPv4 blocks that cover at
 * least half of the address space together (`0.0.0.0/1` + `128.0.0.0/1` is `0.0.0.0/0` written in two parts).
 */
export function reachesWorld(cidrs: string[]): boolean {
  if (cidrs.some((c) => WORLD.has(c) || /^[0-9a-f:]+\/[01]$/i.test(c))) return true;
  return ipv4Coverage(cidrs) >= 2 ** 31;
}

function ruleCidrs(rule: Obj, peersField: "from" | "to"): string[] {
  return list(rule[peersField]).flatMap((p) => {
    const cidr = get(p, "ipBlock", "cidr");
    return typeof cidr === "string" ? [cidr] : [];
  });
}

/** Why a rule's ports do not narrow it: none named, or a range (`endPort`). */
function openPorts(ports: Obj[]): string | undefined {
  if (ports.length === 0) return "on every port";
  const range = ports.find((p) => p["endPort"] !== undefined);
  return range === undefined
    ? undefined
    : `on the port range ${String(range["port"])}-${String(range["endPort"])}`;
}

/**
 * Egress to the whole internet names its ports, one by one (Kubernetes ipBlock, also split into parts, and
 * Cilium toCIDR/toCIDRSet/toEntities world): a rule without ports or with a port range reaches everything there.
 * Port-less rules of one policy count together, so the internet cannot be reached in halves.
 */
export function worldEgressViolations(subject: PolicySubject): string[] {
  const kind = kindOf(subject);
  const spec = obj(subject.props["spec"]);
  const problems: string[] = [];
  if (kind === "NetworkPolicy") {
    const rules = list(spec["egress"]);
    rules.forEach((rule, i) => {
      const open = openPorts(list(rule["ports"]));
      if (open !== undefined && reachesWorld(ruleCidrs(rule, "to")))
        problems.push(`${label(subject)}: egress rule ${i} reaches the internet ${open}; name its ports`);
    });
    const portless = rules.filter((r) => openPorts(list(r["ports"])) !== undefined);
    const together = portless.flatMap((r) => ruleCidrs(r, "to"));
    if (problems.length === 0 && portless.length > 1 && reachesWorld(together))
      problems.push(
        `${label(subject)}: egress rules without named ports reach the internet together (${together.join(", ")}); name their ports`,
      );
  }
  if (kind === "CiliumNetworkPolicy" || kind === "CiliumClusterwideNetworkPolicy") {
    const specs = [spec, ...list(subject.props["specs"])];
    for (const s of specs)
      list(s["egress"]).forEach((rule, i) => {
        const cidrs = [...strings(rule["toCIDR"]), ...list(rule["toCIDRSet"]).map((c) => String(c["cidr"]))];
        const world =
          reachesWorld(cidrs) || strings(rule["toEntities"]).some((e) => e === "world" || e === "all");
        const ports = list(rule["toPorts"]).flatMap((p) => list(p["ports"]));
        const ranged = ports.find((p) => p["endPort"] !== undefined);
        if (world && (list(rule["toPorts"]).length === 0 || ranged !== undefined))
          problems.push(
            `${label(subject)}: egress rule ${i} reaches the world ${ranged === undefined ? "on every port" : "on a port range"}; name its toPorts`,
          );
      });
  }
  return problems;
}

/**
 * Ingress from the whole internet (no `from`, or ipBlocks that reach the world) into a namespace with a
 * default-deny: the allowance reopens what the default-deny closes, for every address. Admit the clients' own
 * CIDRs instead.
 */
export function worldIngressViolations(subjects: PolicySubject[]): Violation[] {
  const deniedIngress = new Set(
    subjects.filter((s) => defaultDenies(s).has("Ingress")).map((s) => namespaceOf(s)),
  );
  const out: Violation[] = [];
  for (const s of subjects) {
    if (kindOf(s) !== "NetworkPolicy" || !deniedIngress.has(namespaceOf(s))) continue;
    list(obj(s.props["spec"])["ingress"]).forEach((rule, i) => {
      const from = list(rule["from"]);
      const world = from.length === 0 || reachesWorld(ruleCidrs(rule, "from"));
      if (world && defaultDenies(s).size === 0)
        out.push({
          policy: "network-isolation",
          urn: s.urn,
          message: `${label(s)}: ingress rule ${i} admits the whole internet into namespace ${namespaceOf(s)}, which has a default-deny; admit the clients' CIDRs or peers`,
        });
    });
  }
  return out;
}
