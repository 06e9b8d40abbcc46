import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../recording/stackFile";

/**
 * `npm run bench:preflight [-- <stack> <snapshot dir> <runs>]`: times the offline plan of a stack and its
 * preflight against a snapshot (default: rooster against its live-state fixture), each as the operator runs
 * it (npm script: bundle, record, compare), and fails unless the preflight's median stays within twice the
 * plan's.
 */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const run = spawnSync("npm", ["run", "--silent", ...args], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // The preflight exits 1 or 2 when it finds something; only a crash (no report) is an error here.
  if (run.status === null || (args[0] === "plan" && run.status !== 0))
    throw new Error(`${args.join(" ")} failed:\n${run.stderr}`);
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function main(argv: string[]): number {
  const stack = argv[0] ?? "rooster";
  const snapshot = path.resolve(argv[1] ?? path.join(PROJECT_ROOT, "tests", "fixtures", "live", stack));
  const runs = Number(argv[2] ?? 3);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const env = { ...process.env, PLAN_OUT_DIR: out };
  try {
    const plan: number[] = [];
    const preflight: number[] = [];
    for (let i = 0; i < runs; i++) {
      plan.push(timed(["plan", "--", stack], env));
      preflight.push(timed(["preflight", "--", stack, "--snapshot", snapshot], env));
    }
    const ratio = median(preflight) / median(plan);
    const show = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
    console.log(`plan ${stack}:      median ${median(plan).toFixed(2)} s (${show(plan)})`);
    console.log(`preflight ${stack}: median ${median(preflight).toFixed(2)} s (${show(preflight)})`);
    console.log(`preflight / plan: ${ratio.toFixed(2)} (limit 2)`);
    return ratio <= 2 ? 0 : 1;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

process.exit(main(process.argv.slice(2)));
