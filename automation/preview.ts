import { AutomationStackRunner } from "./automationRunner";
import { main, parseCommandLine, processIO, runPreview } from "./commands";

/**
 * `npm run preview -- [stack...]`: `pulumi preview --diff` of each stack through the Automation API, with the
 * policy pack; Markdown summary to stdout and `$GITHUB_STEP_SUMMARY`. Exit 0 no changes, 2 changes, 1 error.
 */
if (require.main === module) {
  void main(async () => {
    const options = parseCommandLine(process.argv.slice(2), process.env);
    const runner = new AutomationStackRunner({
      ...options.runner,
      onOutput: (text) => process.stderr.write(text),
    });
    return runPreview(runner, options.stacks, processIO, options.json);
  }).then((code) => {
    process.exitCode = code;
  });
}
