import * as path from "path";
import { writePlan, treeSummary } from "../recording/plan";
import { recordStack } from "../recording/runtime";
import { listStacks, PROJECT_ROOT } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";

/**
 * Offline plan: runs the real program for each given stack (default: every Pulumi.<stack>.yaml) under the
 * recording runtime and writes out/<stack>/{plan.json,manifests/,charts.json}. Exit 1 on invalid config
 * (nothing written) or any program error.
 */
async function main(argv: string[]): Promise<number> {
  const root = process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT;
  const stacks = argv.length > 0 ? argv : listStacks(root);
  const outRoot = process.env["PLAN_OUT_DIR"] ?? path.join(PROJECT_ROOT, "out");
  let failed = false;
  for (const stack of stacks) {
    if (!listStacks(root).includes(stack)) {
      console.error(`${stack}: no Pulumi.${stack}.yaml (stacks: ${listStacks(root).join(", ")})`);
      failed = true;
      continue;
    }
    try {
      const recording = await recordStack(stack, { root });
      const dir = writePlan(recording, outRoot);
      console.log(`== ${stack} -> ${path.relative(process.cwd(), dir) || dir}`);
      console.log(treeSummary(recording));
    } catch (err) {
      failed = true;
      if (err instanceof ConfigValidationError) {
        console.error(`${stack}: ${(err as Error).message}`);
      } else {
        console.error(`${stack}: program failed:`, err);
      }
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
