import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/*
 * NetworkPolicy rules for hardened workloads: ingress is closed except for the listed peers (by default the
 * agentgateway proxies and, for metrics, the monitoring namespace), egress is DNS plus what the workload needs.
 */

export interface PortRef {
  port: number | string;
  protocol?: "TCP" | "UDP";
}

/** Pods of a namespace (all of them unless podLabels narrows it down). */
export interface NamespacePeer {
  namespace: pulumi.Input<string>;
  podLabels?: Record<string, string>;
}

/** An address block, e.g. 0.0.0.0/0 minus the cluster networks for public APIs. */
export interface CidrPeer {
  cidr: string;
  except?: string[];
}

export interface IngressRule {
  from: NamespacePeer;
  ports: PortRef[];
}

export interface EgressRule {
  to: NamespacePeer | CidrPeer;
  ports: PortRef[];
}

/** Cluster DNS (CoreDNS in kube-system, label k8s-app=kube-dns on Talos and kubeadm clusters). */
export const DNS_EGRESS: EgressRule = {
  to: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } },
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
};

/** Public HTTPS (SaaS APIs, package registries), excluding RFC 1918 space so cluster traffic stays policy-bound. */
export function publicHttpsEgress(ports: number[] = [443]): EgressRule {
  return {
    to: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] },
    ports: ports.map((port) => ({ port, protocol: "TCP" as const })),
  };
}

function peer(p: NamespacePeer | CidrPeer): k8s.types.input.networking.v1.NetworkPolicyPeer {
  if ("cidr" in p)
    return {
      ipBlock:
        p.except !== undefined && p.except.length > 0 ? { cidr: p.cidr, except: p.except } : { cidr: p.cidr },
    };
  const out: k8s.types.input.networking.v1.NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.namespace } },
  };
  if (p.podLabels !== undefined && Object.keys(p.podLabels).length > 0)
    out.podSelector = { matchLabels: p.podLabels };
  return out;
}

function ports(list: PortRef[]): k8s.types.input.networking.v1.NetworkPolicyPort[] {
  return list.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
}

/** One egress rule as the NetworkPolicy API spells it. */
export function egressRuleSpec(rule: EgressRule): k8s.types.input.networking.v1.NetworkPolicyEgressRule {
  return { to: [peer(rule.to)], ports: ports(rule.ports) };
}

/** The NetworkPolicy spec: both directions default-deny, then the listed rules; DNS egress is always allowed. */
export function networkPolicySpec(
  podSelector: Record<string, string>,
  ingress: IngressRule[],
  egress: EgressRule[],
): Record<string, unknown> {
  const allEgress = [DNS_EGRESS, ...egress];
  return {
    podSelector: { matchLabels: podSelector },
    policyTypes: ["Ingress", "Egress"],
    ingress: ingress.map((r) => ({ from: [peer(r.from)], ports: ports(r.ports) })),
    egress: allEgress.map(egressRuleSpec),
  } satisfies k8s.types.input.networking.v1.NetworkPolicySpec;
}
