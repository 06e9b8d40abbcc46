import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CiliumSettings, LbPool } from "./args";
import { charts } from "../../lib/versions";
import { KUBEPRISM_PORT } from "./talosPatches";
import {
  CILIUM_BGP_CLUSTER_WAITS,
  CILIUM_POOL_WAITS,
  READINESS_TIMEOUTS,
  readinessAnnotations,
} from "../../lib/readiness";

/*
 * Cilium as the CNI on Talos. Values follow the Talos guide
 * (https://docs.siderolabs.com/kubernetes-guides/cni/deploying-cilium) and onedr0p/cluster-template@ae732464
 * (template/config/kubernetes/apps/kube-system/cilium/app/helmrelease.yaml.j2), pinned to chart 1.20.1.
 */

/** Cilium installs into kube-system, which Kubernetes creates and PlatformNamespaces does not manage. */
export const CILIUM_NAMESPACE = "kube-system";

/** Agent capabilities for Talos: the Cilium defaults without SYS_MODULE, which Talos forbids for all pods. */
export const CILIUM_AGENT_CAPABILITIES = [
  "CHOWN",
  "KILL",
  "NET_ADMIN",
  "NET_RAW",
  "IPC_LOCK",
  "SYS_ADMIN",
  "SYS_RESOURCE",
  "DAC_OVERRIDE",
  "FOWNER",
  "SETGID",
  "SETUID",
];
export const CILIUM_CLEAN_STATE_CAPABILITIES = ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"];

/** BGP settings once validated as complete (the bgp-peer invariant of the config schema: all three or none). */
export interface CiliumBgp {
  routerAddress: string;
  routerAsn: number;
  nodeAsn: number;
}

/**
 * The BGP block, undefined when BGP is off. Config validation (rule bgp-peer) lets the three fields through
 * only together, so the router address alone says whether BGP is on.
 */
export function completeBgp(bgp: CiliumSettings["bgp"]): CiliumBgp | undefined {
  if (bgp?.routerAddress === undefined) return undefined;
  return { routerAddress: bgp.routerAddress, routerAsn: bgp.routerAsn!, nodeAsn: bgp.nodeAsn! };
}

