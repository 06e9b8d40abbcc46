import type { HelmRelease } from "../helmRelease";
import type { PlannedChart, PlannedState } from "../plan";
import { isRedacted, redactedHash } from "../redact";
import { FieldChange, Finding, finding } from "./findings";
import { isPlaceholder, sameValue } from "./fieldDiff";
import { groupOf, KubernetesState } from "./liveState";
import { isPulumiManager, managedFieldsOf } from "./managedFields";
import { stopHint } from "./owners";

/*
 * Helm releases. A `helm.sh/v3` Release the program imports is upgraded in the same run with exactly the
 * program's values (`reuseValues` defaults to false: pulumi/pulumi-kubernetes provider/pkg/provider/
 * helm_release.go), so every live value the program does not set is dropped and the chart moves to the pinned
 * version. Installing over a release that exists fails (name in use). A `helm.sh/v4` Chart installs no release:
 * an old record of the same name stays behind. A Flux HelmRelease upgrades its release again unless suspended.
 */

type Obj = Record<string, unknown>;

/** Value leaves as dotted paths; lists are values as a whole, as Helm merges them. */
export function valueLeaves(values: unknown, at = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (values !== null && typeof values === "object" && !Array.isArray(values)) {
    const entries = Object.entries(values as Obj);
    if (entries.length === 0 && at !== "") out.set(at, {});
    for (const [k, v] of entries)
      for (const [p, leaf] of valueLeaves(v, at === "" ? k : `${at}.${k}`)) out.set(p, leaf);
  } else if (at !== "") out.set(at, values);
  return out;
}

function sameLeaf(planned: unknown, live: unknown): boolean | undefined {
  if (isPlaceholder(planned)) return undefined;
  if (isRedacted(live))
    return typeof planned === "string" || typeof planned === "number"
      ? redactedHash(String(planned)) === live
      : false;
  return sameValue(planned, live);
}

/** The live values an upgrade with `planned` alone drops or changes, and the chart version change. */
export function releaseChanges(
  release: HelmRelease,
  chart: PlannedChart,
): { changes: FieldChange[]; dropped: number } {
  const planned = valueLeaves(chart.values);
  const changes: FieldChange[] = [];
  const strip = (v: string | undefined) => (v ?? "").replace(/^v/, "");
  if (chart.version !== undefined && strip(chart.version) !== strip(release.chart.version))
    changes.push({
      path: "chart",
      live: `${release.chart.name} ${release.chart.version}`,
      planned: `${chart.chart} ${chart.version}`,
      note: "the chart moves to the pinned version",
    });
  let dropped = 0;
  for (const [p, live] of valueLeaves(release.config)) {
    const enclosing = [...planned.keys()].some((k) => p.startsWith(`${k}.`));
    if (!planned.has(p) && !enclosing) {
      dropped++;
      changes.push({ path: `values.${p}`, live, note: "dropped: the chart default applies" });
    } else if (planned.has(p) && sameLeaf(planned.get(p), live) === false)
      changes.push({ path: `values.${p}`, live, planned: planned.get(p) });
  }
  return { changes, dropped };
}

/** The release a Flux HelmRelease manages (fluxcd/helm-controller@v1.6.3 api/v2/helmrelease_types.go GetReleaseName, GetReleaseNamespace). */
function fluxRelease(hr: Obj): { name: string; namespace: string } {
  const meta = (hr["metadata"] ?? {}) as Obj;
  const spec = (hr["spec"] ?? {}) as Obj;
  const target =
    typeof spec["targetNamespace"] === "string" && spec["targetNamespace"] !== ""
      ? spec["targetNamespace"]
      : undefined;
  const name =
    typeof spec["releaseName"] === "string" && spec["releaseName"] !== ""
      ? spec["releaseName"]
      : target !== undefined
        ? `${target}-${String(meta["name"])}`
        : String(meta["name"]);
  return { name, namespace: target ?? String(meta["namespace"]) };
}

function fluxOwner(live: KubernetesState, namespace: string, release: string): Finding | undefined {
  const hr = live.objects.find(
    (o) =>
      groupOf(o["apiVersion"]) === "helm.toolkit.fluxcd.io" &&
      o["kind"] === "HelmRelease" &&
      fluxRelease(o).name === release &&
      fluxRelease(o).namespace === namespace,
  );
  if (hr === undefined || (hr["spec"] as Obj | undefined)?.["suspend"] === true) return undefined;
  const meta = hr["metadata"] as Obj;
  const owner = `HelmRelease ${String(meta["namespace"])}/${String(meta["name"])}`;
  return finding(
    "helm",
    `release ${namespace}/${release}`,
    "conflict",
    "blocker",
    `${owner} (reconciling) upgrades this release again with its own chart and values.`,
    {
      hint: stopHint({ tool: "Flux", owner, mark: "", active: true, state: "" }),
    },
  );
}

/**
 * Whether the program installed the release itself: Helm inside pulumi-kubernetes applies the release's objects
 * as `pulumi-resource-kubernetes` (provider/pkg/await/await.go recognises that manager as its own).
 */
