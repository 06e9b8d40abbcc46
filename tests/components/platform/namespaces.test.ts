import { strict as assert } from "assert";
import type { NetworkPolicySpec } from "../../../lib/networkPolicy";
import type { Recording } from "../../../recording/runtime";
import {
  cilium,
  cloudflareConfig,
  exposure,
  gateway,
  gatewayConfig,
  rawConfig,
  RawConfig,
} from "../../support/builders";
import { Connection, PlacedPolicy, podAdmits } from "../../support/networkPolicy";
import { byType, recordPlatform } from "../../support/record";

/*
 * A namespace the program shares with workloads it does not own: the AI gateway published through a tunnel in
 * `network`, where cluster-template's Flux apps run too (labels as their charts render them:
 * kubernetes-sigs/external-dns chart 1.19 `_helpers.tpl`, ori-edge k8s_gateway chart, bjw-s app-template 4.x
 * `common.lib.metadata.selectorLabels`, envoy-gateway proxy labels).
 */

const SHARED_WITH = "external-dns, k8s-gateway, envoy-gateway and the cloudflare-tunnel app (Flux)";

function edge(shared: boolean): RawConfig {
  const base = rawConfig(
    cilium({ lbPools: [{ name: "services", blocks: [{ start: "10.0.0.20", stop: "10.0.0.49" }] }] }),
    gatewayConfig([gateway("gw", 80, { service: { type: "LoadBalancer", ip: "10.0.0.30" } })], {
      namespace: "ai-system",
    }),
    cloudflareConfig({
      tunnel: { enabled: true, name: "edge", namespace: "network", secret: "cloudflare-tunnel-secret" },
    }),
    { exposures: [exposure("ai", { dns: { provider: "cloudflare", mode: "tunnel", proxied: true } })] },
  );
  if (shared) base.cluster.sharedNamespaces = [{ name: "network", sharedWith: SHARED_WITH }];
  return base;
}

function policies(recording: Recording): PlacedPolicy[] {
  return byType(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => {
    const meta = r.inputs["metadata"] as { namespace: string };
    return { namespace: meta.namespace, spec: r.inputs["spec"] as NetworkPolicySpec };
  });
}

const pod = (labels: Record<string, string>) => ({ namespace: "network", labels });
const external = (ip: string, port: number, protocol: "TCP" | "UDP" = "TCP"): Connection => ({
  endpoint: { kind: "external", ip },
  port,
  protocol,
});
const inNetwork = (labels: Record<string, string>, port: number): Connection => ({
  endpoint: { kind: "pod", namespace: "network", labels },
  port,
  protocol: "TCP",
});

const ENVOY_EXTERNAL = {
  "app.kubernetes.io/name": "envoy",
  "app.kubernetes.io/component": "proxy",
  "gateway.envoyproxy.io/owning-gateway-name": "envoy-external",
};
const TUNNEL_APP = {
  "app.kubernetes.io/name": "cloudflare-tunnel",
  "app.kubernetes.io/instance": "cloudflare-tunnel",
  "app.kubernetes.io/controller": "cloudflare-tunnel",
};

/** The traffic the undeclared workloads of `network` live on. */
const UNDECLARED: Array<[string, Record<string, string>, "Ingress" | "Egress", Connection]> = [
  [
    "external-dns calls the Cloudflare API",
    { "app.kubernetes.io/name": "external-dns", "app.kubernetes.io/instance": "cloudflare-dns" },
    "Egress",
    external("104.16.0.1", 443),
  ],
  [
    "k8s-gateway answers LAN DNS queries",
    { "app.kubernetes.io/name": "k8s-gateway", "app.kubernetes.io/instance": "k8s-gateway" },
    "Ingress",
    external("10.0.0.77", 1053, "UDP"),
  ],
  ["the old tunnel reaches Cloudflare's edge", TUNNEL_APP, "Egress", external("198.41.192.7", 7844)],
  ["the old tunnel reaches envoy-external", TUNNEL_APP, "Egress", inNetwork(ENVOY_EXTERNAL, 10443)],
  ["envoy-external admits the old tunnel", ENVOY_EXTERNAL, "Ingress", inNetwork(TUNNEL_APP, 10443)],
];

describe("platform namespaces: a namespace shared with workloads the program does not own", () => {
  let shared: Promise<Recording>;
  let notShared: Promise<Recording>;
  before(() => {
    shared = recordPlatform(edge(true), ["cluster", "gateway", "cloudflare"]);
    notShared = shared.then(() => recordPlatform(edge(false), ["cluster", "gateway", "cloudflare"]));
  });

  for (const [what, labels, direction, connection] of UNDECLARED)
    it(`leaves their traffic alone: ${what}`, async () => {
      assert.ok(podAdmits(policies(await shared), pod(labels), direction, connection));
    });

  it("cuts the same pods off when the namespace is not declared shared (a namespace-wide default-deny)", async () => {
    const placed = policies(await notShared);
    const cut = UNDECLARED.filter(
      ([, labels, direction, c]) => !podAdmits(placed, pod(labels), direction, c),
    );
    assert.equal(cut.length, UNDECLARED.length);
  });

  it("still isolates the program's own cloudflared pods there", async () => {
    const cloudflared = pod({
      "app.kubernetes.io/name": "cloudflared",
      "app.kubernetes.io/instance": "cloudflared",
    });
    const placed = policies(await shared);
    assert.ok(podAdmits(placed, cloudflared, "Egress", external("198.41.192.7", 7844)));
    assert.ok(!podAdmits(placed, cloudflared, "Egress", external("10.0.0.5", 22)));
    assert.ok(!podAdmits(placed, cloudflared, "Ingress", external("10.0.0.77", 2000)));
  });

  it("labels it with the shared Pod Security level and declares why it has no default-deny", async () => {
    const ns = byType(await shared, "kubernetes:core/v1:Namespace").find(
      (r) => (r.inputs["metadata"] as { name: string }).name === "network",
    )!;
    const meta = ns.inputs["metadata"] as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    assert.equal(meta.labels["pod-security.kubernetes.io/enforce"], "baseline");
    assert.match(
      meta.annotations["policy.ai-platform.dev/network-policy-exception"]!,
      /shared with external-dns/,
    );
    assert.match(
      meta.annotations["policy.ai-platform.dev/pod-security-exception"]!,
      /^baseline: shared with/,
    );
  });
});
