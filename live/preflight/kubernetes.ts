import type { PlannedObject, PlannedState } from "../plan";
import { FieldChange, Finding, finding } from "./findings";
import { Leaf, pathText, plannedLeaves, secretLeaves } from "./fieldDiff";
import { forceNewField, immutableField } from "./immutable";
import { KubernetesState, keyOf, objectKey } from "./liveState";
import { foreignOwners, isPulumiManager, managedFieldsOf } from "./managedFields";
import { GitopsOwner, gitopsOwners, stopHint } from "./owners";

/*
 * Each Kubernetes object the program declares, against the object of the same group, kind, namespace and
 * name that runs (any version). pulumi-kubernetes >= 4.29 fails a create of an existing object
 * (AlreadyExists) unless the provider upserts (`upsertExistingObjects`), and then server-side applies onto it:
 * a field another manager owns with another value is a conflict unless forced (provider/pkg/await/await.go).
 */

type Obj = Record<string, unknown>;

export function describeObject(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace !== undefined ? `${namespace}/` : ""}${name}`;
}

function identityless(manifest: Obj): Obj {
  const meta = { ...((manifest["metadata"] ?? {}) as Obj) };
  delete meta["name"];
  delete meta["namespace"];
  const out: Obj = { ...manifest, metadata: meta };
  delete out["apiVersion"];
  delete out["kind"];
  return out;
}

function leavesOf(p: PlannedObject, live: Obj): Leaf[] {
  const planned = identityless(p.manifest);
  return p.group === "" && p.kind === "Secret" ? secretLeaves(planned, live) : plannedLeaves(planned, live);
}

function change(leaf: Leaf, note?: string): FieldChange {
  return {
    path: pathText(leaf.segments),
    ...(leaf.live !== undefined ? { live: leaf.live } : {}),
    planned: leaf.planned,
    ...(note !== undefined ? { note } : {}),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `argocd-controller owns`, `a, b own`. */
function ownerList(owners: readonly string[]): string {
  const unique = [...new Set(owners)];
  return `${unique.join(", ")} ${unique.length === 1 ? "owns" : "own"}`;
}

/** The finding for one planned object that exists live. */
function existing(p: PlannedObject, live: Obj, all: readonly Obj[]): Finding {
  const object = describeObject(p.kind, p.namespace, p.name);
  const managed = managedFieldsOf(live);
  const pulumiOwned = managed.some((e) => isPulumiManager(e.manager) && e.subresource === undefined);
  const leaves = leavesOf(p, live);
  const owned = leaves.map((leaf) => ({ leaf, owners: foreignOwners(managed, leaf.segments) }));
  const differing = owned.filter(({ leaf }) => leaf.equal === false);
  const unknown = leaves.filter((l) => l.equal === undefined).length;
  const foreign = [...new Set(owned.flatMap((o) => o.owners))];
  const owners = gitopsOwners(live, all, foreign);
  const active = owners.filter((o) => o.active);
  const conflicts = differing.filter((d) => d.owners.length > 0);
  const immutable = differing
    .map(({ leaf }) => ({ leaf, field: immutableField(p.group, p.kind, pathText(leaf.segments)) }))
    .filter((i) => i.field !== undefined);
  const forceNew = pulumiOwned
    ? differing
        .map(({ leaf }) => forceNewField(p.group, p.kind, pathText(leaf.segments)))
        .filter((f) => f !== undefined)
    : [];
  const changes = differing.map(({ leaf, owners: by }) => {
    const field = immutableField(p.group, p.kind, pathText(leaf.segments));
    const notes = [
      ...(field !== undefined ? [`immutable (${field})`] : []),
      ...(by.length > 0 ? [`owned by ${by.join(", ")}`] : []),
    ];
    return change(leaf, notes.length > 0 ? notes.join("; ") : undefined);
  });
  const notes: string[] = [];
  if (unknown > 0)
    notes.push(
      `${plural(unknown, "value")} known only at run time (secrets, outputs of other resources) not compared`,
    );
  for (const o of owners)
    if (!o.active) notes.push(`${o.owner} (${o.mark}) no longer applies it: ${o.state}`);
  const note = notes.length > 0 ? ` ${notes.join("; ")}.` : "";
  const ownerText = (o: GitopsOwner) => `${o.owner} (${o.state}; ${o.mark}) applies it again`;
  const extra = { changes };

  const immutableRefused =
    immutable.length > 0 &&
    (!pulumiOwned ||
      immutable.some((i) => forceNewField(p.group, p.kind, pathText(i.leaf.segments)) === undefined));
  const refusal = immutableRefused
    ? `the API server refuses the change of ${[...new Set(immutable.map((i) => i.field))].join(", ")} (immutable): the apply fails`
    : undefined;
  const fighting = [
    ...active.map(ownerText),
    ...(conflicts.length > 0 && !p.force
      ? [
          `${ownerList(conflicts.flatMap((c) => c.owners))} ${plural(conflicts.length, "field")} the program sets to other values: the apply fails with a conflict`,
        ]
      : []),
  ];
  const immutableHint =
    "keep the live value in the stack, or delete the object before the run so that it is created anew";
  const conflictHint =
    active.length > 0
      ? stopHint(active[0]!)
      : "add a kubernetes.patchForce selector for it (adoption), or hand the fields over first";

  if (!pulumiOwned && p.action === "create") {
    const then = [...(refusal !== undefined ? [refusal] : []), ...fighting];
    return finding(
      "kubernetes",
      object,
      "blocked",
      "blocker",
      `exists already, and the run creates it: the create fails with AlreadyExists (pulumi-kubernetes >= 4.29 creates, it does not upsert).${then.length > 0 ? ` Taken over instead, ${then.join("; ")}.` : ""}${note}`,
      {
        ...extra,
        hint: `take it over on the adoption run (adoption.enabled: the provider upserts), or delete it first${active.length > 0 ? `; ${stopHint(active[0]!)}` : ""}`,
      },
    );
  }
  if (refusal !== undefined)
    return finding(
      "kubernetes",
      object,
      "blocked",
      "blocker",
      `${refusal}.${fighting.length > 0 ? ` Also: ${fighting.join("; ")}.` : ""}${note}`,
      { ...extra, hint: immutableHint },
    );
  if (fighting.length > 0)
    return finding("kubernetes", object, "conflict", "blocker", `${fighting.join("; ")}.${note}`, {
      ...extra,
      hint: conflictHint,
    });
  if (conflicts.length > 0)
    return finding(
      "kubernetes",
      object,
      "conflict",
      "change",
      `takes ${plural(conflicts.length, "field")} of ${[...new Set(conflicts.flatMap((c) => c.owners))].join(", ")} by force (patchForce).${note}`,
      extra,
    );
  if (forceNew.length > 0)
    return finding(
      "kubernetes",
      object,
      "replace",
      "change",
      `${[...new Set(forceNew)].join(", ")} changes: pulumi-kubernetes replaces the object (deleted, then created).${note}`,
      extra,
    );
  if (pulumiOwned)
    return changes.length > 0
      ? finding(
          "kubernetes",
          object,
          "update",
          "change",
          `${plural(changes.length, "field")} change.${note}`,
          extra,
        )
      : finding("kubernetes", object, "unchanged", "info", `unchanged.${note}`);
  const shared = foreign.length > 0 ? ` It shares fields with ${foreign.join(", ")}.` : "";
  return changes.length > 0
    ? finding(
        "kubernetes",
        object,
        "take-over-with-changes",
        "change",
        `taken over; ${plural(changes.length, "field")} change.${shared}${note}`,
        extra,
      )
    : finding("kubernetes", object, "take-over", "change", `taken over as it is.${shared}${note}`);
}

/** Live objects that are not the program's to look at: pods, controller-made objects, Helm's own records. */
function bookkeeping(obj: Obj): boolean {
  const kind = String(obj["kind"]);
  if (["Pod", "ReplicaSet", "Event", "Endpoints", "EndpointSlice"].includes(kind)) return true;
  if (kind === "Secret" && String(obj["type"] ?? "").startsWith("helm.sh/release")) return true;
  if (kind === "Secret" && obj["type"] === "kubernetes.io/service-account-token") return true;
  return Array.isArray((obj["metadata"] as Obj | undefined)?.["ownerReferences"]);
}

/** Objects an old tool manages that the program does not declare: left as they are. */
function leftBehind(plan: PlannedState, live: KubernetesState): Finding[] {
  const planned = new Set(plan.objects.map((o) => objectKey(o.group, o.kind, o.namespace, o.name)));
  const chartReleases = new Set(plan.charts.map((c) => `${c.namespace}/${c.release}`));
  return live.objects.flatMap((obj) => {
    if (bookkeeping(obj) || planned.has(keyOf(obj))) return [];
    const meta = (obj["metadata"] ?? {}) as Obj;
    const annotations = (meta["annotations"] ?? {}) as Record<string, string>;
    const release = annotations["meta.helm.sh/release-name"];
    const releaseNs = annotations["meta.helm.sh/release-namespace"];
    if (release !== undefined && chartReleases.has(`${releaseNs}/${release}`)) return [];
    const managers = managedFieldsOf(obj).map((e) => e.manager);
    const owners = gitopsOwners(obj, live.objects, managers);
    const by = [
      ...owners.map((o) => `${o.owner} (${o.mark})`),
      ...(release !== undefined ? [`Helm release ${releaseNs}/${release}`] : []),
    ];
    if (by.length === 0) return [];
    const object = describeObject(
      String(obj["kind"]),
      typeof meta["namespace"] === "string" ? meta["namespace"] : undefined,
      String(meta["name"]),
    );
    return [
      finding(
        "kubernetes",
        object,
        "left-behind",
        "info",
        `managed by ${by.join(", ")}; the program does not declare it: it stays as it is, unmanaged.`,
      ),
    ];
  });
}

export function kubernetesFindings(plan: PlannedState, live: KubernetesState): Finding[] {
  const objects = plan.objects.map((p) => {
    const obj = live.byKey.get(objectKey(p.group, p.kind, p.namespace, p.name));
    const object = describeObject(p.kind, p.namespace, p.name);
    if (obj !== undefined) return existing(p, obj, live.objects);
    const gk = `${p.group}/${p.kind}`;
    if (live.listed !== undefined && !live.listed.has(gk) && !live.notServed.has(gk))
      return finding(
        "kubernetes",
        object,
        "blocked",
        "blocker",
        "not compared: the snapshot did not list this kind",
        {
          hint: "take the snapshot again with npm run snapshot",
        },
      );
    const crd = live.notServed.has(gk) ? " (its CRD is installed by this run)" : "";
    return finding("kubernetes", object, "create", "change", `created${crd}.`);
  });
  return [...objects, ...leftBehind(plan, live)];
}
