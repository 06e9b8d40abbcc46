import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planDocument } from "../../../recording/plan";
import type { RecordedResource } from "../../../recording/runtime";
import { PROJECT_ROOT } from "../../../recording/stackFile";
import {
  judgeRendered,
  readRenderedDir,
  renderCharts,
  renderedFiles,
  renderedPlanResources,
  type RenderOptions,
} from "../../../scripts/plan/charts";
import { diffPlans, type PlanDoc } from "../../../scripts/plan/diff";
import { recordingOf, resource } from "../../support/planRecordings";
import { describeWithSchemas } from "../../support/schemas";

/*
 * The charts' objects through a helm binary: the project's own fixture chart (tests/fixtures/charts/demo) and a
 * stand-in for `helm template` (tests/fixtures/helm-standin/helm), since no helm binary is installed here.
 */

const FIXTURES = path.join(PROJECT_ROOT, "tests", "fixtures");
const HELM = path.join(FIXTURES, "helm-standin", "helm");

function chartCache(): { dir: string; digest: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-cache-"));
  const archive = path.join(dir, "demo-0.1.0.tgz");
  execFileSync("tar", ["-czf", archive, "-C", path.join(FIXTURES, "charts"), "demo"]);
  return { dir, digest: crypto.createHash("sha256").update(fs.readFileSync(archive)).digest("hex") };
}

const chart = (type: "v3" | "v4", values: Record<string, unknown>): RecordedResource =>
  resource(
    type === "v4" ? "kubernetes:helm.sh/v4:Chart" : "kubernetes:helm.sh/v3:Release",
    `demo-${type}`,
    { chart: "demo", version: "0.1.0", name: `demo-${type}`, namespace: "apps", values },
    { custom: type === "v3" },
  );

function options(digest: string, dir: string, log?: string): RenderOptions {
  if (log !== undefined) process.env["HELM_STANDIN_LOG"] = log;
  return {
    helm: HELM,
    cacheDir: dir,
    pins: { demo: { chart: "demo", version: "0.1.0", digest } },
    kubeVersion: "1.36.3",
  };
}

