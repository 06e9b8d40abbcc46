import { CONFIG_NAMESPACE } from "../stacks/issues";
import { runMonitored } from "./internals";
import type { AliasRequest, InvokeRequest, MonitorHandler, ResourceRequest } from "./requests";
import { Placeholders } from "./placeholders";
import { canonical, redact } from "./redact";
import { PROJECT_ROOT, readStackFile, StackFileConfig } from "./stackFile";

export interface RecordedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
  version: string;
  pluginDownloadURL: string;
  remote: boolean;
  /** ID of an existing object the resource takes over (the `import` option); "" creates it. */
  import: string;
  /**
   * A Kubernetes object (or chart) whose provider upserts: an object that exists is updated in place
   * (`upsertExistingObjects`, pulumi/pulumi-kubernetes provider/pkg/await/await.go).
   */
  upsert: boolean;
  /**
   * URNs the resource was known by before (the `aliases` option): the engine moves the state of a resource
   * found under one of them to this URN instead of replacing it.
   */
  aliases: string[];
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  provider: string;
  /** Providers map of a component (package -> provider URN). */
  providers: Record<string, string>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: RecordedOptions;
  /** Inputs with every secret value replaced by "[secret]". */
  inputs: Record<string, unknown>;
  secretPaths: string[];
  /**
   * A digest of each secret input by path (`redact.ts` secretDigest), from which a plan diff says "changed";
   * absent in recordings made before it was added.
   */
  secretDigests?: Record<string, string>;
}

export interface RecordedInvoke {
  token: string;
  args: Record<string, unknown>;
  provider: string;
  version: string;
  pluginDownloadURL: string;
  secretPaths: string[];
}

export interface Recording {
  project: string;
  stack: string;
  resources: RecordedResource[];
  invokes: RecordedInvoke[];
  outputs: Record<string, unknown>;
  outputSecretPaths: string[];
  /** Secret placeholder values the program was given (config `secure:` values and provider outputs). */
  secretValues: string[];
}

/** The type of the root Stack resource every program runs in. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Strips the `::<id>` suffix of a provider reference. */
function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  return ref === "" || i < 0 ? ref : ref.slice(0, i);
}

/** A resource monitor that records everything the program registers and answers with placeholders. */
export class RecordingMonitor implements MonitorHandler {
  readonly resources: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  private readonly states = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly placeholders: Placeholders,
    private readonly project: string,
    private readonly stack: string,
  ) {}

  /**
   * The engine's URN of a resource: its type is qualified by the parent's full qualified type, except under
   * the root stack or without a parent (pulumi/pulumi@v3.248.0 pkg/resource/deploy/deployment.go
   * generateURN, called from step_generator.go; the Node SDK's createUrn in sdk/nodejs/resource.ts agrees).
   */
  private urnOf(parent: string, type: string, name: string): string {
    const parentType = parent === "" ? "" : parent.split("::")[2]!;
    const qualified = parentType === "" || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }

  /**
   * The URN an alias names. A spec's empty fields take the resource's own values (pulumi/pulumi@v3.248.0
   * sdk/go/common/resource/alias.go GetURN; the Node SDK fills in the resource's parent), and its URN is
   * formed by the engine's rule, as the recorded URNs are.
   */
  private aliasUrn(alias: AliasRequest, req: ResourceRequest): string {
    if ("urn" in alias) return alias.urn;
    const { spec } = alias;
    const parent = spec.noParent ? "" : spec.parentUrn || req.parent;
    const urn = this.urnOf(parent, spec.type || req.type, spec.name || req.name);
    const [, , ...rest] = urn.split("::");
    return [`urn:pulumi:${spec.stack || this.stack}`, spec.project || this.project, ...rest].join("::");
  }

  registerResource(req: ResourceRequest): { urn: string; id: string; state: Record<string, unknown> } {
    const { type, name, custom, parent } = req;
    const urn = this.urnOf(parent, type, name);
    const { value: inputs, secretPaths, secretDigests } = redact(req.object);
    const propertyDependencies = Object.fromEntries(
      Object.entries(req.propertyDependencies).map(([key, deps]) => [key, [...deps].sort()]),
    );
    const providers = Object.fromEntries(
      Object.entries(req.providers).map(([pkg, ref]) => [pkg, providerUrn(ref)]),
    );
    this.resources.push({
      urn,
      type,
      name,
      custom,
      parent,
      provider: providerUrn(req.provider),
      providers,
      dependencies: [...req.dependencies].sort(),
      propertyDependencies,
      options: {
        protect: req.protect,
        retainOnDelete: req.retainOnDelete,
        ignoreChanges: req.ignoreChanges,
        deleteBeforeReplace: req.deleteBeforeReplace,
        replaceOnChanges: req.replaceOnChanges,
        additionalSecretOutputs: req.additionalSecretOutputs,
        version: req.version,
        pluginDownloadURL: req.pluginDownloadURL,
        remote: req.remote,
        import: req.importId,
        upsert: false,
        aliases: req.aliases.map((a) => this.aliasUrn(a, req)),
      },
      inputs: inputs as Record<string, unknown>,
      secretPaths,
      secretDigests,
    });
    const state = custom
      ? { ...req.object, ...this.placeholders.resourceOutputs(type, name, req.object) }
      : {};
    this.states.set(urn, state);
    return { urn, id: custom ? this.placeholders.resourceId(type, name, req.object) : "", state };
  }

  /** Outputs of the root Stack resource, in wire format (secret flags intact). */
  stackOutputs: Record<string, unknown> = {};

  registerResourceOutputs(urn: string, outputs: Record<string, unknown>): void {
    if (urn.split("::")[2] === ROOT_STACK_TYPE) this.stackOutputs = outputs;
  }

  stateOf(urn: string): Record<string, unknown> | undefined {
    return this.states.get(urn);
  }

  invoke(req: InvokeRequest): Record<string, unknown> {
    // Invoke arguments reach the monitor without secret markers, so values handed out as secrets are
    // recognised by content; resources and outputs get no such help, so leaks there still show.
    const { value: args, secretPaths } = redact(this.placeholders.markKnownSecrets(req.args));
    this.invokes.push({
      token: req.token,
      args: args as Record<string, unknown>,
      provider: providerUrn(req.provider),
      version: req.version,
      pluginDownloadURL: req.pluginDownloadURL,
      secretPaths,
    });
    return this.placeholders.invokeResult(req.token, req.args);
  }
}

