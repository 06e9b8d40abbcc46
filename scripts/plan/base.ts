import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readRenderedDir, type RenderedObject } from "./charts";
import type { PlanDoc } from "./diff";

/*
 * The plan a diff compares with (`--base`): a plan directory written earlier (`out/<stack>` or `out/`), or a git
 * ref, whose tree is exported to a scratch directory and planned there. A tree holding this project plans with
 * its own program and its own plan script (what that commit would deploy); a tree holding only stack files
 * plans them with the program running now. The base plan skips conformance: a diff is wanted even against a
 * base that would not pass.
 */

export interface BasePlan {
  /** How the report names the base: `HEAD~1 (3f2a1c0)` or the directory. */
  label: string;
  ref?: string;
  commit?: string;
  plan: PlanDoc;
  /** The charts' rendered objects the base plan wrote (none when it could not render them). */
  rendered: Map<string, RenderedObject[]>;
}

export class BaseError extends Error {}

function readPlanDir(dir: string, stack: string): { dir: string; plan: PlanDoc } | undefined {
  for (const candidate of [dir, path.join(dir, stack)]) {
    const file = path.join(candidate, "plan.json");
    if (fs.existsSync(file))
      return { dir: candidate, plan: JSON.parse(fs.readFileSync(file, "utf8")) as PlanDoc };
  }
  return undefined;
}

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  const run = spawnSync("git", ["-C", cwd, ...args], { input, maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new BaseError(`git ${args.join(" ")}: ${String(run.stderr).trim()}`);
  return run.stdout;
}

/** The command that plans one stack in a base tree, with its working directory. */
export interface PlanCommand {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * How the base tree is planned. `self` re-runs the plan script running now (for a tree of stack files only).
 */
export function basePlanCommand(
  treeRoot: string,
  stack: string,
  outDir: string,
  self: { command: string; args: string[] },
): PlanCommand {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PLAN_OUT_DIR: outDir,
    // No schemas: the base is planned, not judged.
    PLATFORM_SCHEMAS_DIR: path.join(outDir, "no-schemas"),
  };
  delete env["PLAN_STACK_ROOT"];
  const pkg = path.join(treeRoot, "package.json");
  const ownScript =
    fs.existsSync(pkg) &&
    fs.existsSync(path.join(treeRoot, "Pulumi.yaml")) &&
    (JSON.parse(fs.readFileSync(pkg, "utf8")) as { scripts?: Record<string, string> }).scripts?.["plan"] !==
      undefined;
  if (ownScript)
    return { command: "npm", args: ["run", "--silent", "plan", "--", stack], cwd: treeRoot, env };
  return {
    command: self.command,
    args: [...self.args, stack],
    cwd: treeRoot,
    env: { ...env, PLAN_STACK_ROOT: treeRoot },
  };
}

/** The base plan of a stack, from a plan directory or a git ref of the repository holding `root`. */
export function loadBase(
  spec: string,
  stack: string,
  root: string,
  projectRoot: string,
  self: { command: string; args: string[] },
): BasePlan {
  if (fs.existsSync(spec) && fs.statSync(spec).isDirectory()) {
    const found = readPlanDir(spec, stack);
    if (found === undefined) throw new BaseError(`${spec}: no plan.json (nor ${stack}/plan.json) there`);
    return {
      label: `the plan in \`${spec}\``,
      plan: found.plan,
      rendered: readRenderedDir(path.join(found.dir, "rendered")),
    };
  }
  const commit = String(git(root, ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`])).trim();
  const top = String(git(root, ["rev-parse", "--show-toplevel"])).trim();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
  const tree = path.join(scratch, "tree");
  fs.mkdirSync(tree);
  const archive = git(top, ["archive", "--format=tar", commit]);
  const untar = spawnSync("tar", ["-x", "-C", tree], { input: archive, maxBuffer: 1 << 30 });
  if (untar.status !== 0) throw new BaseError(`tar: ${String(untar.stderr).trim()}`);
  const treeRoot = path.join(tree, path.relative(fs.realpathSync(top), fs.realpathSync(root)));
  if (!fs.existsSync(path.join(treeRoot, `Pulumi.${stack}.yaml`)))
    throw new BaseError(`${spec}: stack ${stack} has no Pulumi.${stack}.yaml at that commit`);
  if (
    fs.existsSync(path.join(treeRoot, "package.json")) &&
    !fs.existsSync(path.join(treeRoot, "node_modules"))
  )
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(treeRoot, "node_modules"), "dir");
  const out = path.join(scratch, "out");
  const cmd = basePlanCommand(treeRoot, stack, out, self);
  const run = spawnSync(cmd.command, cmd.args, {
    cwd: cmd.cwd,
    env: cmd.env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const found = readPlanDir(out, stack);
  const rendered = found === undefined ? new Map() : readRenderedDir(path.join(found.dir, "rendered"));
  fs.rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0 || found === undefined) {
    const tail = String(run.stderr).trim().split("\n").slice(-15).join("\n");
    throw new BaseError(`the plan of ${spec} (${commit.slice(0, 7)}) failed:\n${tail}`);
  }
  return { label: `\`${spec}\` (${commit.slice(0, 7)})`, ref: spec, commit, plan: found.plan, rendered };
}
