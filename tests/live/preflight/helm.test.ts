import { strict as assert } from "assert";
import { helmFindings, releaseChanges, valueLeaves } from "../../../live/preflight/helm";
import type { PlannedChart } from "../../../live/plan";
import { helmReleaseSecret } from "../../support/liveState";
import { liveOf, planOf } from "../../support/preflight";

type Obj = Record<string, unknown>;

const chart = (extra: Partial<PlannedChart> = {}): PlannedChart => ({
  urn: "urn:cilium",
  form: "release",
  release: "cilium",
  namespace: "kube-system",
  chart: "cilium",
  version: "1.20.1",
  values: { ipam: { mode: "kubernetes" }, k8sServiceHost: "localhost", hubble: { enabled: true } },
  secretValuePaths: [],
  action: "import",
  keptAtLive: false,
  ...extra,
});

const release = (config: Obj, status = "deployed", version = 4): Obj =>
  helmReleaseSecret({
    name: "cilium",
    namespace: "kube-system",
    version,
    info: { status },
    chart: { metadata: { name: "cilium", version: "1.18.4" } },
    config,
  });

const liveValues = {
  ipam: { mode: "kubernetes" },
  k8sServiceHost: "127.0.0.1",
  loadBalancer: { mode: "dsr" },
  routingMode: "native",
};

describe("preflight/helm: releases the program installs or imports", () => {
  it("lists every live value an upgrade with the program's values alone drops, and the version change", () => {
    const { changes, dropped } = releaseChanges(
      {
        name: "cilium",
        namespace: "kube-system",
        version: 4,
        status: "deployed",
        chart: { name: "cilium", version: "1.18.4" },
        config: liveValues,
      },
      chart(),
    );
    assert.equal(dropped, 2);
    assert.deepEqual(
      changes.map((c) => [c.path, c.live, c.planned, c.note]),
      [
        ["chart", "cilium 1.18.4", "cilium 1.20.1", "the chart moves to the pinned version"],
        ["values.k8sServiceHost", "127.0.0.1", "localhost", undefined],
        ["values.loadBalancer.mode", "dsr", undefined, "dropped: the chart default applies"],
        ["values.routingMode", "native", undefined, "dropped: the chart default applies"],
      ],
    );
  });

  it("treats lists as whole values, as Helm merges them", () => {
    assert.deepEqual([...valueLeaves({ a: [1, 2], b: { c: 1 }, d: {} }).keys()], ["a", "b.c", "d"]);
  });

  it("takes an imported release over with its changes and a hint", () => {
    const [f] = helmFindings(planOf({ charts: [chart()] }), liveOf([release(liveValues)]));
    assert.deepEqual([f!.action, f!.severity], ["take-over-with-changes", "change"]);
    assert.match(f!.message, /2 live values dropped/);
    assert.match(f!.hint!, /set each dropped value in the stack, or accept the drop/);
  });

  it("says a release kept at its live version and values changes only once the stack says upgrade", () => {
    const [f] = helmFindings(
      planOf({ charts: [chart({ keptAtLive: true })] }),
      liveOf([release(liveValues)]),
    );
    assert.match(
      f!.message,
      /^imported and kept at its live chart version and values \(revision 4, chart cilium 1\.18\.4, deployed\); once adoption\.helm\.releases\.kube-system\/cilium says upgrade, the program's chart and values apply; 2 live values dropped\.$/,
    );
    assert.match(f!.hint!, /carry each value that must stay into the stack \(cilium\.values for Cilium\)/);
    assert.ok(f!.changes!.some((c) => c.path === "values.routingMode"));
  });

  it("blocks an install over an existing release and still shows what an import would drop", () => {
    const [f] = helmFindings(
      planOf({ charts: [chart({ action: "create" })] }),
      liveOf([release(liveValues)]),
    );
    assert.deepEqual([f!.action, f!.severity], ["blocked", "blocker"]);
    assert.match(
      f!.message,
      /the install fails \(name in use\)\. Imported instead, the upgrade drops 2 live values/,
    );
    assert.match(f!.hint!, /adoption\.helm\.releases\.kube-system\/cilium: release/);
  });

  it("blocks an import of a release that does not exist, and one another operation holds", () => {
    assert.equal(helmFindings(planOf({ charts: [chart()] }), liveOf([]))[0]!.severity, "blocker");
    const [pending] = helmFindings(
      planOf({ charts: [chart()] }),
      liveOf([release(liveValues, "pending-upgrade", 5)]),
    );
    assert.match(pending!.message, /another operation holds the release/);
  });

  it("blocks on a Flux HelmRelease that upgrades the release again, and not once it is suspended", () => {
    const hr = (suspend: boolean) => ({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "cilium", namespace: "kube-system" },
      spec: { suspend },
    });
    const active = helmFindings(planOf({ charts: [chart()] }), liveOf([release(liveValues), hr(false)]));
    assert.ok(
      active.some(
        (f) => f.severity === "blocker" && /HelmRelease kube-system\/cilium \(reconciling\)/.test(f.message),
      ),
    );
    const suspended = helmFindings(planOf({ charts: [chart()] }), liveOf([release(liveValues), hr(true)]));
    assert.ok(!suspended.some((f) => f.severity === "blocker"));
  });

  it("leaves the record of a release the program renders as a helm.sh/v4 chart, and undeclared releases, behind", () => {
    const v4 = chart({ form: "chart", release: "cilium", action: "upsert" });
    const other = helmReleaseSecret({
      name: "k8s-gateway",
      namespace: "kube-system",
      version: 1,
      info: { status: "deployed" },
      chart: { metadata: { name: "k8s-gateway", version: "3.2.0" } },
      config: {},
    });
    const findings = helmFindings(planOf({ charts: [v4] }), liveOf([release(liveValues), other]));
    assert.deepEqual(
      findings.map((f) => [f.object, f.action]),
      [
        ["release kube-system/cilium", "left-behind"],
        ["release kube-system/k8s-gateway", "left-behind"],
      ],
    );
    assert.match(findings[0]!.hint!, /never helm uninstall/);
  });
});
