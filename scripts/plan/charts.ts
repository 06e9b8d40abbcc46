import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments, stringify } from "yaml";
import { CORE_GROUPS, validateCoreObject, validateCustomResource } from "../../conformance";
import { validateObjectMeta } from "../../conformance/objectMeta";
import { splitApiVersion } from "../../conformance/paths";
import type { ChartPin } from "../../lib/versions";
import { DEFAULT_POLICY_CONFIG, RESOURCE_RULES } from "../../policy/rules";
import { canonical } from "../../recording/redact";
import type { RecordedResource, Recording } from "../../recording/runtime";
import type { PlanResource } from "./diff";

/*
 * The objects the Helm charts render, which the plan otherwise knows only by their values. With a helm binary
 * (`HELM`, else `helm` on PATH) and the chart archive (the chart cache, else `helm pull` from its repository)
 * whose sha256 matches the digest pinned in lib/versions.ts, each chart is rendered the way the provider does:
 *
 * - `helm.sh/v4` Chart: `helm template` with CRDs unless `skipCrds`, hooks dropped
 *   (pulumi/pulumi-kubernetes@94977969:provider/pkg/provider/helm/v4/chart.go: `cmd.IncludeCRDs = !SkipCrds`,
 *   `cmd.DisableHooks = true`; `includeHooks` only matters with `renderYamlToDirectory`);
 * - `helm.sh/v3` Release: a Helm install, which runs hooks unless `disableWebhooks`
 *   (provider/pkg/provider/helm_release.go Create: `client.DisableHooks = DisableWebhooks`) and installs crds/
 *   unless `skipCrds`; hooks are kept and marked, test hooks (run only by `helm test`) dropped.
 *
 * The cluster's Kubernetes version is the stack's (`--kube-version`); API versions are those the stack's own
 * objects use (the provider asks the cluster; offline, the stack's objects are what is known to be served).
 * Secret data is masked before anything is written.
 */

/** A rendered object with the chart resource it came from. */
export interface RenderedObject {
  chart: string;
  manifest: Record<string, unknown>;
  /** A Helm hook (v3 Releases run them at install and upgrade; they are not kept as release objects). */
  hook: boolean;
}

export interface ChartRender {
  /** Objects per chart resource name. */
  objects: Map<string, RenderedObject[]>;
  /** One line per chart not rendered, or one line when nothing can be rendered at all. */
  skipped: string[];
}

export interface RenderOptions {
  helm?: string;
  cacheDir: string;
  pins: Record<string, ChartPin & { digest?: string }>;
  kubeVersion?: string;
}

/** The helm binary: `HELM`, else `helm` on PATH. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env["HELM"]) return fs.existsSync(env["HELM"]) ? env["HELM"] : undefined;
  for (const dir of (env["PATH"] ?? "").split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, "helm");
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Where chart archives are kept: `PLATFORM_CHART_CACHE`, else ~/.cache/ai-platform/charts. */
export function chartCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["PLATFORM_CHART_CACHE"] || path.join(os.homedir(), ".cache", "ai-platform", "charts");
}

const CHART_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"];

/** Masks every value of a Secret's `data` and `stringData`. */
export function maskSecrets(manifest: Record<string, unknown>): Record<string, unknown> {
  if (manifest["kind"] !== "Secret") return manifest;
  const out = { ...manifest };
  for (const key of ["data", "stringData"]) {
    const data = out[key];
    if (data !== null && typeof data === "object")
      out[key] = Object.fromEntries(Object.keys(data).map((k) => [k, "[secret]"]));
  }
  return out;
}

