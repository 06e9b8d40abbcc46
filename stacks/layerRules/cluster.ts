import { z } from "zod";
import {
  controlPlaneCountProblems,
  existingNodesSchema,
  extensionNameProblems,
  LONGHORN_EXTENSIONS,
} from "../checks/operations";
import { cidr, dnsLabel, ipv4, labels, secretName } from "../fields";
import { switchable } from "../switchable";
import {
  kubernetesVersionSchema,
  nodeMaintenanceSchema,
  talosRolloutSchema,
  talosVersionProblems,
  talosVersionSchema,
} from "../talosLifecycle";
import { machinePatches } from "../talosPatches";
import { invariant, ProblemSink, uniqueNames, uniqueWithin } from "../checks/refine";
import type { Rule } from "./common";
import { asn, backupTargetProblem, goRegexProblem, partitionProblem } from "../checks/upstreamValues";
import { cidrsOverlap, ipInCidr, ipInRange, ipToInt } from "../../lib/net";

/* Talos nodes and networks, Cilium LB IPAM and BGP, Longhorn prerequisites. */

const diskSchema = z.union([
  z.strictObject({
    path: z.string().regex(/^\/dev\/\S+$/, { error: "must be a device path like /dev/sda" }),
  }),
  z.strictObject({ serial: z.string().min(1) }),
  z.strictObject({
    selector: z.strictObject({
      size: z.string().optional(),
      model: z.string().optional(),
      type: z.enum(["ssd", "hdd", "nvme", "sd"]).optional(),
      busPath: z.string().optional(),
    }),
  }),
]);

/** Kernel (predictable or legacy) interface names: eth0, ens18, enp0s31f6, eno1, wlan0, ... */
const KERNEL_LINK_NAME = /^(eth|en[a-z]?|wl[a-z]{0,2})[0-9]/;

const talosNodeSchema = z
  .strictObject({
    name: dnsLabel,
    address: ipv4,
    controller: z.boolean(),
    /** Install disk: a device path, a serial number, or a selector. */
    disk: diskSchema,
    /** Link name the static address is applied to (or the alias given to the MAC-selected link). */
    interface: z.string().min(1).default("eth0"),
    mac: z
      .string()
      .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, {
        error: "must be a lower-case MAC address like 00:11:22:33:44:55",
      })
      .optional(),
    labels: labels.default({}),
    /** Whether Longhorn may place replicas on this node (default: every node). */
    storage: z.boolean().default(true),
    maintenance: nodeMaintenanceSchema,
    /** Extra machine-configuration documents for this node only. */
    patches: machinePatches,
  })
  .check(
    invariant("install-disk-whole", (n, problems) => {
      const problem = "path" in n.disk ? partitionProblem(n.disk.path) : undefined;
      if (problem !== undefined) problems.add(["disk", "path"], problem.message, problem.hint);
    }),
    // With a MAC the interface names a Talos link alias, which must not shadow a kernel interface name
    // (https://docs.siderolabs.com/talos/v1.13/reference/configuration/network/linkaliasconfig).
    invariant("link-alias", (n, problems) => {
      if (n.mac !== undefined && KERNEL_LINK_NAME.test(n.interface))
        problems.add(
          ["interface"],
          `"${n.interface}" looks like a kernel interface name, but with a MAC it names the link alias`,
          "use an alias such as lan0",
        );
    }),
  );

const talosSchema = z.strictObject({
  enabled: z.boolean(),
  talosVersion: talosVersionSchema,
  kubernetesVersion: kubernetesVersionSchema,
  /** Control-plane VIP announced by Talos (Layer2VIPConfig); the API endpoint is https://<vip>:6443. */
  apiVip: ipv4,
  network: z.strictObject({
    nodeCidr: cidr,
    gateway: ipv4,
    dnsServers: z.array(ipv4).min(1),
    ntpServers: z.array(z.string().min(1)).default([]),
    podCidr: cidr,
    serviceCidr: cidr,
  }),
  /** Official system extensions baked into the Image Factory schematic (form checked in checks/operations.ts). */
  extensions: z.array(z.string().min(1)),
  nodes: z.array(talosNodeSchema).min(1).check(uniqueNames("node name")),
  rollout: talosRolloutSchema,
  /** Extra machine-configuration documents per role, applied after the program's own. */
  patches: z.strictObject({ controlplane: machinePatches, worker: machinePatches }).default({
    controlplane: [],
    worker: [],
  }),
  /** Why an even number of control planes is intended (etcd tolerates no more failures than with one fewer). */
  evenControlPlanesReason: z.string().min(1).optional(),
});

