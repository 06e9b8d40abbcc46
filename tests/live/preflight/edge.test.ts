import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { bigipFindings, destinationOf, monitorNames, REPLACING_FIELDS } from "../../../live/preflight/bigip";
import { cloudflareFindings, externalDnsOwner } from "../../../live/preflight/cloudflare";
import type { BigipState, CloudflareState } from "../../../live/preflight/liveState";
import { schemasDir } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import { planOf, resource } from "../../support/preflight";

type Obj = Record<string, unknown>;

const NODE = "f5bigip:ltm/node:Node";
const POOL = "f5bigip:ltm/pool:Pool";
const ATTACH = "f5bigip:ltm/poolAttachment:PoolAttachment";
const VS = "f5bigip:ltm/virtualServer:VirtualServer";

const live: BigipState = {
  nodes: [{ name: "172.16.10.130", fullPath: "/Common/172.16.10.130", address: "172.16.10.130" }],
  pools: [
    {
      name: "tf_pool",
      fullPath: "/Common/tf_pool",
      monitor: "/Common/tf_tcp ",
      loadBalancingMode: "round-robin",
      membersReference: { isSubcollection: true, items: [{ name: "172.16.10.130:31572" }] },
    },
  ],
  virtuals: [
    {
      name: "tf_vs",
      fullPath: "/Common/tf_vs",
      destination: "/Common/172.16.20.120:8080",
      pool: "/Common/tf_pool",
    },
  ],
  monitors: [],
};

describe("preflight/bigip: objects against the LTM configuration", () => {
  it("blocks a new node on an address another node holds, naming it", () => {
    const [f] = bigipFindings(
      planOf({ bigip: [resource(NODE, { name: "/Common/rooster-01", address: "172.16.10.130" })] }),
      live,
    );
    assert.deepEqual([f!.action, f!.severity], ["blocked", "blocker"]);
    assert.match(f!.hint!, /\/Common\/172\.16\.10\.130/);
  });

  it("blocks a virtual server on a destination:port another one serves (an unmapped VIP), and names the members its pool lacks", () => {
    const plan = planOf({
      bigip: [
        resource(NODE, { name: "/Common/rooster-01", address: "172.16.10.130" }),
        resource(NODE, { name: "/Common/rooster-04", address: "172.16.10.136" }),
        resource(ATTACH, { pool: "/Common/p", node: "/Common/rooster-01:31572" }),
        resource(ATTACH, { pool: "/Common/p", node: "/Common/rooster-04:31572" }),
        resource(VS, { name: "/Common/vs", destination: "172.16.20.120", port: 8080, pool: "/Common/p" }),
      ],
    });
    const vs = bigipFindings(plan, live).find((f) => f.object.startsWith("BIG-IP virtual server"))!;
    assert.equal(vs.severity, "blocker");
    assert.match(vs.message, /VIP 172\.16\.20\.120:8080 is served by \/Common\/tf_vs/);
    assert.match(
      vs.message,
      /172\.16\.10\.136:31572 \(node \/Common\/rooster-04\) is not in \/Common\/tf_pool/,
    );
  });

  it("takes over mapped objects with their changes, and blocks a mapping to nothing", () => {
    const [pool] = bigipFindings(
      planOf({
        bigip: [
          resource(
            POOL,
            { name: "/Common/tf_pool", monitors: ["/Common/mine"], loadBalancingMode: "round-robin" },
            "/Common/tf_pool",
          ),
        ],
      }),
      live,
    );
    assert.equal(pool!.action, "take-over-with-changes");
    assert.deepEqual(pool!.changes, [{ path: "monitors", live: "/Common/tf_tcp", planned: "/Common/mine" }]);
    const [missing] = bigipFindings(
      planOf({ bigip: [resource(POOL, { name: "/Common/x" }, "/Common/x")] }),
      live,
    );
    assert.equal(missing!.severity, "blocker");
  });

  it("blocks an imported pool attachment whose member the live pool lacks", () => {
    const attach = (node: string) =>
      resource(ATTACH, { pool: "/Common/tf_pool", node }, JSON.stringify({ pool: "/Common/tf_pool", node }));
    const [present, absent] = bigipFindings(
      planOf({ bigip: [attach("/Common/172.16.10.130:31572"), attach("/Common/172.16.10.136:31572")] }),
      live,
    );
    assert.equal(present!.action, "take-over");
    assert.deepEqual([absent!.action, absent!.severity], ["blocked", "blocker"]);
    assert.match(
      absent!.message,
      /172\.16\.10\.136:31572 is not a member of \/Common\/tf_pool \(members: 172\.16\.10\.130:31572\)/,
    );
  });

  it("reads destinations with a route domain and pool monitor rules", () => {
    assert.equal(destinationOf("/Common/10.0.0.1%2:443"), "10.0.0.1:443");
    assert.deepEqual(monitorNames("min 1 of { /Common/b /Common/a }"), ["/Common/a", "/Common/b"]);
  });
});

