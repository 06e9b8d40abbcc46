import type { CrossRule } from ".";

/*
 * Extra Talos documents may add what the program does not render; they may not change what it does. The stack's
 * documents are merged after the program's own (components/cluster/talosPatches.ts), so a patch that sets a field
 * the program sets wins silently: a CNI next to Cilium leaves two CNIs fighting over every pod's network, a
 * kube-proxy next to Cilium's replacement double-handles Services, a second install disk or installer image
 * reinstalls the node from somewhere else at the next upgrade. Each such field has its own config key.
 */

interface Managed {
  /** Dotted path inside a v1alpha1 patch, or the kind of a typed document. */
  at: string;
  why: string;
  /** Only while this holds of the config (e.g. Cilium is on). */
  when?: "cilium";
}

const MANAGED: Managed[] = [
  {
    at: "cluster.network.cni",
    why: "Cilium is the CNI (cilium.enabled); a second CNI fights it over every pod's network",
    when: "cilium",
  },
  { at: "cluster.proxy", why: "Cilium replaces kube-proxy (cilium.enabled)", when: "cilium" },
  { at: "cluster.network.podSubnets", why: "set cluster.talos.network.podCidr" },
  { at: "cluster.network.serviceSubnets", why: "set cluster.talos.network.serviceCidr" },
  { at: "cluster.controlPlane.endpoint", why: "the endpoint is https://<cluster.talos.apiVip>:6443" },
  { at: "cluster.clusterName", why: "set cluster.name" },
  { at: "cluster.etcd.advertisedSubnets", why: "etcd advertises on cluster.talos.network.nodeCidr" },
  { at: "machine.install.disk", why: "set the node's disk" },
  { at: "machine.install.diskSelector", why: "set the node's disk" },
  { at: "machine.install.image", why: "the installer image follows talosVersion and extensions" },
  { at: "machine.kubelet.nodeIP", why: "the kubelet's node IP comes from cluster.talos.network.nodeCidr" },
  { at: "machine.network.hostname", why: "the hostname is the node's name" },
  { at: "machine.network.nameservers", why: "set cluster.talos.network.dnsServers" },
  { at: "machine.time", why: "set cluster.talos.network.ntpServers" },
  { at: "machine.features.kubePrism", why: "the program runs KubePrism on its fixed port" },
  { at: "HostnameConfig", why: "the hostname is the node's name" },
  { at: "ResolverConfig", why: "set cluster.talos.network.dnsServers" },
  { at: "TimeSyncConfig", why: "set cluster.talos.network.ntpServers" },
  { at: "Layer2VIPConfig", why: "set cluster.talos.apiVip" },
];

function has(doc: unknown, dotted: string): boolean {
  let node = doc;
  for (const key of dotted.split(".")) {
    if (node === null || typeof node !== "object" || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

const talosPatchManaged: CrossRule = {
  id: "talos-patch-managed",
  check({ config, enabled }, issues) {
    const talos = config.cluster?.talos;
    if (talos === undefined || !talos.enabled) return;
    const docs = [
      ...(["controlplane", "worker"] as const).flatMap((role) =>
        talos.patches[role].map((doc, i) => ({
          doc,
          path: `cluster.talos.patches.${role}[${i}]`,
          link: undefined,
        })),
      ),
      ...talos.nodes.flatMap((n, i) =>
        n.patches.map((doc, j) => ({
          doc,
          path: `cluster.talos.nodes[${i}].patches[${j}]`,
          link: n.interface,
        })),
      ),
    ];
    for (const { doc, path, link } of docs) {
      const kind = typeof doc["kind"] === "string" ? doc["kind"] : undefined;
      const hits = MANAGED.filter(
        (m) =>
          (m.when !== "cilium" || enabled("cilium") === true) &&
          (kind === undefined ? has(doc, m.at) : kind === m.at),
      ).map((m) => ({ what: kind ?? m.at, why: m.why }));
      // The node's own link carries its address, route and (with a MAC) its alias.
      if ((kind === "LinkConfig" || kind === "LinkAliasConfig") && link !== undefined && doc["name"] === link)
        hits.push({
          what: `${kind} ${link}`,
          why: "the node's interface and address come from its interface and address",
        });
      for (const { what, why } of hits)
        issues.add(path, `sets ${what}, which the program manages`, `remove it: ${why}`);
    }
  },
};

export const talosPatchRules: CrossRule[] = [talosPatchManaged];
