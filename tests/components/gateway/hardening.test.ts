import { strict as assert } from "assert";
import fc from "fast-check";
import { ipInCidr } from "../../../lib/net";
import { controllerPodLabels } from "../../../lib/agentgatewayController";
import { cidrPeer, namespacePeer, publicHttpsEgress, rule, Rule, tcp } from "../../../lib/networkPolicy";
import type { GatewaySettings } from "../../../components/gateway/gateways";
import { proxyNetworkPolicySpec } from "../../../components/gateway/hardening";
import { CONTROLLER_XDS_PORT, PROXY_METRICS_PORT } from "../../../components/gateway/refs";
import { allows, Connection, Endpoint } from "../../support/networkPolicy";

/*
 * The proxies' NetworkPolicy admits exactly what the hardening settings and the egress list say, checked
 * against the NetworkPolicy evaluator for any settings and any connection.
 */

const NAMESPACE = "ai-system";
const NAMESPACES = [NAMESPACE, "network", "monitoring", "kube-system", "ai"];
const gw: GatewaySettings = {
  name: "gw",
  listeners: [
    { name: "http", protocol: "HTTP", port: 80, allowedRoutes: "Same" },
    { name: "https", protocol: "HTTPS", port: 443, allowedRoutes: "Same" },
  ],
  service: { type: "NodePort" },
  replicas: 1,
};

const settingsArb = fc.record({
  ingressNamespaces: fc.subarray(NAMESPACES),
  ingressCidrs: fc.subarray(["10.50.0.0/24", "192.168.1.0/24"]),
  metricsNamespaces: fc.subarray(NAMESPACES),
});
/**
 * Destinations as proxyEgress derives them: Service namespaces, IPv4 /32s, DNS names on other ports than 443
 * (0.0.0.0/0) and public HTTPS.
 */
const egressArb: fc.Arbitrary<Array<Rule<string>>> = fc.array(
  fc.oneof(
    fc
      .record({
        peer: fc.oneof(
          fc.constantFrom(...NAMESPACES).map((ns) => namespacePeer(ns)),
          fc.constantFrom("10.50.0.9/32", "8.8.8.8/32", "0.0.0.0/0").map((c) => cidrPeer(c)),
        ),
        port: fc.constantFrom(4000, 8443),
      })
      .map(({ peer, port }) => rule(peer, tcp(port))),
    fc.constant(publicHttpsEgress()),
  ),
  { maxLength: 6 },
);
const CONTROLLER = controllerPodLabels();
const endpointArb: fc.Arbitrary<Endpoint> = fc.oneof(
  fc.record({
    kind: fc.constant("pod" as const),
    namespace: fc.constantFrom(...NAMESPACES),
    labels: fc.constantFrom<Record<string, string>>({}, { "k8s-app": "kube-dns" }, CONTROLLER),
  }),
  fc.record({
    kind: fc.constant("external" as const),
    ip: fc.constantFrom("10.50.0.7", "10.50.0.9", "192.168.1.5", "8.8.8.8", "1.1.1.1"),
  }),
);
const connectionArb: fc.Arbitrary<Connection> = fc.record({
  endpoint: endpointArb,
  port: fc.constantFrom(53, 80, 443, 4000, 8443, CONTROLLER_XDS_PORT, PROXY_METRICS_PORT),
  protocol: fc.constantFrom("TCP" as const, "UDP" as const),
});

const inNamespace = (e: Endpoint, namespaces: readonly string[]) =>
  e.kind === "pod" && namespaces.includes(e.namespace);
const inCidr = (e: Endpoint, cidr: string) => e.kind === "external" && ipInCidr(e.ip, cidr);

describe("gateway/hardening: the proxy NetworkPolicy admits exactly the configured traffic", () => {
  it("ingress: listeners from the configured sources (any source when none), metrics from the metrics namespaces", () => {
    fc.assert(
      fc.property(settingsArb, connectionArb, (hardening, c) => {
        const spec = proxyNetworkPolicySpec(gw, { namespace: NAMESPACE, hardening, egress: [] });
        const open = hardening.ingressNamespaces.length === 0 && hardening.ingressCidrs.length === 0;
        const source =
          open ||
          inNamespace(c.endpoint, hardening.ingressNamespaces) ||
          hardening.ingressCidrs.some((cidr) => inCidr(c.endpoint, cidr));
        const expected =
          c.protocol === "TCP" &&
          ((source && (c.port === 80 || c.port === 443)) ||
            (inNamespace(c.endpoint, hardening.metricsNamespaces) && c.port === PROXY_METRICS_PORT));
        assert.equal(allows(spec, "Ingress", c, NAMESPACE), expected);
      }),
      { numRuns: 300 },
    );
  });

  it("egress: cluster DNS, the controller pods and each declared destination, nothing else", () => {
    fc.assert(
      fc.property(settingsArb, egressArb, connectionArb, (hardening, egress, c) => {
        const spec = proxyNetworkPolicySpec(gw, { namespace: NAMESPACE, hardening, egress });
        const e = c.endpoint;
        const dns =
          c.port === 53 &&
          e.kind === "pod" &&
          e.namespace === "kube-system" &&
          e.labels["k8s-app"] === "kube-dns";
        const tcpTo = (port: number) => c.protocol === "TCP" && c.port === port;
        const controller =
          inNamespace(e, [NAMESPACE]) &&
          e.kind === "pod" &&
          e.labels["app.kubernetes.io/instance"] === CONTROLLER["app.kubernetes.io/instance"];
        const expected =
          dns ||
          (tcpTo(CONTROLLER_XDS_PORT) && controller) ||
          egress.some(
            (r) =>
              tcpTo(r.ports[0]!.port as number) &&
              r.peers.some((p) =>
                p.kind === "namespace"
                  ? inNamespace(e, [p.namespace])
                  : p.kind === "cidr" && inCidr(e, p.cidr) && !(p.except ?? []).some((x) => inCidr(e, x)),
              ),
          );
        assert.equal(allows(spec, "Egress", c, NAMESPACE), expected);
      }),
      { numRuns: 300 },
    );
  });
});
