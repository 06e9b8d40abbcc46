import { previewCommand } from "./commands";

/**
 * `npm run preview -- [stack...]`: `pulumi preview --diff` of each stack through the Automation API, with the
 * policy pack; Markdown summary to stdout and `$GITHUB_STEP_SUMMARY`. Exit 0 no changes, 2 changes, 1 error
 * (including a missing Pulumi CLI, reported in one line).
 */
if (require.main === module) {
  void previewCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