describe("plan: the charts' rendered objects", () => {
  afterEach(() => delete process.env["HELM_STANDIN_LOG"]);

  it("renders as the provider does: CRDs in, v4 hooks dropped, v3 hooks kept and marked, tests out", () => {
    const { dir, digest } = chartCache();
    const log = path.join(dir, "helm.log");
    const values = { token: "[secret]" };
    const render = renderCharts(
      recordingOf([chart("v4", values), chart("v3", values)]),
      options(digest, dir, log),
    );
    assert.deepEqual(render.skipped, []);
    const kinds = (name: string) =>
      render.objects.get(name)!.map((o) => `${o.manifest["kind"]}${o.hook ? " (hook)" : ""}`);
    assert.deepEqual(kinds("demo-v4"), ["CustomResourceDefinition", "Deployment", "Secret"]);
    assert.deepEqual(kinds("demo-v3"), ["CustomResourceDefinition", "Deployment", "Job (hook)", "Secret"]);
    const calls = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string[]);
    for (const args of calls) {
      assert.ok(args.includes("--include-crds") && args.includes("--skip-tests"));
      assert.equal(args[args.indexOf("--kube-version") + 1], "1.36.3");
      assert.equal(args[args.indexOf("--namespace") + 1], "apps");
    }
    assert.deepEqual(
      Object.fromEntries(calls.map((a) => [a[1], a.includes("--no-hooks")])),
      { "demo-v4": true, "demo-v3": false },
      "a v4 Chart drops hooks, a v3 Release runs them",
    );
  });

  it("writes rendered/ with secret data masked, and reads it back", () => {
    const { dir, digest } = chartCache();
    const render = renderCharts(recordingOf([chart("v4", { token: "hunter2" })]), options(digest, dir));
    const files = renderedFiles(render);
    const text = files.get("demo-v4.yaml")!;
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /token: "?\[secret\]"?/);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rendered-"));
    for (const [name, content] of files) fs.writeFileSync(path.join(out, name), content);
    assert.deepEqual(
      readRenderedDir(out)
        .get("demo-v4")!
        .map((o) => o.manifest),
      render.objects.get("demo-v4")!.map((o) => JSON.parse(JSON.stringify(o.manifest))),
    );
  });

  it("says in one line why a chart is not rendered: no helm, no digest, a digest that does not match", () => {
    const { dir, digest } = chartCache();
    const recording = recordingOf([chart("v4", {})]);
    const noHelm = renderCharts(recording, { ...options(digest, dir), helm: undefined });
    assert.deepEqual(noHelm.skipped, ["charts not rendered: no helm binary (set HELM or put helm on PATH)"]);
    const noDigest = renderCharts(recording, {
      ...options(digest, dir),
      pins: { demo: { chart: "demo", version: "0.1.0" } },
    });
    assert.match(noDigest.skipped[0]!, /^demo-v4: demo 0\.1\.0: no digest pinned in lib\/versions\.ts/);
    const wrong = renderCharts(recording, options("0".repeat(64), dir));
    assert.match(wrong.skipped[0]!, /has sha256 [0-9a-f]{64}, lib\/versions\.ts pins 0{64}/);
    assert.equal(wrong.objects.size, 0);
  });

  it("diffs rendered objects: a changed image updates, a changed selector replaces the v4 Chart's Deployment", () => {
    const { dir, digest } = chartCache();
    const docOf = (values: Record<string, unknown>): PlanDoc => {
      const recording = recordingOf([chart("v4", values)]);
      const doc = JSON.parse(JSON.stringify(planDocument(recording))) as PlanDoc;
      const objects = renderCharts(recording, options(digest, dir)).objects;
      return { ...doc, resources: [...doc.resources, ...renderedPlanResources(objects, doc.resources)] };
    };
    const image = diffPlans(docOf({ image: { tag: "1.0" } }), docOf({ image: { tag: "1.1" } }));
    const deployment = image.changes.find((c) => c.type === "kubernetes:apps/v1:Deployment");
    assert.equal(deployment?.action, "update");
    assert.deepEqual(
      deployment!.fields.map((f) => [f.path, f.before, f.after]),
      [["spec.template.spec.containers[0].image", "example.org/demo:1.0", "example.org/demo:1.1"]],
    );
    const selector = diffPlans(docOf({ app: "demo" }), docOf({ app: "web" }));
    const replaced = selector.changes.find((c) => c.type === "kubernetes:apps/v1:Deployment");
    assert.equal(replaced?.action, "replace");
    assert.match(replaced!.reasons[0]!.because, /`\.spec\.selector` of Deployment/);
  });
});

describeWithSchemas("plan: rendered objects judged", () => {
  it("conformance and the policy pack judge every object of a kind on file; v3 findings are advisory", async () => {
    const { dir, digest } = chartCache();
    const recording = recordingOf([chart("v4", {}), chart("v3", {})]);
    const render = renderCharts(recording, options(digest, dir));
    const types = new Map(recording.resources.map((r) => [r.name, r.type]));
    const judged = await judgeRendered(render.objects, types);
    assert.ok(judged.judged >= 6, `${judged.judged} judged`);
    // The fixture Deployment sets no resources, labels or security context: the pack says so.
    assert.ok(
      judged.blocking.some((b) => b.startsWith("demo-v4: Deployment demo-v4-web:")),
      judged.blocking.join("\n"),
    );
    assert.ok(
      judged.advisory.some((b) => b.startsWith("demo-v3: Deployment demo-v3-web:")),
      judged.advisory.join("\n"),
    );
    assert.ok(judged.blocking.every((b) => b.startsWith("demo-v4:")));
  });
});
