import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../recording/stackFile";

describe("recording: plan command", function () {
  this.timeout(60000);
  const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

  it("writes plan.json, manifests/ and charts.json and prints a tree summary", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
    const run = spawnSync(tsx, ["scripts/plan.ts", "homeops"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PLAN_OUT_DIR: out },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /ai-platform-homeops \(pulumi:pulumi:Stack\)/);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "homeops", "plan.json"), "utf8"));
    assert.deepEqual(Object.keys(plan).sort(), ["invokes", "outputs", "project", "resources", "stack"]);
    assert.deepEqual(Object.keys(plan.resources[0]).sort(), [
      "action",
      "custom",
      "dependencies",
      "inputs",
      "name",
      "options",
      "parent",
      "propertyDependencies",
      "provider",
      "secretDigests",
      "secretPaths",
      "type",
      "urn",
    ]);
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(path.join(out, "homeops", "charts.json"), "utf8"))));
    assert.ok(fs.statSync(path.join(out, "homeops", "manifests")).isDirectory());
  });

  it("lists every error of a broken config, writes nothing and exits 1", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-root-"));
    const out = path.join(root, "out");
    const broken = fs
      .readFileSync(path.join(PROJECT_ROOT, "Pulumi.homeops.yaml"), "utf8")
      .replace("ip: 10.50.0.30", "ip: 10.50.0.99")
      .replace("backend: litellm", "backend: litelm");
    fs.writeFileSync(path.join(root, "Pulumi.broken.yaml"), broken);
    const run = spawnSync(tsx, ["scripts/plan.ts", "broken"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PLAN_OUT_DIR: out, PLAN_STACK_ROOT: root },
      encoding: "utf8",
    });
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /agentgateway\.gateways\[0\]\.service\.ip: 10\.50\.0\.99 is not inside any Cilium LB IPAM pool/,
    );
    assert.match(
      run.stderr,
      /llm\.routes\[0\]\.rules\[3\]\.backend: unknown backend "litelm" \(hint: did you mean "litellm"\?\)/,
    );
    assert.ok(!fs.existsSync(out), "nothing written");
    assert.ok(readStackFile("broken", root).config["ai-platform:cluster"]);
  });
});
