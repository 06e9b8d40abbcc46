import type { RecordedOptions, RecordedResource, Recording } from "../../recording/runtime";

/*
 * Small hand-made recordings for the plan's readers (summary, diff): resources under one component, each with
 * the inputs a test gives. URNs follow the engine's form so that the readers parse them as they parse real ones.
 */

export const STACK_URN = "urn:pulumi:test::ai-platform::pulumi:pulumi:Stack::ai-platform-test";

const defaults: RecordedOptions = {
  protect: false,
  retainOnDelete: false,
  ignoreChanges: [],
  deleteBeforeReplace: false,
  replaceOnChanges: [],
  additionalSecretOutputs: [],
  version: "",
  pluginDownloadURL: "",
  remote: false,
  import: "",
  upsert: false,
  aliases: [],
};

/** A component `platform:<layer>:<Type>` under the stack. */
export function component(layer: string, type: string, name: string): RecordedResource {
  return resource(`platform:${layer}:${type}`, name, {}, { custom: false });
}

/** A resource; custom unless said otherwise, parented to `parent` (default the stack). */
export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<Omit<RecordedResource, "options">> & { options?: Partial<RecordedOptions> } = {},
): RecordedResource {
  const parent = extra.parent ?? STACK_URN;
  const parentType = parent === STACK_URN ? "" : parent.split("::")[2]!;
  const qualified = parentType === "" ? type : `${parentType}$${type}`;
  return {
    urn: `urn:pulumi:test::ai-platform::${qualified}::${name}`,
    type,
    name,
    custom: true,
    parent,
    provider: "",
    providers: {},
    dependencies: [],
    propertyDependencies: {},
    inputs,
    secretPaths: [],
    ...extra,
    options: { ...defaults, ...extra.options },
  };
}

/** A Kubernetes object as the SDK registers it (`kubernetes:<group/version>:<Kind>`). */
export function k8s(
  apiVersion: string,
  kind: string,
  name: string,
  body: Record<string, unknown>,
  extra: Parameters<typeof resource>[3] = {},
): RecordedResource {
  const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return resource(
    `kubernetes:${group}:${kind}`,
    extra.name ?? name,
    { apiVersion, kind, metadata: { name, namespace: "ns" }, ...body },
    { ...extra, options: { version: "4.34.2", ...extra.options } },
  );
}

export function recordingOf(resources: RecordedResource[], outputs: Record<string, unknown> = {}): Recording {
  const root = resource("pulumi:pulumi:Stack", "ai-platform-test", {}, { custom: false, parent: "" });
  return {
    project: "ai-platform",
    stack: "test",
    resources: [root, ...resources].sort((a, b) => a.urn.localeCompare(b.urn)),
    invokes: [],
    outputs,
    outputSecretPaths: [],
    secretValues: [],
  };
}
