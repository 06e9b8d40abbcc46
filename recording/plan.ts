import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { isKubernetesObject, manifestOf } from "./manifests";
import { canonical } from "./redact";
import type { RecordedResource, Recording } from "./runtime";

/** Resource types that are Helm charts or releases (one recorded resource each). */
const CHART_TYPES = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"]);

/** What applying a resource does to the target system. */
export type PlannedAction = "create" | "import" | "upsert" | "take-ownership";

/**
 * Created, or taken over: imported by ID, upserted onto an object that may exist (Kubernetes), or installed
 * taking ownership of objects a chart's earlier renderer applied (Helm `takeOwnership`). Components other than
 * charts hold nothing of their own (null).
 */
export function plannedAction(r: RecordedResource): PlannedAction | null {
  if (!r.custom && !r.options.remote) return null;
  if (r.options.import !== "") return "import";
  if (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["takeOwnership"] === true)
    return "take-ownership";
  return r.options.upsert ? "upsert" : "create";
}

/** The plan document other tooling reads; field names are a contract. */
export function planDocument(recording: Recording): Record<string, unknown> {
  return {
    project: recording.project,
    stack: recording.stack,
    resources: recording.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent,
      provider: r.provider,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
      options: r.options,
      action: plannedAction(r),
      inputs: r.inputs,
      secretPaths: r.secretPaths,
      secretDigests: r.secretDigests,
    })),
    invokes: recording.invokes.map((i) => ({
      token: i.token,
      args: i.args,
      provider: i.provider,
      version: i.version,
      pluginDownloadURL: i.pluginDownloadURL,
    })),
    outputs: recording.outputs,
  };
}

/** Every Helm chart or release with where it comes from and its (redacted) values. */
export function chartsDocument(recording: Recording): Array<Record<string, unknown>> {
  return recording.resources
    .filter((r) => CHART_TYPES.has(r.type))
    .map((r) => {
      const inputs = r.inputs as Record<string, unknown>;
      const chart = String(inputs["chart"] ?? "");
      const repositoryOpts = (inputs["repositoryOpts"] ?? {}) as Record<string, unknown>;
      return {
        name: r.name,
        type: r.type,
        chart,
        repo: chart.startsWith("oci://") ? chart : (repositoryOpts["repo"] ?? null),
        version: inputs["version"] ?? null,
        namespace: inputs["namespace"] ?? null,
        values: inputs["values"] ?? {},
        secretPaths: r.secretPaths,
      };
    });
}

/** Nearest component ancestor of a resource (the file its manifest goes to). */
function owningComponent(
  resource: RecordedResource,
  byUrn: Map<string, RecordedResource>,
): RecordedResource | undefined {
  for (let p = byUrn.get(resource.parent); p !== undefined; p = byUrn.get(p.parent)) {
    if (!p.custom) return p;
  }
  return undefined;
}

function fileNameOf(component: RecordedResource | undefined): string {
  if (component === undefined) return "stack.yaml";
  return `${component.name.replace(/[^A-Za-z0-9_.-]+/g, "-")}.yaml`;
}

/** Kubernetes objects the program declares directly, grouped into one multi-document YAML per component. */
export function manifestFiles(recording: Recording): Map<string, string> {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const resource of recording.resources) {
    if (!isKubernetesObject(resource)) continue;
    const file = fileNameOf(owningComponent(resource, byUrn));
    const docs = groups.get(file) ?? [];
    docs.push(manifestOf(resource));
    groups.set(file, docs);
  }
  const files = new Map<string, string>();
  for (const [file, docs] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    files.set(file, docs.map((d) => stringify(canonical(d), { lineWidth: 0 })).join("---\n"));
  }
  return files;
}

/** Per component: its resources counted by type, as an indented tree. */
export function treeSummary(recording: Recording): string {
  const children = new Map<string, RecordedResource[]>();
  for (const r of recording.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const visit = (component: RecordedResource, depth: number) => {
    const kids = children.get(component.urn) ?? [];
    const counts = new Map<string, { all: number; takenOver: number }>();
    for (const k of kids) {
      const action = plannedAction(k);
      if (action === null) continue;
      const count = counts.get(k.type) ?? { all: 0, takenOver: 0 };
      count.all += 1;
      if (action !== "create") count.takenOver += 1;
      counts.set(k.type, count);
    }
    const summary = [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `${type} x${n.all}${n.takenOver > 0 ? ` (${n.takenOver} taken over)` : ""}`)
      .join(", ");
    lines.push(`${"  ".repeat(depth)}${component.name} (${component.type})${summary ? `: ${summary}` : ""}`);
    for (const k of kids) if (!k.custom && !k.options.remote) visit(k, depth + 1);
  };
  for (const root of recording.resources.filter((r) => r.parent === "")) if (!root.custom) visit(root, 0);
  const custom = recording.resources.filter((r) => r.custom).length;
  const takenOver = recording.resources.filter((r) => (plannedAction(r) ?? "create") !== "create").length;
  lines.push(
    `${recording.resources.length} resources (${custom} custom), ${recording.invokes.length} invokes` +
      (takenOver > 0 ? `, ${takenOver} taken over` : ""),
  );
  return lines.join("\n");
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(canonical(value), null, 2)}\n`);
}

/** Writes out/<stack>/plan.json, manifests/ and charts.json, replacing a previous plan of that stack. */
export function writePlan(recording: Recording, outRoot: string): string {
  const dir = path.join(outRoot, recording.stack);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "manifests"), { recursive: true });
  writeJson(path.join(dir, "plan.json"), planDocument(recording));
  writeJson(path.join(dir, "charts.json"), chartsDocument(recording));
  for (const [file, content] of manifestFiles(recording))
    fs.writeFileSync(path.join(dir, "manifests", file), content);
  return dir;
}
