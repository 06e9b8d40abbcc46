/*
 * What the cluster components read of the platform config: the composition passes the validated `cluster`,
 * `cilium` and `longhorn` objects, which fit these shapes structurally.
 */

/** A machine-configuration document (v1alpha1 patch or typed document). */
export type MachineDocument = Record<string, unknown>;

/** Install disk: a device path, a serial number, or a selector. */
export type TalosDisk =
  | { path: string }
  | { serial: string }
  | { selector: { size?: string; model?: string; type?: "ssd" | "hdd" | "nvme" | "sd"; busPath?: string } };

/** One Talos node of the node table. */
export interface TalosNode {
  name: string;
  address: string;
  controller: boolean;
  disk: TalosDisk;
  /** Link name the static address is applied to (or the alias of the MAC-selected link). */
  interface: string;
  mac?: string;
  labels: Record<string, string>;
  /** Under maintenance: no apply, upgrade or health check. */
  maintenance: boolean;
  /** Extra machine-configuration documents for this node only. */
  patches: readonly MachineDocument[];
}

/** How configuration changes and upgrades reach the nodes (durations like `90s`, `15m`). */
export interface TalosRolloutSettings {
  applyMode: "auto" | "no_reboot" | "reboot" | "staged" | "staged_if_needing_reboot";
  /** Workers applied at the same time, after every control plane. */
  workerBatchSize: number;
  healthTimeout: string;
  upgradeTimeout: string;
  settleTime: string;
  /** A node on a newer Talos than the declared one is downgraded instead of stopping the rollout. */
  allowDowngrade: boolean;
}

/** The Talos settings when Talos is managed here. */
export interface TalosSettings {
  talosVersion: string;
  kubernetesVersion: string;
  /** Control-plane VIP; the API endpoint is https://<vip>:6443. */
  apiVip: string;
  network: {
    nodeCidr: string;
    gateway: string;
    dnsServers: string[];
    ntpServers: string[];
    podCidr: string;
    serviceCidr: string;
  };
  /** Official system extensions of the Image Factory schematic. */
  extensions: string[];
  nodes: TalosNode[];
  rollout: TalosRolloutSettings;
  /** Extra machine-configuration documents per role, applied after the program's own. */
  patches: { controlplane: readonly MachineDocument[]; worker: readonly MachineDocument[] };
}

/** The `cluster` settings: name, and Talos on (with its settings) or off. */
export interface ClusterSettings {
  name: string;
  talos: { enabled: false } | ({ enabled: true } & TalosSettings);
}

/** An LB IPAM pool: a CIDR or a start/stop range per block. */
export interface LbPool {
  name: string;
  blocks: ReadonlyArray<{ cidr: string } | { start: string; stop: string }>;
}

/** The `cilium` settings. */
export interface CiliumSettings {
  enabled: boolean;
  lbPools: readonly LbPool[];
  l2Announcements: { enabled: boolean; interfaces: string[] };
  /** BGP peering: all three fields or none. */
  bgp?: { routerAddress?: string; routerAsn?: number; nodeAsn?: number };
  hubble: { relay: boolean; ui: boolean };
  /** Values the running cluster keeps, merged over the program's (config `cilium.values`). */
  values: Readonly<Record<string, unknown>>;
}
