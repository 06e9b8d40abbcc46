import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { listStacks, PROJECT_ROOT } from "../recording/stackFile";
import {
  AutomationRunnerOptions,
  AutomationStackRunner,
  localBackendEnv,
  pulumiOnPath,
} from "./automationRunner";
import type { OperationReport, StackRunner } from "./runner";
import {
  driftExitCode,
  driftJson,
  driftMarkdown,
  EXIT,
  previewExitCode,
  previewMarkdown,
  StackDrift,
  StackPreview,
  summarizeDrift,
  summarizePreview,
} from "./summary";

/** Where a command writes; injectable so the commands are tested without a terminal or files. */
export interface CommandIO {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  appendFile(file: string, text: string): void;
  writeFile(file: string, text: string): void;
}

export const processIO: CommandIO = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  appendFile: (file, text) => fs.appendFileSync(file, text),
  writeFile: (file, text) => fs.writeFileSync(file, text),
};

export interface CommandOptions {
  stacks: string[];
  /** JSON report file. */
  json?: string;
  runner: AutomationRunnerOptions;
}

const USAGE =
  "usage: [stack...] [--local-backend DIR] [--policy-pack DIR | --no-policy] [--policy-config FILE] [--json FILE] [--work-dir DIR]";

/** Parses the command line shared by `npm run preview` and `npm run drift`; stacks default to every Pulumi.<stack>.yaml. */
export function parseCommandLine(
  argv: string[],
  env: Record<string, string | undefined>,
  root = PROJECT_ROOT,
): CommandOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "local-backend": { type: "string" },
      "policy-pack": { type: "string", multiple: true },
      "no-policy": { type: "boolean" },
      "policy-config": { type: "string", multiple: true },
      json: { type: "string" },
      "work-dir": { type: "string" },
    },
  });
  const workDir = path.resolve(values["work-dir"] ?? root);
  const known = listStacks(workDir);
  const stacks = positionals.length > 0 ? positionals : known;
  const unknown = stacks.filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new Error(
      `unknown stack(s) ${unknown.join(", ")}: no Pulumi.<stack>.yaml in ${workDir} (have: ${known.join(", ")})`,
    );
  if (stacks.length === 0) throw new Error(`no stacks: no Pulumi.<stack>.yaml in ${workDir}\n${USAGE}`);
  const defaultPack = path.join(workDir, "policy");
  const policyPacks =
    values["no-policy"] === true
      ? []
      : (values["policy-pack"] ??
        (fs.existsSync(path.join(defaultPack, "PulumiPolicy.yaml")) ? [defaultPack] : []));
  const localBackend = values["local-backend"] ?? env["PLATFORM_LOCAL_BACKEND"];
  return {
    stacks,
    json: values.json,
    runner: {
      workDir,
      envVars: localBackend !== undefined && localBackend !== "" ? localBackendEnv(localBackend) : undefined,
      policyPacks: policyPacks.map((p) => path.resolve(p)),
      policyPackConfigs: (values["policy-config"] ?? []).map((p) => path.resolve(p)),
    },
  };
}

function failed(err: unknown): OperationReport {
  return {
    steps: [],
    policies: [],
    changeSummary: {},
    error: err instanceof Error ? err.message : String(err),
  };
}

function publish(io: CommandIO, markdown: string): void {
  io.stdout(markdown);
  const summaryFile = io.env["GITHUB_STEP_SUMMARY"];
  if (summaryFile !== undefined && summaryFile !== "") io.appendFile(summaryFile, `${markdown}\n`);
}

/** Previews every stack, publishes the Markdown summary and returns the exit code (0 no changes, 2 changes, 1 error). */
export async function runPreview(
  runner: StackRunner,
  stacks: string[],
  io: CommandIO,
  json?: string,
): Promise<{ exitCode: number; results: StackPreview[] }> {
  const results: StackPreview[] = [];
  for (const stack of stacks)
    results.push(summarizePreview(stack, await runner.preview(stack).catch(failed)));
  publish(io, previewMarkdown(results));
  if (json !== undefined) io.writeFile(json, `${JSON.stringify({ stacks: results }, null, 2)}\n`);
  return { exitCode: previewExitCode(results), results };
}

/** Refresh-previews every stack, publishes the Markdown and JSON drift reports and returns the exit code (0 clean, 2 drift, 1 error). */
export async function runDrift(
  runner: StackRunner,
  stacks: string[],
  io: CommandIO,
  json?: string,
): Promise<{ exitCode: number; results: StackDrift[] }> {
  const results: StackDrift[] = [];
  for (const stack of stacks)
    results.push(summarizeDrift(stack, await runner.previewRefresh(stack).catch(failed)));
  publish(io, driftMarkdown(results));
  if (json !== undefined) io.writeFile(json, `${JSON.stringify(driftJson(results), null, 2)}\n`);
  return { exitCode: driftExitCode(results), results };
}

/** The one line printed when the CLI the commands run through is missing. */
export const PULUMI_CLI_MISSING =
  "the Pulumi CLI (`pulumi`) is not on PATH; previews and drift checks run through it: install it with `curl -fsSL https://get.pulumi.com | sh` (https://www.pulumi.com/docs/iac/download-install/) and retry";

/** Fails before any stack is touched when `pulumi` is not on PATH (the Automation API's LocalWorkspace runs it). */
export function requirePulumiCli(env: Record<string, string | undefined>): void {
  if (pulumiOnPath(env) === undefined) throw new Error(PULUMI_CLI_MISSING);
}

/** Builds the runner of a command; the Automation API by default, injectable for tests. */
export type RunnerFactory = (options: AutomationRunnerOptions) => StackRunner;

const automationRunner: RunnerFactory = (options) => new AutomationStackRunner(options);

/** `npm run preview`: parse the command line, check the CLI, preview every stack; returns the exit code. */
export function previewCommand(
  argv: string[],
  io: CommandIO = processIO,
  runnerFor: RunnerFactory = automationRunner,
): Promise<number> {
  return main(async () => {
    const options = parseCommandLine(argv, io.env);
    requirePulumiCli(io.env);
    const runner = runnerFor({ ...options.runner, onOutput: (text) => io.stderr(text) });
    return runPreview(runner, options.stacks, io, options.json);
  }, io);
}

/** `npm run drift`: like previewCommand, with refresh previews and without the policy pack. */
export function driftCommand(
  argv: string[],
  io: CommandIO = processIO,
  runnerFor: RunnerFactory = automationRunner,
): Promise<number> {
  return main(async () => {
    const options = parseCommandLine(argv, io.env);
    if (pulumiOnPath(io.env) === undefined && options.json !== undefined) {
      // The JSON report still says the check did not happen, for whatever reads it.
      const report = { ...driftJson([]), drift: null, error: PULUMI_CLI_MISSING };
      io.writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
    }
    requirePulumiCli(io.env);
    const runner = runnerFor({ ...options.runner, policyPacks: [], onOutput: (text) => io.stderr(text) });
    return runDrift(runner, options.stacks, io, options.json);
  }, io);
}

/** Runs a command's main: usage errors exit 1 with the message on stderr. */
export async function main(
  run: () => Promise<{ exitCode: number }>,
  io: CommandIO = processIO,
): Promise<number> {
  try {
    return (await run()).exitCode;
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}
