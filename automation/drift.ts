import { driftCommand } from "./commands";

/**
 * `npm run drift -- [stack...] [--json drift.json]`: `pulumi refresh --preview-only --expect-no-changes` of each
 * stack through the Automation API; Markdown report to stdout and `$GITHUB_STEP_SUMMARY`, JSON report to
 * `--json`. Exit 0 clean, 2 drift, 1 error (a stack that could not be checked makes `drift` null in the JSON;
 * a missing Pulumi CLI is reported in one line). Caveats (Talos state is not read back; server-side apply tracks
 * only the fields this program sets) are printed with every report.
 */
if (require.main === module) {
  void driftCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