/** Addresses of one Talos cluster: nodes, VIP and router on the node network, pod and Service networks apart. */
function talosNetworkProblems(talos: z.infer<typeof talosSchema>, problems: ProblemSink): void {
  const { nodeCidr, gateway, podCidr, serviceCidr } = talos.network;
  uniqueWithin(
    problems,
    talos.nodes,
    (n) => n.address,
    (i) => ["nodes", i, "address"],
    "node address",
  );
  const macs = talos.nodes.flatMap((n, i) => (n.mac === undefined ? [] : [{ mac: n.mac, i }]));
  uniqueWithin(
    problems,
    macs,
    (m) => m.mac,
    (k) => ["nodes", macs[k]!.i, "mac"],
    "MAC address",
  );
  talos.nodes.forEach((n, i) => {
    if (!ipInCidr(n.address, nodeCidr))
      problems.add(["nodes", i, "address"], `${n.address} is outside the node network ${nodeCidr}`);
    if (n.address === talos.apiVip)
      problems.add(["nodes", i, "address"], `${n.address} is the API VIP`, "the VIP must be a free address");
  });
  if (!ipInCidr(gateway, nodeCidr))
    problems.add(["network", "gateway"], `${gateway} is outside the node network ${nodeCidr}`);
  if (!ipInCidr(talos.apiVip, nodeCidr))
    problems.add(
      ["apiVip"],
      `${talos.apiVip} is outside the node network ${nodeCidr}`,
      "a Layer 2 VIP must be on the nodes' subnet",
    );
  for (const [key, value] of [
    ["podCidr", podCidr],
    ["serviceCidr", serviceCidr],
  ] as const) {
    if (cidrsOverlap(value, nodeCidr))
      problems.add(["network", key], `${value} overlaps the node network ${nodeCidr}`);
  }
  if (cidrsOverlap(podCidr, serviceCidr))
    problems.add(["network", "serviceCidr"], `${serviceCidr} overlaps the pod network ${podCidr}`);
}

/**
 * A namespace the program deploys into that also runs workloads it does not declare (homeops's `network`:
 * external-dns, k8s-gateway, envoy-gateway and cluster-template's tunnel, applied by Flux). It gets no
 * namespace-wide NetworkPolicy, only the program's pod-scoped ones, and a Pod Security level those workloads pass.
 */
const sharedNamespaceSchema = z.strictObject({
  name: dnsLabel,
  /** Who else runs there; declared on the Namespace as the reason it has no default-deny. */
  sharedWith: z.string().min(1),
  /** Pod Security level the other workloads pass (Talos enforces baseline where no label says otherwise). */
  podSecurity: z.enum(["restricted", "baseline", "privileged"]).default("baseline"),
});

export const clusterSchema = z
  .strictObject({
    name: dnsLabel,
    /** Namespaces the program shares with workloads it does not own (see sharedNamespaceSchema). */
    sharedNamespaces: z.array(sharedNamespaceSchema).default([]).check(uniqueNames("shared namespace")),
    /** Kubeconfig of an existing cluster, used when Talos is not managed here. */
    kubeconfigSecret: secretName.optional(),
    /** Facts about the nodes of an existing cluster (Talos off) that layers such as Longhorn depend on. */
    existingNodes: existingNodesSchema.optional(),
    talos: switchable(talosSchema)
      .check(
        invariant("talos-network", (talos, problems) => {
          if (talos.enabled) talosNetworkProblems(talos, problems);
        }),
      )
      .check(
        invariant("control-plane-count-even", (talos, problems) => {
          if (talos.enabled) controlPlaneCountProblems(talos, problems);
        }),
        invariant("extension-name-form", (talos, problems) => {
          if (talos.enabled) extensionNameProblems(talos, problems);
        }),
        invariant("talos-versions", (talos, problems) => {
          if (talos.enabled) talosVersionProblems(talos, problems);
        }),
      )
      .check(
        invariant("control-plane-present", (talos, problems) => {
          if (talos.enabled && !talos.nodes.some((n) => n.controller))
            problems.add(["nodes"], "no control-plane node", "set controller: true on at least one node");
        }),
      ),
  })
  .check(
    invariant("kubeconfig-required", (cluster, problems) => {
      if (!cluster.talos.enabled && cluster.kubeconfigSecret === undefined)
        problems.add(
          ["kubeconfigSecret"],
          "is required when cluster.talos.enabled is false",
          "name the secret that holds the existing cluster's kubeconfig",
        );
    }),
  );

// ---------------------------------------------------------------- Cilium / Longhorn
const ipBlock = z.union([
  z.strictObject({ cidr }),
  z.strictObject({ start: ipv4, stop: ipv4 }).check(
    invariant("ip-range-order", (b, problems) => {
      if (ipToInt(b.start) > ipToInt(b.stop)) problems.add([], `start ${b.start} is after stop ${b.stop}`);
    }),
  ),
]);

