import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writePlan } from "../../recording/plan";
import { PROJECT_ROOT } from "../../recording/stackFile";
import { summaryMarkdown } from "../../scripts/plan/summary";
import { chartCacheDir, chartsSection, findHelm, renderCharts } from "../../scripts/plan/charts";
import { charts as chartPins } from "../../lib/versions";
import { recordedStack } from "../support/record";

/** Every file under `dir`, relative path -> content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("offline plan: compiled", () => {
  it("`npm run plan` writes byte for byte the plan of the program run from source", async function () {
    this.timeout(180_000);
    const compiled = fs.mkdtempSync(path.join(os.tmpdir(), "plan-compiled-"));
    const run = spawnSync("npm", ["run", "--silent", "plan", "--", "homeops"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PLAN_OUT_DIR: compiled },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "plan-source-"));
    const recording = await recordedStack("homeops");
    writePlan(recording, source);
    const charts = renderCharts(recording, {
      helm: findHelm(),
      cacheDir: chartCacheDir(),
      pins: chartPins,
      kubeVersion: "1.36.3",
    });
    fs.writeFileSync(
      path.join(source, "homeops", "summary.md"),
      summaryMarkdown(recording, [chartsSection(charts)]),
    );
    const expected = tree(source);
    const actual = tree(compiled);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [file, content] of expected) assert.ok(actual.get(file) === content, `${file} differs`);
  });
});

describe("offline plan: progress and stale output", function () {
  this.timeout(180_000);

  it("says what it is doing as it goes: recording, conformance with counts, where it wrote, the time taken", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-progress-"));
    const run = spawnSync("npm", ["run", "--silent", "plan", "--", "homeops"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PLAN_OUT_DIR: out },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^homeops: recording the program \.\.\.$/m);
    assert.match(
      run.stderr,
      /^homeops: recording the program: \d+ resources \(\d+ custom\), \d+ invokes \(\d+\.\d s\)$/m,
    );
    assert.match(
      run.stderr,
      /^homeops: conformance: \d+ resources and \d+ invokes checked, 0 refused \(\d+\.\d s\)$/m,
    );
    assert.match(run.stderr, /^homeops: wrote .*homeops/m);
    assert.match(run.stderr, /^plan: done in \d+\.\d s$/m);
  });

  it("a failed plan removes the previous out/<stack>/ instead of leaving it to be mistaken for this one", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stale-"));
    const out = path.join(root, "out");
    const stackFile = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.homeops.yaml"), "utf8");
    fs.writeFileSync(path.join(root, "Pulumi.edited.yaml"), stackFile);
    const plan = () =>
      spawnSync("npm", ["run", "--silent", "plan", "--", "edited"], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PLAN_OUT_DIR: out, PLAN_STACK_ROOT: root },
        encoding: "utf8",
      });
    assert.equal(plan().status, 0);
    assert.ok(fs.existsSync(path.join(out, "edited", "plan.json")));
    fs.writeFileSync(
      path.join(root, "Pulumi.edited.yaml"),
      stackFile.replace("ip: 10.50.0.30", "ip: 10.50.0.99"),
    );
    const failed = plan();
    assert.equal(failed.status, 1);
    assert.ok(!fs.existsSync(path.join(out, "edited")), "the previous plan is gone");
    assert.match(failed.stderr, /edited: plan failed; removed the previous .*edited/);
    assert.deepEqual(fs.readdirSync(out), [], "no scratch directory left behind");
  });
});
