import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { schemasDir } from "../../conformance";
import { PROJECT_ROOT } from "../../recording/stackFile";

/*
 * `npm run plan -- <stack> --base <ref or directory>` end to end, in temporary git repositories: one holding
 * only a stack file (planned with the program running now), one holding the whole project (each commit
 * planned with its own program and plan script), and a plan directory kept from an earlier run.
 */

interface DiffJson {
  counts: Record<string, number>;
  changes: Array<{
    action: string;
    type: string;
    name: string;
    fields: Array<{ path: string }>;
    hazards: string[];
  }>;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.email=plan@test", "-c", "user.name=plan", ...args], {
    cwd,
    stdio: "ignore",
  });
}

function repoWith(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-repo-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  git(dir, "init", "-q");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "base");
  return dir;
}

function edit(repo: string, file: string, from: string, to: string, message: string): void {
  const full = path.join(repo, file);
  const text = fs.readFileSync(full, "utf8");
  assert.ok(text.includes(from), `${file} has ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
  git(repo, "commit", "-qam", message);
}

function plan(
  args: string[],
  env: Record<string, string>,
  cwd = PROJECT_ROOT,
): { out: string; stdout: string } {
  const out = env["PLAN_OUT_DIR"] ?? fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
  const run = spawnSync("npm", ["run", "--silent", "plan", "--", ...args], {
    cwd,
    env: { ...process.env, ...env, PLAN_OUT_DIR: out },
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  return { out, stdout: run.stdout };
}

const diffOf = (out: string, stack: string) =>
  JSON.parse(fs.readFileSync(path.join(out, stack, "diff.json"), "utf8")) as DiffJson;

const ROUTE = "{ pathPrefix: /anthropic, backend: anthropic }";
const ROUTE_CHANGED = "{ pathPrefix: /claude, backend: anthropic }";

describe("offline plan: diff against a base", function () {
  this.timeout(300_000);
  const stackFile = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.rooster.yaml"), "utf8");

  it("--base HEAD~1 on a commit that changes one route path shows that field change and nothing else", () => {
    const repo = repoWith({ "Pulumi.rooster.yaml": stackFile });
    edit(repo, "Pulumi.rooster.yaml", ROUTE, ROUTE_CHANGED, "route path");
    const { out } = plan(["rooster", "--base", "HEAD~1"], { PLAN_STACK_ROOT: repo });
    const diff = diffOf(out, "rooster");
    assert.deepEqual(
      diff.changes.map((c) => [c.action, c.name, c.fields.map((f) => f.path)]),
      [["update", "ai-gateway-route-anthropic", ["spec.rules[0].matches[0].path.value"]]],
    );
    const md = fs.readFileSync(path.join(out, "rooster", "diff.md"), "utf8");
    assert.match(md, /`spec\.rules\[0\]\.matches\[0\]\.path\.value`: `"\/anthropic"` → `"\/claude"`/);
    assert.match(
      fs.readFileSync(path.join(out, "rooster", "summary.md"), "utf8"),
      /## Changes to `rooster` against `HEAD~1`/,
    );
  });

  it("--base HEAD~1 on a commit that renames a BIG-IP VIP shows its replacement first", () => {
    const repo = repoWith({ "Pulumi.rooster.yaml": stackFile });
    edit(
      repo,
      "Pulumi.rooster.yaml",
      "- name: github\n      hostname:",
      "- name: gh\n      hostname:",
      "rename VIP",
    );
    const { out, stdout } = plan(["rooster", "--base", "HEAD~1"], { PLAN_STACK_ROOT: repo });
    const [first, ...rest] = diffOf(out, "rooster").changes;
    assert.equal(first?.action, "replace");
    assert.equal(first?.type, "f5bigip:ltm/virtualServer:VirtualServer");
    assert.equal(first?.name, "bigip-gh-8092-vs");
    assert.match(
      first!.hazards.join("\n"),
      /BIG-IP refuses a second virtual server on 172\.16\.20\.125:8092/,
    );
    assert.ok(
      rest.every((c) => c.action === "replace" && c.type.startsWith("f5bigip:ltm/pool")),
      JSON.stringify(rest),
    );
    const md = stdout.slice(stdout.indexOf("## Changes to"));
    assert.match(md.split("\n- ")[1]!, /^\*\*replace\*\* VirtualServer `bigip-gh-8092-vs`/);
  });

  it("a plan directory kept from an earlier run is a base too", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-dir-base-"));
    fs.writeFileSync(path.join(root, "Pulumi.rooster.yaml"), stackFile);
    const { out: before } = plan(["rooster"], { PLAN_STACK_ROOT: root });
    fs.writeFileSync(path.join(root, "Pulumi.rooster.yaml"), stackFile.replace(ROUTE, ROUTE_CHANGED));
    const { out } = plan(["rooster", "--base", path.join(before, "rooster")], { PLAN_STACK_ROOT: root });
    assert.deepEqual(
      diffOf(out, "rooster").changes.map((c) => c.name),
      ["ai-gateway-route-anthropic"],
    );
  });

  it("a base commit of the whole project is planned with its own program and plan script", () => {
    const tracked = String(execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_ROOT }))
      .split("\0")
      .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_ROOT, f)));
    const repo = repoWith(
      Object.fromEntries(tracked.map((f) => [f, fs.readFileSync(path.join(PROJECT_ROOT, f))])),
    );
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
    edit(repo, "Pulumi.rooster.yaml", ROUTE, ROUTE_CHANGED, "route path");
    const { out } = plan(["rooster", "--base", "HEAD~1"], { PLATFORM_SCHEMAS_DIR: schemasDir() ?? "" }, repo);
    assert.deepEqual(
      diffOf(out, "rooster").changes.map((c) => [c.name, c.fields.map((f) => f.path)]),
      [["ai-gateway-route-anthropic", ["spec.rules[0].matches[0].path.value"]]],
    );
  });
});
