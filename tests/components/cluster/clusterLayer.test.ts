import { strict as assert } from "assert";
import { createHash } from "crypto";
import { parse } from "yaml";
import {
  bgpManifests,
  CILIUM_AGENT_CAPABILITIES,
  ciliumValues,
  completeBgp,
  l2PolicyManifest,
  lbPoolManifest,
} from "../../../components/cluster/cilium";
import {
  cilium,
  configIssues,
  gatewayConfig,
  LONGHORN_EXTENSIONS,
  longhorn,
  rawConfig,
  talosCluster,
  talosNode,
} from "../../support/builders";
import { longhornValues } from "../../../components/cluster/longhorn";
import { charts, crdBundles } from "../../../lib/versions";
import { listStacks, rawConfigOf, readStackFile } from "../../../recording/stackFile";
import type { Recording } from "../../../recording/runtime";
import { loadPlatformConfig, parsePlatformConfig } from "../../../stacks/load";
import { ipInRange } from "../../../lib/net";
import { byType, one, recordPlatform } from "../../support/record";
import { talosOn } from "../../support/layers";
import { platformConfig } from "../../support/builders";

const APPLY = "talos:machine/configurationApply:ConfigurationApply";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/**
 * Three control planes and a worker on a Proxmox-like network (static links, disks by path), Longhorn on its
 * storage extensions, and an AI gateway whose Gateway API objects wait for the layer's CRD bundle.
 */
const VM_CLUSTER = rawConfig(
  talosCluster({
    extensions: [...LONGHORN_EXTENSIONS, "siderolabs/qemu-guest-agent"],
    network: {
      nodeCidr: "10.0.0.0/24",
      gateway: "10.0.0.1",
      dnsServers: ["10.0.0.1"],
      ntpServers: ["time.cloudflare.com"],
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/16",
    },
    nodes: [
      talosNode(11, { interface: "ens18" }),
      talosNode(12, { interface: "ens18" }),
      talosNode(13, { interface: "ens18" }),
      talosNode(14, {
        interface: "ens18",
        controller: false,
        labels: { "node-role.kubernetes.io/worker": "" },
      }),
    ],
  }),
  cilium({ hubble: { relay: true, ui: true } }),
  longhorn(),
  gatewayConfig(),
);

/** Three bare-metal control planes: NICs by MAC under an alias, disks by path, serial and selector, L2 LB IPAM. */
const METAL_CLUSTER = rawConfig(
  talosCluster({
    apiVip: "10.0.0.10",
    nodes: [
      talosNode(11, {
        interface: "lan0",
        mac: "58:47:ca:70:1a:01",
        disk: { path: "/dev/nvme0n1" },
        labels: { "topology.kubernetes.io/zone": "rack-a" },
      }),
      talosNode(12, { interface: "lan0", mac: "58:47:ca:70:1a:02", disk: { serial: "S6S1NS0T812345" } }),
      talosNode(13, {
        interface: "lan0",
        mac: "58:47:ca:70:1a:03",
        disk: { selector: { type: "nvme", size: ">= 500GB" } },
      }),
    ],
  }),
  cilium({
    lbPools: [{ name: "services", blocks: [{ start: "10.0.0.20", stop: "10.0.0.49" }] }],
    l2Announcements: { enabled: true, interfaces: ["^enp.*", "^eth[0-9]+"] },
    hubble: { relay: true, ui: true },
  }),
  gatewayConfig([
    {
      name: "gw",
      listeners: [{ name: "http", protocol: "HTTP", port: 80 }],
      service: { type: "LoadBalancer", ip: "10.0.0.30" },
    },
  ]),
);

const cache = new Map<string, Promise<Recording>>();
/** The cluster layer (with Longhorn and the AI gateway as its consumers) built through the composition. */
function recordLayer(which: "vm" | "metal"): Promise<Recording> {
  let r = cache.get(which);
  if (r === undefined) {
    r = recordPlatform(which === "vm" ? VM_CLUSTER : METAL_CLUSTER, ["cluster", "longhorn", "gateway"]);
    cache.set(which, r);
  }
  return r;
}

