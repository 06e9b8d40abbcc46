import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ltm } from "../../../components/f5";
import { nodePortsFor } from "../../../lib/exposures";
import type { Recording, RecordedResource } from "../../../recording/runtime";
import type { PlatformConfig } from "../../../stacks/schema";
import { checkPluginVersion, schemasDir, validateProviderResource } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import {
  bigipConfig,
  exposure,
  gateway,
  gatewayConfig,
  platformConfig,
  rawConfig,
  talosCluster,
  talosNode,
} from "../../support/builders";
import { byType, descendantsOf, one, recordPlatform, recordProgram } from "../../support/record";
import { talosOn } from "../../support/layers";

const NODE = "f5bigip:ltm/node:Node";
const POOL = "f5bigip:ltm/pool:Pool";
const MEMBER = "f5bigip:ltm/poolAttachment:PoolAttachment";
const MONITOR = "f5bigip:ltm/monitor:Monitor";
const VS = "f5bigip:ltm/virtualServer:VirtualServer";

const SOLO = exposure("solo", {
  target: { gateway: "gw" },
  bigip: { vip: "10.1.0.20", ports: [{ port: 8080, nodePort: 31572 }] },
});
const ARGO = exposure("argo", {
  enabled: false,
  hostname: "argo.example.com",
  target: { service: { namespace: "argocd", name: "argocd-server" } },
  bigip: {
    vip: "10.1.0.21",
    ports: [
      { port: 443, nodePort: 31988 },
      { port: 80, nodePort: 32178 },
    ],
  },
});
const XAI = exposure("xai", {
  target: { gateway: "xai" },
  bigip: { vip: "10.1.0.22", ports: [{ port: 8081, nodePort: 31990 }] },
});

/** BIG-IP in front of two gateways of a four-node Talos cluster, with a disabled row for a plain Service. */
const F5 = rawConfig(
  talosCluster({
    nodes: [talosNode(11), talosNode(12), talosNode(13), talosNode(14, { controller: false })],
  }),
  gatewayConfig([gateway("gw", 8080), gateway("xai", 8081)]),
  bigipConfig(),
  { exposures: [SOLO, ARGO, XAI] },
);

let f5Edge: Promise<Recording> | undefined;
/** The BIG-IP layer of the composition for F5, shared by the suites below. */
function f5Recording(): Promise<Recording> {
  f5Edge ??= recordPlatform(F5, ["bigip"]);
  return f5Edge;
}

