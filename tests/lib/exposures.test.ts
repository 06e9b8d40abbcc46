import { strict as assert } from "assert";
import fc from "fast-check";
import { addressBook, ListeningGateway } from "../../lib/addressBook";
import { ExposedGateway, Exposure, exposurePlan } from "../../lib/exposures";

const GATEWAYS: Array<ExposedGateway & ListeningGateway> = ["gw-a", "gw-b", "gw-c"].map((name) => ({
  name,
  listeners: [{ name: "http", protocol: "HTTP", port: 80 }],
  service: { type: "NodePort" },
}));
const NS = "agentgateway-system";
const ADDRESSES = addressBook({ namespace: NS, gateways: GATEWAYS, llmRoutes: [], mcpServers: [] });

/**
 * Exposure tables as validation admits them: unique names, and a (gateway, listener port) pair exposed at
 * most once among the enabled rows (the rules reject the duplicate).
 */
const tables = fc
  .array(
    fc.record({
      enabled: fc.boolean(),
      target: fc.oneof(
        fc.constantFrom(...GATEWAYS.map((g) => ({ gateway: g.name }))),
        fc.constant({ service: { namespace: "argocd", name: "argocd-server" } }),
      ),
      bigip: fc.option(
        fc.record({
          vip: fc.ipV4(),
          ports: fc.uniqueArray(
            fc.record({
              port: fc.integer({ min: 1, max: 65535 }),
              nodePort: fc.integer({ min: 30000, max: 32767 }),
            }),
            { minLength: 1, maxLength: 3, selector: (p) => p.port },
          ),
        }),
        { nil: undefined },
      ),
    }),
    { maxLength: 8 },
  )
  .map((rows) => {
    const seen = new Set<string>();
    return rows.map((r, i): Exposure => {
      const ports = (r.bigip?.ports ?? []).filter((p) => {
        if (!r.enabled || !("gateway" in r.target)) return true;
        const key = `${r.target.gateway}:${p.port}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
      return {
        name: `e${i}`,
        enabled: r.enabled,
        hostname: `e${i}.example.com`,
        target: r.target,
        bigip: r.bigip === undefined || ports.length === 0 ? undefined : { vip: r.bigip.vip, ports },
        dns: { provider: "external", mode: "record", proxied: false },
      };
    });
  });

describe("exposure plan (property)", () => {
  it("gives the gateway Services exactly the NodePorts of the BIG-IP VIPs that front them", () => {
    fc.assert(
      fc.property(tables, (exposures) => {
        const plan = exposurePlan(exposures, GATEWAYS, ADDRESSES, { cloudflare: false });
        assert.deepEqual(Object.keys(plan.nodePorts).sort(), GATEWAYS.map((g) => g.name).sort());
        const fronting = plan.vips.filter(
          (v) => v.backend.namespace === NS && v.backend.name in plan.nodePorts,
        );
        for (const v of fronting) assert.equal(plan.nodePorts[v.backend.name]![v.port], v.nodePort, v.key);
        const set = Object.values(plan.nodePorts).reduce((n, m) => n + Object.keys(m).length, 0);
        assert.equal(set, fronting.length, "no NodePort without a VIP");
      }),
    );
  });

  it("deploys the enabled rows of the VIP table, in table order, and only those", () => {
    fc.assert(
      fc.property(tables, (exposures) => {
        const plan = exposurePlan(exposures, GATEWAYS, ADDRESSES, { cloudflare: false });
        assert.deepEqual(
          plan.vips.map((v) => [v.exposure, `${v.address}:${v.port}`, v.nodePort]),
          plan.vipTable.filter((r) => r.enabled).map((r) => [r.exposure, r.vip, r.nodePort]),
        );
        const disabled = new Set(exposures.filter((e) => !e.enabled).map((e) => e.name));
        assert.ok(plan.vips.every((v) => !disabled.has(v.exposure)));
        assert.equal(
          plan.vipTable.length,
          exposures.reduce((n, e) => n + (e.bigip?.ports.length ?? 0), 0),
          "every VIP port is a row, disabled ones included",
        );
        assert.equal(new Set(plan.vips.map((v) => v.key)).size, plan.vips.length, "VIP keys are unique");
      }),
    );
  });
});
