import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { invariant } from "./checks/refine";
import { configExposurePlan } from "./addressBook";
import { referenceHint } from "./hints";
import type { IssueList } from "./issues";
import type { PlatformConfig } from "./schema";

/*
 * `ai-platform:adoption`: taking over a cluster that talosctl/talhelper, ArgoCD, Flux and Terraform built.
 * `enabled` is the adoption run (imports, upsert, forced field ownership; Talos applies that never reboot).
 * Everything else the block says holds for as long as the block is in the stack file, before, during and after
 * that run: the existing BIG-IP names, how each Helm release exists, the retained kinds and what a destroy may
 * delete. So turning the run off cannot give an adopted object back its program name (a replacement). Applied
 * by components/adoption through a resource transform.
 */

/** Full path of a BIG-IP object: /<partition>/<name> or /<partition>/<folder>/<name>. */
const bigipFullPath = z.string().regex(/^\/[A-Za-z][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.:-]+){1,2}$/, {
  error: "must be a BIG-IP full path like /Common/solo_vs",
});

/** How a Helm release of the program exists (see `helm.releases`). */
const HELM_RELEASE_STATES = ["release", "upgrade", "rendered", "absent"] as const;

/** Objects whose fields another manager owns; server-side apply takes them with force (pulumi.com/patchForce). */
const patchForceSelector = z
  .strictObject({
    /** Every object a Helm chart or YAML bundle of this program renders, by its resource name. */
    chart: z.string().min(1).optional(),
    kind: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
  })
  .check(
    invariant("patch-force-selector", (s, problems) => {
      if (s.chart === undefined && s.kind === undefined && s.namespace === undefined)
        problems.add([], "must name a chart, a kind or a namespace");
    }),
  );

export const adoptionSchema = z
  .strictObject({
    /** This run takes over what exists; turn it off after the first successful `pulumi up`. */
    enabled: z.boolean().default(false),
    /** Refused with an explanation (adoption-completed): the block's mappings hold without it. */
    completed: z.unknown().optional(),
    /**
     * What happens to the objects that existed before the adoption (imported or taken-over Helm releases, mapped
     * BIG-IP objects and their pool members, imported DNS records, the Talos secrets) when a destroy, a removal
     * from the stack or a replacement would delete them: `keep` leaves them running and only drops them from the
     * state (retainOnDelete); `delete` deletes them like anything the program created.
     */
    onDestroy: z.enum(["keep", "delete"]).default("keep"),
    talos: z
      .strictObject({
        /** Absolute path of the cluster's decrypted secrets bundle (talhelper talsecret, talosctl gen secrets). */
        secretsFile: z.string().min(1).optional(),
      })
      .default({}),
    kubernetes: z
      .strictObject({
        /** Kinds other systems rely on: never deleted by a later destroy or rename (retainOnDelete). */
        retainKinds: z.array(z.string().min(1)).default(["Namespace", "CustomResourceDefinition"]),
        patchForce: z.array(patchForceSelector).default([]),
      })
      .default({ retainKinds: ["Namespace", "CustomResourceDefinition"], patchForce: [] }),
    /**
     * Helm releases of this program by `<namespace>/<release>`: `release` if Helm or Flux installed it (the
     * release is imported and kept at its live chart version and values), `upgrade` once the stack carries the
     * live values it keeps (the release is moved to the program's pinned chart and values), `rendered` if ArgoCD
     * or kubectl applied the chart's objects (no release exists; the install takes ownership of them), `absent`
     * if nothing of it exists yet.
     */
    helm: z
      .strictObject({ releases: z.record(z.string(), z.enum(HELM_RELEASE_STATES)).default({}) })
      .default({ releases: {} }),
    bigip: z
      .strictObject({
        /** Existing node per cluster node name. */
        nodes: z.record(z.string(), bigipFullPath).default({}),
        /** Existing pool and virtual server per VIP port, keyed `<exposure>-<port>`. */
        vips: z
          .record(z.string(), z.strictObject({ pool: bigipFullPath, virtualServer: bigipFullPath }))
          .default({}),
        /** Existing health monitor the program's monitor takes over. */
        monitor: bigipFullPath.optional(),
        /** Program objects that exist nowhere yet: `node/<name>`, `vip/<exposure>-<port>`, `monitor`. */
        create: z.array(z.string()).default([]),
      })
      .optional(),
    cloudflare: z
      .strictObject({
        /** Existing DNS record id (32 hex digits) per exposure name. */
        dnsRecords: z
          .record(
            z.string(),
            z.string().regex(/^[0-9a-f]{32}$/, { error: "must be a 32-hex-digit record id" }),
          )
          .default({}),
        /** Exposures whose DNS record does not exist yet. */
        create: z.array(z.string()).default([]),
        /** Name of the tunnel that serves the hostnames today; the program's tunnel needs another name. */
        existingTunnel: z.string().min(1).optional(),
      })
      .optional(),
  })
  .check(
    invariant("adoption-completed", (a, problems) => {
      if (a.completed !== undefined)
        problems.add(
          ["completed"],
          "is not a setting: what this block maps keeps its existing names and its retention for as long as the block is in the stack file, so there is nothing to complete",
          "remove it; after the adoption run set enabled: false and leave the rest of the block as it is",
        );
    }),
    // A corrected import id replaces the object first imported; only its retention (read from the state written
    // by the run that imported it, pulumi/pulumi@v3.248.0 pkg/resource/deploy/step.go DeleteStep.Apply) keeps
    // the engine from deleting it (pkg/resource/deploy/step_generator.go: an ID that differs from the old
    // ImportID is an ImportReplacementStep plus a ReplaceStep).
    invariant("adoption-on-destroy", (a, problems) => {
      if (a.enabled && a.onDestroy === "delete")
        problems.add(
          ["onDestroy"],
          "cannot be delete during the adoption run: correcting an import id after a partly failed run would delete the object first imported",
          "keep onDestroy: keep for the adoption run; set delete afterwards, run pulumi up once, then destroy",
        );
    }),
  );

