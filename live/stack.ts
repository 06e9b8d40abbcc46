import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeConfig } from "@kubernetes/client-node";
import { recordStack, Recording } from "../recording/runtime";
import { rawConfigOf, readStackFile, StackFileConfig } from "../recording/stackFile";
import { loadPlatformConfig } from "../stacks/load";
import type { PlatformConfig } from "../stacks/schema";
import { PlannedState, plannedState } from "./plan";

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
