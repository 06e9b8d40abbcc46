import * as k8s from "@pulumi/kubernetes";
import type { Layer } from "../../lib/layers";
import { crdBundles } from "../../lib/versions";
import { buildPlatform } from "../../platform";
import { Program, recordStack, Recording, RecordedResource } from "../../recording/runtime";
import { fromStackDocument } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import { SecretResolver } from "../../stacks/secrets";
import { RawConfig, stackFileOf } from "./builders";
import { applyFixture, ConfigFixture } from "./fixtures";

const stackCache = new Map<string, Promise<Recording>>();

/** The recording of a whole stack (Pulumi.<stack>.yaml through index.ts), shared by every test file. */
export function recordedStack(stack: string): Promise<Recording> {
  let recording = stackCache.get(stack);
  if (recording === undefined) {
    recording = recordStack(stack);
    stackCache.set(stack, recording);
  }
  return recording;
}

/** Records a program that builds one component, with the given config entries (namespace optional). */
export async function recordProgram(
  program: Program,
  config: Record<string, unknown> = {},
  stack = "test",
): Promise<Recording> {
  await Promise.all(stackCache.values()).catch(() => undefined);
  return recordStack(stack, { program, stackFile: fromStackDocument(stack, config) });
}

export function byType(recording: Recording, type: string): RecordedResource[] {
  return recording.resources.filter((r) => r.type === type);
}

export function one(recording: Recording, type: string, name: string): RecordedResource {
  const found = recording.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = byType(recording, type).map((r) => r.name);
    throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`);
  }
  return found[0]!;
}

/** Resources whose parent chain reaches `ancestor`. */
export function descendantsOf(recording: Recording, ancestor: RecordedResource): RecordedResource[] {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  return recording.resources.filter((r) => {
    for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? "") if (p === ancestor.urn) return true;
    return false;
  });
}

/** Records the real program (index.ts) for a stack file edited like a config fixture (`set`, `delete`, ...). */
export async function recordVariant(edits: Omit<ConfigFixture, "file" | "description">): Promise<Recording> {
  await Promise.all(stackCache.values()).catch(() => undefined);
  return recordStack(edits.base, {
    stackFile: applyFixture({ file: "variant.yaml", description: "", ...edits }),
  });
}

/**
 * Records the composition (platform.ts) for a builder config as the `test` stack, as index.ts runs it:
 * config read from the stack, secrets from its declarations. `layers` narrows the build; without the cluster
 * layer a stand-in Kubernetes provider and Gateway API CRD bundle take its place.
 */
export async function recordPlatform(raw: RawConfig, layers?: readonly Layer[]): Promise<Recording> {
  await Promise.all(stackCache.values()).catch(() => undefined);
  const program = () => {
    const config = loadPlatformConfig();
    const standIn = () => {
      const provider = new k8s.Provider("cluster", {});
      const gatewayApiCrds = new k8s.yaml.v2.ConfigFile(
        "gateway-api-crds",
        { file: crdBundles.gatewayApi.url },
        { provider },
      );
      return { kubernetesProvider: provider, gatewayApiCrds };
    };
    const cluster = layers === undefined || layers.includes("cluster") ? undefined : standIn();
    return buildPlatform(config, { secrets: new SecretResolver(config.secrets), cluster }, { layers });
  };
  return recordStack("test", { program, stackFile: stackFileOf(raw) });
}
