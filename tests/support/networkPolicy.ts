import { ipInCidr } from "../../lib/net";
import type { NetworkPolicySpec } from "../../lib/networkPolicy";

/*
 * A small evaluator of networking.k8s.io/v1 NetworkPolicy semantics, for one policy in isolation
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/): a direction not in policyTypes
 * is not governed; rules are ORed; a missing or empty `to`/`from`/`ports` matches everything; inside one peer
 * namespaceSelector and podSelector are ANDed, and a podSelector alone means the policy's own namespace. An
 * ipBlock matches addresses outside the cluster only, as under Cilium.
 */

export type Endpoint =
  { kind: "pod"; namespace: string; labels: Record<string, string> } | { kind: "external"; ip: string };
export interface Connection {
  endpoint: Endpoint;
  port: number | string;
  protocol: "TCP" | "UDP";
}

type Selector = { matchLabels?: Record<string, string> } | undefined;
type PeerSpec = {
  namespaceSelector?: Selector;
  podSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
};
type RuleSpec = {
  to?: PeerSpec[];
  from?: PeerSpec[];
  ports?: Array<{ port: number | string; protocol?: string }>;
};

export const selects = (selector: Selector, labels: Record<string, string>) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function peerAdmits(peer: PeerSpec, policyNamespace: string, e: Endpoint): boolean {
  if (peer.ipBlock !== undefined)
    return (
      e.kind === "external" &&
      ipInCidr(e.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((x) => ipInCidr(e.ip, x))
    );
  if (e.kind !== "pod") return false;
  // The API server labels every Namespace with its name.
  const namespaceLabels = { "kubernetes.io/metadata.name": e.namespace };
  const inNamespace =
    peer.namespaceSelector === undefined
      ? e.namespace === policyNamespace
      : selects(peer.namespaceSelector, namespaceLabels);
  return inNamespace && selects(peer.podSelector, e.labels);
}

export function allows(
  spec: NetworkPolicySpec,
  direction: "Ingress" | "Egress",
  c: Connection,
  ns = "home",
): boolean {
  const s = spec as { policyTypes?: string[]; ingress?: RuleSpec[]; egress?: RuleSpec[] };
  if (!(s.policyTypes ?? []).includes(direction)) return true;
  const rules = (direction === "Ingress" ? s.ingress : s.egress) ?? [];
  return rules.some((r) => {
    const peers = (direction === "Ingress" ? r.from : r.to) ?? [];
    const ports = r.ports ?? [];
    return (
      (peers.length === 0 || peers.some((p) => peerAdmits(p, ns, c.endpoint))) &&
      (ports.length === 0 || ports.some((p) => p.port === c.port && (p.protocol ?? "TCP") === c.protocol))
    );
  });
}

/** A NetworkPolicy as the API server holds it: its namespace and spec. */
export interface PlacedPolicy {
  namespace: string;
  spec: NetworkPolicySpec;
}

/**
 * Whether a pod may send (Egress) or receive (Ingress) a connection under a set of policies: a pod that no
 * policy of its namespace selects for that direction is not isolated and admits everything; an isolated pod
 * admits what any selecting policy allows (policies are additive).
 */
export function podAdmits(
  policies: readonly PlacedPolicy[],
  pod: { namespace: string; labels: Record<string, string> },
  direction: "Ingress" | "Egress",
  c: Connection,
): boolean {
  const selecting = policies.filter((p) => {
    const s = p.spec as { podSelector?: Selector; policyTypes?: string[] };
    return (
      p.namespace === pod.namespace &&
      (s.policyTypes ?? []).includes(direction) &&
      selects(s.podSelector, pod.labels)
    );
  });
  return selecting.length === 0 || selecting.some((p) => allows(p.spec, direction, c, p.namespace));
}
