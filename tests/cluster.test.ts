import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { parse } from "yaml";
import {
  bgpManifests,
  CILIUM_AGENT_CAPABILITIES,
  ciliumValues,
  completeBgp,
  l2PolicyManifest,
  lbPoolManifest,
} from "../components/cluster/cilium";
import { clusterLayer } from "../components/cluster/clusterLayer";
import { Longhorn, longhornValues } from "../components/cluster/longhorn";
import { PlatformNamespaces } from "../components/platform/namespaces";
import { charts, crdBundles } from "../lib/versions";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import type { Recording } from "../recording/runtime";
import { formatIssue } from "../stacks/issues";
import { loadPlatformConfig, parsePlatformConfig } from "../stacks/load";
import { ipInRange } from "../lib/net";
import { namespacesOf } from "../lib/layers";
import type { PlatformConfig } from "../stacks/schema";
import { byType, one, recordProgram } from "./support/record";
import { talosOn } from "./support/layers";

const load = (stack: string) => loadPlatformConfig(rawConfigOf(readStackFile(stack)));
const APPLY = "talos:machine/configurationApply:ConfigurationApply";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The cluster layer of a stack, plus PlatformNamespaces after the CNI and Longhorn in its namespace. */
function layerProgram(config: PlatformConfig, existingKubeconfig?: pulumi.Input<string>) {
  return () => {
    const layer = clusterLayer("cluster", {
      cluster: config.cluster,
      cilium: config.cilium,
      longhorn: config.longhorn,
      existingKubeconfig,
    });
    const namespaces = new PlatformNamespaces(
      "platform",
      { namespaces: namespacesOf(config), after: layer.cni ? [layer.cni] : [] },
      { providers: [layer.kubernetesProvider] },
    );
    if (config.longhorn.enabled) {
      new Longhorn(
        "longhorn",
        { longhorn: config.longhorn, namespace: namespaces.name(config.longhorn.namespace) },
        { providers: [layer.kubernetesProvider] },
      );
    }
    // A Gateway API consumer, ordered the way the gateway layer is.
    new k8s.apiextensions.CustomResource(
      "gatewayclass",
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: "test" },
        spec: { controllerName: "example.com/test" },
      },
      { provider: layer.kubernetesProvider, dependsOn: [layer.gatewayApiCrds] },
    );
    return { kubeconfig: layer.kubeconfig, talosconfig: layer.talosconfig };
  };
}

const cache = new Map<string, Promise<Recording>>();
function recordLayer(stack: "rooster" | "homeops"): Promise<Recording> {
  let r = cache.get(stack);
  if (r === undefined) {
    r = recordProgram(layerProgram(load(stack)), {}, stack);
    cache.set(stack, r);
  }
  return r;
}

const patchesOf = (rec: Recording, node: string) =>
  (one(rec, APPLY, `cluster-talos-${node}`).inputs["configPatches"] as string[]).map((p) => JSON.parse(p));
const kindOf = (doc: Record<string, unknown>) => String(doc["kind"] ?? Object.keys(doc).join("+"));