export type Program = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface RecordOptions {
  /** Project root holding Pulumi.<stack>.yaml (default: this project). */
  root?: string;
  /** The program to run (default: this project's index.ts). */
  program?: Program;
  /** Use this stack file content instead of reading Pulumi.<stack>.yaml. */
  stackFile?: StackFileConfig;
  /** Receives the monitor before the program runs (to inspect what a failed run registered). */
  onMonitor?: (monitor: RecordingMonitor) => void;
}

let running = false;

/** Runs the program for a stack under the recording monitor and returns everything it registered. */
export async function recordStack(stack: string, options: RecordOptions = {}): Promise<Recording> {
  if (running) throw new Error("recordStack is not re-entrant: the Pulumi runtime is process-global");
  running = true;
  try {
    const file = options.stackFile ?? readStackFile(stack, options.root ?? PROJECT_ROOT);
    const refs = secretRefsOf(file);
    const placeholders = new Placeholders(stack, refs);
    file.placeholders.forEach((p) => placeholders.secretValues.add(p));
    const monitor = new RecordingMonitor(placeholders, CONFIG_NAMESPACE, stack);
    options.onMonitor?.(monitor);
    await runMonitored(
      monitor,
      { project: CONFIG_NAMESPACE, stack, config: file.config, secretKeys: file.secretKeys },
      async () => await (options.program ?? loadProgram())(),
    );
    markUpserts(monitor.resources);
    const { value: cleanOutputs, secretPaths } = redact(monitor.stackOutputs);
    return {
      project: CONFIG_NAMESPACE,
      stack,
      resources: [...monitor.resources].sort((a, b) => a.urn.localeCompare(b.urn)),
      invokes: [...monitor.invokes].sort((a, b) =>
        `${a.token} ${JSON.stringify(canonical(a.args))}`.localeCompare(
          `${b.token} ${JSON.stringify(canonical(b.args))}`,
        ),
      ),
      outputs: cleanOutputs as Record<string, unknown>,
      outputSecretPaths: secretPaths,
      secretValues: [...placeholders.secretValues].sort(),
    };
  } finally {
    running = false;
  }
}

/** Kubernetes objects and charts whose provider has `upsertExistingObjects` on (a JSON-encoded input). */
function markUpserts(resources: RecordedResource[]): void {
  const upserting = new Set(
    resources
      .filter((r) => r.type === "pulumi:providers:kubernetes")
      .filter((r) => String(r.inputs["upsertExistingObjects"]) === "true")
      .map((r) => r.urn),
  );
  for (const r of resources) {
    // A helm.sh/v3 Release installs through Helm, not server-side apply.
    if (!r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm.sh/v3:")) continue;
    if (!(r.custom || r.options.remote)) continue;
    r.options.upsert = upserting.has(r.provider) || upserting.has(r.providers["kubernetes"] ?? "");
  }
}

function loadProgram(): Program {
  // Loaded lazily so that the recorder can be imported without pulling in every component.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require("../index");
  return (mod.default ?? mod) as Program;
}

function secretRefsOf(file: StackFileConfig): Record<string, string> {
  const text = file.config[`${CONFIG_NAMESPACE}:secrets`];
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
}
