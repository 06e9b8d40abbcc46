import type { RecordedOptions } from "../../recording/runtime";
import { layerOf } from "./platformGraph";
import { hasReplaceRules, replaceReasons, type ReplaceReason } from "./replacements";

/*
 * What applying the head plan does to a stack that runs the base plan: resources matched by URN (or by an
 * alias naming the base URN, as the engine moves state), each changed one with its field-level changes and
 * whether a changed field replaces it. Resources that leave under one URN and arrive under another of the same
 * type and parent are a rename: the engine creates the new one before it deletes the old one.
 */

/** One resource of a plan document (`out/<stack>/plan.json`). */
export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  provider: string;
  options: RecordedOptions;
  inputs: Record<string, unknown>;
  secretPaths: string[];
  secretDigests?: Record<string, string>;
}

export interface PlanDoc {
  stack: string;
  resources: PlanResource[];
}

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** A secret value that changed: shown only as changed. */
  secret?: true;
}

export type DiffAction = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
  action: DiffAction;
  urn: string;
  type: string;
  name: string;
  layer: string;
  /** The base URN when it differs (a rename, or a move by alias). */
  from?: string;
  fields: FieldChange[];
  reasons: ReplaceReason[];
  /** What a reviewer must know before applying: data at stake, protection, collisions, refused updates. */
  hazards: string[];
  /** For a replacement: which goes first, the new resource or the old one's delete. */
  order?: string;
  /** Why losing this resource loses more than the resource itself. */
  stateful?: string;
}

export interface PlanDiff {
  stack: string;
  counts: Record<DiffAction | "unchanged", number>;
  changes: ResourceChange[];
  notes: string[];
}

const SECRET = "[secret]";

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Leaf-level differences of two JSON values, with paths in the recording's form (`a.b[0]["c.d"]`). */
export function fieldChanges(before: unknown, after: unknown, at = ""): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], childPath(at, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => fieldChanges(before[i], after[i], childPath(at, i))).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    { path: at, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) },
  ];
}

/** Input changes with secret values compared by digest and shown only as changed. */
function inputChanges(base: PlanResource, head: PlanResource, notes: Set<string>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const change of fieldChanges(base.inputs, head.inputs)) {
    if (change.before === SECRET || change.after === SECRET) out.push({ path: change.path, secret: true });
    else out.push(change);
  }
  for (const p of head.secretPaths.filter((x) => base.secretPaths.includes(x))) {
    const [b, h] = [base.secretDigests?.[p], head.secretDigests?.[p]];
    if (b === undefined || h === undefined)
      notes.add("the base plan has no secret digests: changed secret values are not shown");
    else if (b !== h) out.push({ path: p, secret: true });
  }
  return out;
}

const OPTION_KEYS = [
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "ignoreChanges",
  "replaceOnChanges",
  "import",
  "version",
  "pluginDownloadURL",
] as const satisfies ReadonlyArray<keyof RecordedOptions>;

function optionChanges(base: PlanResource, head: PlanResource): FieldChange[] {
  return OPTION_KEYS.flatMap((k) => fieldChanges(base.options[k], head.options[k], `options.${k}`));
}

/** Whether a changed input path is under one of the resource's `ignoreChanges` paths. */
function ignored(path: string, ignoreChanges: string[]): boolean {
  return ignoreChanges.some((i) => path === i || path.startsWith(`${i}.`) || path.startsWith(`${i}[`));
}

/** Why deleting or replacing a resource loses more than the resource, if it does. */
export function statefulReason(r: Pick<PlanResource, "type" | "inputs">): string | undefined {
  const chart = String(r.inputs["chart"] ?? "");
  switch (r.type) {
    case "kubernetes:core/v1:Namespace":
      return "a Namespace: deleting it deletes every object in it";
    case "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition":
      return "a CustomResourceDefinition: deleting it deletes every object of its kind";
    case "kubernetes:core/v1:PersistentVolumeClaim":
    case "kubernetes:core/v1:PersistentVolume":
      return "holds a volume's data";
    case "kubernetes:apps/v1:StatefulSet":
      return "a StatefulSet: its pods' volumes and identities";
    case "kubernetes:yaml/v2:ConfigFile":
    case "kubernetes:yaml/v2:ConfigGroup":
      return "a YAML bundle: its objects (CustomResourceDefinitions among them) go with it";
    case "talos:machine/secrets:Secrets":
      return "the cluster's PKI and join tokens: nodes refuse a new one";
    case "talos:machine/bootstrap:Bootstrap":
      return "etcd's bootstrap";
  }
  if (r.type.startsWith("kubernetes:helm.sh/")) {
    if (/longhorn/.test(chart)) return "Longhorn: the cluster's volumes";
    if (/cilium/.test(chart)) return "Cilium: the cluster network";
    if (/crds/.test(chart)) return "a CRD chart: deleting it deletes every object of its kinds";
  }
  return undefined;
}

