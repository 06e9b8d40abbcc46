import * as path from "path";
import { opRead } from "../live/credentials";
import { takeSnapshot } from "../live/snapshot";
import { loadStack, operatorKubeconfig } from "../live/stack";
import { snapshotTargets } from "../live/targets";
import { PROJECT_ROOT } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";

/**
 * `npm run snapshot -- <stack> --out <dir>`: reads the live state the stack acts on (Kubernetes, Talos nodes,
 * BIG-IP, Cloudflare) into <dir> without changing anything. Exit 0 when every source was read, 1 when one
 * failed (the snapshot still holds the others, and snapshot.json says what failed) or nothing could start.
 */
async function main(argv: string[]): Promise<number> {
  const outAt = argv.indexOf("--out");
  const stack = argv.find((a, i) => !a.startsWith("--") && i !== outAt + 1);
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (stack === undefined || out === undefined) {
    console.error("usage: npm run snapshot -- <stack> --out <dir>");
    return 1;
  }
  const root = process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT;
  let loaded;
  try {
    loaded = await loadStack(stack, root);
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`${stack}: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const dir = path.resolve(out);
  console.log(`${stack}: snapshot into ${dir}`);
  const manifest = await takeSnapshot(snapshotTargets(loaded.plan, loaded.config), dir, {
    kubeconfig: () => operatorKubeconfig(),
    env: process.env,
    op: opRead,
    log: (line) => console.log(`  ${line}`),
  });
  const failed = Object.entries(manifest.sources).filter(([, s]) => s.status === "failed");
  if (failed.length > 0)
    console.error(`${stack}: ${failed.length} source(s) failed: ${failed.map(([n]) => n).join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