function sha256File(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The chart archive of a pin, from the cache or pulled into it; an Error says why there is none. */
function chartArchive(
  pin: ChartPin & { digest?: string },
  opts: RenderOptions & { helm: string },
): string | Error {
  const name = pin.chart.split("/").pop()!;
  const label = `${name} ${pin.version}`;
  if (pin.digest === undefined)
    return new Error(`${label}: no digest pinned in lib/versions.ts (the sha256 of the chart archive)`);
  const file = path.join(opts.cacheDir, `${name}-${pin.version.replace(/^v/, "")}.tgz`);
  const alt = path.join(opts.cacheDir, `${name}-${pin.version}.tgz`);
  let archive = [file, alt].find((f) => fs.existsSync(f));
  if (archive === undefined) {
    fs.mkdirSync(opts.cacheDir, { recursive: true });
    const args = ["pull", pin.chart, "--version", pin.version, "--destination", opts.cacheDir];
    if (pin.repo !== undefined) args.push("--repo", pin.repo);
    const pull = spawnSync(opts.helm, args, { encoding: "utf8", timeout: 60_000 });
    archive = [file, alt].find((f) => fs.existsSync(f));
    if (pull.status !== 0 || archive === undefined)
      return new Error(
        `${label}: not in ${opts.cacheDir} and helm pull failed (${String(pull.stderr).trim().split("\n")[0] ?? "offline?"})`,
      );
  }
  const digest = sha256File(archive);
  if (digest !== pin.digest)
    return new Error(`${label}: ${archive} has sha256 ${digest}, lib/versions.ts pins ${pin.digest}`);
  return archive;
}

/** API versions the stack's own objects use (`group/version` and `group/version/Kind`). */
function apiVersionsOf(recording: Recording): string[] {
  const out = new Set<string>();
  for (const r of recording.resources) {
    const m = /^kubernetes:([^:]+):([^:]+)$/.exec(r.type);
    if (m === null || r.type.startsWith("kubernetes:helm.sh/") || r.type.startsWith("kubernetes:yaml"))
      continue;
    const gv = m[1]!.replace(/^core\//, "");
    out.add(gv).add(`${gv}/${m[2]}`);
  }
  return [...out].sort();
}

const isTestHook = (m: Record<string, unknown>) =>
  /(^|,)\s*test(-success)?\s*(,|$)/.test(String(annotations(m)["helm.sh/hook"] ?? ""));
function annotations(m: Record<string, unknown>): Record<string, unknown> {
  return ((m["metadata"] as Record<string, unknown> | undefined)?.["annotations"] ?? {}) as Record<
    string,
    unknown
  >;
}

function renderOne(
  r: RecordedResource,
  archive: string,
  opts: RenderOptions & { helm: string },
  apiVersions: string[],
): RenderedObject[] {
  const v3 = r.type === "kubernetes:helm.sh/v3:Release";
  const inputs = r.inputs;
  const release = String(inputs["name"] ?? r.name);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-chart-"));
  try {
    const values = path.join(scratch, "values.json");
    fs.writeFileSync(values, JSON.stringify(inputs["values"] ?? {}));
    const args = ["template", release, archive, "--values", values, "--skip-tests"];
    if (typeof inputs["namespace"] === "string") args.push("--namespace", inputs["namespace"]);
    if (opts.kubeVersion !== undefined) args.push("--kube-version", opts.kubeVersion);
    if (inputs["skipCrds"] !== true) args.push("--include-crds");
    if (!v3 || inputs["disableWebhooks"] === true) args.push("--no-hooks");
    for (const v of apiVersions) args.push("--api-versions", v);
    const run = spawnSync(opts.helm, args, { encoding: "utf8", maxBuffer: 1 << 28, timeout: 120_000 });
    if (run.status !== 0) throw new Error(`helm template ${r.name}: ${String(run.stderr).trim()}`);
    return parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as Record<string, unknown> | null)
      .filter(
        (m): m is Record<string, unknown> =>
          m !== null && typeof m === "object" && typeof m["kind"] === "string",
      )
      .filter((m) => !isTestHook(m))
      .map((m) => ({
        chart: r.name,
        manifest: maskSecrets(m),
        hook: annotations(m)["helm.sh/hook"] !== undefined,
      }));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Renders every chart of the recording that can be rendered; says in `skipped` why the others are not. */
export function renderCharts(recording: Recording, opts: RenderOptions): ChartRender {
  const charts = recording.resources.filter((r) => CHART_TYPES.includes(r.type));
  const objects = new Map<string, RenderedObject[]>();
  if (charts.length === 0) return { objects, skipped: [] };
  if (opts.helm === undefined)
    return { objects, skipped: [`charts not rendered: no helm binary (set HELM or put helm on PATH)`] };
  const withHelm = { ...opts, helm: opts.helm };
  const apiVersions = apiVersionsOf(recording);
  const skipped: string[] = [];
  for (const r of charts) {
    const pin = Object.values(opts.pins).find(
      (p) => p.chart === r.inputs["chart"] && p.version === r.inputs["version"],
    );
    if (pin === undefined) {
      skipped.push(
        `${r.name}: chart ${String(r.inputs["chart"])} ${String(r.inputs["version"])} is not pinned in lib/versions.ts`,
      );
      continue;
    }
    const archive = chartArchive(pin, withHelm);
    if (archive instanceof Error) skipped.push(`${r.name}: ${archive.message}`);
    else objects.set(r.name, renderOne(r, archive, withHelm, apiVersions));
  }
  return { objects, skipped };
}

/** The summary's section on the charts: objects rendered per chart, and why a chart was not rendered. */
export function chartsSection(render: ChartRender): string {
  const lines = [...render.objects.entries()].map(([chart, objs]) => {
    const hooks = objs.filter((o) => o.hook).length;
    return `- \`${chart}\`: ${objs.length} objects${hooks > 0 ? ` (${hooks} Helm hooks)` : ""} in \`rendered/\``;
  });
  return ["## Rendered charts", "", ...lines, ...render.skipped.map((s) => `- ${s}`)].join("\n");
}

/** out/<stack>/rendered/<chart resource>.yaml, one document per object, hooks marked in a comment. */
export function renderedFiles(render: ChartRender): Map<string, string> {
  const files = new Map<string, string>();
  for (const [chart, objs] of [...render.objects.entries()].sort(([a], [b]) => a.localeCompare(b)))
    files.set(
      `${chart.replace(/[^A-Za-z0-9_.-]+/g, "-")}.yaml`,
      objs
        .map((o) => `${o.hook ? "# helm hook\n" : ""}${stringify(canonical(o.manifest), { lineWidth: 0 })}`)
        .join("---\n"),
    );
  return files;
}

/** Reads rendered files back (a base plan's `rendered/`), keyed by chart resource name. */
export function readRenderedDir(dir: string): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>();
  if (!fs.existsSync(dir)) return out;
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const chart = file.replace(/\.yaml$/, "");
    const docs = parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"));
    out.set(
      chart,
      docs.map((d) => ({
        chart,
        manifest: d.toJS() as Record<string, unknown>,
        hook: d.commentBefore?.includes("helm hook") === true,
      })),
    );
  }
  return out;
}

/** Conformance and policy findings on rendered objects; `blocking` would fail the preview or the install. */
export async function judgeRendered(
  render: Map<string, RenderedObject[]>,
  chartTypes: Map<string, string>,
): Promise<{ blocking: string[]; advisory: string[]; judged: number; unjudged: number }> {
  const blocking: string[] = [];
  const advisory: string[] = [];
  let judged = 0;
  let unjudged = 0;
  for (const [chart, objs] of render) {
    const v4 = chartTypes.get(chart) === "kubernetes:helm.sh/v4:Chart";
    for (const { manifest } of objs) {
      const apiVersion = String(manifest["apiVersion"] ?? "");
      const kind = String(manifest["kind"]);
      const { group } = splitApiVersion(apiVersion);
      const conformance = CORE_GROUPS.has(group)
        ? validateCoreObject(manifest)
        : validateCustomResource(manifest);
      if (conformance.some((p) => p.includes("no CRD for") || p.includes("no Kubernetes model"))) {
        unjudged++;
        continue;
      }
      judged++;
      blocking.push(...[...conformance, ...validateObjectMeta(manifest)].map((p) => `${chart}: ${p}`));
      const meta = (manifest["metadata"] ?? {}) as Record<string, unknown>;
      const subject = {
        urn: `rendered:${chart}::${apiVersion}/${kind}/${String(meta["namespace"] ?? "")}/${String(meta["name"])}`,
        type: `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`,
        name: String(meta["name"]),
        props: manifest,
        protect: false,
      };
      for (const rule of RESOURCE_RULES)
        for (const message of await rule.check(subject, DEFAULT_POLICY_CONFIG))
          // The engine passes a v4 Chart's objects to the pack; a v3 Release's never reach it.
          (v4 ? blocking : advisory).push(
            `${chart}: ${kind} ${String(meta["name"])}: ${rule.name}: ${message}`,
          );
    }
  }
  return { blocking, advisory, judged, unjudged };
}

/**
 * Rendered objects as plan resources, so the diff compares them like declared ones: a `helm.sh/v4` Chart's
 * objects are resources of the engine (`kubernetes:` types, replaced by the provider's rules), a v3 Release's
 * are Helm's (`helm:` types, upgraded in place by Helm).
 */
export function renderedPlanResources(
  objects: Map<string, RenderedObject[]>,
  charts: Array<{ urn: string; name: string; type: string }>,
): PlanResource[] {
  const out: PlanResource[] = [];
  for (const [name, objs] of objects) {
    const chart = charts.find((c) => c.name.replace(/[^A-Za-z0-9_.-]+/g, "-") === name);
    if (chart === undefined) continue;
    const prefix = chart.type === "kubernetes:helm.sh/v4:Chart" ? "kubernetes" : "helm";
    for (const { manifest } of objs) {
      const apiVersion = String(manifest["apiVersion"] ?? "");
      const gv = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
      const meta = (manifest["metadata"] ?? {}) as Record<string, unknown>;
      const id = `${String(meta["namespace"] ?? "")}/${String(meta["name"])}`;
      const type = `${prefix}:${gv}:${String(manifest["kind"])}`;
      out.push({
        urn: `${chart.urn}$${type}::${id}`,
        type,
        name: `${chart.name}:${id}`,
        custom: true,
        parent: chart.urn,
        provider: "",
        options: { ...NO_OPTIONS },
        inputs: manifest,
        secretPaths: [],
      });
    }
  }
  return out;
}

const NO_OPTIONS: PlanResource["options"] = {
  protect: false,
  retainOnDelete: false,
  ignoreChanges: [],
  deleteBeforeReplace: false,
  replaceOnChanges: [],
  additionalSecretOutputs: [],
  version: "",
  pluginDownloadURL: "",
  remote: false,
  import: "",
  upsert: false,
  aliases: [],
};
