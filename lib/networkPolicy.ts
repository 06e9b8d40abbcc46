import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { isIPv4 } from "./net";

/*
 * The one NetworkPolicy vocabulary (networking.k8s.io/v1) every layer builds its policies from: peers, ports,
 * rules of peers and ports, default-deny, de-duplication, and the spec.
 *
 * Kubernetes semantics this relies on (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - policies are additive: a pod selected for a direction gets the union of every rule of every policy;
 * - within a rule, the peers are ORed and the ports are ORed; a rule without `to`/`from` matches every peer;
 * - within ONE peer, namespaceSelector and podSelector are ANDed (these pods in these namespaces), while two
 *   peers are ORed, so "pods X of namespace N" must be one peer;
 * - the API server sets the immutable label `kubernetes.io/metadata.name` on every Namespace (Kubernetes 1.22+,
 *   NamespaceDefaultLabelName feature), so a namespace is selected by its name.
 * Cilium specifics (https://docs.cilium.io/en/stable/security/policy/language/, CIDR based): an ipBlock selects
 * addresses outside the cluster, never pods; it selects nodes only with policy-cidr-match-mode=nodes
 * (cilium/cilium#28421), which the Cilium values here leave unset.
 */

/** A port (number, or the name of a container port) and its protocol. */
export interface Port {
  port: number | string;
  protocol: "TCP" | "UDP";
}

export type Labels = Readonly<Record<string, string>>;

/**
 * Who a rule admits (ingress) or reaches (egress). `Ns` is the namespace name's type: plain strings where rules
 * are compared (de-duplication), Outputs where a policy waits for its Namespace object.
 */
export type Peer<Ns = pulumi.Input<string>> =
  /** Pods of one namespace, selected by name; all of them unless `podLabels` narrows it down. */
  | { kind: "namespace"; namespace: Ns; podLabels?: Labels }
  /** Addresses of a block, minus the `except` blocks. */
  | { kind: "cidr"; cidr: string; except?: readonly string[] }
  /** Any peer at all: the rule names no peers. */
  | { kind: "any" };

/** Traffic to (egress) or from (ingress) any of the peers on any of the ports. No peer or no port: no traffic. */
export interface Rule<Ns = pulumi.Input<string>> {
  peers: ReadonlyArray<Peer<Ns>>;
  ports: readonly Port[];
}

export const namespacePeer = <Ns>(namespace: Ns, podLabels?: Labels): Peer<Ns> =>
  podLabels === undefined ? { kind: "namespace", namespace } : { kind: "namespace", namespace, podLabels };

export const cidrPeer = (cidr: string, except?: readonly string[]): Peer<string> =>
  except === undefined ? { kind: "cidr", cidr } : { kind: "cidr", cidr, except };

export const ANY_PEER: Peer<string> = { kind: "any" };

/** The whole IPv4 space. */
export const ANYWHERE = "0.0.0.0/0";
/** RFC 1918 private ranges: node, pod, service and LAN addresses live here. */
const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
/** Public addresses (SaaS APIs, registries), excluding private space so cluster and LAN traffic stays policy-bound. */
export const PUBLIC_INTERNET: Peer<string> = cidrPeer(ANYWHERE, PRIVATE_RANGES);
/**
 * Cluster DNS: CoreDNS in kube-system, pods labelled k8s-app=kube-dns (Talos renders its CoreDNS Deployment so:
 * siderolabs/talos internal/app/machined/pkg/controllers/k8s/internal/k8stemplates/coredns.go, testdata
 * coredns-deployment.yaml; kubeadm's addon uses the same label). Cilium translates the kube-dns ClusterIP to these
 * pods before policy, so a pod peer matches.
 */
const CLUSTER_DNS: Peer<string> = namespacePeer("kube-system", { "k8s-app": "kube-dns" });

export const tcp = (...ports: Array<number | string>): Port[] =>
  ports.map((port) => ({ port, protocol: "TCP" }));
export const udp = (...ports: Array<number | string>): Port[] =>
  ports.map((port) => ({ port, protocol: "UDP" }));
/** DNS is UDP, falling back to TCP for large answers. */
const DNS_PORTS: readonly Port[] = [...udp(53), ...tcp(53)];

/** A rule of one peer or several (ORed) and its ports. */
export function rule<Ns>(peers: Peer<Ns> | ReadonlyArray<Peer<Ns>>, ports: readonly Port[]): Rule<Ns> {
  return { peers: Array.isArray(peers) ? peers : [peers as Peer<Ns>], ports };
}

/** Egress to the cluster DNS. */
export const dnsEgress = (): Rule<string> => rule(CLUSTER_DNS, DNS_PORTS);

/** Egress to public HTTPS (443 unless other TCP ports are given). */
export const publicHttpsEgress = (ports: readonly number[] = [443]): Rule<string> =>
  rule(PUBLIC_INTERNET, tcp(...ports));

/**
 * The peer a host stands for, when a NetworkPolicy can select it: `<svc>.<ns>.svc[.cluster.local]` is the pods
 * of its namespace, an IPv4 literal is that address. A DNS name gives undefined: NetworkPolicy has no
 * name-based peers, so the caller decides what reaching it means.
 */
export function hostPeer(host: string): Peer<string> | undefined {
  const svc = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  if (svc !== null) return namespacePeer(svc[1]!);
  if (isIPv4(host)) return cidrPeer(`${host}/32`);
  return undefined;
}