export type AdoptionConfig = z.infer<typeof adoptionSchema>;

/** Helm releases the program installs (components/cluster: cilium.ts, longhorn.ts), `<namespace>/<release>`. */
export function declaredHelmReleases(c: Partial<PlatformConfig>): string[] {
  const releases: string[] = [];
  if (c.cilium?.enabled) releases.push("kube-system/cilium");
  if (c.longhorn?.enabled) releases.push(`${c.longhorn.namespace}/longhorn`);
  return releases;
}

/** VIP-port keys the program deploys: the exposure plan's BIG-IP slice. */
function vipKeys(c: Partial<PlatformConfig>): Array<{ key: string; vip: string }> {
  return configExposurePlan(c).vips.map((v) => ({ key: v.key, vip: `${v.address}:${v.port}` }));
}

const SECRETS_HINT =
  "write the decrypted bundle to an absolute path: `sops -d talos/talsecret.sops.yaml > /secure/<cluster>-secrets.yaml` " +
  "(talhelper) or `talosctl gen secrets --from-controlplane-config controlplane.yaml -o /secure/<cluster>-secrets.yaml`";

/**
 * Apply modes that never reboot a node: the whole rendered configuration replaces the live one on the first
 * apply, and `auto` reboots for any change outside Talos's no-reboot allow-list (siderolabs/talos@v1.13.9
 * internal/app/machined/pkg/runtime/v1alpha1/v1alpha1_runtime.go).
 */
const NO_REBOOT_MODES: string[] = ["no_reboot", "staged"];

/** Reads a file for validation; tests pass their own. */
export type FileReader = (file: string) => string | undefined;

const readIfFile: FileReader = (file) =>
  fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8") : undefined;

