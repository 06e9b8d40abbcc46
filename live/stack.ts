import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeConfig } from "@kubernetes/client-node";
import { recordStack, Recording } from "../recording/runtime";
import { PROJECT_ROOT, rawConfigOf, readStackFile, StackFileConfig } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";
import { loadPlatformConfig } from "../stacks/load";
import type { PlatformConfig } from "../stacks/schema";
import { opRead } from "./credentials";
import { PlannedState, plannedState } from "./plan";
import type { Collectors } from "./snapshot";

/** A stack as the snapshot and preflight commands see it: config, the offline plan's recording, its plan. */
export interface LoadedStack {
  config: PlatformConfig;
  recording: Recording;
  plan: PlannedState;
}

/** Validates the stack's config (throwing every problem at once) and records the program for it. */
export async function loadStack(
  stack: string,
  root: string,
  stackFile?: StackFileConfig,
): Promise<LoadedStack> {
  const file = stackFile ?? readStackFile(stack, root);
  const config = loadPlatformConfig(rawConfigOf(file));
  const recording = await recordStack(stack, { root, stackFile: file });
  return { config, recording, plan: plannedState(recording) };
}

/**
 * For the commands: the stack under PLAN_STACK_ROOT (default this project), or undefined after printing every
 * config error.
 */
export async function loadStackOrReport(stack: string): Promise<LoadedStack | undefined> {
  try {
    return await loadStack(stack, process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT);
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    console.error(`${stack}: ${err.message}`);
    return undefined;
  }
}

/** The operator's own credentials and tools, with one indented progress line per source. */
export function operatorCollectors(): Collectors {
  return {
    kubeconfig: () => operatorKubeconfig(),
    env: process.env,
    op: opRead,
    log: (line) => console.log(`  ${line}`),
  };
}

/**
 * The operator's kubeconfig: KUBECONFIG, else ~/.kube/config. Unlike client-node's loadFromDefault, no
 * fallback to in-cluster or localhost credentials: without a kubeconfig the source fails.
 */
export function operatorKubeconfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const files = (env["KUBECONFIG"] ?? path.join(os.homedir(), ".kube", "config"))
    .split(path.delimiter)
    .filter((f) => f !== "" && fs.existsSync(f));
  if (files.length === 0) throw new Error("no kubeconfig: set KUBECONFIG or write ~/.kube/config");
  const kc = new KubeConfig();
  kc.loadFromFile(files[0]!);
  for (const file of files.slice(1)) {
    const more = new KubeConfig();
    more.loadFromFile(file);
    kc.mergeConfig(more, true);
  }
  return kc;
}