describe("cluster: TalosCluster (rooster)", () => {
  it("builds the installer from a schematic of the declared extensions", async () => {
    const rec = await recordLayer("rooster");
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
    assert.deepEqual(patchesOf(rec, "rooster-01")[0], {
      machine: {
        install: {
          disk: "/dev/sda",
          image: `factory.talos.dev/metal-installer/${schematicId}:v1.13.9`,
        },
      },
    });
  });

  it("protects the machine secrets and keeps them across Talos upgrades", async () => {
    const rec = await recordLayer("rooster");
    const secrets = one(rec, "talos:machine/secrets:Secrets", "cluster-talos-secrets");
    assert.equal(secrets.options.protect, true);
    assert.deepEqual(secrets.options.ignoreChanges, ["talosVersion"]);
    assert.deepEqual(secrets.inputs, { talosVersion: "v1.13" });
  });

  it("renders one configuration per role with the cluster-wide patches", async () => {
    const rec = await recordLayer("rooster");
    const configs = rec.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
    assert.deepEqual(configs.map((c) => c.args["machineType"]).sort(), ["controlplane", "worker"]);
    for (const c of configs) {
      assert.equal(c.args["clusterEndpoint"], "https://172.16.10.139:6443");
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
      assert.ok(docs.some((d) => d.kind === "ResolverConfig" && d.nameservers[0].address === "172.16.10.1"));
      const etcd = docs.some((d) => d.cluster?.etcd !== undefined);
      assert.equal(etcd, c.args["machineType"] === "controlplane");
    }
  });

  it("applies once per node with the right patches per role", async () => {
    const rec = await recordLayer("rooster");
    const applies = byType(rec, APPLY);
    assert.deepEqual(applies.map((a) => a.inputs["node"]).sort(), [
      "172.16.10.130",
      "172.16.10.132",
      "172.16.10.133",
      "172.16.10.136",
    ]);
    for (const node of ["rooster-01", "rooster-02", "rooster-03"]) {
      assert.deepEqual(
        patchesOf(rec, node).map(kindOf),
        ["machine", "HostnameConfig", "LinkConfig", "Layer2VIPConfig"],
        node,
      );
    }
    assert.deepEqual(patchesOf(rec, "rooster-04").map(kindOf), [
      "machine",
      "HostnameConfig",
      "LinkConfig",
      "machine",
    ]);
    assert.deepEqual(patchesOf(rec, "rooster-04")[1], {
      apiVersion: "v1alpha1",
      kind: "HostnameConfig",
      hostname: "rooster-04",
      auto: "off",
    });
    assert.deepEqual(patchesOf(rec, "rooster-02")[2].addresses, [{ address: "172.16.10.132/24" }]);
    for (const a of applies) {
      assert.deepEqual(a.secretPaths.sort(), ["clientConfiguration", "machineConfigurationInput"]);
      assert.ok(
        a.dependencies.includes(one(rec, "talos:machine/secrets:Secrets", "cluster-talos-secrets").urn),
      );
    }
  });

  it("bootstraps exactly once, on the first control plane after its apply", async () => {
    const rec = await recordLayer("rooster");
    const boots = byType(rec, "talos:machine/bootstrap:Bootstrap");
    assert.equal(boots.length, 1);
    assert.equal(boots[0]!.inputs["node"], "172.16.10.130");
    assert.ok(boots[0]!.dependencies.includes(one(rec, APPLY, "cluster-talos-rooster-01").urn));
    assert.ok(!boots[0]!.dependencies.includes(one(rec, APPLY, "cluster-talos-rooster-04").urn));
    // The kubeconfig waits for the day-1 API gate, never for the bootstrap that follows rollout steps.
    const kubeconfig = one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig");
    assert.ok(
      kubeconfig.dependencies.includes(one(rec, "command:local:Command", "cluster-talos-api-ready").urn),
    );
    assert.ok(!kubeconfig.dependencies.includes(boots[0]!.urn));
  });

  it("exports kubeconfig and talosconfig as secrets only", async () => {
    const rec = await recordLayer("rooster");
    assert.deepEqual(rec.outputs, { kubeconfig: "[secret]", talosconfig: "[secret]" });
    assert.deepEqual(rec.outputSecretPaths.sort(), ["kubeconfig", "talosconfig"]);
    const talosconfig = rec.invokes.filter(
      (i) => i.token === "talos:client/getConfiguration:getConfiguration",
    );
    assert.deepEqual(talosconfig[0]!.args["endpoints"], ["172.16.10.130", "172.16.10.132", "172.16.10.133"]);
    const inputs = JSON.stringify(rec.resources.map((r) => r.inputs));
    for (const value of rec.secretValues)
      assert.ok(!inputs.includes(value), `${value} leaked into resource inputs`);
  });
});

