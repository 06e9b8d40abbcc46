import { canonicalSchematic } from "../../lib/talosSchematic";
import type { TalosDisk, TalosNode, TalosSettings } from "./args";

/*
 * Small single-purpose Talos machine-configuration patches (Talos v1.13). Each returns one configuration
 * document; `serializePatch` turns it into a `configPatches` entry (JSON is YAML, and an entry with no space
 * that does not start with `{`/`[` would be read as a file name: siderolabs/talos@v1.13.9
 * pkg/machinery/config/configpatcher/load.go). Networking uses the multi-document configs because every
 * `machine.network.*` field is deprecated in v1.13 (siderolabs/talos@v1.13.9 v1alpha1_types.go).
 */

export type { TalosSettings };
export type ConfigDocument = Record<string, unknown>;
export type MachineRole = "controlplane" | "worker";

/** KubePrism's default port: the in-node API load balancer Cilium talks to (siderolabs/talos constants.go). */
export const KUBEPRISM_PORT = 7445;
/** Longhorn's default data path; Talos must bind-mount it into the kubelet (longhorn@v1.12.1 talos enhancement). */
export const LONGHORN_DEFAULT_PATH = "/var/lib/longhorn";

export function serializePatch(doc: ConfigDocument): string {
  return JSON.stringify(doc);
}

/**
 * Image Factory schematic with the declared official extensions, in the factory's canonical form: the provider
 * unmarshals it into the factory's struct and posts it (siderolabs/terraform-provider-talos@v0.11.0
 * pkg/talos/talos_image_factory_schematic_resource.go Create), and the factory's ID is the SHA-256 of exactly
 * this text (lib/talosSchematic.ts), which the preflight compares with the nodes' schematic.
 */
export function schematicYaml(extensions: string[]): string {
  return canonicalSchematic(extensions);
}

/** Install disk (path, serial or selector) and the Image Factory installer image. */
export function installPatch(disk: TalosDisk, installerImage: string): ConfigDocument {
  const target =
    "path" in disk
      ? { disk: disk.path }
      : "serial" in disk
        ? { diskSelector: { serial: disk.serial } }
        : { diskSelector: { ...disk.selector } };
  return { machine: { install: { ...target, image: installerImage } } };
}

/**
 * Static hostname. The generated v1.13 config already holds a `HostnameConfig` with `auto: stable`, and a
 * merge keeps it, which conflicts with `hostname` (siderolabs/talos#12891), so `auto: off` is set as in
 * https://docs.siderolabs.com/talos/latest/configure-your-talos-cluster/system-configuration/patching.
 */
export function hostnamePatch(hostname: string): ConfigDocument {
  return { apiVersion: "v1alpha1", kind: "HostnameConfig", hostname, auto: "off" };
}

/**
 * Names the NIC with this MAC as `alias`, so addressing does not depend on kernel interface naming; an alias
 * is usable wherever a link name is (https://docs.siderolabs.com/talos/v1.13/networking/configuration/aliases).
 */
export function linkAliasPatch(alias: string, mac: string): ConfigDocument {
  return {
    apiVersion: "v1alpha1",
    kind: "LinkAliasConfig",
    name: alias,
    selector: { match: `mac(link.permanent_addr) == "${mac}"` },
  };
}

/** Static address with the node network's prefix length and a default route via the gateway. */
export function staticLinkPatch(
  link: string,
  address: string,
  nodeCidr: string,
  gateway: string,
): ConfigDocument {
  const prefix = nodeCidr.split("/")[1];
  return {
    apiVersion: "v1alpha1",
    kind: "LinkConfig",
    name: link,
    up: true,
    addresses: [{ address: `${address}/${prefix}` }],
    routes: [{ gateway }],
  };
}

/** The API server VIP, announced by one control-plane node at a time (control-plane nodes only). */
export function controlPlaneVipPatch(vip: string, link: string): ConfigDocument {
  return { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: vip, link };
}

export function nodeLabelsPatch(labels: Record<string, string>): ConfigDocument {
  return { machine: { nodeLabels: { ...labels } } };
}

/** Pod and service networks. */
export function clusterNetworkPatch(podCidr: string, serviceCidr: string): ConfigDocument {
  return { cluster: { network: { podSubnets: [podCidr], serviceSubnets: [serviceCidr] } } };
}

/** Cilium replaces the default CNI (flannel) and kube-proxy. */
export function ciliumCniPatch(): ConfigDocument {
  return { cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true } } };
}

