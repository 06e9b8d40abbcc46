import * as fs from "fs";
import * as path from "path";
import {
  EngineEvent,
  LocalWorkspace,
  LocalWorkspaceOptions,
  PulumiFn,
  Stack,
} from "@pulumi/pulumi/automation";
import { countsOf, OperationReport, reportFromEvents, StackRunner } from "./runner";

export interface AutomationRunnerOptions {
  /** Project directory holding Pulumi.yaml (the compiled program must be built: `npm run build`). */
  workDir?: string;
  /** An inline program instead of a project directory (with `projectName`). */
  program?: PulumiFn;
  projectName?: string;
  /** Extra environment for the CLI (backend URL, passphrase, ...); the process environment is inherited. */
  envVars?: Record<string, string>;
  /** Policy pack directories run with every preview. */
  policyPacks?: string[];
  /** Policy pack configuration files (enforcement level per policy). */
  policyPackConfigs?: string[];
  /** Receives the CLI's progress output. */
  onOutput?: (text: string) => void;
}

/** Environment for a local file backend in `dir` (`file://` state under `<dir>/.pulumi`). */
export function localBackendEnv(dir: string): Record<string, string> {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  return { PULUMI_BACKEND_URL: `file://${absolute}`, PULUMI_SKIP_UPDATE_CHECK: "true" };
}

/** The `pulumi` executable on PATH, if any. */
export function pulumiOnPath(env: Record<string, string | undefined> = process.env): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "pulumi");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** StackRunner over the Pulumi Automation API (LocalWorkspace: the `pulumi` CLI on PATH). */
export class AutomationStackRunner implements StackRunner {
  constructor(private readonly options: AutomationRunnerOptions) {
    if (options.program === undefined && options.workDir === undefined)
      throw new Error("AutomationStackRunner needs a workDir or an inline program");
  }

  /** Selects the stack, creating it when the backend does not have it yet. */
  async stack(stackName: string): Promise<Stack> {
    const opts: LocalWorkspaceOptions = { envVars: this.options.envVars };
    if (this.options.program !== undefined) {
      const projectName = this.options.projectName ?? "inline";
      return LocalWorkspace.createOrSelectStack(
        { stackName, projectName, program: this.options.program },
        opts,
      );
    }
    return LocalWorkspace.createOrSelectStack({ stackName, workDir: this.options.workDir! }, opts);
  }

  async preview(stackName: string): Promise<OperationReport> {
    const events: EngineEvent[] = [];
    try {
      const stack = await this.stack(stackName);
      const result = await stack.preview({
        diff: true,
        policyPacks: this.options.policyPacks,
        policyPackConfigs: this.options.policyPackConfigs,
        onEvent: (e) => events.push(e),
        onOutput: this.options.onOutput,
      });
      return { ...reportFromEvents(events), changeSummary: countsOf(result.changeSummary) };
    } catch (err) {
      return { ...reportFromEvents(events), changeSummary: {}, error: errorText(err) };
    }
  }

  async previewRefresh(stackName: string): Promise<OperationReport> {
    const events: EngineEvent[] = [];
    try {
      const stack = await this.stack(stackName);
      const result = await stack.previewRefresh({
        expectNoChanges: true,
        onEvent: (e) => events.push(e),
        onOutput: this.options.onOutput,
      });
      return { ...reportFromEvents(events), changeSummary: countsOf(result.changeSummary) };
    } catch (err) {
      return { ...reportFromEvents(events), changeSummary: {}, error: errorText(err) };
    }
  }
}