const KIND_ORDER: Record<Peer["kind"], number> = { any: 0, cidr: 1, namespace: 2 };

/** A peer in canonical form: empty label sets and except lists dropped, except blocks sorted. */
function canonicalPeer(p: Peer<string>): Peer<string> {
  switch (p.kind) {
    case "namespace":
      return namespacePeer(
        p.namespace,
        p.podLabels !== undefined && Object.keys(p.podLabels).length > 0
          ? Object.fromEntries(Object.entries(p.podLabels).sort(([a], [b]) => compare(a, b)))
          : undefined,
      );
    case "cidr":
      return p.except !== undefined && p.except.length > 0
        ? cidrPeer(p.cidr, [...new Set(p.except)].sort(compare))
        : cidrPeer(p.cidr);
    case "any":
      return ANY_PEER;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort key of a canonical peer: kind, then its address or namespace, then its selectors. */
function peerKey(p: Peer<string>): string[] {
  const rank = String(KIND_ORDER[p.kind]);
  switch (p.kind) {
    case "namespace":
      return [rank, p.namespace, JSON.stringify(p.podLabels ?? {})];
    case "cidr":
      return [rank, p.cidr, JSON.stringify(p.except ?? [])];
    case "any":
      return [rank];
  }
}

function comparePorts(a: Port, b: Port): number {
  if (typeof a.port === "number" && typeof b.port === "number" && a.port !== b.port) return a.port - b.port;
  if (typeof a.port !== typeof b.port) return typeof a.port === "number" ? -1 : 1;
  return compare(String(a.port), String(b.port)) || compare(a.protocol, b.protocol);
}

/**
 * The rules as distinct (peer, port) pairs, one rule each, in a canonical order (peer kind, address or
 * namespace, selectors, then port): the same traffic whatever the input order or repetition.
 */
export function dedupeRules(rules: ReadonlyArray<Rule<string>>): Array<Rule<string>> {
  const pairs = new Map<string, { peer: Peer<string>; key: string[]; port: Port }>();
  for (const r of rules)
    for (const raw of r.peers) {
      const peer = canonicalPeer(raw);
      const key = peerKey(peer);
      for (const port of r.ports)
        pairs.set(JSON.stringify([key, port.port, port.protocol]), { peer, key, port: { ...port } });
    }
  return [...pairs.values()]
    .sort((a, b) => {
      for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
        const c = compare(a.key[i] ?? "", b.key[i] ?? "");
        if (c !== 0) return c;
      }
      return comparePorts(a.port, b.port);
    })
    .map(({ peer, port }) => rule(peer, [port]));
}

type PeerSpec = k8s.types.input.networking.v1.NetworkPolicyPeer;

function peerSpec(p: Exclude<Peer, { kind: "any" }>): PeerSpec {
  switch (p.kind) {
    case "cidr":
      return {
        ipBlock:
          p.except !== undefined && p.except.length > 0
            ? { cidr: p.cidr, except: [...p.except] }
            : { cidr: p.cidr },
      };
    case "namespace": {
      const out: PeerSpec = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.namespace } },
      };
      // One peer, so the pod selector is ANDed with the namespace selector.
      if (p.podLabels !== undefined && Object.keys(p.podLabels).length > 0)
        out.podSelector = { matchLabels: { ...p.podLabels } };
      return out;
    }
  }
}

/** The rule's peers as `to`/`from` (absent for any peer), and its ports; undefined when it admits nothing. */
function ruleSpec(
  r: Rule,
  field: "to" | "from",
):
  | { to?: PeerSpec[]; from?: PeerSpec[]; ports: k8s.types.input.networking.v1.NetworkPolicyPort[] }
  | undefined {
  // An empty `to`/`from` or `ports` list means "all" in the API; here it means none, so the rule is left out.
  if (r.peers.length === 0 || r.ports.length === 0) return undefined;
  const ports = r.ports.map((p) => ({ port: p.port, protocol: p.protocol }));
  const named = r.peers.filter((p) => p.kind !== "any");
  // Any peer among the peers: the rule names none, which admits every peer.
  if (named.length < r.peers.length) return { ports };
  return { [field]: named.map(peerSpec), ports };
}

export type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/**
 * The NetworkPolicy spec of the pods with `podSelector` labels (every pod of the namespace when empty): each
 * direction that is given is denied except for its rules, a direction left out is not governed by this policy.
 */
export function networkPolicySpec(p: {
  podSelector: Labels;
  ingress?: readonly Rule[];
  egress?: readonly Rule[];
}): NetworkPolicySpec {
  const spec: NetworkPolicySpec = {
    podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: { ...p.podSelector } } : {},
    policyTypes: [
      ...(p.ingress !== undefined ? ["Ingress"] : []),
      ...(p.egress !== undefined ? ["Egress"] : []),
    ],
  };
  const present = <T>(x: T | undefined): x is T => x !== undefined;
  if (p.ingress !== undefined) spec.ingress = p.ingress.map((r) => ruleSpec(r, "from")).filter(present);
  if (p.egress !== undefined) spec.egress = p.egress.map((r) => ruleSpec(r, "to")).filter(present);
  return spec;
}

/** Every pod of the namespace, both directions, no rule: pods no other policy selects get no traffic. */
export function defaultDenySpec(): NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}
