import { AutomationStackRunner } from "./automationRunner";
import { main, parseCommandLine, processIO, runDrift } from "./commands";

/**
 * `npm run drift -- [stack...] [--json drift.json]`: `pulumi refresh --preview-only --expect-no-changes` of each
 * stack through the Automation API; Markdown report to stdout and `$GITHUB_STEP_SUMMARY`, JSON report to
 * `--json`. Exit 0 clean, 2 drift, 1 error. Caveats (Talos state is not read back; server-side apply tracks only
 * the fields this program sets) are printed with every report.
 */
if (require.main === module) {
  void main(async () => {
    const options = parseCommandLine(process.argv.slice(2), process.env);
    const runner = new AutomationStackRunner({
      ...options.runner,
      policyPacks: [],
      onOutput: (text) => process.stderr.write(text),
    });
    return runDrift(runner, options.stacks, processIO, options.json);
  }).then((code) => {
    process.exitCode = code;
  });
}
