import * as fs from "fs";
import * as path from "path";
import type { KubeConfig } from "@kubernetes/client-node";
import { readBigip } from "./bigip";
import { readCloudflare } from "./cloudflare";
import { credential, OpReader } from "./credentials";
import { isHelmReleaseSecret, redactHelmReleaseSecret } from "./helmRelease";
import { kindKey, KindListing, kubectlList, readKubernetes, redactLiveObject } from "./kubernetes";
import { readTalosNode, TalosReadOptions } from "./talos";
import { OWNER_GROUPS, SnapshotTargets } from "./targets";

/*
 * A snapshot directory: the live state one stack acts on, in the formats the upstream tools print, so that an
 * operator can also write it by hand (kubectl, talosctl, curl):
 *
 *   snapshot.json                         what was read, from where, and which sources failed
 *   kubernetes/<resource>[.<group>].json  `kubectl get <resource>.<group> -A -o json --show-managed-fields`
 *   talos/<node>/<resource>.yaml          `talosctl -n <address> get <resource> -o yaml`
 *   bigip/<collection>.json               iControl REST collection GETs (./bigip.ts)
 *   cloudflare/<list>.json                Cloudflare API v4 list answers (./cloudflare.ts)
 */

export const MANIFEST_FILE = "snapshot.json";

export type SourceStatus = "ok" | "failed";

export interface SourceRecord {
  status: SourceStatus;
  /** Why the source could not be read (no credentials, unreachable, refused). */
  error?: string;
  files: string[];
  seconds: number;
}

export interface KindRecord {
  apiVersion: string;
  kind: string;
  served: boolean;
  file?: string;
}

export interface SnapshotManifest {
  stack: string;
  takenAt: string;
  /** `kubernetes`, `talos/<node>`, `bigip`, `cloudflare`. */
  sources: Record<string, SourceRecord>;
  kubernetes?: { namespaces: string[]; kinds: KindRecord[] };
}

export interface Collectors {
  /** The operator's kubeconfig (KUBECONFIG or ~/.kube/config); throwing records the source as failed. */
  kubeconfig: () => KubeConfig;
  talos?: TalosReadOptions;
  env: NodeJS.ProcessEnv;
  op: OpReader;
  /** One progress line per source as it finishes. */
  log: (line: string) => void;
}

type Obj = Record<string, unknown>;

function writeJson(dir: string, file: string, value: unknown, indent = 2): string {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), `${JSON.stringify(value, null, indent)}\n`);
  return file;
}

/** `deployments.apps.json`, `secrets.json`: the name `kubectl get` takes for the kind. */
export function kubernetesFile(listing: Pick<KindListing, "kind" | "resource">): string {
  const resource = listing.resource ?? listing.kind.kind.toLowerCase();
  return `kubernetes/${listing.kind.group === "" ? resource : `${resource}.${listing.kind.group}`}.json`;
}

async function kubernetesSource(targets: SnapshotTargets, dir: string, c: Collectors) {
  const namespaces = new Set(targets.namespaces);
  const listings = await readKubernetes(c.kubeconfig(), targets.kinds, {
    keep: (item, kind, namespaced) => {
      if (!namespaced || OWNER_GROUPS.has(kind.group)) return true;
      return namespaces.has(String((item["metadata"] as Obj | undefined)?.["namespace"] ?? ""));
    },
    redact: (item) => {
      if (!isHelmReleaseSecret(item)) return redactLiveObject(item);
      const meta = (item["metadata"] ?? {}) as Obj;
      const release = `${String(meta["namespace"])}/${String(((meta["labels"] ?? {}) as Obj)["name"])}`;
      return redactHelmReleaseSecret(item, targets.helmSecretValuePaths.get(release));
    },
  });
  const files = listings
    .filter((l) => l.served)
    .map((l) => writeJson(dir, kubernetesFile(l), kubectlList(l.items), 4));
  const objects = listings.reduce((n, l) => n + l.items.length, 0);
  const missing = listings.filter((l) => !l.served).map((l) => kindKey(l.kind));
  return {
    files,
    summary: `${listings.length} kinds, ${objects} objects${missing.length > 0 ? `; not served: ${missing.join(", ")}` : ""}`,
    kinds: listings.map((l) => ({
      apiVersion: l.kind.group === "" ? l.kind.version : `${l.kind.group}/${l.kind.version}`,
      kind: l.kind.kind,
      served: l.served,
      ...(l.served ? { file: kubernetesFile(l) } : {}),
    })),
  };
}