const patchesOf = (rec: Recording, node: string) =>
  (one(rec, APPLY, `cluster-talos-${node}`).inputs["configPatches"] as string[]).map((p) => JSON.parse(p));
const kindOf = (doc: Record<string, unknown>) => String(doc["kind"] ?? Object.keys(doc).join("+"));

describe("cluster: TalosCluster (three control planes and a worker)", () => {
  it("builds the installer from a schematic of the declared extensions", async () => {
    const rec = await recordLayer("vm");
    const schematic = one(rec, "talos:imageFactory/schematic:Schematic", "cluster-talos-schematic");
    assert.deepEqual(parse(String(schematic.inputs["schematic"])), {
      customization: {
        systemExtensions: {
          officialExtensions: [
            "siderolabs/iscsi-tools",
            "siderolabs/qemu-guest-agent",
            "siderolabs/util-linux-tools",
          ],
        },
      },
    });
    // Content-addressed, as Image Factory's schematic IDs are.
    const schematicId = createHash("sha256").update(String(schematic.inputs["schematic"])).digest("hex");
    const urls = rec.invokes.filter((i) => i.token === "talos:imageFactory/getUrls:getUrls");
    assert.deepEqual(
      urls.map((i) => i.args),
      [{ platform: "metal", schematicId, talosVersion: "v1.13.9" }],
    );
    assert.deepEqual(patchesOf(rec, "node-11")[0], {
      machine: {
        install: {
          disk: "/dev/sda",
          image: `factory.talos.dev/metal-installer/${schematicId}:v1.13.9`,
        },
      },
    });
  });

  it("protects the machine secrets and keeps them across Talos upgrades", async () => {
    const rec = await recordLayer("vm");
    const secrets = one(rec, "talos:machine/secrets:Secrets", "cluster-talos-secrets");
    assert.equal(secrets.options.protect, true);
    assert.deepEqual(secrets.options.ignoreChanges, ["talosVersion"]);
    assert.deepEqual(secrets.inputs, { talosVersion: "v1.13" });
  });

  it("renders one configuration per role with the cluster-wide patches", async () => {
    const rec = await recordLayer("vm");
    const configs = rec.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
    assert.deepEqual(configs.map((c) => c.args["machineType"]).sort(), ["controlplane", "worker"]);
    for (const c of configs) {
      assert.equal(c.args["clusterEndpoint"], "https://10.0.0.10:6443");
      assert.equal(c.args["kubernetesVersion"], "1.36.3");
      const docs = (c.args["configPatches"] as string[]).map((p) => JSON.parse(p));
      assert.ok(
        docs.some((d) => d.cluster?.network?.cni?.name === "none" && d.cluster?.proxy?.disabled === true),
        "cni none + no kube-proxy",
      );
      assert.ok(
        docs.some((d) => d.machine?.kubelet?.extraMounts?.[0]?.destination === "/var/lib/longhorn"),
        "Longhorn mount",
      );
      assert.ok(
        docs.some((d) => d.machine?.features?.kubePrism?.port === 7445),
        "KubePrism",
      );
      assert.ok(docs.some((d) => d.kind === "TimeSyncConfig" && d.ntp.servers[0] === "time.cloudflare.com"));
      assert.ok(docs.some((d) => d.kind === "ResolverConfig" && d.nameservers[0].address === "10.0.0.1"));
      const etcd = docs.some((d) => d.cluster?.etcd !== undefined);
      assert.equal(etcd, c.args["machineType"] === "controlplane");
    }
  });

  it("applies once per node with the right patches per role", async () => {
    const rec = await recordLayer("vm");
    const applies = byType(rec, APPLY);
    assert.deepEqual(applies.map((a) => a.inputs["node"]).sort(), [
      "10.0.0.11",
      "10.0.0.12",
      "10.0.0.13",
      "10.0.0.14",
    ]);
    for (const node of ["node-11", "node-12", "node-13"]) {
      assert.deepEqual(
        patchesOf(rec, node).map(kindOf),
        ["machine", "HostnameConfig", "LinkConfig", "Layer2VIPConfig"],
        node,
      );
    }
    assert.deepEqual(patchesOf(rec, "node-14").map(kindOf), [
      "machine",
      "HostnameConfig",
      "LinkConfig",
      "machine",
    ]);
    assert.deepEqual(patchesOf(rec, "node-14")[1], {
      apiVersion: "v1alpha1",
      kind: "HostnameConfig",
      hostname: "node-14",
      auto: "off",
    });
    assert.deepEqual(patchesOf(rec, "node-12")[2].addresses, [{ address: "10.0.0.12/24" }]);
    for (const a of applies) {
      assert.deepEqual(a.secretPaths.sort(), ["clientConfiguration", "machineConfigurationInput"]);
      assert.ok(
        a.dependencies.includes(one(rec, "talos:machine/secrets:Secrets", "cluster-talos-secrets").urn),
      );
    }
  });

  it("bootstraps exactly once, on the first control plane after its apply", async () => {
    const rec = await recordLayer("vm");
    const boots = byType(rec, "talos:machine/bootstrap:Bootstrap");
    assert.equal(boots.length, 1);
    assert.equal(boots[0]!.inputs["node"], "10.0.0.11");
    assert.ok(boots[0]!.dependencies.includes(one(rec, APPLY, "cluster-talos-node-11").urn));
    assert.ok(!boots[0]!.dependencies.includes(one(rec, APPLY, "cluster-talos-node-14").urn));
    // The kubeconfig waits for the day-1 API gate, never for the bootstrap that follows rollout steps.
    const kubeconfig = one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig");
    assert.ok(
      kubeconfig.dependencies.includes(one(rec, "command:local:Command", "cluster-talos-api-ready").urn),
    );
    assert.ok(!kubeconfig.dependencies.includes(boots[0]!.urn));
  });

  it("exports kubeconfig and talosconfig as secrets only", async () => {
    const rec = await recordLayer("vm");
    assert.equal(rec.outputs["kubeconfig"], "[secret]");
    assert.equal(rec.outputs["talosconfig"], "[secret]");
    assert.deepEqual(rec.outputSecretPaths.sort(), ["kubeconfig", "talosconfig"]);
    const talosconfig = rec.invokes.filter(
      (i) => i.token === "talos:client/getConfiguration:getConfiguration",
    );
    assert.deepEqual(talosconfig[0]!.args["endpoints"], ["10.0.0.11", "10.0.0.12", "10.0.0.13"]);
    const inputs = JSON.stringify(rec.resources.map((r) => r.inputs));
    for (const value of rec.secretValues)
      assert.ok(!inputs.includes(value), `${value} leaked into resource inputs`);
  });
});