/** Equal leaves of two input objects: how alike two resources are, for pairing a rename. */
function likeness(a: PlanResource, b: PlanResource): number {
  const leaves = (v: unknown, at = ""): string[] =>
    isObject(v)
      ? Object.entries(v).flatMap(([k, x]) => leaves(x, childPath(at, k)))
      : Array.isArray(v)
        ? v.flatMap((x, i) => leaves(x, childPath(at, i)))
        : [`${at}=${JSON.stringify(v)}`];
  const theirs = new Set(leaves(b.inputs));
  return leaves(a.inputs).filter((l) => theirs.has(l)).length;
}

/** The same object to the system that holds it, though the URN changed: what a create-then-delete collides on. */
function sameIdentity(a: PlanResource, b: PlanResource): string | undefined {
  const meta = (r: PlanResource) => (isObject(r.inputs["metadata"]) ? r.inputs["metadata"] : {});
  if (a.type.startsWith("kubernetes:") && !a.type.startsWith("kubernetes:helm.sh/")) {
    const [ma, mb] = [meta(a), meta(b)];
    if (ma["name"] !== undefined && ma["name"] === mb["name"] && ma["namespace"] === mb["namespace"])
      return `both are ${String(a.inputs["kind"] ?? a.type)} ${ma["namespace"] ? `${String(ma["namespace"])}/` : ""}${String(ma["name"])}: the create collides with the existing object (AlreadyExists, or an upsert takes it over) and the delete that follows removes it (pulumi/pulumi-kubernetes#2948); give the new resource an alias of the old URN`;
  }
  if (a.type === "f5bigip:ltm/virtualServer:VirtualServer") {
    const dest = (r: PlanResource) => `${String(r.inputs["destination"])}:${String(r.inputs["port"])}`;
    if (dest(a) === dest(b))
      return `BIG-IP refuses a second virtual server on ${dest(a)} while the old one exists, so the create fails; give the new resource an alias of the old URN (then its name change replaces it delete-first)`;
  }
  if (a.type === "f5bigip:ltm/node:Node" && a.inputs["address"] === b.inputs["address"])
    return `BIG-IP refuses a second node on ${String(a.inputs["address"])} while the old one exists`;
  return undefined;
}

function describeOrder(head: PlanResource, reasons: ReplaceReason[]): string {
  if (head.type.startsWith("kubernetes:") && !reasons.some((x) => x.path.startsWith("metadata.name")))
    return "pulumi-kubernetes deletes the object first when the replacement keeps its name (provider.go Diff deleteBeforeReplace): it is absent in between";
  return head.options.deleteBeforeReplace
    ? "deleteBeforeReplace: the old one is deleted first, then the new one created (absent in between)"
    : "the new one is created first, then the old one deleted";
}

