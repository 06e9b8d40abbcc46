import { strict as assert } from "assert";
import { addressBook, ListeningGateway } from "../../lib/addressBook";
import { CATCH_ALL, CloudflarePlan, ExposedGateway, exposurePlan } from "../../lib/exposures";
import type { ExposureConfig, GatewayConfig, PlatformConfig } from "../../stacks/schema";
import {
  cilium,
  cloudflareConfig,
  exposure,
  gateway,
  gatewayConfig,
  platformConfig,
} from "../support/builders";
import { exposurePlanOf } from "../support/stacks";

const httpOnly: GatewayConfig = {
  name: "plain",
  listeners: [{ name: "http", protocol: "HTTP", port: 8080, allowedRoutes: "Same" }],
  service: { type: "NodePort" },
  replicas: 1,
  httpsRedirect: false,
};

function row(name: string, over: Partial<ExposureConfig>): ExposureConfig {
  return {
    name,
    enabled: true,
    hostname: `${name}.sklab.dev`,
    target: { gateway: "agentgateway" },
    dns: { provider: "cloudflare", mode: "tunnel", proxied: true },
    ...over,
  };
}

/** The Cloudflare slice of the exposure plan of `rows` in front of `gateways` in namespace `edge`. */
function cloudflarePlan(
  rows: ExposureConfig[],
  gateways: Array<ExposedGateway & ListeningGateway>,
  namespace = "edge",
): CloudflarePlan {
  const addresses = addressBook({ namespace, gateways, llmRoutes: [], mcpServers: [] });
  return exposurePlan(rows, gateways, addresses, { cloudflare: true }).cloudflare!;
}

describe("cloudflare: exposure plans", () => {
  /** A gateway with an HTTPS listener on a LoadBalancer address, published through a Cloudflare tunnel. */
  let homeops: PlatformConfig;
  before(() => {
    homeops = platformConfig(
      cilium({ lbPools: [{ name: "services", blocks: [{ cidr: "10.50.0.0/26" }] }] }),
      gatewayConfig(
        [
          gateway("agentgateway", 80, {
            listeners: [
              { name: "http", protocol: "HTTP", port: 80 },
              { name: "https", protocol: "HTTPS", port: 443, tls: { secretName: "sklab-tls" } },
            ],
            service: { type: "LoadBalancer", ip: "10.50.0.30" },
          }),
        ],
        { namespace: "ai-system" },
      ),
      cloudflareConfig({
        zone: "sklab.dev",
        tunnel: { enabled: true, name: "edge", namespace: "network", secret: "cloudflare-tunnel-secret" },
      }),
      {
        exposures: [
          exposure("ai", {
            hostname: "ai.sklab.dev",
            target: { gateway: "agentgateway" },
            dns: { provider: "cloudflare", mode: "tunnel", proxied: true },
          }),
        ],
      },
    );
  });

  it("sends a tunnel hostname to the gateway's HTTPS listener with the public name as SNI, then 404", () => {
    const plan = exposurePlanOf(homeops).cloudflare!;
    assert.deepEqual(plan.tunnelIngress, [
      {
        hostname: "ai.sklab.dev",
        service: "https://agentgateway.ai-system.svc.cluster.local:443",
        originRequest: { originServerName: "ai.sklab.dev", http2Origin: true },
      },
      { service: "http_status:404" },
    ]);
    assert.deepEqual(plan.tunnelOrigins, { namespace: "ai-system", ports: [443] });
  });

  it("uses plain HTTP for a gateway without an HTTPS listener, and always ends with the catch-all", () => {
    const plan = cloudflarePlan(
      [row("a", { target: { gateway: "plain" } }), row("b", { enabled: false })],
      [httpOnly],
    );
    assert.deepEqual(plan.tunnelIngress, [
      { hostname: "a.sklab.dev", service: "http://plain.edge.svc.cluster.local:8080" },
      CATCH_ALL,
    ]);
    assert.deepEqual(plan.tunnelOrigins, { namespace: "edge", ports: [8080] });
    assert.deepEqual(cloudflarePlan([], [httpOnly]).tunnelIngress, [CATCH_ALL]);
  });

  it("plans proxied CNAMEs for tunnel names and A records to the LoadBalancer IP or the VIP", () => {
    const gateways = homeops.agentgateway.gateways;
    assert.deepEqual(exposurePlanOf(homeops).cloudflare!.dnsRecords, [
      { exposure: "ai", hostname: "ai.sklab.dev", kind: "tunnel", type: "CNAME", proxied: true },
    ]);
    const rows = [
      row("lb", { dns: { provider: "cloudflare", mode: "record", proxied: false } }),
      row("vip", {
        target: { gateway: "plain" },
        bigip: { vip: "192.0.2.10", ports: [{ port: 8080, nodePort: 31000 }] },
        dns: { provider: "cloudflare", mode: "record", proxied: true },
      }),
      row("elsewhere", { dns: { provider: "external", mode: "record", proxied: false } }),
    ];
    assert.deepEqual(cloudflarePlan(rows, [...gateways, httpOnly]).dnsRecords, [
      {
        exposure: "lb",
        hostname: "lb.sklab.dev",
        kind: "address",
        type: "A",
        content: "10.50.0.30",
        proxied: false,
      },
      {
        exposure: "vip",
        hostname: "vip.sklab.dev",
        kind: "address",
        type: "A",
        content: "192.0.2.10",
        proxied: true,
      },
    ]);
  });

  it("refuses a record without an address and a tunnel name without a gateway", () => {
    assert.throws(
      () =>
        cloudflarePlan(
          [
            row("x", {
              target: { gateway: "plain" },
              dns: { provider: "cloudflare", mode: "record", proxied: false },
            }),
          ],
          [httpOnly],
        ),
      /exposure x: a DNS record needs an address: a LoadBalancer gateway or a BIG-IP VIP/,
    );
    assert.throws(
      () => cloudflarePlan([row("y", { target: { service: { namespace: "a", name: "b" } } })], [httpOnly]),
      /exposure y: a tunnel hostname must front a gateway/,
    );
  });
});