describeWithSchemas("preflight/bigip: ForceNew fields match the f5bigip provider schema", () => {
  it("names exactly the inputs the schema marks willReplaceOnChanges", () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(schemasDir()!, "providers", "f5bigip-3.24.0.json"), "utf8"),
    ) as { resources: Record<string, { inputProperties: Record<string, Obj> }> };
    for (const [type, fields] of Object.entries(REPLACING_FIELDS)) {
      const replacing = Object.entries(schema.resources[type]!.inputProperties)
        .filter(([, p]) => p["willReplaceOnChanges"] === true)
        .map(([k]) => k);
      assert.deepEqual([...fields].sort(), replacing.sort(), type);
    }
  });
});

describe("preflight/cloudflare: records and tunnels against the zone and the account", () => {
  const RECORD = "cloudflare:index/dnsRecord:DnsRecord";
  const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
  const zone: CloudflareState = {
    dnsRecords: [
      { id: "a1", name: "ai.sklab.dev", type: "CNAME", content: "external.sklab.dev", proxied: true, ttl: 1 },
      {
        id: "t1",
        name: "cname-ai.sklab.dev",
        type: "TXT",
        content:
          '"heritage=external-dns,external-dns/owner=default,external-dns/resource=httproute/ai-system/llm-routes"',
      },
    ],
    tunnels: [{ id: "old", name: "kubernetes", remote_config: false, status: "healthy" }],
  };
  const record = (importId = "") =>
    resource(
      RECORD,
      {
        name: "ai.sklab.dev",
        type: "CNAME",
        content: "cloudflare-tunnel-id.cfargotunnel.com",
        proxied: true,
        ttl: 1,
        comment: "ai-platform exposure ai",
      },
      importId,
    );
  const tunnel = resource(TUNNEL, { name: "homeops", configSrc: "cloudflare" });
  tunnel.urn =
    "urn:pulumi:homeops::ai-platform::platform:edge:CloudflareEdge$cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared::cloudflare-tunnel";

  it("blocks creating a record whose name exists, gives its id to import, and names external-dns's ownership", () => {
    const findings = cloudflareFindings(planOf({ cloudflare: [record(), tunnel] }), zone, {
      adoptionRun: false,
    });
    const blockers = findings.filter((f) => f.severity === "blocker");
    assert.equal(blockers.length, 2);
    assert.match(blockers[0]!.hint!, /adoption\.cloudflare\.dnsRecords\.ai: a1/);
    assert.match(blockers[1]!.message, /external-dns owns it \(TXT cname-ai\.sklab\.dev/);
  });

  it("takes an imported record over with its new content (the new tunnel) and refuses a type change", () => {
    const [taken] = cloudflareFindings(planOf({ cloudflare: [record("zone/a1"), tunnel] }), zone, {
      adoptionRun: true,
    });
    assert.equal(taken!.action, "take-over-with-changes");
    assert.deepEqual(
      taken!.changes!.find((c) => c.path === "content"),
      {
        path: "content",
        live: "external.sklab.dev",
        planned: "<id of the new tunnel homeops>.cfargotunnel.com",
      },
    );
    const txt = { ...zone, dnsRecords: [{ id: "a1", name: "ai.sklab.dev", type: "A", content: "10.0.0.1" }] };
    assert.match(
      cloudflareFindings(planOf({ cloudflare: [record("zone/a1")] }), txt, { adoptionRun: true })[0]!.message,
      /a type change replaces the record/,
    );
  });

  it("blocks a tunnel name the account uses, and leaves the locally managed tunnel behind", () => {
    const taken = { ...zone, tunnels: [...zone.tunnels, { id: "x", name: "homeops", remote_config: false }] };
    const findings = cloudflareFindings(planOf({ cloudflare: [tunnel] }), taken, { adoptionRun: true });
    assert.deepEqual(
      findings.map((f) => [f.object, f.action]),
      [
        ["tunnel homeops", "blocked"],
        ["tunnel kubernetes", "left-behind"],
      ],
    );
  });

  it("finds external-dns's ownership record by its type-prefixed name (registry/txt.go toTXTName)", () => {
    assert.equal(externalDnsOwner(zone.dnsRecords[0]!, zone.dnsRecords)?.txt, "cname-ai.sklab.dev");
    assert.equal(externalDnsOwner({ name: "x.sklab.dev", type: "A" }, zone.dnsRecords), undefined);
  });
});
