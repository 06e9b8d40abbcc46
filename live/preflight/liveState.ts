import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import type { BigipCollection } from "../bigip";
import { currentReleases, HelmRelease } from "../helmRelease";
import { MANIFEST_FILE, SnapshotManifest } from "../snapshot";
import { TALOS_RESOURCES, TalosResourceFile } from "../talos";

/*
 * A snapshot directory read back: written by `npm run snapshot` or by hand with the same tools (then without
 * snapshot.json, and a source counts as read when its directory exists).
 */

type Obj = Record<string, unknown>;

export interface SourceState {
  status: "ok" | "failed" | "missing";
  error?: string;
}

export interface KubernetesState {
  objects: Obj[];
  /** `group/Kind` of the kinds the snapshot listed and the cluster serves; undefined: every kind (by hand). */
  listed?: Set<string>;
  /** `group/Kind` the cluster does not serve (CRD not installed). */
  notServed: Set<string>;
  helmReleases: HelmRelease[];
  byKey: Map<string, Obj>;
}

export interface BigipState {
  nodes: Obj[];
  pools: Obj[];
  virtuals: Obj[];
  /** TCP and HTTP monitors, each with `type` (`tcp`/`http`) added. */
  monitors: Obj[];
}

export interface CloudflareState {
  dnsRecords: Obj[];
  tunnels: Obj[];
}

export interface LiveState {
  dir: string;
  takenAt?: string;
  sources: Map<string, SourceState>;
  kubernetes?: KubernetesState;
  /** Per node name, the talosctl outputs read. */
  talos: Map<string, Partial<Record<TalosResourceFile, string>>>;
  bigip?: BigipState;
  cloudflare?: CloudflareState;
}

export function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? "");
  const i = text.indexOf("/");
  return i < 0 ? "" : text.slice(0, i);
}

/** `group/Kind/namespace/name`, the identity of an object whatever version it was read in. */
export function objectKey(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}/${kind}/${namespace ?? ""}/${name}`;
}

export function keyOf(obj: Obj): string {
  const meta = (obj["metadata"] ?? {}) as Obj;
  const ns = typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
  return objectKey(groupOf(obj["apiVersion"]), String(obj["kind"]), ns, String(meta["name"]));
}

function readJson(file: string): Obj {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Obj;
}

/** Items of a `kubectl get -o json` file: a List, or one object. */
function itemsOf(doc: Obj): Obj[] {
  return Array.isArray(doc["items"]) ? (doc["items"] as Obj[]) : [doc];
}

function readKubernetes(dir: string, manifest: SnapshotManifest | undefined): KubernetesState {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
  const objects = files.flatMap((f) => itemsOf(readJson(path.join(dir, f))));
  const kinds = manifest?.kubernetes?.kinds;
  const gk = (k: { apiVersion: string; kind: string }) => `${groupOf(k.apiVersion)}/${k.kind}`;
  return {
    objects,
    ...(kinds !== undefined ? { listed: new Set(kinds.filter((k) => k.served).map(gk)) } : {}),
    notServed: new Set((kinds ?? []).filter((k) => !k.served).map(gk)),
    helmReleases: currentReleases(objects),
    byKey: new Map(objects.map((o) => [keyOf(o), o])),
  };
}

function readTalos(dir: string): LiveState["talos"] {
  const nodes = new Map<string, Partial<Record<TalosResourceFile, string>>>();
  if (!fs.existsSync(dir)) return nodes;
  for (const node of fs.readdirSync(dir)) {
    const files: Partial<Record<TalosResourceFile, string>> = {};
    for (const file of Object.keys(TALOS_RESOURCES) as TalosResourceFile[]) {
      const p = path.join(dir, node, `${file}.yaml`);
      if (fs.existsSync(p)) files[file] = fs.readFileSync(p, "utf8");
    }
    nodes.set(node, files);
  }
  return nodes;
}

function readBigip(dir: string): BigipState {
  const items = (name: BigipCollection) => {
    const file = path.join(dir, `${name}.json`);
    return fs.existsSync(file) ? ((readJson(file)["items"] as Obj[] | undefined) ?? []) : [];
  };
  return {
    nodes: items("ltm-node"),
    pools: items("ltm-pool"),
    virtuals: items("ltm-virtual"),
    monitors: [
      ...items("ltm-monitor-tcp").map((m) => ({ ...m, type: "tcp" })),
      ...items("ltm-monitor-http").map((m) => ({ ...m, type: "http" })),
    ],
  };
}

function readCloudflare(dir: string): CloudflareState {
  const result = (name: string) => {
    const file = path.join(dir, `${name}.json`);
    return fs.existsSync(file) ? ((readJson(file)["result"] as Obj[] | undefined) ?? []) : [];
  };
  return { dnsRecords: result("dns_records"), tunnels: result("tunnels") };
}

/** Parses talosctl's YAML output into its resources (`{node, metadata, spec}` each). */
export function talosResources(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null && typeof d === "object");
}

export function loadSnapshot(dir: string): LiveState {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such snapshot directory`);
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifest = fs.existsSync(manifestFile)
    ? (readJson(manifestFile) as unknown as SnapshotManifest)
    : undefined;
  const sources = new Map<string, SourceState>();
  const source = (name: string, sub: string): SourceState => {
    const recorded = manifest?.sources[name];
    if (recorded !== undefined)
      return { status: recorded.status, ...(recorded.error !== undefined ? { error: recorded.error } : {}) };
    return { status: fs.existsSync(path.join(dir, sub)) ? "ok" : "missing" };
  };
  for (const [name, sub] of [
    ["kubernetes", "kubernetes"],
    ["bigip", "bigip"],
    ["cloudflare", "cloudflare"],
  ] as const)
    sources.set(name, source(name, sub));
  const talos = readTalos(path.join(dir, "talos"));
  for (const name of Object.keys(manifest?.sources ?? {}).filter((n) => n.startsWith("talos/")))
    sources.set(name, source(name, name));
  for (const node of talos.keys())
    if (!sources.has(`talos/${node}`)) sources.set(`talos/${node}`, { status: "ok" });
  const ok = (name: string) => sources.get(name)?.status === "ok";
  return {
    dir,
    ...(manifest !== undefined ? { takenAt: manifest.takenAt } : {}),
    sources,
    ...(ok("kubernetes") ? { kubernetes: readKubernetes(path.join(dir, "kubernetes"), manifest) } : {}),
    talos,
    ...(ok("bigip") ? { bigip: readBigip(path.join(dir, "bigip")) } : {}),
    ...(ok("cloudflare") ? { cloudflare: readCloudflare(path.join(dir, "cloudflare")) } : {}),
  };
}