describe("cluster: TalosCluster (homeops)", () => {
  it("selects the NIC by MAC and the disk by serial or selector, without Longhorn mounts", async () => {
    const rec = await recordLayer("homeops");
    const p1 = patchesOf(rec, "home-01");
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
      name: "10.50.0.10",
      link: "lan0",
    });
    assert.deepEqual(patchesOf(rec, "home-02")[0].machine.install.diskSelector, { serial: "S6S1NS0T812345" });
    assert.deepEqual(patchesOf(rec, "home-03")[0].machine.install.diskSelector, {
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
    const rec = await recordLayer("rooster");
    const provider = one(rec, "pulumi:providers:kubernetes", "cluster-k8s");
    assert.deepEqual(provider.secretPaths, ["kubeconfig"]);
    assert.deepEqual(provider.dependencies, [
      one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig").urn,
    ]);
    // A worker's apply, or any node's rollout step, never stands between the kubeconfig and the objects.
    assert.ok(!provider.dependencies.includes(one(rec, APPLY, "cluster-talos-rooster-04").urn));
    assert.equal(rec.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth").length, 0);
    for (const r of [...byType(rec, RELEASE), ...byType(rec, "kubernetes:core/v1:Namespace")])
      assert.equal(r.provider, provider.urn, r.name);
    const crds = one(rec, "kubernetes:yaml/v2:ConfigFile", "cluster-gateway-api-standard");
    assert.equal(crds.providers["kubernetes"], provider.urn);
  });

  it("comes from the given secret kubeconfig when Talos is disabled", async () => {
    const config = load("homeops");
    config.cluster.talos.enabled = false;
    config.cluster.kubeconfigSecret = "kubeconfig";
    const rec = await recordProgram(layerProgram(config, pulumi.secret("apiVersion: v1\nkind: Config\n")));
    assert.equal(rec.resources.filter((r) => r.type.startsWith("talos:")).length, 0);
    assert.equal(rec.invokes.filter((i) => i.token.startsWith("talos:")).length, 0);
    assert.deepEqual(one(rec, "pulumi:providers:kubernetes", "cluster-k8s").secretPaths, ["kubeconfig"]);
    assert.deepEqual(rec.outputs["kubeconfig"], "[secret]");
    assert.throws(
      () => clusterLayer("x", { cluster: config.cluster, cilium: config.cilium, longhorn: config.longhorn }),
      /kubeconfig is required/,
    );
  });
});

describe("cluster: Cilium", () => {
  it("sets Talos-correct values", () => {
    const v = ciliumValues(load("homeops").cilium, { nodeCount: 3 });
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
      { ...load("homeops").cilium, hubble: { relay: false, ui: false } },
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

  it("installs the pinned chart in kube-system and its pools and L2 policy after it", async () => {
    const rec = await recordLayer("homeops");
    const release = one(rec, RELEASE, "cluster-cilium-release");
    assert.equal(release.inputs["chart"], "cilium");
    assert.equal(release.inputs["version"], charts.cilium.version);
    assert.deepEqual(release.inputs["repositoryOpts"], { repo: "https://helm.cilium.io" });
    assert.equal(release.inputs["namespace"], "kube-system");
    const pool = one(
      rec,
      "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool",
      "cluster-cilium-homeops-services",
    );
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
    assert.deepEqual(pool.inputs["spec"], { blocks: [{ start: "10.50.0.20", stop: "10.50.0.49" }] });
    assert.ok(
      ipInRange("10.50.0.30", "10.50.0.20", "10.50.0.49"),
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
    assert.throws(
      () => completeBgp({ routerAddress: "10.50.0.1" }),
      /needs all of routerAddress, routerAsn and nodeAsn/,
    );
  });

  it("creates BGP peering only when all three BGP fields are set", async () => {
    const config = load("homeops");
    config.cilium.bgp = { routerAddress: "10.50.0.1", routerAsn: 64513, nodeAsn: 64514 };
    const rec = await recordProgram(layerProgram(config));
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
    const rec = await recordLayer("rooster");
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
    const rec = await recordLayer("rooster");
    const bundles = byType(rec, "kubernetes:yaml/v2:ConfigFile");
    assert.equal(bundles.length, 1);
    assert.equal(bundles[0]!.inputs["file"], crdBundles.gatewayApi.url);
    assert.match(
      String(bundles[0]!.inputs["file"]),
      /gateway-api\/releases\/download\/v1\.6\.1\/standard-install\.yaml$/,
    );
    assert.equal(bundles[0]!.options.protect, true);
    const consumer = one(rec, "kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "gatewayclass");
    assert.ok(consumer.dependencies.includes(bundles[0]!.urn));
  });
});

describe("cluster: Longhorn", () => {
  it("installs the pinned chart into the managed namespace, protected, with the default StorageClass", async () => {
    const rec = await recordLayer("rooster");
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
    const lh = load("rooster").longhorn;
    assert.deepEqual(
      longhornValues({ ...lh, backupTarget: "s3://backups@us-east-1/" })["defaultBackupStore"],
      { backupTarget: "s3://backups@us-east-1/" },
    );
  });
});

/** Parses a stack with edits and returns the formatted issues. */
function issuesOf(stack: string, edit: (doc: Record<string, Record<string, unknown>>) => void): string[] {
  const raw = rawConfigOf(readStackFile(stack));
  edit(raw.values as Record<string, Record<string, unknown>>);
  return parsePlatformConfig(raw).issues.map(formatIssue);
}

describe("cluster: validation rules", () => {
  it("both stack files validate", () => {
    for (const stack of ["rooster", "homeops"])
      assert.deepEqual(parsePlatformConfig(rawConfigOf(readStackFile(stack))).issues, [], stack);
  });

  it("rooster describes the four seed nodes", () => {
    const nodes = talosOn(load("rooster")).nodes;
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

  it("BGP is all three fields or none", () => {
    assert.deepEqual(
      issuesOf("homeops", (d) => (d["cilium"]!["bgp"] = { routerAddress: "10.50.0.1", nodeAsn: 64514 })),
      [
        "ai-platform:cilium.bgp: BGP needs all of routerAddress, routerAsn and nodeAsn (missing: routerAsn) (hint: set all three, or remove cilium.bgp)",
      ],
    );
  });

  it("the gateway LoadBalancer address must come from a declared pool", () => {
    assert.deepEqual(
      issuesOf(
        "homeops",
        (d) =>
          (d["cilium"]!["lbPools"] = [
            { name: "small", blocks: [{ start: "10.50.0.20", stop: "10.50.0.29" }] },
          ]),
      ),
      [
        "ai-platform:agentgateway.gateways[0].service.ip: 10.50.0.30 is not inside any Cilium LB IPAM pool (hint: add a block containing it to cilium.lbPools)",
      ],
    );
  });

  it("Longhorn needs the iscsi-tools and util-linux-tools extensions", () => {
    assert.deepEqual(
      issuesOf("homeops", (d) => (d["longhorn"]!["enabled"] = true)),
      [
        "ai-platform:cluster.talos.extensions: Longhorn needs the Talos extensions siderolabs/iscsi-tools and siderolabs/util-linux-tools (hint: add them to the schematic, or disable longhorn)",
      ],
    );
  });

  it("Longhorn replicas cannot exceed the storage nodes", () => {
    assert.deepEqual(
      issuesOf("rooster", (d) => (d["longhorn"]!["replicaCount"] = 5)),
      ["ai-platform:longhorn.replicaCount: 5 replicas but only 4 storage nodes (hint: use at most 4)"],
    );
  });

  it("with a MAC the interface is an alias, not a kernel interface name", () => {
    assert.deepEqual(
      issuesOf(
        "homeops",
        (d) =>
          ((d["cluster"]!["talos"] as { nodes: Array<Record<string, unknown>> }).nodes[1]!["interface"] =
            "enp1s0"),
      ),
      [
        'ai-platform:cluster.talos.nodes[1].interface: "enp1s0" looks like a kernel interface name, but with a MAC it names the link alias (hint: use an alias such as lan0)',
      ],
    );
  });

  it("without Talos the kubeconfig must come from a secret", () => {
    assert.deepEqual(
      issuesOf("homeops", (d) => ((d["cluster"]!["talos"] as Record<string, unknown>)["enabled"] = false)),
      [
        "ai-platform:cluster.kubeconfigSecret: is required when cluster.talos.enabled is false (hint: name the secret that holds the existing cluster's kubeconfig)",
      ],
    );
  });
});
