import { strict as assert } from "assert";
import { rawConfigOf } from "../../../recording/stackFile";
import { formatIssue } from "../../../stacks/issues";
import { parsePlatformConfig } from "../../../stacks/load";
import { applyFixture, ConfigFixture } from "../../support/fixtures";

/** Every formatted issue of a stack file edited like a fixture. */
function issuesOf(fixture: Omit<ConfigFixture, "file" | "description">): string[] {
  return parsePlatformConfig(
    rawConfigOf(applyFixture({ file: "inline", description: "inline", ...fixture })),
  ).issues.map(formatIssue);
}

const soloInternal = {
  name: "solo-internal",
  hostname: "solo-internal.rooster.maniak.com",
  target: { gateway: "agentgateway-proxy" },
};

describe("edge: exposure table validation", () => {
  it("both stack files carry a valid exposure table", () => {
    assert.deepEqual(issuesOf({ base: "rooster" }), []);
    assert.deepEqual(issuesOf({ base: "homeops" }), []);
  });

  it("rejects a VIP address:port used twice, naming both rows", () => {
    assert.deepEqual(
      issuesOf({
        base: "rooster",
        append: {
          exposures: {
            ...soloInternal,
            bigip: { vip: "172.16.20.120", ports: [{ port: 8080, nodePort: 31573 }] },
          },
        },
      }),
      [
        'ai-platform:exposures[6].bigip.ports[0].port: duplicate VIP address:port "172.16.20.120:8080" (hint: already used at exposures[0].bigip.ports[0].port)',
      ],
    );
  });

  it("rejects a NodePort outside 30000-32767", () => {
    for (const nodePort of [29999, 32768]) {
      assert.deepEqual(
        issuesOf({ base: "rooster", set: { "exposures[2].bigip.ports[0].nodePort": nodePort } }),
        ["ai-platform:exposures[2].bigip.ports[0].nodePort: must be a NodePort in 30000-32767"],
      );
    }
  });

  it("rejects an exposure naming a missing gateway", () => {
    assert.deepEqual(issuesOf({ base: "rooster", set: { "exposures[3].target.gateway": "mcp-gateway" } }), [
      'ai-platform:exposures[3].target.gateway: unknown gateway "mcp-gateway" (hint: declared gateways: agentgateway-proxy, github-gateway-proxy, mcp-gateway-proxy, model-priority-gateway-proxy, xai-gateway-proxy)',
    ]);
  });

  it("rejects a NodePort used twice, disabled rows included", () => {
    assert.deepEqual(issuesOf({ base: "rooster", set: { "exposures[2].bigip.ports[0].nodePort": 31988 } }), [
      'ai-platform:exposures[2].bigip.ports[0].nodePort: duplicate NodePort "31988" (hint: already used at exposures[1].bigip.ports[0].nodePort)',
    ]);
  });

  it("rejects two NodePorts for one gateway Service port", () => {
    assert.deepEqual(
      issuesOf({
        base: "rooster",
        append: {
          exposures: {
            ...soloInternal,
            bigip: { vip: "172.16.20.126", ports: [{ port: 8080, nodePort: 31573 }] },
          },
        },
      }),
      [
        'ai-platform:exposures[6].bigip.ports[0].port: port 8080 of gateway "agentgateway-proxy" already has a NodePort (hint: exposed at exposures[0].bigip.ports[0].port; a Service port has one NodePort)',
      ],
    );
  });

  it("requires a CA file when certificate validation is on, and interval < timeout", () => {
    assert.deepEqual(
      issuesOf({
        base: "rooster",
        set: {
          "bigip.validateCertsDisable": false,
          "bigip.monitor": { type: "tcp", interval: 16, timeout: 16 },
        },
      }),
      [
        "ai-platform:bigip.monitor.interval: must be less than the timeout (16) (hint: BIG-IP rejects interval >= timeout)",
        "ai-platform:bigip.trustedCertPath: is required when validateCertsDisable is false (hint: give the PEM file of the management CA, or set validateCertsDisable: true)",
      ],
    );
    assert.deepEqual(
      issuesOf({
        base: "rooster",
        set: { "bigip.validateCertsDisable": false, "bigip.trustedCertPath": "certs/bigip-ca.pem" },
      }),
      [],
    );
  });

  it("rejects a partition given as a path", () => {
    assert.deepEqual(issuesOf({ base: "rooster", set: { "bigip.partition": "/Common" } }), [
      "ai-platform:bigip.partition: must be a partition name like Common (no slashes)",
    ]);
  });

  it("requires tunnel hostnames to be proxied and to front a gateway", () => {
    assert.deepEqual(
      issuesOf({
        base: "homeops",
        set: {
          "exposures[0].dns.proxied": false,
          "exposures[0].target": { service: { namespace: "ai-system", name: "litellm" } },
        },
      }),
      [
        "ai-platform:exposures[0].dns.proxied: tunnel hostnames are proxied CNAMEs to <tunnel>.cfargotunnel.com (hint: set proxied: true)",
        "ai-platform:exposures[0].target: a tunnel hostname must front a gateway (hint: use target: { gateway: <name> })",
      ],
    );
  });

  it("requires an address for a DNS record and the tunnel secret to be declared", () => {
    const issues = issuesOf({
      base: "homeops",
      set: {
        "exposures[0].dns.mode": "record",
        "exposures[0].target": { service: { namespace: "ai-system", name: "litellm" } },
        "cloudflare.tunnel.secret": "tunnel-secret",
      },
    });
    assert.equal(issues.length, 2, issues.join("\n"));
    assert.match(
      issues[0]!,
      /^ai-platform:cloudflare\.tunnel\.secret: unknown secret "tunnel-secret" \(hint: declared secrets: .*cloudflare-tunnel-secret/,
    );
    assert.equal(
      issues[1],
      "ai-platform:exposures[0].dns.mode: a DNS record needs an address: a LoadBalancer gateway or a BIG-IP VIP (hint: use mode: tunnel, or add a bigip block)",
    );
    assert.deepEqual(
      issuesOf({ base: "homeops", set: { "exposures[0].dns.mode": "record" } }),
      [],
      "a LoadBalancer gateway has an address",
    );
  });
});
