import { strict as assert } from "assert";
import fc from "fast-check";
import { ipInCidr } from "../../lib/net";
import { allows, Connection, Endpoint, selects } from "../support/networkPolicy";
import {
  ANY_PEER,
  cidrPeer,
  dedupeRules,
  defaultDenySpec,
  dnsEgress,
  hostPeer,
  namespacePeer,
  networkPolicySpec,
  Peer,
  Port,
  PUBLIC_INTERNET,
  rule,
  Rule,
  tcp,
  udp,
} from "../../lib/networkPolicy";

/** What a vocabulary peer means, stated independently of the spec it produces. */
function peerMeans(p: Peer<string>, e: Endpoint): boolean {
  switch (p.kind) {
    case "any":
      return true;
    case "cidr":
      return (
        e.kind === "external" && ipInCidr(e.ip, p.cidr) && !(p.except ?? []).some((x) => ipInCidr(e.ip, x))
      );
    case "namespace":
      return (
        e.kind === "pod" &&
        e.namespace === p.namespace &&
        selects({ matchLabels: { ...p.podLabels } }, e.labels)
      );
  }
}

const declared = (rules: ReadonlyArray<Rule<string>>, c: Connection) =>
  rules.some(
    (r) =>
      r.peers.some((p) => peerMeans(p, c.endpoint)) &&
      r.ports.some((p) => p.port === c.port && p.protocol === c.protocol),
  );

const NAMESPACES = ["home", "kube-system", "agentgateway-system"];
const labelsArb = fc.dictionary(fc.constantFrom("app", "tier"), fc.constantFrom("a", "b"), { maxKeys: 2 });
const peerArb: fc.Arbitrary<Peer<string>> = fc.oneof(
  fc
    .record({ ns: fc.constantFrom(...NAMESPACES), labels: fc.option(labelsArb, { nil: undefined }) })
    .map((r) => namespacePeer(r.ns, r.labels)),
  fc
    .record({
      cidr: fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24", "8.8.8.8/32"),
      except: fc.option(fc.shuffledSubarray(["10.1.0.0/16", "10.1.2.0/24", "192.168.0.0/16"]), {
        nil: undefined,
      }),
    })
    .map((r) => cidrPeer(r.cidr, r.except)),
  fc.constant(ANY_PEER),
);
const portArb: fc.Arbitrary<Port> = fc.record({
  port: fc.constantFrom<number | string>(53, 443, 8080, "http"),
  protocol: fc.constantFrom("TCP" as const, "UDP" as const),
});
const ruleArb: fc.Arbitrary<Rule<string>> = fc.record({
  peers: fc.array(peerArb, { maxLength: 3 }),
  ports: fc.array(portArb, { maxLength: 3 }),
});
const rulesArb = fc.array(ruleArb, { maxLength: 6 });
const endpointArb: fc.Arbitrary<Endpoint> = fc.oneof(
  fc.record({
    kind: fc.constant("pod" as const),
    namespace: fc.constantFrom(...NAMESPACES),
    labels: labelsArb,
  }),
  fc.record({
    kind: fc.constant("external" as const),
    ip: fc.constantFrom("10.1.2.3", "10.1.9.9", "10.200.0.1", "192.168.1.5", "8.8.8.8", "1.1.1.1"),
  }),
);
const connectionArb: fc.Arbitrary<Connection> = fc.record({
  endpoint: endpointArb,
  port: fc.constantFrom<number | string>(53, 443, 8080, "http"),
  protocol: fc.constantFrom("TCP" as const, "UDP" as const),
});

/** The (peer, port) pairs of rules that admit something, peers compared by meaning-preserving JSON. */
const pairsOf = (rules: ReadonlyArray<Rule<string>>) =>
  new Set(
    rules.flatMap((r) =>
      r.peers.flatMap((p) =>
        r.ports.map((port) =>
          JSON.stringify([dedupeRules([rule(p, [port])])[0]!.peers[0], port.port, port.protocol]),
        ),
      ),
    ),
  );

