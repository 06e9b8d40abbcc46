import { spawn } from "child_process";
import { PROJECT_ROOT } from "../../recording/stackFile";

/** Runs an npm script without blocking this process, whose loopback servers must keep answering. */
export function runNpm(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", ...args], { cwd: PROJECT_ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}
