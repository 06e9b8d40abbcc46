import type { DnsRecordPlan, VipPlan } from "../../lib/exposures";
import { bigipObjectNames } from "../f5/exposures";

/*
 * What the adoption takes over, computed once from the validated config, and the import ID of each resource
 * type in the format its provider's import reads.
 */

/** `run`: the adoption run (imports, upsert, forced ownership); `kept`: before or after it, the mappings only. */
export type AdoptionMode = "run" | "kept";

/** How a Helm release of the program exists (config `adoption.helm.releases`). */
type HelmReleaseState = "release" | "upgrade" | "rendered" | "absent";

/** Objects whose fields another manager owns, taken with force: by chart, kind, namespace and/or name. */
export interface PatchForceSelector {
  /** Every object a Helm chart or YAML bundle of this program renders, by its resource name. */
  chart?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

/** The `adoption` settings: the run switch, what a destroy may delete, and what exists already. */
export interface AdoptionSettings {
  enabled: boolean;
  /** `keep`: objects that existed before the adoption are never deleted by the program (retainOnDelete). */
  onDestroy: "keep" | "delete";
  /** Absolute path of the decrypted Talos secrets bundle. */
  talos: { secretsFile?: string };
  /** Kinds never deleted (retainOnDelete) and objects taken with force. */
  kubernetes: { retainKinds: readonly string[]; patchForce: readonly PatchForceSelector[] };
  /** How each Helm release (`<namespace>/<release>`) exists today. */
  helm: { releases: Readonly<Record<string, HelmReleaseState>> };
  /** Existing BIG-IP node per cluster node, pool and virtual server per VIP key, and monitor (full paths). */
  bigip?: {
    nodes: Readonly<Record<string, string>>;
    vips: Readonly<Record<string, { pool: string; virtualServer: string }>>;
    monitor?: string;
  };
  /** Existing DNS record id per exposure name. */
  cloudflare?: { dnsRecords: Readonly<Record<string, string>> };
}

/** What the adoption reads of the stack config. */
export interface AdoptionInput {
  /** Absent when the stack adopted nothing. */
  adoption?: AdoptionSettings;
  /** BIG-IP partition and monitor type, which the object names carry. */
  bigip?: { enabled: false } | { enabled: true; partition: string; monitor: { type: "tcp" | "http" } };
  cluster: { name: string; talos: { enabled: boolean } };
}

/** What the adoption reads of the exposure plan: the VIPs BIG-IP objects are named by, the Cloudflare records. */
export interface AdoptionExposures {
  vips: ReadonlyArray<Pick<VipPlan, "key">>;
  dnsRecords: ReadonlyArray<Pick<DnsRecordPlan, "exposure" | "hostname">>;
}

export interface AdoptionPlan {
  mode: AdoptionMode;
  /** Whether what existed before the adoption is registered retainOnDelete (`onDestroy: keep`). */
  retainAdopted: boolean;
  /** Absolute path of the decrypted Talos secrets bundle (Talos managed): the machine secrets were adopted. */
  talosSecretsFile?: string;
  retainKinds: ReadonlySet<string>;
  patchForce: readonly PatchForceSelector[];
  helmReleases: Readonly<Record<string, HelmReleaseState>>;
  /** Program full path of a BIG-IP node, monitor, pool or virtual server -> the existing object's. */
  bigipNames: ReadonlyMap<string, string>;
  /** Existing nodes and pools, whose memberships exist too. */
  bigipExistingNodes: ReadonlySet<string>;
  bigipExistingPools: ReadonlySet<string>;
  /** DNS record hostname -> existing record id. */
  dnsRecordIds: ReadonlyMap<string, string>;
}

/**
 * The adoption plan, or undefined when the stack has no adoption block (nothing changes). The mappings apply
 * whether or not the run is on, so that no later run renames or forgets what the adoption took over.
 */
export function adoptionPlan(config: AdoptionInput, exposures: AdoptionExposures): AdoptionPlan | undefined {
  const a = config.adoption;
  if (a === undefined) return undefined;
  const bigipNames = new Map<string, string>();
  if (config.bigip?.enabled && a.bigip !== undefined) {
    const names = bigipObjectNames(config.bigip.partition, config.cluster.name, config.bigip.monitor.type);
    for (const [node, existing] of Object.entries(a.bigip.nodes)) bigipNames.set(names.node(node), existing);
    if (a.bigip.monitor !== undefined) bigipNames.set(names.monitor, a.bigip.monitor);
    for (const plan of exposures.vips) {
      const existing = a.bigip.vips[plan.key];
      if (existing === undefined) continue;
      bigipNames.set(names.pool(plan.key), existing.pool);
      bigipNames.set(names.virtualServer(plan.key), existing.virtualServer);
    }
  }
  const dnsRecordIds = new Map<string, string>();
  for (const r of exposures.dnsRecords) {
    const id = a.cloudflare?.dnsRecords[r.exposure];
    if (id !== undefined) dnsRecordIds.set(r.hostname, id);
  }
  return {
    mode: a.enabled ? "run" : "kept",
    retainAdopted: a.onDestroy === "keep",
    talosSecretsFile: config.cluster.talos.enabled ? a.talos.secretsFile : undefined,
    retainKinds: new Set(a.kubernetes.retainKinds),
    patchForce: a.kubernetes.patchForce,
    helmReleases: a.helm.releases,
    bigipNames,
    bigipExistingNodes: new Set(Object.values(a.bigip?.nodes ?? {})),
    bigipExistingPools: new Set(Object.values(a.bigip?.vips ?? {}).map((v) => v.pool)),
    dnsRecordIds,
  };
}

/**
 * Import ID of `talos:machine/bootstrap:Bootstrap`: any ID is accepted, and the provider stores this one
 * (siderolabs/terraform-provider-talos@v0.11.0 pkg/talos/talos_machine_bootstrap_resource.go ImportState).
 */
export const TALOS_BOOTSTRAP_IMPORT_ID = "machine_bootstrap";

/**
 * Import ID of `talos:machine/secrets:Secrets`: the path of a decrypted secrets bundle, read by the plugin
 * process (siderolabs/terraform-provider-talos@v0.11.0 pkg/talos/talos_machine_secrets_resource.go
 * ImportState). The imported talos_version (v1.3) is older than the program's, which is an update, not a
 * replacement (same file, talosMachineFeaturesVersionPlanModifier).
 */
export function talosSecretsImportId(secretsFile: string): string {
  return secretsFile;
}

/**
 * Import ID of `kubernetes:helm.sh/v3:Release`: `<namespace>/<release>` (@pulumi/kubernetes 4.34.2
 * helm/v3/release.d.ts "Import").
 */
export function helmReleaseImportId(namespace: string, release: string): string {
  return `${namespace}/${release}`;
}

/**
 * Import ID of BIG-IP nodes, pools, monitors and virtual servers: the full path, passed through
 * (F5Networks/terraform-provider-bigip@v1.26.0 bigip/resource_bigip_ltm_node.go, _pool.go, _monitor.go,
 * _virtual_server.go: ImportStatePassthroughContext).
 */
export function bigipImportId(fullPath: string): string {
  return fullPath;
}

/**
 * Import ID of `f5bigip:ltm/poolAttachment:PoolAttachment`: JSON with the pool's full path and the member's
 * `<node full path>:<port>` (F5Networks/terraform-provider-bigip@v1.26.0
 * bigip/resource_bigip_ltm_pool_attachment.go resourceBigipLtmPoolAttachmentImport).
 */
export function poolAttachmentImportId(pool: string, member: string): string {
  return JSON.stringify({ pool, node: member });
}

/**
 * Import ID of `cloudflare:index/dnsRecord:DnsRecord`: `<zone_id>/<dns_record_id>`
 * (cloudflare/terraform-provider-cloudflare@v5.19.1 internal/services/dns_record/resource.go ImportState).
 */
export function dnsRecordImportId(zoneId: string, recordId: string): string {
  return `${zoneId}/${recordId}`;
}