export interface CiliumValueOptions {
  /** Nodes in the cluster; the operator runs two replicas when there is more than one. */
  nodeCount: number;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** `over` merged into `base` the way Helm coalesces values: maps key by key, anything else replaced. */
function mergeValues(
  base: Record<string, unknown>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/**
 * Helm values for the Cilium chart on Talos: the program's, then the values the stack carries from the running
 * cluster (`cilium.values`), so that an upgrade of an adopted release keeps its routing and load-balancing mode.
 */
export function ciliumValues(cilium: CiliumSettings, options: CiliumValueOptions): Record<string, unknown> {
  return mergeValues(programValues(cilium, options), cilium.values);
}

function programValues(cilium: CiliumSettings, options: CiliumValueOptions): Record<string, unknown> {
  const hubble = cilium.hubble.relay || cilium.hubble.ui;
  return {
    ipam: { mode: "kubernetes" },
    // Talos runs no kube-proxy when Cilium is the CNI (cluster.proxy.disabled).
    kubeProxyReplacement: true,
    // KubePrism: the node-local API load balancer, reachable before any Service exists.
    k8sServiceHost: "localhost",
    k8sServicePort: KUBEPRISM_PORT,
    // Talos mounts cgroup v2 itself; the key is `autoMount` (cluster-template's `automount` does not match it).
    cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
    securityContext: {
      capabilities: {
        ciliumAgent: CILIUM_AGENT_CAPABILITIES,
        cleanCiliumState: CILIUM_CLEAN_STATE_CAPABILITIES,
      },
    },
    // Chart defaults that create workloads, RBAC or credentials, set here so none arrives unseen (values.yaml):
    // the agent DaemonSet and the operator Deployment are the CNI itself.
    agent: true,
    operator: { enabled: true, replicas: options.nodeCount > 1 ? 2 : 1 },
    // Agent and operator ClusterRoles; they list verbs and resources explicitly (templates/cilium-*/clusterrole.yaml).
    rbac: { create: true },
    // The L7 proxy as its own DaemonSet, the chart's default for new installations (`envoy.enabled: ~`).
    envoy: { enabled: true },
    // No node-init, pre-flight, clustermesh API server or SPIRE server/agent workloads.
    nodeinit: { enabled: false },
    preflight: { enabled: false },
    clustermesh: { useAPIServer: false },
    authentication: { mutual: { spire: { enabled: false } } },
    rollOutCiliumPods: true,
    l2announcements: { enabled: cilium.l2Announcements.enabled },
    bgpControlPlane: { enabled: completeBgp(cilium.bgp) !== undefined },
    // Gateway API is served by agentgateway; Cilium's own implementation stays off.
    gatewayAPI: { enabled: false },
    hubble: {
      enabled: hubble,
      relay: { enabled: cilium.hubble.relay },
      ui: { enabled: cilium.hubble.ui },
      // The chart's only credentials: Hubble server and relay TLS certificates, generated by Helm on each
      // upgrade into kube-system Secrets (the chart default; no CronJob, no cert-manager).
      tls: { auto: { enabled: true, method: "helm" } },
    },
  };
}

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
};

/** LB IPAM pool (cluster-scoped); `cilium.io/v2` as in onedr0p/home-ops@d9078e4dd5 kube-system/cilium/app/networking.yaml. */
export function lbPoolManifest(pool: LbPool): Manifest {
  return {
    apiVersion: "cilium.io/v2",
    kind: "CiliumLoadBalancerIPPool",
    metadata: { name: pool.name },
    spec: {
      blocks: pool.blocks.map((b) => ("cidr" in b ? { cidr: b.cidr } : { start: b.start, stop: b.stop })),
    },
  };
}

/** L2 announcement of LoadBalancer IPs (cluster-scoped); v2alpha1 as in cluster-template networks.yaml.j2. */
export function l2PolicyManifest(name: string, interfaces: string[]): Manifest {
  const spec: Record<string, unknown> = {
    loadBalancerIPs: true,
    externalIPs: false,
    nodeSelector: { matchLabels: { "kubernetes.io/os": "linux" } },
  };
  if (interfaces.length > 0) spec["interfaces"] = interfaces;
  return { apiVersion: "cilium.io/v2alpha1", kind: "CiliumL2AnnouncementPolicy", metadata: { name }, spec };
}

/** Label that ties the BGP peer families to the advertisement. */
export const BGP_ADVERTISE_LABEL = { advertise: "bgp" };

/** BGP peering with one router, advertising LoadBalancer IPs (cilium.io/v2 as in onedr0p/home-ops networking.yaml). */
export function bgpManifests(name: string, bgp: CiliumBgp): Manifest[] {
  const peerConfig = `${name}-peer`;
  return [
    {
      apiVersion: "cilium.io/v2",
      kind: "CiliumBGPClusterConfig",
      metadata: { name },
      spec: {
        nodeSelector: { matchLabels: { "kubernetes.io/os": "linux" } },
        bgpInstances: [
          {
            name: `instance-${bgp.nodeAsn}`,
            localASN: bgp.nodeAsn,
            peers: [
              {
                name: "router",
                peerASN: bgp.routerAsn,
                peerAddress: bgp.routerAddress,
                peerConfigRef: { name: peerConfig },
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: "cilium.io/v2",
      kind: "CiliumBGPPeerConfig",
      metadata: { name: peerConfig },
      spec: {
        families: [{ afi: "ipv4", safi: "unicast", advertisements: { matchLabels: BGP_ADVERTISE_LABEL } }],
      },
    },
    {
      apiVersion: "cilium.io/v2",
      kind: "CiliumBGPAdvertisement",
      metadata: { name: `${name}-lb-ips`, labels: BGP_ADVERTISE_LABEL },
      spec: {
        advertisements: [
          {
            advertisementType: "Service",
            service: { addresses: ["LoadBalancerIP"] },
            // Every Service: a selector that matches all (no key carries this value).
            selector: {
              matchExpressions: [{ key: "io.cilium/bgp-announce", operator: "NotIn", values: ["never"] }],
            },
          },
        ],
      },
    },
  ];
}

/**
 * What `pulumi up` waits for per Cilium kind. The L2 announcement policy reports only errors (a healthy policy
 * has no condition: cilium/cilium@v1.20.1 pkg/l2announcer/l2announcer.go updatePolicyStatus), the peer config
 * only a missing auth secret it does not reference, and the advertisement nothing, so they carry no wait.
 */
const CILIUM_WAITS: Record<string, { expressions: readonly string[]; timeout: number }> = {
  CiliumLoadBalancerIPPool: { expressions: CILIUM_POOL_WAITS, timeout: READINESS_TIMEOUTS.ciliumPool },
  CiliumBGPClusterConfig: { expressions: CILIUM_BGP_CLUSTER_WAITS, timeout: READINESS_TIMEOUTS.ciliumBgp },
};

export interface CiliumArgs {
  /** Cilium settings (config `cilium`). */
  cilium: CiliumSettings;
  /** Number of cluster nodes (operator replicas). */
  nodeCount: number;
}

/**
 * The Cilium CNI plus its LB IPAM pools, L2 announcement policy and BGP peering. Every workload must
 * start after `release`: the lead makes PlatformNamespaces depend on it, which orders every namespaced object.
 */
export class Cilium extends pulumi.ComponentResource {
  /** The Helm release; depend on it for "the CNI is up". */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: CiliumArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:Cilium", name, {}, opts);
    const bgp = completeBgp(args.cilium.bgp);
    // helm.v3.Release: the CNI stays one Helm release that `helm` and the cilium CLI can inspect and roll
    // back; the chart ships no CRDs (the operator registers them at runtime) and is large, so one resource
    // keeps previews small, and Helm waits for the agents before anything depends on the release.
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "cilium",
        chart: charts.cilium.chart,
        version: charts.cilium.version,
        repositoryOpts: { repo: charts.cilium.repo },
        namespace: CILIUM_NAMESPACE,
        values: ciliumValues(args.cilium, { nodeCount: args.nodeCount }),
        maxHistory: 5,
      },
      { parent: this },
    );

    const manifests: Manifest[] = [
      ...args.cilium.lbPools.map(lbPoolManifest),
      ...(args.cilium.l2Announcements.enabled
        ? [l2PolicyManifest("l2-announcements", args.cilium.l2Announcements.interfaces)]
        : []),
      ...(bgp === undefined ? [] : bgpManifests("bgp", bgp)),
    ];
    // The BGP cluster config reports its peer configs missing until they exist, so it comes after them.
    const isClusterConfig = (m: Manifest) => m.kind === "CiliumBGPClusterConfig";
    const others: pulumi.Resource[] = [];
    for (const m of [...manifests.filter((m) => !isClusterConfig(m)), ...manifests.filter(isClusterConfig)]) {
      const resourceName = `${name}-${String(m.metadata["name"])}`;
      const waits = CILIUM_WAITS[m.kind];
      const metadata =
        waits === undefined
          ? m.metadata
          : { ...m.metadata, annotations: readinessAnnotations(waits.expressions, waits.timeout) };
      const resource = new k8s.apiextensions.CustomResource(
        resourceName,
        { apiVersion: m.apiVersion, kind: m.kind, metadata, spec: m.spec },
        // dependsOn: the Cilium operator registers these CRDs once the release is up.
        { parent: this, dependsOn: [this.release, ...(isClusterConfig(m) ? others : [])] },
      );
      others.push(resource);
    }
    this.registerOutputs({ release: this.release.status });
  }
}