describe("f5: BigipEdge", () => {
  let config: PlatformConfig;
  let recording: Recording;
  let edge: RecordedResource;
  before(async () => {
    config = platformConfig(F5);
    recording = await f5Recording();
    edge = one(recording, "platform:edge:BigipEdge", "bigip");
  });

  it("creates one node per Talos node, one monitor, and per enabled VIP port a pool, members and a virtual server", () => {
    assert.deepEqual(
      byType(recording, NODE).map((r) => [r.inputs["name"], r.inputs["address"]]),
      [
        ["/Common/node-11", "10.0.0.11"],
        ["/Common/node-12", "10.0.0.12"],
        ["/Common/node-13", "10.0.0.13"],
        ["/Common/node-14", "10.0.0.14"],
      ],
    );
    assert.deepEqual(
      byType(recording, VS)
        .map(
          (r) => `${r.inputs["name"]} ${r.inputs["destination"]}:${r.inputs["port"]} -> ${r.inputs["pool"]}`,
        )
        .sort(),
      [
        "/Common/test-solo-8080-vs 10.1.0.20:8080 -> /Common/test-solo-8080-pool",
        "/Common/test-xai-8081-vs 10.1.0.22:8081 -> /Common/test-xai-8081-pool",
      ],
    );
    assert.equal(byType(recording, POOL).length, 2);
    assert.equal(byType(recording, MEMBER).length, 8);
    assert.equal(byType(recording, MONITOR).length, 1);
    const children = descendantsOf(recording, edge);
    assert.equal(children.length, 4 + 1 + 2 + 8 + 2);
    for (const child of children) assert.equal(child.parent, edge.urn, `${child.name} is a direct child`);
  });

  it("deploys nothing for the disabled argo row", () => {
    const text = JSON.stringify(recording.resources);
    assert.ok(!text.includes("10.1.0.21"), "no VIP on argo's address");
    assert.ok(!text.includes("argocd"), "no pool for argocd-server");
  });

  it("gives each pool one member per node at node:NodePort, the NodePort of the fronted gateway Service", () => {
    const nodeAddress = new Map(
      byType(recording, NODE).map((r) => [String(r.inputs["name"]), String(r.inputs["address"])]),
    );
    const nodeUrns = byType(recording, NODE).map((r) => r.urn);
    for (const vs of byType(recording, VS)) {
      const poolName = String(vs.inputs["pool"]);
      const pool = byType(recording, POOL).find((p) => p.inputs["name"] === poolName)!;
      const members = byType(recording, MEMBER).filter((m) => m.inputs["pool"] === poolName);
      const exposure = config.exposures.find((e) => e.bigip?.vip === vs.inputs["destination"])!;
      const gateway = "gateway" in exposure.target ? exposure.target.gateway : "";
      const nodePort = nodePortsFor(gateway, config.exposures)[Number(vs.inputs["port"])];
      assert.ok(nodePort !== undefined, `${gateway} sets a NodePort on port ${String(vs.inputs["port"])}`);
      const addresses = members
        .map((m) => {
          const [node, port] = String(m.inputs["node"]).split(":");
          return `${nodeAddress.get(node!)}:${port}`;
        })
        .sort();
      assert.deepEqual(
        addresses,
        talosOn(config)
          .nodes.map((n) => `${n.address}:${nodePort}`)
          .sort(),
        `${poolName} members are every node at NodePort ${nodePort}`,
      );
      for (const m of members) {
        assert.deepEqual(
          m.dependencies,
          [pool.urn, ...nodeUrns.filter((u) => m.dependencies.includes(u))].sort(),
        );
        assert.equal(m.dependencies.length, 2, `${m.name} depends on its pool and its node`);
      }
      assert.deepEqual(vs.dependencies, [pool.urn], `${vs.name} waits for its pool`);
    }
  });

  it("makes every virtual server a fastL4 VIP with SNAT automap and port translation", () => {
    const vs = one(recording, VS, "bigip-solo-8080-vs");
    assert.deepEqual(vs.inputs, {
      description: "solo.example.com -> agentgateway-system/gw NodePort 31572",
      destination: "10.1.0.20",
      ipProtocol: "tcp",
      mask: "255.255.255.255",
      name: "/Common/test-solo-8080-vs",
      pool: "/Common/test-solo-8080-pool",
      port: 8080,
      profiles: ["/Common/fastL4"],
      sourceAddressTranslation: "automap",
      translateAddress: "enabled",
      translatePort: "enabled",
    });
    const pool = one(recording, POOL, "bigip-solo-8080-pool");
    assert.deepEqual(pool.inputs["monitors"], ["/Common/test-nodeport-tcp"]);
    assert.equal(pool.inputs["loadBalancingMode"], "round-robin");
    const monitor = one(recording, MONITOR, "bigip-monitor");
    assert.deepEqual(monitor.inputs, {
      interval: 5,
      name: "/Common/test-nodeport-tcp",
      parent: "/Common/tcp",
      timeout: 16,
    });
    assert.equal(one(recording, MEMBER, "bigip-solo-8080-node-13").inputs["node"], "/Common/node-13:31572");
  });

  it("uses the explicit f5bigip provider, pinned at 3.24.0, through parentage", () => {
    const provider = one(recording, "pulumi:providers:f5bigip", "bigip");
    assert.deepEqual(edge.providers, { f5bigip: provider.urn });
    assert.equal(provider.options.version, "3.24.0");
    assert.equal(provider.options.pluginDownloadURL, "", "f5bigip ships no pluginDownloadURL");
    for (const r of descendantsOf(recording, edge)) {
      assert.equal(r.provider, provider.urn, r.name);
      assert.equal(r.options.version, "3.24.0", r.name);
    }
  });

  it("keeps the BIG-IP credentials secret", () => {
    const provider = one(recording, "pulumi:providers:f5bigip", "bigip");
    assert.deepEqual(provider.secretPaths.sort(), ["address", "password", "username"]);
    assert.deepEqual(
      [provider.inputs["address"], provider.inputs["username"], provider.inputs["password"]],
      ["[secret]", "[secret]", "[secret]"],
    );
    assert.deepEqual(provider.options.additionalSecretOutputs.sort(), ["address", "password", "username"]);
    assert.equal(provider.inputs["validateCertsDisable"], true, "the config states its choice explicitly");
    assert.equal(provider.inputs["teemDisable"], true);
    const everything = JSON.stringify({
      resources: recording.resources,
      invokes: recording.invokes,
      outputs: recording.outputs,
    });
    assert.ok(recording.secretValues.length >= 3, "the 1Password placeholders were handed out");
    for (const value of recording.secretValues)
      assert.ok(!everything.includes(value), `secret ${value} leaked`);
  });

  it("exports the VIP table as plain values, argo marked disabled", () => {
    const table = recording.outputs["vipTable"] as Array<Record<string, unknown>>;
    assert.deepEqual(recording.outputSecretPaths, []);
    assert.equal(table.length, 4);
    assert.deepEqual(table[1], {
      exposure: "argo",
      hostname: "argo.example.com",
      vip: "10.1.0.21:443",
      backend: "argocd/argocd-server",
      nodePort: 31988,
      enabled: false,
    });
  });
});

