import * as path from "path";
import { writePlan, treeSummary } from "../recording/plan";
import { recordStack } from "../recording/runtime";
import { StackFileError } from "../recording/yamlFile";
import { listStacks, PROJECT_ROOT, rawConfigOf, readStackFile } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";
import { missingSchemasMessage, schemasDir } from "../conformance";
import { planConformance } from "./conformance";

/**
 * Offline plan: runs the real program for each given stack (default: every Pulumi.<stack>.yaml) under the
 * recording runtime, checks every recorded object against the upstream schemas when they are present, and
 * writes out/<stack>/{plan.json,manifests/,charts.json}. Exit 1 on invalid config or a conformance violation
 * (nothing written for that stack) or any program error.
 */
async function main(argv: string[]): Promise<number> {
  const root = process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT;
  const stacks = argv.length > 0 ? argv : listStacks(root);
  const outRoot = process.env["PLAN_OUT_DIR"] ?? path.join(PROJECT_ROOT, "out");
  let failed = false;
  const conformance = schemasDir() !== undefined;
  if (!conformance) console.warn(`conformance not checked: ${missingSchemasMessage()}`);
  for (const stack of stacks) {
    if (!listStacks(root).includes(stack)) {
      console.error(`${stack}: no Pulumi.${stack}.yaml (stacks: ${listStacks(root).join(", ")})`);
      failed = true;
      continue;
    }
    try {
      const recording = await recordStack(stack, { root });
      const violations = conformance
        ? planConformance(recording, rawConfigOf(readStackFile(stack, root)))
        : [];
      if (violations.length > 0) {
        failed = true;
        console.error(
          `${stack}: ${violations.length} object(s) the cluster or a provider would refuse:\n` +
            violations.map((v) => `  - ${v}`).join("\n"),
        );
        continue;
      }
      const dir = writePlan(recording, outRoot);
      console.log(`== ${stack} -> ${path.relative(process.cwd(), dir) || dir}`);
      console.log(treeSummary(recording));
    } catch (err) {
      failed = true;
      if (err instanceof ConfigValidationError || err instanceof StackFileError) {
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