/** The changes from the base plan to the head plan. */
export function diffPlans(base: PlanDoc, head: PlanDoc): PlanDiff {
  const notes = new Set<string>();
  const baseByUrn = new Map(base.resources.map((x) => [x.urn, x]));
  const headByUrn = new Map(head.resources.map((x) => [x.urn, x]));
  const layer = (doc: Map<string, PlanResource>, x: PlanResource) =>
    layerOf(x as Parameters<typeof layerOf>[0], doc as Parameters<typeof layerOf>[1]);
  const providerInputs = (x: PlanResource) =>
    headByUrn.get(x.provider.split("::").slice(0, 4).join("::"))?.inputs ?? {};
  const changes: ResourceChange[] = [];
  const matched = new Set<string>();
  let unchanged = 0;

  const compare = (b: PlanResource, h: PlanResource, renamed: boolean) => {
    matched.add(b.urn);
    const fields = [
      ...inputChanges(b, h, notes).filter((f) => !ignored(f.path, h.options.ignoreChanges)),
      ...optionChanges(b, h),
      ...(b.provider !== h.provider ? [{ path: "provider", before: b.provider, after: h.provider }] : []),
    ];
    const inputPaths = fields
      .filter((f) => !f.path.startsWith("options.") && f.path !== "provider")
      .map((f) => f.path);
    const reasons = replaceReasons(
      { type: h.type, inputs: h.inputs, replaceOnChanges: h.options.replaceOnChanges },
      inputPaths,
      providerInputs(h),
    );
    if (!renamed && fields.length === 0) {
      unchanged++;
      return;
    }
    const replaced = renamed || reasons.some((x) => x.effect === "replace");
    const hazards: string[] = [];
    if (renamed) {
      reasons.unshift({
        path: "(name)",
        because: `a new URN (\`${b.name}\` -> \`${h.name}\`): the engine creates the new resource, then deletes the old one`,
        effect: "replace",
      });
      const clash = sameIdentity(b, h);
      if (clash) hazards.push(clash);
    }
    for (const x of reasons.filter((y) => y.effect === "refused")) hazards.push(`${x.path}: ${x.because}`);
    if (replaced && b.options.protect)
      hazards.push("protected: the engine refuses to replace it until `protect` is removed");
    if (!h.custom && !h.type.startsWith("kubernetes:") && fields.length > 0 && !replaced)
      notes.add("component inputs are shown as recorded; a component holds nothing of its own");
    if (!replaced && h.custom && reasons.length === 0 && !hasReplaceRules(h.type))
      notes.add(
        `no provider schema on file for ${h.type.split(":")[0]}: replacements of its resources are not predicted`,
      );
    changes.push({
      action: replaced ? "replace" : "update",
      urn: h.urn,
      type: h.type,
      name: h.name,
      layer: layer(headByUrn, h),
      ...(b.urn !== h.urn ? { from: b.urn } : {}),
      fields,
      reasons,
      hazards,
      ...(replaced && !renamed ? { order: describeOrder(h, reasons) } : {}),
      ...(replaced && statefulReason(b) ? { stateful: statefulReason(b) } : {}),
    });
  };

  const added: PlanResource[] = [];
  for (const h of head.resources) {
    const b =
      baseByUrn.get(h.urn) ?? h.options.aliases.map((a) => baseByUrn.get(a)).find((x) => x !== undefined);
    if (b === undefined || matched.has(b.urn)) added.push(h);
    else compare(b, h, false);
  }
  const removed = base.resources.filter((b) => !matched.has(b.urn));
  const creates: PlanResource[] = [];
  for (const h of added) {
    const candidates = removed
      .filter((b) => !matched.has(b.urn) && b.type === h.type && b.parent === h.parent && h.custom)
      .map((b) => ({ b, score: likeness(b, h) }))
      .filter((c) => c.score > 0)
      .sort((x, y) => y.score - x.score);
    if (candidates[0] !== undefined) compare(candidates[0].b, h, true);
    else creates.push(h);
  }
  for (const h of creates)
    changes.push({
      action: "create",
      urn: h.urn,
      type: h.type,
      name: h.name,
      layer: layer(headByUrn, h),
      fields: [],
      reasons: [],
      hazards: [],
    });
  for (const b of removed.filter((x) => !matched.has(x.urn))) {
    const hazards: string[] = [];
    if (b.options.protect)
      hazards.push(
        "protected: the engine refuses to delete it, so `pulumi up` stops until `protect` is removed",
      );
    if (b.options.retainOnDelete) hazards.push("retainOnDelete: it leaves the state but stays in place");
    const stateful = statefulReason(b);
    changes.push({
      action: "delete",
      urn: b.urn,
      type: b.type,
      name: b.name,
      layer: layer(baseByUrn, b),
      fields: [],
      reasons: [],
      hazards,
      ...(stateful ? { stateful } : {}),
    });
  }
  const counts = { create: 0, update: 0, replace: 0, delete: 0, unchanged };
  for (const c of changes) counts[c.action]++;
  return { stack: head.stack, counts, changes: orderChanges(changes), notes: [...notes].sort() };
}

/** Whether a change must be read before anything else: a stateful or protected resource deleted or replaced. */
export function isCritical(c: ResourceChange): boolean {
  return (
    (c.action === "delete" || c.action === "replace") &&
    (c.stateful !== undefined || c.hazards.some((h) => h.startsWith("protected")))
  );
}

/**
 * Critical changes first, then replacements (those with a hazard first), deletions, updates, creations; by URN
 * within each.
 */
function orderChanges(changes: ResourceChange[]): ResourceChange[] {
  const rank = (c: ResourceChange) =>
    isCritical(c)
      ? 0
      : c.action === "replace"
        ? c.hazards.length > 0
          ? 1
          : 2
        : { delete: 3, update: 4, create: 5 }[c.action];
  return [...changes].sort((a, b) => rank(a) - rank(b) || a.urn.localeCompare(b.urn));
}