describe("cluster: TalosCluster (bare metal)", () => {
  it("selects the NIC by MAC and the disk by serial or selector, without Longhorn mounts", async () => {
    const rec = await recordLayer("metal");
    const p1 = patchesOf(rec, "node-11");
    assert.deepEqual(p1.map(kindOf), [
      "machine",
      "HostnameConfig",
      "LinkAliasConfig",
      "LinkConfig",
      "Layer2VIPConfig",
      "machine",
    ]);
    assert.deepEqual(p1[2], {
      apiVersion: "v1alpha1",
      kind: "LinkAliasConfig",
      name: "lan0",
      selector: { match: 'mac(link.permanent_addr) == "58:47:ca:70:1a:01"' },
    });
    assert.deepEqual(p1[4], {
      apiVersion: "v1alpha1",
      kind: "Layer2VIPConfig",
      name: "10.0.0.10",
      link: "lan0",
    });
    assert.deepEqual(patchesOf(rec, "node-12")[0].machine.install.diskSelector, { serial: "S6S1NS0T812345" });
    assert.deepEqual(patchesOf(rec, "node-13")[0].machine.install.diskSelector, {
      type: "nvme",
      size: ">= 500GB",
    });
    const configs = rec.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
    assert.deepEqual(
      configs.map((c) => c.args["machineType"]),
      ["controlplane"],
    );
    assert.ok(!String(configs[0]!.args["configPatches"]).includes("extraMounts"));
    assert.equal(byType(rec, RELEASE).filter((r) => r.inputs["name"] === "longhorn").length, 0);
  });
});

