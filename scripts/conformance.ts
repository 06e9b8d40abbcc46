import { manifestOf, isKubernetesObject } from "../recording/manifests";
import type { RecordedResource, Recording } from "../recording/runtime";
import type { RawStackConfig } from "../stacks/load";
import { CONFIG_NAMESPACE, joinPath } from "../stacks/issues";
import { conformanceFindings, isUnshippedCrd } from "../conformance";
import { stackTalosPatchProblems } from "../conformance/talos";

/** A `name` field of the stack config and the path of the entry it names (`mcp.servers[0]`). */
interface NamedEntry {
  path: string;
  name: string;
}

/** Every `name` field in the config, with the path of the object holding it. */
export function namedEntries(values: Record<string, unknown>): NamedEntry[] {
  const out: NamedEntry[] = [];
  const walk = (value: unknown, segments: PropertyKey[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...segments, i]));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "name" && typeof v === "string" && v !== "")
          out.push({ path: joinPath(segments), name: v });
        else walk(v, [...segments, k]);
      }
    }
  };
  walk(values, []);
  return out;
}

/** Whether `name` is `part` or contains it as whole dash-separated words (`mcp-everything` contains `everything`). */
function containsWords(name: string, part: string): boolean {
  return `-${name}-`.includes(`-${part}-`);
}

/**
 * The config entry an object most likely came from: the longest config name found in the object's own name,
 * then in the names of its components, nearest first.
 */
export function configPathOf(names: string[], entries: NamedEntry[]): string | undefined {
  for (const name of names) {
    const matches = entries.filter((e) => containsWords(name, e.name));
    if (matches.length === 0) continue;
    const exact = matches.find((e) => e.name === name);
    if (exact !== undefined) return exact.path;
    return matches.reduce((best, e) => (e.name.length > best.name.length ? e : best)).path;
  }
  return undefined;
}

/** The object's name, its resource name and the resource names of its ancestors, nearest first. */
function namesOf(recording: Recording, resource: RecordedResource): string[] {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const names: string[] = [];
  if (isKubernetesObject(resource)) {
    const metadata = manifestOf(resource)["metadata"] as Record<string, unknown> | undefined;
    if (typeof metadata?.["name"] === "string") names.push(metadata["name"]);
  }
  for (let r: RecordedResource | undefined = resource; r !== undefined; r = byUrn.get(r.parent))
    names.push(r.name);
  return names;
}

/**
 * What the offline plan reports after recording a stack: every object, registration or invoke the API
 * server, a CRD (schema and CEL rules) or a provider schema would refuse, each with the config entry that
 * produced it where one can be found, and every extra Talos document of the stack the Talos configuration schema
 * would refuse. CRDs of groups the schema directory does not ship are not judged.
 */
export function planConformance(recording: Recording, raw: RawStackConfig): string[] {
  const entries = namedEntries(raw.values);
  const lines = new Set<string>();
  for (const finding of conformanceFindings(recording)) {
    if (isUnshippedCrd(finding.problem)) continue;
    const path = finding.resource && configPathOf(namesOf(recording, finding.resource), entries);
    lines.add(path === undefined ? finding.problem : `${CONFIG_NAMESPACE}:${path}: ${finding.problem}`);
  }
  // The stack's extra Talos documents are checked as written, so each problem names its config entry.
  for (const { path, problem } of stackTalosPatchProblems(raw.values))
    lines.add(`${CONFIG_NAMESPACE}:${path}: ${problem}`);
  return [...lines];
}