/** KubePrism pinned on, since Cilium reaches the API server through it before any Service works. */
export function kubePrismPatch(): ConfigDocument {
  return { machine: { features: { kubePrism: { enabled: true, port: KUBEPRISM_PORT } } } };
}

/** The kubelet (and so the Node address) uses the node network, never the VIP. */
export function kubeletNodeIpPatch(nodeCidr: string): ConfigDocument {
  return { machine: { kubelet: { nodeIP: { validSubnets: [nodeCidr] } } } };
}

/** etcd peers advertise node-network addresses only, never the VIP (control-plane nodes only). */
export function etcdSubnetPatch(nodeCidr: string): ConfigDocument {
  return { cluster: { etcd: { advertisedSubnets: [nodeCidr] } } };
}

/** Workloads (and Longhorn replicas) may run on control-plane nodes. */
export function controlPlaneSchedulingPatch(): ConfigDocument {
  return { cluster: { allowSchedulingOnControlPlanes: true } };
}

export function resolverPatch(nameservers: string[]): ConfigDocument {
  return {
    apiVersion: "v1alpha1",
    kind: "ResolverConfig",
    nameservers: nameservers.map((address) => ({ address })),
  };
}

export function timeSyncPatch(servers: string[]): ConfigDocument {
  return { apiVersion: "v1alpha1", kind: "TimeSyncConfig", ntp: { servers } };
}

/** kubelet bind mounts Longhorn needs: the default path, plus a custom data path when one is set. */
export function longhornMountsPatch(dataPath: string): ConfigDocument {
  const paths = [...new Set([LONGHORN_DEFAULT_PATH, dataPath.replace(/\/+$/, "") || "/"])];
  return {
    machine: {
      kubelet: {
        extraMounts: paths.map((p) => ({
          destination: p,
          type: "bind",
          source: p,
          options: ["bind", "rshared", "rw"],
        })),
      },
    },
  };
}

/** What the cluster layer adds on top of the node table. */
export interface PatchOptions {
  /** Cilium is the CNI: no default CNI, no kube-proxy. */
  ciliumCni: boolean;
  /** Longhorn runs here: its data path (kubelet mounts are added). */
  longhornDataPath?: string;
}

/** Patches shared by every machine of a role (given to getConfiguration). */
export function rolePatches(
  talos: TalosSettings,
  role: MachineRole,
  options: PatchOptions,
): ConfigDocument[] {
  const { network } = talos;
  const docs: ConfigDocument[] = [clusterNetworkPatch(network.podCidr, network.serviceCidr)];
  if (options.ciliumCni) docs.push(ciliumCniPatch());
  docs.push(kubePrismPatch(), kubeletNodeIpPatch(network.nodeCidr), resolverPatch(network.dnsServers));
  if (network.ntpServers.length > 0) docs.push(timeSyncPatch(network.ntpServers));
  if (options.longhornDataPath !== undefined) docs.push(longhornMountsPatch(options.longhornDataPath));
  if (role === "controlplane") docs.push(etcdSubnetPatch(network.nodeCidr), controlPlaneSchedulingPatch());
  // The stack's own documents come last so that they win the merge.
  docs.push(...talos.patches[role]);
  return docs;
}

/** Patches of one node (given to its ConfigurationApply). */
export function nodePatches(talos: TalosSettings, node: TalosNode, installerImage: string): ConfigDocument[] {
  const docs: ConfigDocument[] = [installPatch(node.disk, installerImage), hostnamePatch(node.name)];
  if (node.mac !== undefined) docs.push(linkAliasPatch(node.interface, node.mac));
  docs.push(staticLinkPatch(node.interface, node.address, talos.network.nodeCidr, talos.network.gateway));
  if (node.controller) docs.push(controlPlaneVipPatch(talos.apiVip, node.interface));
  if (Object.keys(node.labels).length > 0) docs.push(nodeLabelsPatch(node.labels));
  docs.push(...node.patches);
  return docs;
}

export function roleOf(node: TalosNode): MachineRole {
  return node.controller ? "controlplane" : "worker";
}

/** `v1.13.9` -> `v1.13`: the feature contract the machine secrets are generated for (the schema admits `vX.Y.Z` only). */
export function talosContract(talosVersion: string): string {
  return talosVersion.slice(0, talosVersion.lastIndexOf("."));
}

export function clusterEndpoint(apiVip: string): string {
  return `https://${apiVip}:6443`;
}