describe("f5: BigipEdge next to the AI gateway", () => {
  it("pool members use exactly the NodePorts the recorded gateway Services are given", async () => {
    // The AI gateway and BIG-IP layers as the composition wires them, without the rest of the platform.
    const recording = await recordPlatform(F5, ["gateway", "bigip"]);
    // Service port -> NodePort of each gateway, as its AgentgatewayParameters overlay sets them.
    const servicePorts = new Map<string, number>();
    for (const params of recording.resources.filter((r) => r.inputs["kind"] === "AgentgatewayParameters")) {
      const meta = params.inputs["metadata"] as { name: string };
      const spec = params.inputs["spec"] as {
        service: { spec: { type: string; ports?: Array<{ port: number; nodePort: number }> } };
      };
      for (const p of spec.service.spec.ports ?? []) servicePorts.set(`${meta.name}:${p.port}`, p.nodePort);
    }
    assert.equal(servicePorts.size, 2, "every enabled gateway exposure sets a NodePort");
    const vipCount = byType(recording, VS).length;
    assert.equal(vipCount, 2);
    for (const vs of byType(recording, VS)) {
      const description = String(vs.inputs["description"]);
      const gateway = /-> agentgateway-system\/(\S+) NodePort/.exec(description)![1]!;
      const serviceNodePort = servicePorts.get(`${gateway}:${String(vs.inputs["port"])}`);
      const members = byType(recording, MEMBER).filter((m) => m.inputs["pool"] === vs.inputs["pool"]);
      assert.equal(members.length, 4);
      for (const m of members)
        assert.equal(String(m.inputs["node"]).split(":")[1], String(serviceNodePort), `${m.name}`);
    }
  });
});

describe("f5: BigipEdge variants", () => {
  it("names objects in the configured partition and uses an HTTP monitor when asked", async () => {
    const recording = await recordPlatform(
      rawConfig(
        F5,
        bigipConfig({ partition: "edge", monitor: { type: "http", interval: 10, timeout: 31 } }),
        {
          exposures: [XAI],
        },
      ),
      ["bigip"],
    );
    assert.deepEqual(
      [
        ...byType(recording, NODE),
        ...byType(recording, POOL),
        ...byType(recording, VS),
        ...byType(recording, MONITOR),
      ].map((r) => String(r.inputs["name"]).split("/").slice(0, 2).join("/")),
      Array(4 + 1 + 1 + 1).fill("/edge"),
    );
    const monitor = one(recording, MONITOR, "bigip-monitor");
    assert.equal(monitor.inputs["parent"], "/Common/http", "parent monitors live in /Common");
    assert.equal(monitor.inputs["send"], "GET / HTTP/1.0\r\n\r\n");
    assert.equal(monitor.inputs["interval"], 10);
    assert.equal(one(recording, VS, "bigip-xai-8081-vs").inputs["profiles"]?.toString(), "/Common/fastL4");
  });

  it("bindings refuse a missing required input", () => {
    assert.throws(
      () => new ltm.PoolAttachment("x", { pool: "/Common/p" } as unknown as ltm.PoolAttachmentArgs),
      /f5bigip:ltm\/poolAttachment:PoolAttachment: Missing required property 'node'/,
    );
  });
});

describeWithSchemas("f5: registrations match the f5bigip 3.24.0 schema", () => {
  const schemaFile = () => path.join(schemasDir()!, "providers", "f5bigip-3.24.0.json");

  it("every f5bigip registration has a known token, its required inputs, no unknown input, schema types", async () => {
    const recording = await f5Recording();
    const registrations = recording.resources.filter(
      (r) => r.type.startsWith("f5bigip:") || r.type === "pulumi:providers:f5bigip",
    );
    assert.equal(registrations.length, 1 + 4 + 1 + 2 + 8 + 2);
    const problems = registrations.flatMap((r) => [
      ...validateProviderResource(r.type, r.inputs),
      ...checkPluginVersion(r.type, r.options.version),
    ]);
    assert.deepEqual(problems, []);
  });

  it("the bindings declare exactly the schema's inputs, required inputs and secret inputs", () => {
    const schema = JSON.parse(fs.readFileSync(schemaFile(), "utf8")) as {
      resources: Record<
        string,
        { inputProperties: Record<string, { secret?: boolean }>; requiredInputs?: string[] }
      >;
    };
    const classes = [ltm.Node, ltm.Pool, ltm.PoolAttachment, ltm.Monitor, ltm.VirtualServer];
    for (const cls of classes) {
      const spec = schema.resources[cls.__pulumiType];
      assert.ok(spec !== undefined, `${cls.__pulumiType} exists`);
      assert.deepEqual(cls.inputNames, Object.keys(spec.inputProperties).sort(), cls.__pulumiType);
      assert.deepEqual(cls.requiredInputs, [...(spec.requiredInputs ?? [])].sort(), cls.__pulumiType);
    }
    const monitorSecrets = Object.entries(schema.resources[ltm.Monitor.__pulumiType]!.inputProperties)
      .filter(([, p]) => p.secret === true)
      .map(([k]) => k);
    assert.deepEqual(monitorSecrets, ["password"]);
  });

  it("a schema-secret input (monitor password) is registered secret", async () => {
    const recording = await recordProgram(() => {
      new ltm.Monitor("m", {
        name: "/Common/m",
        parent: "/Common/https",
        username: "probe",
        password: "hunter2-probe",
      });
    });
    const monitor = one(recording, MONITOR, "m");
    assert.deepEqual(monitor.secretPaths, ["password"]);
    assert.deepEqual(monitor.options.additionalSecretOutputs, ["password"]);
    assert.ok(!JSON.stringify(recording.resources).includes("hunter2-probe"));
  });
});
