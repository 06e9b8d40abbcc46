import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writePlan } from "../../recording/plan";
import { PROJECT_ROOT } from "../../recording/stackFile";
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
    writePlan(await recordedStack("homeops"), source);
    const expected = tree(source);
    const actual = tree(compiled);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [file, content] of expected) assert.ok(actual.get(file) === content, `${file} differs`);
  });
});
