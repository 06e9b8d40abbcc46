import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../recording/stackFile";

/*
 * `npm run benchmark [-- <rounds>]`: how long `npm run plan -- rooster` (conformance included) takes against
 * the bare start-up of Node with the Pulumi SDK loaded, the floor of any Pulumi program. The commands run in
 * turns so that load from elsewhere on the machine falls on both alike; each is reported as its median wall
 * time and median CPU time (user + system of the process and its children, from /proc), since on a shared
 * machine CPU time is the steadier of the two. A report, not a test: it always exits 0.
 */

interface Sample {
  wall: number;
  cpu: number | undefined;
}

const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds of the waited-for children of this process so far, or undefined without /proc. */
function childrenCpu(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Sample {
  const cpu0 = childrenCpu();
  const t0 = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = childrenCpu();
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${String(result.stderr)}`);
  return { wall, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(samples: Sample[]): { wall: number; cpu: number | undefined } {
  const cpus = samples.map((s) => s.cpu).filter((c): c is number => c !== undefined);
  return { wall: median(samples.map((s) => s.wall)), cpu: cpus.length > 0 ? median(cpus) : undefined };
}

function main(): void {
  const rounds = Number(process.argv[2] ?? 5);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-benchmark-"));
  const env = { ...process.env, PLAN_OUT_DIR: out };
  const commands: Array<{ label: string; command: string; args: string[] }> = [
    { label: "node + @pulumi/pulumi", command: process.execPath, args: ["-e", 'require("@pulumi/pulumi")'] },
    { label: "npm run plan -- rooster", command: "npm", args: ["run", "--silent", "plan", "--", "rooster"] },
  ];
  // One unmeasured run of each fills the caches a developer's machine has after the first plan.
  for (const c of commands) run(c.command, c.args, env);
  const samples = commands.map(() => [] as Sample[]);
  for (let i = 0; i < rounds; i++) commands.forEach((c, j) => samples[j]!.push(run(c.command, c.args, env)));
  fs.rmSync(out, { recursive: true, force: true });
  const [base, plan] = samples.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const fmt = (s: { wall: number; cpu: number | undefined }) =>
    `wall ${s.wall.toFixed(2)} s, cpu ${s.cpu === undefined ? "n/a" : `${s.cpu.toFixed(2)} s`}`;
  console.log(`${rounds} rounds, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  commands.forEach((c, j) => console.log(`  ${c.label.padEnd(26)} ${fmt(summary(samples[j]!))}`));
  const cpuRatio = base.cpu && plan.cpu ? `${(plan.cpu / base.cpu).toFixed(1)}x` : "n/a";
  console.log(`plan / start-up: wall ${(plan.wall / base.wall).toFixed(1)}x, cpu ${cpuRatio} (target: 3x)`);
}

main();
