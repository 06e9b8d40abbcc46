import * as path from "path";
import { takeSnapshot } from "../live/snapshot";
import { loadStackOrReport, operatorCollectors } from "../live/stack";
import { snapshotTargets } from "../live/targets";

/**
 * `npm run snapshot -- <stack> --out <dir>`: reads the live state the stack acts on (Kubernetes, Talos nodes,
 * BIG-IP, Cloudflare) into <dir> without changing anything. Exit 0 when every source was read, 1 when one
 * failed (the snapshot still holds the others, and snapshot.json says what failed) or nothing could start.
 */
async function main(argv: string[]): Promise<number> {
  const outAt = argv.indexOf("--out");
  const stack = argv.find((a, i) => !a.startsWith("--") && (outAt < 0 || i !== outAt + 1));
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (stack === undefined || out === undefined) {
    console.error("usage: npm run snapshot -- <stack> --out <dir>");
    return 1;
  }
  const loaded = await loadStackOrReport(stack);
  if (loaded === undefined) return 1;
  const dir = path.resolve(out);
  console.log(`${stack}: snapshot into ${dir}`);
  const manifest = await takeSnapshot(snapshotTargets(loaded.plan, loaded.config), dir, operatorCollectors());
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
