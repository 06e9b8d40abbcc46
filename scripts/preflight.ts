import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPreflight } from "../live/preflight";
import { TALOS_CHECKS } from "../live/preflight/talos";
import { talosConfigChecks } from "../live/preflight/talosConfig";
import { loadSnapshot } from "../live/preflight/liveState";
import { jsonReport, markdownReport, RESULTS } from "../live/preflight/report";
import { takeSnapshot } from "../live/snapshot";
import { loadStackOrReport, operatorCollectors } from "../live/stack";
import { snapshotTargets } from "../live/targets";
import { PROJECT_ROOT } from "../recording/stackFile";

/**
 * `npm run preflight -- <stack> --snapshot <dir>` (or `--live`: snapshot into a private temporary directory
 * first): what the next `pulumi up` of the stack does to the live state, per object. Writes
 * out/<stack>/preflight.md and preflight.json. Exit 0 nothing to do, 2 changes to review, 1 something blocks
 * (or the stack's config is invalid).
 */
async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf("--snapshot");
  const live = argv.includes("--live");
  const stack = argv.find((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
  const snapshot = at >= 0 ? argv[at + 1] : undefined;
  if (stack === undefined || (snapshot === undefined) === !live) {
    console.error("usage: npm run preflight -- <stack> (--snapshot <dir> | --live)");
    return 1;
  }
  const loaded = await loadStackOrReport(stack);
  if (loaded === undefined) return 1;
  const targets = snapshotTargets(loaded.plan, loaded.config);
  let dir = snapshot !== undefined ? path.resolve(snapshot) : undefined;
  const temporary =
    dir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), `preflight-${stack}-`)) : undefined;
  try {
    if (temporary !== undefined) {
      dir = path.join(temporary, "snapshot");
      console.log(`${stack}: snapshot of the live state`);
      await takeSnapshot(targets, dir, operatorCollectors());
    }
    const report = runPreflight({
      plan: loaded.plan,
      live: loadSnapshot(dir!),
      talosNodes: targets.talosNodes,
      adoptionRun: loaded.config.adoption?.enabled === true,
      talosChecks: [...TALOS_CHECKS, ...talosConfigChecks(loaded.config, loaded.recording)],
    });
    const out = path.join(process.env["PLAN_OUT_DIR"] ?? path.join(PROJECT_ROOT, "out"), stack);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "preflight.md"), markdownReport(report));
    fs.writeFileSync(path.join(out, "preflight.json"), `${JSON.stringify(jsonReport(report), null, 2)}\n`);
    const blockers = report.findings.filter((f) => f.severity === "blocker");
    console.log(
      `${stack}: ${RESULTS[report.exitCode]} (exit ${report.exitCode}); report in ${path.relative(process.cwd(), out) || out}/preflight.md`,
    );
    for (const b of blockers) console.log(`  BLOCKER ${b.area} ${b.object}: ${b.message}`);
    return report.exitCode;
  } finally {
    if (temporary !== undefined) fs.rmSync(temporary, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