function installedByPulumi(live: KubernetesState, namespace: string, release: string): boolean {
  return live.objects.some((o) => {
    const annotations = ((o["metadata"] as Obj | undefined)?.["annotations"] ?? {}) as Record<string, string>;
    if (
      annotations["meta.helm.sh/release-name"] !== release ||
      annotations["meta.helm.sh/release-namespace"] !== namespace
    )
      return false;
    return managedFieldsOf(o).some(
      (e) => e.manager === "pulumi-resource-kubernetes" || isPulumiManager(e.manager),
    );
  });
}

function releaseFinding(
  chart: PlannedChart,
  release: HelmRelease | undefined,
  live: KubernetesState,
): Finding {
  const object = `release ${chart.namespace}/${chart.release}`;
  const id = `${chart.namespace}/${chart.release}`;
  if (release === undefined) {
    if (chart.action === "import")
      return finding(
        "helm",
        object,
        "blocked",
        "blocker",
        "imported, but no such release exists: the import fails.",
        { hint: `set adoption.helm.releases.${id} to rendered or absent` },
      );
    return finding(
      "helm",
      object,
      "create",
      "change",
      chart.action === "take-ownership"
        ? "installed, taking ownership of the objects another tool rendered."
        : "installed.",
    );
  }
  const at = `revision ${release.version}, chart ${release.chart.name} ${release.chart.version}, ${release.status}`;
  if (release.status.startsWith("pending"))
    return finding(
      "helm",
      object,
      "blocked",
      "blocker",
      `another operation holds the release (${at}): Helm refuses to upgrade it.`,
      { hint: "finish or roll back that operation first (helm history, helm rollback)" },
    );
  const pulumi = installedByPulumi(live, chart.namespace, chart.release);
  const { changes, dropped } = releaseChanges(release, chart);
  if (chart.action !== "import" && !pulumi)
    return finding(
      "helm",
      object,
      "blocked",
      "blocker",
      `a release exists (${at}), and the run installs it${chart.action === "take-ownership" ? " taking ownership" : ""}: the install fails (name in use). Imported instead, the upgrade ${dropped > 0 ? `drops ${dropped} live value${dropped === 1 ? "" : "s"}` : "keeps every live value"}${changes.some((c) => c.path === "chart") ? " and moves the chart to the pinned version" : ""}.`,
      {
        changes,
        hint: `set adoption.helm.releases.${id}: release for the adoption run (imported and kept at its live chart version and values; upgraded once the entry says upgrade)${dropped > 0 ? "; before that, set each dropped value in the stack, or accept the drop" : ""}`,
      },
    );
  const drops = dropped > 0 ? `; ${dropped} live value${dropped === 1 ? "" : "s"} dropped` : "";
  if (chart.keptAtLive && changes.length > 0)
    return finding(
      "helm",
      object,
      pulumi ? "update" : "take-over-with-changes",
      "change",
      `${pulumi ? "kept" : "imported and kept"} at its live chart version and values (${at}); once adoption.helm.releases.${id} says upgrade, the program's chart and values apply${drops}.`,
      {
        changes,
        hint: "before setting upgrade, carry each value that must stay into the stack (cilium.values for Cilium), or accept the drop",
      },
    );
  const hint = dropped > 0 ? "set each dropped value in the stack, or accept the drop" : undefined;
  const message = `${pulumi ? "upgraded" : "imported, then upgraded with the program's values only"} (${at})${drops}.`;
  if (changes.length === 0)
    return finding("helm", object, pulumi ? "unchanged" : "take-over", pulumi ? "info" : "change", message);
  return finding("helm", object, pulumi ? "update" : "take-over-with-changes", "change", message, {
    changes,
    ...(hint !== undefined ? { hint } : {}),
  });
}

export function helmFindings(plan: PlannedState, live: KubernetesState): Finding[] {
  const find = (ns: string, name: string) =>
    live.helmReleases.find((r) => r.namespace === ns && r.name === name);
  const out: Finding[] = [];
  for (const chart of plan.charts) {
    const release = find(chart.namespace, chart.release);
    if (chart.form === "release") out.push(releaseFinding(chart, release, live));
    else if (release !== undefined)
      out.push(
        finding(
          "helm",
          `release ${chart.namespace}/${chart.release}`,
          "left-behind",
          "info",
          `a Helm release of this name exists (revision ${release.version}, chart ${release.chart.name} ${release.chart.version}); the program renders ${chart.chart} without a release: the objects are upserted and the old record stays, and objects the old chart names differently keep running.`,
          {
            hint: `after the run delete the record by hand (kubectl -n ${chart.namespace} delete secret -l owner=helm,name=${chart.release}), never helm uninstall, which deletes the objects`,
          },
        ),
      );
    const flux = fluxOwner(live, chart.namespace, chart.release);
    if (flux !== undefined) out.push(flux);
  }
  const declared = new Set(plan.charts.map((c) => `${c.namespace}/${c.release}`));
  for (const r of live.helmReleases)
    if (!declared.has(`${r.namespace}/${r.name}`))
      out.push(
        finding(
          "helm",
          `release ${r.namespace}/${r.name}`,
          "left-behind",
          "info",
          `chart ${r.chart.name} ${r.chart.version} (revision ${r.version}) is not declared by the program: it stays as it is.`,
        ),
      );
  return out;
}