function secretsFileIssues(file: string, issues: IssueList, read: FileReader): void {
  const at = "adoption.talos.secretsFile";
  if (!path.isAbsolute(file)) {
    // The talos plugin process reads the import ID as a path from its own working directory.
    issues.add(at, `"${file}" is relative; it must be an absolute path`, SECRETS_HINT);
    return;
  }
  const text = read(file);
  if (text === undefined) {
    issues.add(at, `"${file}" does not exist`, SECRETS_HINT);
    return;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  const bundle = (doc ?? {}) as Record<string, unknown>;
  if ("sops" in bundle) {
    issues.add(at, `"${file}" is SOPS-encrypted`, SECRETS_HINT);
    return;
  }
  // Top-level keys of a Talos secrets bundle (siderolabs/talos pkg/machinery/config/generate/secrets/bundle.go).
  const missing = ["cluster", "secrets", "trustdinfo", "certs"].filter((k) => !(k in bundle));
  if (missing.length > 0)
    issues.add(at, `"${file}" is not a Talos secrets bundle (no ${missing.join(", ")})`, SECRETS_HINT);
}

function bigipIssues(c: Partial<PlatformConfig>, a: NonNullable<AdoptionConfig["bigip"]>, issues: IssueList) {
  const nodes = c.cluster?.talos.nodes ?? [];
  const vips = vipKeys(c);
  const nodeNames = nodes.map((n) => n.name);
  const keys = vips.map((v) => v.key);
  const createable = ["monitor", ...nodeNames.map((n) => `node/${n}`), ...keys.map((k) => `vip/${k}`)];
  for (const name of Object.keys(a.nodes))
    if (!nodeNames.includes(name))
      issues.add(
        `adoption.bigip.nodes.${name}`,
        `unknown cluster node "${name}"`,
        referenceHint(name, nodeNames, "node"),
      );
  for (const key of Object.keys(a.vips))
    if (!keys.includes(key))
      issues.add(
        `adoption.bigip.vips.${key}`,
        `unknown VIP port "${key}"`,
        referenceHint(key, keys, "VIP port"),
      );
  a.create.forEach((entry, i) => {
    if (!createable.includes(entry))
      issues.add(
        `adoption.bigip.create[${i}]`,
        `unknown BIG-IP object "${entry}"`,
        referenceHint(entry, createable, "object"),
      );
  });
  const created = new Set(a.create);
  for (const n of nodes) {
    if (a.nodes[n.name] !== undefined || created.has(`node/${n.name}`)) continue;
    issues.add(
      `adoption.bigip.nodes.${n.name}`,
      `node ${n.name} (${n.address}) is neither mapped nor listed as new: BIG-IP rejects a second node on an address an existing node holds`,
      `map it to the existing node's full path (terraform state show), or add "node/${n.name}" to adoption.bigip.create`,
    );
  }
  for (const v of vips) {
    if (a.vips[v.key] !== undefined || created.has(`vip/${v.key}`)) continue;
    issues.add(
      `adoption.bigip.vips.${v.key}`,
      `virtual server on ${v.vip} is neither mapped nor listed as new: BIG-IP rejects a second virtual server on the same address:port`,
      `map it to the existing pool and virtual server, or add "vip/${v.key}" to adoption.bigip.create`,
    );
  }
  if (vips.length > 0 && a.monitor === undefined && !created.has("monitor"))
    issues.add(
      "adoption.bigip.monitor",
      "the pools' monitor is neither mapped nor listed as new",
      'name the existing monitor, or add "monitor" to adoption.bigip.create',
    );
  const seen = new Map<string, string>();
  const claim = (at: string, fullPath: string) => {
    const first = seen.get(fullPath);
    if (first !== undefined)
      issues.add(
        at,
        `${fullPath} is already mapped at ${first}`,
        "each existing object backs one program object",
      );
    else seen.set(fullPath, at);
  };
  for (const [name, p] of Object.entries(a.nodes)) claim(`adoption.bigip.nodes.${name}`, p);
  for (const [key, v] of Object.entries(a.vips)) {
    claim(`adoption.bigip.vips.${key}.pool`, v.pool);
    claim(`adoption.bigip.vips.${key}.virtualServer`, v.virtualServer);
  }
}

function cloudflareIssues(
  c: Partial<PlatformConfig>,
  a: NonNullable<AdoptionConfig["cloudflare"]>,
  issues: IssueList,
) {
  const records = (c.exposures ?? [])
    .filter((e) => e.enabled && e.dns.provider === "cloudflare")
    .map((e) => e.name);
  for (const name of Object.keys(a.dnsRecords))
    if (!records.includes(name))
      issues.add(
        `adoption.cloudflare.dnsRecords.${name}`,
        `no Cloudflare DNS record for exposure "${name}"`,
        referenceHint(name, records, "exposure"),
      );
  a.create.forEach((name, i) => {
    if (!records.includes(name))
      issues.add(
        `adoption.cloudflare.create[${i}]`,
        `no Cloudflare DNS record for exposure "${name}"`,
        referenceHint(name, records, "exposure"),
      );
  });
  for (const name of records) {
    if (a.dnsRecords[name] !== undefined || a.create.includes(name)) continue;
    const host = c.exposures!.find((e) => e.name === name)!.hostname;
    issues.add(
      `adoption.cloudflare.dnsRecords.${name}`,
      `the record for ${host} is neither imported nor listed as new: creating a record whose name exists fails`,
      `give its record id (Cloudflare API GET /zones/<zone>/dns_records?name=${host}), or add "${name}" to adoption.cloudflare.create`,
    );
  }
  const tunnel = c.cloudflare?.tunnel;
  if (a.existingTunnel !== undefined && tunnel?.enabled && tunnel.name === a.existingTunnel)
    issues.add(
      "cloudflare.tunnel.name",
      `tunnel "${tunnel.name}" already exists: a locally managed tunnel cannot be imported (config_src forces replacement) and the name is taken`,
      "give the program's tunnel a new name; the old one is deleted after the cut-over",
    );
}

/** Cross-field rules of `adoption` (added to stacks/rules.ts). */
export function adoptionRules(
  c: Partial<PlatformConfig>,
  issues: IssueList,
  read: FileReader = readIfFile,
): void {
  const a = c.adoption;
  if (a === undefined) return;
  if (!a.enabled) return;
  if (c.cluster?.talos.enabled) {
    if (a.talos.secretsFile === undefined)
      issues.add(
        "adoption.talos.secretsFile",
        "is required when adoption is on and Talos is managed: new machine secrets would lock every node out",
        SECRETS_HINT,
      );
    else secretsFileIssues(a.talos.secretsFile, issues, read);
    const mode = c.cluster.talos.rollout.applyMode;
    if (!NO_REBOOT_MODES.includes(mode))
      issues.add(
        "cluster.talos.rollout.applyMode",
        `"${mode}" may reboot nodes, which the adoption run must never do unplanned`,
        'use "no_reboot" (a change that needs a reboot fails the apply) or "staged" (applied at the next reboot)',
      );
  }
  const releases = declaredHelmReleases(c);
  for (const id of Object.keys(a.helm.releases))
    if (!releases.includes(id))
      issues.add(
        `adoption.helm.releases.${id}`,
        `the program installs no Helm release "${id}"`,
        referenceHint(id, releases, "release"),
      );
  for (const id of releases)
    if (a.helm.releases[id] === undefined)
      issues.add(
        `adoption.helm.releases.${id}`,
        "is required when adoption is on: say whether a Helm release exists (release: kept as it runs; upgrade: moved to the program's chart and values), ArgoCD rendered it (rendered) or nothing exists (absent)",
        "`helm list -A` shows releases installed by Helm or Flux",
      );
  if (c.bigip?.enabled) {
    if (a.bigip === undefined)
      issues.add(
        "adoption.bigip",
        "is required when adoption is on and BIG-IP is managed",
        "map the existing nodes, pools and virtual servers (terraform state list)",
      );
    else bigipIssues(c, a.bigip, issues);
  }
  if (c.cloudflare?.enabled) {
    if (a.cloudflare === undefined)
      issues.add(
        "adoption.cloudflare",
        "is required when adoption is on and Cloudflare is managed",
        "give the existing DNS record ids or list the exposures as new",
      );
    else cloudflareIssues(c, a.cloudflare, issues);
  }
}