describe("cluster: Kubernetes provider", () => {
  it("is built from the Talos kubeconfig alone, with no cluster-wide health gate, and used by the layer's objects", async () => {
    const rec = await recordLayer("vm");
    const provider = one(rec, "pulumi:providers:kubernetes", "cluster-k8s");
    assert.deepEqual(provider.secretPaths, ["kubeconfig"]);
    assert.deepEqual(provider.dependencies, [
      one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig").urn,
    ]);
    // A worker's apply, or any node's rollout step, never stands between the kubeconfig and the objects.
    assert.ok(!provider.dependencies.includes(one(rec, APPLY, "cluster-talos-node-14").urn));
    assert.equal(rec.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth").length, 0);
    for (const r of [...byType(rec, RELEASE), ...byType(rec, "kubernetes:core/v1:Namespace")])
      assert.equal(r.provider, provider.urn, r.name);
    const crds = one(rec, "kubernetes:yaml/v2:ConfigFile", "cluster-gateway-api-standard");
    assert.equal(crds.providers["kubernetes"], provider.urn);
  });

  it("comes from the given secret kubeconfig when Talos is disabled", async () => {
    // The minimal builder config: an existing cluster whose kubeconfig is the secret `kubeconfig`.
    const rec = await recordPlatform(rawConfig(cilium()), ["cluster"]);
    assert.equal(rec.resources.filter((r) => r.type.startsWith("talos:")).length, 0);
    assert.equal(rec.invokes.filter((i) => i.token.startsWith("talos:")).length, 0);
    assert.deepEqual(one(rec, "pulumi:providers:kubernetes", "cluster-k8s").secretPaths, ["kubeconfig"]);
    assert.deepEqual(rec.outputs["kubeconfig"], "[secret]");
  });
});

describe("cluster: Cilium", () => {
  it("sets Talos-correct values", () => {
    const v = ciliumValues(platformConfig(METAL_CLUSTER).cilium, { nodeCount: 3 });
    assert.equal(v["kubeProxyReplacement"], true);
    assert.equal(v["k8sServiceHost"], "localhost");
    assert.equal(v["k8sServicePort"], 7445);
    assert.deepEqual(v["cgroup"], { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" });
    assert.ok(!CILIUM_AGENT_CAPABILITIES.includes("SYS_MODULE"));
    assert.deepEqual(v["l2announcements"], { enabled: true });
    assert.deepEqual(v["hubble"], {
      enabled: true,
      relay: { enabled: true },
      ui: { enabled: true },
      tls: { auto: { enabled: true, method: "helm" } },
    });
    assert.deepEqual(v["bgpControlPlane"], { enabled: false });
    const quiet = ciliumValues(
      { ...platformConfig(METAL_CLUSTER).cilium, hubble: { relay: false, ui: false } },
      { nodeCount: 1 },
    );
    assert.deepEqual(quiet["hubble"], {
      enabled: false,
      relay: { enabled: false },
      ui: { enabled: false },
      tls: { auto: { enabled: true, method: "helm" } },
    });
    assert.deepEqual(quiet["operator"], { enabled: true, replicas: 1 });
  });

  it("carries the values a running cluster keeps over the program's, map by map (cilium.values)", () => {
    const base = platformConfig(METAL_CLUSTER).cilium;
    const carried = {
      routingMode: "native",
      ipv4NativeRoutingCIDR: "10.69.0.0/16",
      loadBalancer: { algorithm: "maglev" },
      envoy: { enabled: false },
      operator: { rollOutPods: true },
    };
    const v = ciliumValues({ ...base, values: carried }, { nodeCount: 3 });
    assert.equal(v["routingMode"], "native");
    assert.deepEqual(v["loadBalancer"], { algorithm: "maglev" });
    assert.deepEqual(v["envoy"], { enabled: false });
    assert.deepEqual(v["operator"], { enabled: true, replicas: 2, rollOutPods: true });
    assert.equal(v["kubeProxyReplacement"], true);
    assert.deepEqual(ciliumValues(base, { nodeCount: 3 })["envoy"], { enabled: true });
  });

  it("installs the pinned chart in kube-system and its pools and L2 policy after it", async () => {
    const rec = await recordLayer("metal");
    const release = one(rec, RELEASE, "cluster-cilium-release");
    assert.equal(release.inputs["chart"], "cilium");
    assert.equal(release.inputs["version"], charts.cilium.version);
    assert.deepEqual(release.inputs["repositoryOpts"], { repo: "https://helm.cilium.io" });
    assert.equal(release.inputs["namespace"], "kube-system");
    const pool = one(rec, "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool", "cluster-cilium-services");
    const l2 = one(
      rec,
      "kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy",
      "cluster-cilium-l2-announcements",
    );
    for (const cr of [pool, l2])
      assert.deepEqual(
        cr.dependencies.filter((d) => !d.includes("pulumi:providers")),
        [release.urn],
        cr.name,
      );
    assert.deepEqual(pool.inputs["spec"], { blocks: [{ start: "10.0.0.20", stop: "10.0.0.49" }] });
    assert.ok(
      ipInRange("10.0.0.30", "10.0.0.20", "10.0.0.49"),
      "the agentgateway address comes from the pool",
    );
    assert.deepEqual((l2.inputs["spec"] as Record<string, unknown>)["interfaces"], ["^enp.*", "^eth[0-9]+"]);
  });

  it("builds well-formed LB IPAM, L2 and BGP objects", () => {
    assert.deepEqual(lbPoolManifest({ name: "p", blocks: [{ cidr: "10.0.0.0/28" }] }), {
      apiVersion: "cilium.io/v2",
      kind: "CiliumLoadBalancerIPPool",
      metadata: { name: "p" },
      spec: { blocks: [{ cidr: "10.0.0.0/28" }] },
    });
    assert.equal("interfaces" in l2PolicyManifest("l2", []).spec, false);
    const bgp = completeBgp({ routerAddress: "10.50.0.1", routerAsn: 64513, nodeAsn: 64514 })!;
    const [clusterConfig, peer, advert] = bgpManifests("bgp", bgp);
    assert.deepEqual((clusterConfig!.spec["bgpInstances"] as unknown[])[0], {
      name: "instance-64514",
      localASN: 64514,
      peers: [
        { name: "router", peerASN: 64513, peerAddress: "10.50.0.1", peerConfigRef: { name: "bgp-peer" } },
      ],
    });
    assert.equal(peer!.metadata["name"], "bgp-peer");
    assert.deepEqual(
      advert!.metadata["labels"],
      (peer!.spec["families"] as Array<{ advertisements: { matchLabels: unknown } }>)[0]!.advertisements
        .matchLabels,
    );
    assert.equal(completeBgp(undefined), undefined);
    assert.equal(completeBgp({}), undefined);
  });

  it("creates BGP peering only when all three BGP fields are set", async () => {
    const bgp = { routerAddress: "10.0.0.1", routerAsn: 64513, nodeAsn: 64514 };
    const rec = await recordPlatform(rawConfig(METAL_CLUSTER, cilium({ ...METAL_CLUSTER.cilium, bgp })), [
      "cluster",
    ]);
    const without = await recordLayer("metal");
    assert.equal(without.resources.filter((r) => r.type.includes("CiliumBGP")).length, 0);
    assert.deepEqual(
      rec.resources
        .filter((r) => r.type.includes("CiliumBGP"))
        .map((r) => r.type.split(":").pop())
        .sort(),
      ["CiliumBGPAdvertisement", "CiliumBGPClusterConfig", "CiliumBGPPeerConfig"],
    );
    assert.deepEqual(
      (one(rec, RELEASE, "cluster-cilium-release").inputs["values"] as Record<string, unknown>)[
        "bgpControlPlane"
      ],
      { enabled: true },
    );
  });
});

describe("cluster: ordering", () => {
  it("orders namespaced workloads after Cilium through the namespaces, with no blanket dependsOn", async () => {
    const rec = await recordLayer("vm");
    const cilium = one(rec, RELEASE, "cluster-cilium-release");
    const ns = one(rec, "kubernetes:core/v1:Namespace", "platform-longhorn-system");
    assert.ok(ns.dependencies.includes(cilium.urn), "namespace after the CNI");
    const longhorn = one(rec, RELEASE, "longhorn-release");
    assert.ok(longhorn.dependencies.includes(ns.urn), "Longhorn after its namespace");
    assert.ok(!longhorn.dependencies.includes(cilium.urn), "no direct dependsOn on the CNI");
    // The CNI, CRD bundle and Talos resources carry no dependencies beyond their own inputs.
    assert.deepEqual(cilium.dependencies, []);
    assert.deepEqual(
      one(rec, "kubernetes:yaml/v2:ConfigFile", "cluster-gateway-api-standard").dependencies,
      [],
    );
  });

  it("installs the Gateway API CRDs once, before the objects that use them", async () => {
    const rec = await recordLayer("vm");
    const bundles = byType(rec, "kubernetes:yaml/v2:ConfigFile");
    assert.equal(bundles.length, 1);
    assert.equal(bundles[0]!.inputs["file"], crdBundles.gatewayApi.url);
    assert.match(
      String(bundles[0]!.inputs["file"]),
      /gateway-api\/releases\/download\/v1\.6\.1\/standard-install\.yaml$/,
    );
    assert.equal(bundles[0]!.options.protect, true);
    // The AI gateway's Gateway API objects are the consumers; each waits for the bundle.
    const consumers = rec.resources.filter((r) => r.type.startsWith("kubernetes:gateway.networking.k8s.io/"));
    assert.ok(consumers.length > 0);
    for (const c of consumers) assert.ok(c.dependencies.includes(bundles[0]!.urn), c.name);
  });
});

describe("cluster: Longhorn", () => {
  it("installs the pinned chart into the managed namespace, protected, with the default StorageClass", async () => {
    const rec = await recordLayer("vm");
    const release = one(rec, RELEASE, "longhorn-release");
    assert.equal(release.options.protect, true);
    assert.equal(release.inputs["version"], charts.longhorn.version);
    assert.equal(release.inputs["namespace"], "longhorn-system");
    const values = release.inputs["values"] as Record<string, Record<string, unknown>>;
    assert.deepEqual(values["persistence"], {
      createStorageClass: true,
      defaultClass: true,
      defaultClassReplicaCount: 3,
    });
    assert.deepEqual(values["defaultSettings"]!["defaultReplicaCount"], { v1: "3", v2: "3" });
    assert.equal(values["defaultSettings"]!["defaultDataPath"], "/var/lib/longhorn/");
    assert.deepEqual(values["preUpgradeChecker"], { jobEnabled: true, upgradeVersionCheck: true });
    assert.equal(values["defaultBackupStore"], undefined);
  });

  it("sets the backup target only when configured", () => {
    const lh = platformConfig(VM_CLUSTER).longhorn;
    assert.deepEqual(
      longhornValues({ ...lh, backupTarget: "s3://backups@us-east-1/" })["defaultBackupStore"],
      { backupTarget: "s3://backups@us-east-1/" },
    );
  });
});

describe("cluster: validation rules", () => {
  // The production stacks' own choices: every stack validates, and rooster keeps its four talhelper nodes.
  it("every stack file validates", () => {
    for (const stack of listStacks())
      assert.deepEqual(parsePlatformConfig(rawConfigOf(readStackFile(stack))).issues, [], stack);
  });

  it("rooster describes its four talhelper nodes", () => {
    const nodes = talosOn(loadPlatformConfig(rawConfigOf(readStackFile("rooster")))).nodes;
    assert.deepEqual(
      nodes.map((n) => [n.name, n.address]),
      [
        ["rooster-01", "172.16.10.130"],
        ["rooster-02", "172.16.10.132"],
        ["rooster-03", "172.16.10.133"],
        ["rooster-04", "172.16.10.136"],
      ],
    );
  });

  it("the builder configs validate", () => {
    assert.deepEqual(configIssues(VM_CLUSTER), []);
    assert.deepEqual(configIssues(METAL_CLUSTER), []);
  });

  it("BGP is all three fields or none", () => {
    const bgp = { routerAddress: "10.0.0.1", nodeAsn: 64514 };
    assert.deepEqual(configIssues(METAL_CLUSTER, cilium({ ...METAL_CLUSTER.cilium, bgp })), [
      "ai-platform:cilium.bgp: BGP needs all of routerAddress, routerAsn and nodeAsn (missing: routerAsn) (hint: set all three, or remove cilium.bgp)",
    ]);
  });

  it("the gateway LoadBalancer address must come from a declared pool", () => {
    assert.deepEqual(
      configIssues(
        METAL_CLUSTER,
        cilium({ lbPools: [{ name: "small", blocks: [{ start: "10.0.0.20", stop: "10.0.0.29" }] }] }),
      ),
      [
        "ai-platform:agentgateway.gateways[0].service.ip: 10.0.0.30 is not inside any Cilium LB IPAM pool (hint: add a block containing it to cilium.lbPools)",
      ],
    );
  });

  it("Longhorn needs the iscsi-tools and util-linux-tools extensions", () => {
    assert.deepEqual(configIssues(METAL_CLUSTER, longhorn({ replicaCount: 2 })), [
      "ai-platform:cluster.talos.extensions: Longhorn needs the Talos extensions siderolabs/iscsi-tools and siderolabs/util-linux-tools (hint: add them to the schematic, or disable longhorn)",
    ]);
  });

  it("Longhorn replicas cannot exceed the storage nodes", () => {
    assert.deepEqual(configIssues(VM_CLUSTER, longhorn({ replicaCount: 5 })), [
      "ai-platform:longhorn.replicaCount: 5 replicas but only 4 storage nodes (hint: use at most 4)",
    ]);
  });

  it("with a MAC the interface is an alias, not a kernel interface name", () => {
    const talos = METAL_CLUSTER.cluster.talos as Extract<
      typeof METAL_CLUSTER.cluster.talos,
      { enabled: true }
    >;
    const nodes = talos.nodes.map((n, i) => (i === 1 ? { ...n, interface: "enp1s0" } : n));
    assert.deepEqual(configIssues(METAL_CLUSTER, talosCluster({ ...talos, nodes })), [
      'ai-platform:cluster.talos.nodes[1].interface: "enp1s0" looks like a kernel interface name, but with a MAC it names the link alias (hint: use an alias such as lan0)',
    ]);
  });

  it("without Talos the kubeconfig must come from a secret", () => {
    assert.deepEqual(configIssues({ cluster: { name: "test", talos: { enabled: false } } }), [
      "ai-platform:cluster.kubeconfigSecret: is required when cluster.talos.enabled is false (hint: name the secret that holds the existing cluster's kubeconfig)",
    ]);
  });
});