async function bigipSource(targets: SnapshotTargets, dir: string, c: Collectors) {
  const t = targets.bigip!;
  const [host, username, password] = await Promise.all(
    [t.host, t.username, t.password].map((s) => credential(s, c.env, c.op)),
  );
  const port = c.env[t.port.env];
  const answers = await readBigip({
    host: host!,
    username: username!,
    password: password!,
    ...(port ? { port } : {}),
    ...(t.trustedCertPath !== undefined ? { ca: fs.readFileSync(t.trustedCertPath, "utf8") } : {}),
    verifyCertificate: t.verifyCertificate,
  });
  const files = Object.entries(answers).map(([name, answer]) => writeJson(dir, `bigip/${name}.json`, answer));
  const count = (name: string) =>
    ((answers as Record<string, Obj>)[name]?.["items"] as unknown[] | undefined)?.length ?? 0;
  return {
    files,
    summary: `${count("ltm-node")} nodes, ${count("ltm-pool")} pools, ${count("ltm-virtual")} virtual servers`,
  };
}

async function cloudflareSource(targets: SnapshotTargets, dir: string, c: Collectors) {
  const t = targets.cloudflare!;
  const [apiToken, accountId] = await Promise.all(
    [t.apiToken, t.accountId].map((s) => credential(s, c.env, c.op)),
  );
  const baseUrl = c.env["CLOUDFLARE_BASE_URL"];
  const answers = await readCloudflare(
    { apiToken: apiToken!, accountId: accountId!, ...(baseUrl ? { baseUrl } : {}) },
    t.zone,
  );
  const files = Object.entries(answers).map(([name, answer]) =>
    writeJson(dir, `cloudflare/${name}.json`, answer),
  );
  const count = (a: Obj) => (a["result"] as unknown[]).length;
  return {
    files,
    summary: `${count(answers.dns_records)} DNS records in ${t.zone}, ${count(answers.tunnels)} tunnels`,
  };
}

async function timed(
  name: string,
  c: Collectors,
  read: () => Promise<{ files: string[]; summary: string }>,
): Promise<SourceRecord> {
  const start = process.hrtime.bigint();
  const seconds = () => Number((process.hrtime.bigint() - start) / 1_000_000n) / 1000;
  try {
    const { files, summary } = await read();
    const s = seconds();
    c.log(`${name}: ${summary} (${s.toFixed(1)} s)`);
    return { status: "ok", files, seconds: s };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const s = seconds();
    c.log(`${name}: FAILED: ${error} (${s.toFixed(1)} s)`);
    return { status: "failed", error, files: [], seconds: s };
  }
}

/** Empties a directory a previous snapshot wrote; refuses one holding anything else. */
function prepare(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE)))
      throw new Error(`${dir} is not empty and holds no snapshot; give a new or empty directory`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
}

/**
 * Reads every source of the stack in parallel and writes the snapshot. A failing source is recorded in
 * snapshot.json and the others are still written; only reads are sent.
 */
export async function takeSnapshot(
  targets: SnapshotTargets,
  dir: string,
  c: Collectors,
): Promise<SnapshotManifest> {
  prepare(dir);
  let kinds: KindRecord[] = [];
  const jobs: Array<Promise<[string, SourceRecord]>> = [
    timed("kubernetes", c, async () => {
      const result = await kubernetesSource(targets, dir, c);
      kinds = result.kinds;
      return result;
    }).then((r) => ["kubernetes", r]),
    ...targets.talosNodes.map((node) =>
      timed(`talos/${node.name}`, c, async () => {
        const files = Object.entries(await readTalosNode(node, c.talos)).map(([file, text]) => {
          const rel = `talos/${node.name}/${file}.yaml`;
          fs.mkdirSync(path.join(dir, "talos", node.name), { recursive: true });
          fs.writeFileSync(path.join(dir, rel), text);
          return rel;
        });
        return { files, summary: `${node.address}: ${files.length} resources` };
      }).then((r): [string, SourceRecord] => [`talos/${node.name}`, r]),
    ),
    ...(targets.bigip !== undefined
      ? [
          timed("bigip", c, () => bigipSource(targets, dir, c)).then((r): [string, SourceRecord] => [
            "bigip",
            r,
          ]),
        ]
      : []),
    ...(targets.cloudflare !== undefined
      ? [
          timed("cloudflare", c, () => cloudflareSource(targets, dir, c)).then(
            (r): [string, SourceRecord] => ["cloudflare", r],
          ),
        ]
      : []),
  ];
  const sources = Object.fromEntries(await Promise.all(jobs));
  const manifest: SnapshotManifest = {
    stack: targets.stack,
    takenAt: new Date().toISOString(),
    sources,
    ...(sources["kubernetes"]?.status === "ok"
      ? { kubernetes: { namespaces: targets.namespaces, kinds } }
      : {}),
  };
  writeJson(dir, MANIFEST_FILE, manifest);
  return manifest;
}