describe("lib/networkPolicy: the spec allows exactly the declared peers and ports", () => {
  it("for any rules and any connection, in both directions", () => {
    fc.assert(
      fc.property(rulesArb, rulesArb, connectionArb, (ingress, egress, c) => {
        const spec = networkPolicySpec({ podSelector: { app: "x" }, ingress, egress });
        assert.equal(allows(spec, "Ingress", c), declared(ingress, c));
        assert.equal(allows(spec, "Egress", c), declared(egress, c));
      }),
      { numRuns: 500 },
    );
  });

  it("selects pods of a namespace with one peer, so namespace and pod labels are ANDed", () => {
    const spec = networkPolicySpec({
      podSelector: {},
      egress: [rule(namespacePeer("kube-system", { "k8s-app": "kube-dns" }), udp(53))],
    });
    assert.deepEqual(spec.egress, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [{ port: 53, protocol: "UDP" }],
      },
    ]);
    const dns = { kind: "pod" as const, namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
    assert.ok(allows(spec, "Egress", { endpoint: dns, port: 53, protocol: "UDP" }));
    for (const endpoint of [
      { ...dns, namespace: "home" },
      { ...dns, labels: { "k8s-app": "metrics-server" } },
    ])
      assert.ok(!allows(spec, "Egress", { endpoint, port: 53, protocol: "UDP" }), JSON.stringify(endpoint));
  });

  it("admits nothing for a rule without peers or ports, where the API would read an empty list as everything", () => {
    const spec = networkPolicySpec({
      podSelector: { app: "x" },
      egress: [rule([], tcp(443)), rule(ANY_PEER, [])],
    });
    assert.deepEqual(spec.egress, []);
    const everything = networkPolicySpec({ podSelector: { app: "x" }, egress: [rule(ANY_PEER, tcp(443))] });
    assert.deepEqual(everything.egress, [{ ports: [{ port: 443, protocol: "TCP" }] }]);
  });

  it("governs only the directions it is given; default-deny governs both and admits nothing", () => {
    const egressOnly = networkPolicySpec({ podSelector: {}, egress: [dnsEgress()] });
    assert.deepEqual(egressOnly.policyTypes, ["Egress"]);
    assert.deepEqual(egressOnly.podSelector, {});
    assert.equal(egressOnly.ingress, undefined);
    fc.assert(
      fc.property(connectionArb, (c) => {
        assert.ok(allows(egressOnly, "Ingress", c));
        assert.ok(!allows(defaultDenySpec(), "Ingress", c));
        assert.ok(!allows(defaultDenySpec(), "Egress", c));
      }),
    );
  });

  it("keeps public HTTPS off private ranges and DNS on the cluster DNS pods", () => {
    const spec = networkPolicySpec({
      podSelector: { app: "x" },
      egress: [dnsEgress(), rule(PUBLIC_INTERNET, tcp(443))],
    });
    const at = (endpoint: Endpoint, port: number, protocol: "TCP" | "UDP" = "TCP") =>
      allows(spec, "Egress", { endpoint, port, protocol });
    assert.ok(at({ kind: "external", ip: "1.1.1.1" }, 443));
    assert.ok(!at({ kind: "external", ip: "192.168.1.5" }, 443));
    assert.ok(!at({ kind: "external", ip: "1.1.1.1" }, 80));
    assert.ok(at({ kind: "pod", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, 53, "UDP"));
    assert.ok(!at({ kind: "pod", namespace: "home", labels: {} }, 53, "UDP"));
  });
});

/** The same rule with its peers, ports, label sets and except lists written in reverse order. */
function reversed(r: Rule<string>): Rule<string> {
  const peer = (p: Peer<string>): Peer<string> =>
    p.kind === "cidr"
      ? cidrPeer(p.cidr, p.except === undefined ? undefined : [...p.except].reverse())
      : p.kind === "namespace"
        ? { ...p, podLabels: p.podLabels && Object.fromEntries(Object.entries(p.podLabels).reverse()) }
        : p;
  return rule([...r.peers].reverse().map(peer), [...r.ports].reverse());
}

describe("lib/networkPolicy: egress de-duplication", () => {
  const canonical = (rules: ReadonlyArray<Rule<string>>) => dedupeRules(rules);

  it("is idempotent", () => {
    fc.assert(
      fc.property(rulesArb, (rules) => assert.deepEqual(dedupeRules(canonical(rules)), canonical(rules))),
    );
  });

  it("gives the same rules whatever the order or repetition of its input", () => {
    fc.assert(
      fc.property(
        rulesArb.chain((rules) =>
          fc.tuple(
            fc.constant(rules),
            fc.shuffledSubarray(rules, { minLength: rules.length, maxLength: rules.length }),
          ),
        ),
        ([rules, shuffled]) => {
          assert.deepEqual(dedupeRules(shuffled), dedupeRules(rules));
          assert.deepEqual(dedupeRules(shuffled.map(reversed)), dedupeRules(rules));
          assert.deepEqual(dedupeRules([...rules, ...shuffled]), dedupeRules(rules));
        },
      ),
    );
  });

  it("never loses nor invents a peer and port, and allows the same traffic", () => {
    fc.assert(
      fc.property(rulesArb, fc.array(connectionArb, { maxLength: 10 }), (rules, connections) => {
        const out = dedupeRules(rules);
        assert.deepEqual([...pairsOf(out)].sort(), [...pairsOf(rules)].sort());
        assert.equal(new Set(out.map((r) => JSON.stringify(r))).size, out.length, "a rule appears twice");
        const before = networkPolicySpec({ podSelector: {}, egress: rules });
        const after = networkPolicySpec({ podSelector: {}, egress: out });
        for (const c of connections) assert.equal(allows(after, "Egress", c), allows(before, "Egress", c));
      }),
    );
  });

  it("orders address blocks before namespaces, then ports numerically", () => {
    assert.deepEqual(
      dedupeRules([
        rule(namespacePeer("ai"), tcp(4000)),
        rule(namespacePeer("ai"), tcp(443, 4000)),
        rule(cidrPeer("0.0.0.0/0"), tcp(8443)),
      ]),
      [
        rule(cidrPeer("0.0.0.0/0"), tcp(8443)),
        rule(namespacePeer("ai"), tcp(443)),
        rule(namespacePeer("ai"), tcp(4000)),
      ],
    );
  });
});

describe("lib/networkPolicy: host peers", () => {
  it("reads cluster Service names as their namespace, IPv4 literals as themselves, and no peer for DNS names", () => {
    assert.deepEqual(hostPeer("litellm.ai.svc.cluster.local"), namespacePeer("ai"));
    assert.deepEqual(hostPeer("litellm.ai.svc"), namespacePeer("ai"));
    assert.deepEqual(hostPeer("172.16.10.173"), cidrPeer("172.16.10.173/32"));
    assert.equal(hostPeer("api.x.ai"), undefined);
    assert.equal(hostPeer("ai.svc.example.com"), undefined);
  });
});
