import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { CONFIG_NAMESPACE } from "../stacks/issues";
import { provproto, resproto, runtimeSettings as settings, runtimeState as state } from "./internals";
import { Placeholders } from "./placeholders";
import { canonical, redact } from "./redact";
import { PROJECT_ROOT, readStackFile, StackFileConfig } from "./stackFile";

/* eslint-disable @typescript-eslint/no-explicit-any -- the monitor speaks the untyped generated protobuf API */

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

/** Strips the `::<id>` suffix of a provider reference. */
function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  return ref === "" || i < 0 ? ref : ref.slice(0, i);
}

function structToJs(struct: any): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

/** A resource monitor that records everything the program registers and answers with placeholders. */
export class RecordingMonitor {
  readonly resources: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  private readonly states = new Map<string, Record<string, unknown>>();

  constructor(private readonly placeholders: Placeholders) {}

  private urnOf(parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
      const parentType = parent.split("::")[2]!.split("$").pop();
      qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${settings.getStack()}::${settings.getProject()}::${qualified}::${name}`;
  }

  registerResource(req: any, callback: (err: any, resp?: any) => void): void {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const custom: boolean = req.getCustom();
      const parent: string = req.getParent();
      const urn =
        type === "pulumi:pulumi:Stack" ? this.urnOf("", type, name) : this.urnOf(parent, type, name);
      const rawInputs = structToJs(req.getObject());
      const { value: inputs, secretPaths } = redact(rawInputs);
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = [...deps.getUrnsList()].sort();
      });
      const providers: Record<string, string> = {};
      req.getProvidersMap().forEach((ref: string, pkg: string) => {
        providers[pkg] = providerUrn(ref);
      });
      this.resources.push({
        urn,
        type,
        name,
        custom,
        parent,
        provider: providerUrn(req.getProvider()),
        providers,
        dependencies: [...req.getDependenciesList()].sort(),
        propertyDependencies,
        options: {
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          ignoreChanges: [...req.getIgnorechangesList()],
          deleteBeforeReplace: req.getDeletebeforereplace() === true,
          replaceOnChanges: [...req.getReplaceonchangesList()],
          additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
          version: req.getVersion(),
          pluginDownloadURL: req.getPlugindownloadurl(),
          remote: req.getRemote() === true,
        },
        inputs: inputs as Record<string, unknown>,
        secretPaths,
      });
      const id = custom ? `${name}-id` : "";
      const outputs = custom
        ? { ...rawInputs, ...this.placeholders.resourceOutputs(type, name, rawInputs) }
        : {};
      this.states.set(urn, outputs);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id);
      response.setObject(Struct.fromJavaScript(outputs as any));
      callback(null, response);
    } catch (err) {
      callback(err);
    }
  }

  /** Outputs of the root Stack resource, in wire format (secret flags intact). */
  stackOutputs: Record<string, unknown> = {};

  registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
    const urn: string = req.getUrn();
    if (urn.split("::")[2] === "pulumi:pulumi:Stack") this.stackOutputs = structToJs(req.getOutputs());
    callback(null, {});
  }

  readResource(req: any, callback: (err: any, resp?: any) => void): void {
    callback(
      new Error(`read of existing resource ${req.getType()} ${req.getName()} is not supported offline`),
    );
  }

  invoke(req: any, callback: (err: any, resp?: any) => void): void {
    try {
      const token: string = req.getTok();
      const rawArgs = structToJs(req.getArgs());
      if (token === "pulumi:pulumi:getResource") {
        const urn = String(rawArgs["urn"]);
        const response = new provproto.InvokeResponse();
        response.setReturn(
          Struct.fromJavaScript({ urn, id: `${urn}-id`, state: (this.states.get(urn) ?? {}) as any }),
        );
        callback(null, response);
        return;
      }
      // Invoke arguments reach the monitor without secret markers, so values handed out as secrets are
      // recognised by content; resources and outputs get no such help, so leaks there still show.
      const { value: args, secretPaths } = redact(this.placeholders.markKnownSecrets(rawArgs));
      this.invokes.push({
        token,
        args: args as Record<string, unknown>,
        provider: providerUrn(req.getProvider()),
        version: req.getVersion(),
        pluginDownloadURL: req.getPlugindownloadurl(),
        secretPaths,
      });
      const response = new provproto.InvokeResponse();
      response.setReturn(Struct.fromJavaScript(this.placeholders.invokeResult(token, rawArgs) as any));
      callback(null, response);
    } catch (err) {
      callback(err);
    }
  }

  call(req: any, callback: (err: any, resp?: any) => void): void {
    callback(new Error(`provider method ${req.getTok()} is not supported offline`));
  }

  supportsFeature(req: any, callback: (err: any, resp?: any) => void): void {
    // Output values are off, as in Pulumi's own mock monitor: inputs then arrive fully resolved.
    const id: string = req.getId();
    callback(null, { getHassupport: () => id !== "outputValues" && id !== "transforms" });
  }

  registerPackage(_req: any, callback: (err: any, resp?: any) => void): void {
    const response = new resproto.RegisterPackageResponse();
    response.setRef("recording-package");
    callback(null, response);
  }

  registerStackTransform(_req: any, callback: (err: any, resp?: any) => void): void {
    callback(null, {});
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

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
    const monitor = new RecordingMonitor(placeholders);
    options.onMonitor?.(monitor);
    settings.setMockOptions(monitor, CONFIG_NAMESPACE, stack, false);
    const store = state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
    store.supportsParameterization = true;
    pulumi.runtime.setAllConfig(file.config, file.secretKeys);
    const program = options.program ?? loadProgram();
    await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {});
    await settings.waitForRPCs();
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