export const ciliumSchema = z.strictObject({
  enabled: z.boolean(),
  lbPools: z
    .array(z.strictObject({ name: dnsLabel, blocks: z.array(ipBlock).min(1) }))
    .default([])
    .check(uniqueNames("pool name")),
  l2Announcements: z
    .strictObject({ enabled: z.boolean(), interfaces: z.array(z.string()).default([]) })
    .check(
      invariant("l2-interface-pattern", (l2, problems) =>
        l2.interfaces.forEach((pattern, i) => {
          const problem = goRegexProblem(pattern);
          if (problem !== undefined)
            problems.add(
              ["interfaces", i],
              `"${pattern}" ${problem}`,
              "interface patterns are RE2, e.g. ^(eth|enp)[0-9]+",
            );
        }),
      ),
    )
    .default({ enabled: false, interfaces: [] }),
  bgp: z
    .strictObject({
      routerAddress: ipv4.optional(),
      routerAsn: asn.optional(),
      nodeAsn: asn.optional(),
    })
    .check(
      invariant("bgp-peer", (bgp, problems) => {
        const keys = ["routerAddress", "routerAsn", "nodeAsn"] as const;
        const missing = keys.filter((k) => bgp[k] === undefined);
        if (missing.length > 0 && missing.length < keys.length)
          problems.add(
            [],
            `BGP needs all of routerAddress, routerAsn and nodeAsn (missing: ${missing.join(", ")})`,
            "set all three, or remove cilium.bgp",
          );
      }),
    )
    .optional(),
  hubble: z.strictObject({ relay: z.boolean(), ui: z.boolean() }).default({ relay: false, ui: false }),
  /**
   * Chart values the running cluster keeps that the program does not set, or sets otherwise (from
   * `helm -n kube-system get values cilium`), merged over the program's; each key must exist in the pinned chart.
   */
  values: z.record(z.string(), z.unknown()).default({}),
});

export const longhornSchema = z
  .strictObject({
    enabled: z.boolean(),
    namespace: dnsLabel.default("longhorn-system"),
    /** Longhorn's own default is 3 (longhorn/longhorn@v1.12.1: chart/values.yaml, persistence.defaultClassReplicaCount). */
    replicaCount: z.number().int().min(1).default(3),
    dataPath: z
      .string()
      .regex(/^\/\S*$/, { error: "must be an absolute path" })
      .default("/var/lib/longhorn/"),
    defaultStorageClass: z.boolean().default(true),
    backupTarget: z.string().optional(),
  })
  .check(
    invariant("longhorn-backup-target", (l, problems) => {
      const problem = l.backupTarget === undefined ? undefined : backupTargetProblem(l.backupTarget);
      if (problem !== undefined) problems.add(["backupTarget"], problem.message, problem.hint);
    }),
  );

export const ciliumRules: Rule = (c, issues) => {
  const cilium = c.cilium;
  if (cilium === undefined) return;
  if (!cilium.enabled || c.agentgateway === undefined) return;
  c.agentgateway.gateways.forEach((g, i) => {
    if (g.service.type !== "LoadBalancer") return;
    const ip = g.service.ip;
    const inPool = cilium.lbPools.some((p) =>
      p.blocks.some((b) => ("cidr" in b ? ipInCidr(ip, b.cidr) : ipInRange(ip, b.start, b.stop))),
    );
    if (!inPool) {
      issues.add(
        `agentgateway.gateways[${i}].service.ip`,
        `${ip} is not inside any Cilium LB IPAM pool`,
        "add a block containing it to cilium.lbPools",
      );
    }
  });
};

export const longhornRules: Rule = (c, issues) => {
  const longhorn = c.longhorn;
  if (longhorn === undefined || !longhorn.enabled || c.cluster === undefined) return;
  const talos = c.cluster.talos;
  if (!talos.enabled) return;
  const missing = LONGHORN_EXTENSIONS.filter((e) => !talos.extensions.includes(e));
  if (missing.length > 0) {
    issues.add(
      "cluster.talos.extensions",
      `Longhorn needs the Talos extensions ${missing.join(" and ")}`,
      "add them to the schematic, or disable longhorn",
    );
  }
  const storageNodes = talos.nodes.filter((n) => n.storage).length;
  if (longhorn.replicaCount > storageNodes) {
    issues.add(
      "longhorn.replicaCount",
      `${longhorn.replicaCount} replicas but only ${storageNodes} storage node${storageNodes === 1 ? "" : "s"}`,
      `use at most ${storageNodes}`,
    );
  }
};
