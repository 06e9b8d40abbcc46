import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPreflight } from "../../../live/preflight";
import { exitCode, finding, Finding } from "../../../live/preflight/findings";
import { loadSnapshot } from "../../../live/preflight/liveState";
import { actionCounts, jsonReport, markdownReport } from "../../../live/preflight/report";
import { TALOS_CHECKS, TalosCheck } from "../../../live/preflight/talos";
import { planOf, planned } from "../../support/preflight";

const report = (findings: Finding[]) => ({
  stack: "s",
  snapshot: "/snap",
  exitCode: exitCode(findings),
  findings,
});

describe("preflight/report", () => {
  const blocker = finding("bigip", "BIG-IP node /Common/a", "blocked", "blocker", "refused.", {
    hint: "map it",
  });
  const change = finding("kubernetes", "Deployment a/b", "take-over-with-changes", "change", "taken over.", {
    changes: [{ path: "spec.replicas", live: 1, planned: 2 }],
  });
  const info = finding("kubernetes", "ConfigMap a/old", "left-behind", "info", "stays.");

  it("exits 1 on a blocker, 2 on changes to review, 0 when there is nothing to do", () => {
    assert.equal(exitCode([blocker, change, info]), 1);
    assert.equal(exitCode([change, info]), 2);
    assert.equal(exitCode([info]), 0);
    assert.equal(exitCode([]), 0);
  });

  it("puts the blockers first, then the actions with counts, then the diffs", () => {
    const md = markdownReport(report([change, info, blocker]));
    const at = (text: string) => md.indexOf(text);
    assert.ok(
      at("## Blockers") < at("## Actions") &&
        at("## Actions") < at("## Changes") &&
        at("## Changes") < at("## Left behind"),
      md,
    );
    assert.match(md, /\*\*Result: blocked\*\* \(exit 1\)/);
    assert.match(md, /\| Kubernetes \| 0 \| 1 \| 1 \|/);
    assert.match(md, /\| `spec\.replicas` \| `1` \| `2` \|/);
    assert.match(md, /_Fix_: map it/);
  });

  it("counts actions per area for the JSON report", () => {
    assert.deepEqual(actionCounts([blocker, change, info]), {
      bigip: { blocked: 1 },
      kubernetes: { "take-over-with-changes": 1, "left-behind": 1 },
    });
    assert.equal(jsonReport(report([change])).result, "changes to review");
  });
});

describe("preflight: snapshot sources and the Talos section", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const plan = planOf({
    objects: [planned({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } })],
  });

  it("blocks on a source the plan needs that the snapshot lacks or failed to read", () => {
    fs.writeFileSync(
      path.join(dir, "snapshot.json"),
      JSON.stringify({
        stack: "s",
        takenAt: "t",
        sources: { kubernetes: { status: "failed", error: "HTTP 401", files: [], seconds: 0 } },
      }),
    );
    const result = runPreflight({
      plan,
      live: loadSnapshot(dir),
      talosNodes: [{ name: "n1", address: "10.0.0.1" }],
      adoptionRun: false,
    });
    assert.deepEqual(
      result.findings.map((f) => [f.area, f.object, f.severity]),
      [
        ["snapshot", "kubernetes", "blocker"],
        ["talos", "Talos node n1 (10.0.0.1)", "blocker"],
      ],
    );
    assert.match(result.findings[0]!.message, /reading it failed: HTTP 401/);
  });

  it("reads a snapshot written by hand (no snapshot.json): a source directory counts as read", () => {
    fs.mkdirSync(path.join(dir, "kubernetes"));
    fs.writeFileSync(
      path.join(dir, "kubernetes", "ns.json"),
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }],
      }),
    );
    const result = runPreflight({ plan, live: loadSnapshot(dir), talosNodes: [], adoptionRun: false });
    assert.deepEqual(
      result.findings.map((f) => [f.object, f.action]),
      [["Namespace a", "blocked"]],
    );
  });

  it("runs the Talos checks the caller adds over every node's snapshot files", () => {
    fs.mkdirSync(path.join(dir, "talos", "n1"), { recursive: true });
    for (const file of ["machineconfig", "version", "extensions"])
      fs.writeFileSync(
        path.join(dir, "talos", "n1", `${file}.yaml`),
        `node: 10.0.0.1\nmetadata: {id: x}\nspec: {version: v1.13.9, metadata: {name: iscsi-tools}}\n`,
      );
    const seen: string[] = [];
    const check: TalosCheck = (nodes) =>
      nodes.map((node) => {
        seen.push(`${node.name}:${Object.keys(node.files).sort().join(",")}`);
        return finding("talos", node.name, "update", "change", "machine.files differ");
      });
    const result = runPreflight({
      plan: planOf({}),
      live: loadSnapshot(dir),
      talosNodes: [{ name: "n1", address: "10.0.0.1" }],
      adoptionRun: false,
      talosChecks: [...TALOS_CHECKS, check],
    });
    assert.deepEqual(seen, ["n1:extensions,machineconfig,version"]);
    assert.match(result.findings[0]!.message, /read: Talos v1\.13\.9, extensions iscsi-tools/);
    assert.match(markdownReport(result), /## Talos nodes[\s\S]*machine\.files differ/);
    assert.equal(result.exitCode, 2);
  });
});
