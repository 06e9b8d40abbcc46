import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { AliasRequest, MonitorHandler } from "./requests";

/*
 * Every contact of the recording runtime with Pulumi's Node.js runtime internals. The resource-monitor
 * protocol (generated protobuf classes under proto/), the process-global mock hook (runtime/settings.js
 * setMockOptions, runtime/state.js feature flags) and the program entry point (runtime/stack.js
 * runInPulumiStack) are not public API and change between releases, so this module refuses to run on any
 * @pulumi/pulumi but the one it was written against. The rest of recording/ sees plain requests and values.
 */

/** The @pulumi/pulumi release whose internals this file was written against (package.json pins it). */
export const SUPPORTED_PULUMI_VERSION = "3.248.0";

/** Throws unless `installed` is the release this module was written against. */
export function checkPulumiVersion(installed: string): void {
  if (installed === SUPPORTED_PULUMI_VERSION) return;
  throw new Error(
    `recording runtime: written for @pulumi/pulumi ${SUPPORTED_PULUMI_VERSION} internals, but ${installed} is ` +
      `installed. Check recording/internals.ts against the new release (proto/resource_pb, proto/provider_pb, ` +
      `runtime/settings setMockOptions, runtime/state getStore, runtime/stack runInPulumiStack, runtime/callbacks ` +
      `and proto/callback_pb for transforms, runtime/debuggable debuggablePromise and resource.js ` +
      `Resource.callsites for the stack traces it skips), then update ` +
      `SUPPORTED_PULUMI_VERSION.`,
  );
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
checkPulumiVersion((require("@pulumi/pulumi/package.json") as { version: string }).version);

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- untyped CommonJS internals */
const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};
const state = require("@pulumi/pulumi/runtime/state") as {
  getStore(): {
    supportsSecrets: boolean;
    supportsResourceReferences: boolean;
    supportsOutputValues: boolean;
    supportsDeletedWith: boolean;
    supportsAliasSpecs: boolean;
    supportsParameterization: boolean;
    supportsTransforms: boolean;
    /** The SDK's callback server (runtime/callbacks.js), created when the program registers a transform. */
    callbacks?: { shutdown(): void };
  };
};
const resproto: any = require("@pulumi/pulumi/proto/resource_pb");
const provproto: any = require("@pulumi/pulumi/proto/provider_pb");
const callbackproto: any = require("@pulumi/pulumi/proto/callback_pb");
const callbackrpc: any = require("@pulumi/pulumi/proto/callback_grpc_pb");
/** The gRPC library the SDK's callback server runs on (a dependency of @pulumi/pulumi). */
const grpc: any = require("@grpc/grpc-js");

/** Property values arrive in Pulumi's RPC encoding: secrets, resource references and unknowns are marked. */
export const wire = {
  sigKey: pulumi.runtime.specialSigKey,
  secretSig: pulumi.runtime.specialSecretSig,
  resourceSig: pulumi.runtime.specialResourceSig,
  unknown: pulumi.runtime.unknownValue,
} as const;

/** Structured aliases (monitors that support alias specs, as this one does), else the SDK's computed URNs. */
function aliasesOf(req: any): AliasRequest[] {
  const structured: AliasRequest[] = req.getAliasesList().map((a: any) => {
    const spec = a.getSpec();
    if (spec === undefined) return { urn: a.getUrn() };
    return {
      spec: {
        name: spec.getName(),
        type: spec.getType(),
        stack: spec.getStack(),
        project: spec.getProject(),
        parentUrn: spec.getParenturn(),
        noParent: spec.getNoparent() === true,
      },
    };
  });
  return [...structured, ...req.getAliasurnsList().map((urn: string) => ({ urn }))];
}

function structToJs(struct: any): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

function fromJs(value: Record<string, unknown>): any {
  return Struct.fromJavaScript(value as any);
}

type Callback = (err: any, resp?: any) => void;

/** A transform the program registered: the SDK's callback server address and the callback's token. */
interface TransformCallback {
  target: string;
  token: string;
}

function ownTransforms(req: any): TransformCallback[] {
  return req.getTransformsList().map((c: any) => ({ target: c.getTarget(), token: c.getToken() }));
}

/** The options of a RegisterResourceRequest in the form the engine hands them to transforms. */
function transformOptionsOf(req: any): any {
  const opts = new resproto.TransformResourceOptions();
  opts.setDependsOnList(req.getDependenciesList());
  opts.setProtect(req.getProtect());
  opts.setIgnoreChangesList(req.getIgnorechangesList());
  opts.setReplaceOnChangesList(req.getReplaceonchangesList());
  opts.setVersion(req.getVersion());
  opts.setProvider(req.getProvider());
  opts.setPluginDownloadUrl(req.getPlugindownloadurl());
  opts.setRetainOnDelete(req.getRetainondelete());
  opts.setDeletedWith(req.getDeletedwith());
  opts.setDeleteBeforeReplace(req.getDeletebeforereplace());
  opts.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
  opts.setImport(req.getImportid());
  if (req.getCustomtimeouts() !== undefined) opts.setCustomTimeouts(req.getCustomtimeouts());
  const providers = opts.getProvidersMap();
  req.getProvidersMap().forEach((ref: string, pkg: string) => providers.set(pkg, ref));
  return opts;
}

/**
 * Runs transforms as the engine does before it registers any resource, providers included
 * (pulumi/pulumi@v3.248.0 pkg/resource/deploy/source_eval.go RegisterResource): the resource's own
 * transforms, then its ancestors', then the stack's, each getting the previous one's result, by calling the
 * SDK's callback server (runtime/callbacks.js) over loopback.
 */
class TransformRunner {
  private readonly stackTransforms: TransformCallback[] = [];
  private readonly clients = new Map<string, any>();
  /** Each registered resource's own transforms and parent, for its children's registrations. */
  private readonly registered = new Map<string, { parent: string; own: TransformCallback[] }>();

  addStackTransform(callback: TransformCallback): void {
    this.stackTransforms.push(callback);
  }

  /** The resource's properties (a protobuf Struct) and TransformResourceOptions after every transform. */
  async run(req: any): Promise<{ properties: any; options: any }> {
    let current = { properties: req.getObject(), options: transformOptionsOf(req) };
    const chain: TransformCallback[] = [...ownTransforms(req)];
    for (let p = this.registered.get(req.getParent()); p !== undefined; p = this.registered.get(p.parent))
      chain.push(...p.own);
    for (const callback of [...chain, ...this.stackTransforms]) {
      const request = new resproto.TransformRequest();
      request.setType(req.getType());
      request.setName(req.getName());
      request.setCustom(req.getCustom());
      request.setParent(req.getParent());
      if (current.properties !== undefined) request.setProperties(current.properties);
      request.setOptions(current.options);
      const response = resproto.TransformResponse.deserializeBinary(
        await this.invoke(callback, request.serializeBinary()),
      );
      current = {
        properties: response.getProperties() ?? current.properties,
        options: response.getOptions() ?? current.options,
      };
    }
    return current;
  }

  remember(urn: string, req: any): void {
    this.registered.set(urn, { parent: req.getParent(), own: ownTransforms(req) });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private invoke(callback: TransformCallback, bytes: Uint8Array): Promise<Uint8Array> {
    let client = this.clients.get(callback.target);
    if (client === undefined) {
      client = new callbackrpc.CallbacksClient(callback.target, grpc.credentials.createInsecure());
      this.clients.set(callback.target, client);
    }
    const request = new callbackproto.CallbackInvokeRequest();
    request.setToken(callback.token);
    request.setRequest(bytes);
    return new Promise((resolve, reject) =>
      client.invoke(request, (err: any, resp: any) => (err ? reject(err) : resolve(resp.getResponse_asU8()))),
    );
  }
}

/** The monitor object the runtime's mock hook calls, one method per resource-monitor RPC. */
function monitorFor(handler: MonitorHandler, transforms: TransformRunner) {
  const guard = (callback: Callback, respond: () => any) => {
    try {
      callback(null, respond());
    } catch (err) {
      callback(err);
    }
  };
  /** Registers a resource with the properties and options its transforms produced. */
  const registerTransformed = (req: any, object: any, opts: any, callback: Callback): void => {
    guard(callback, () => {
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = [...deps.getUrnsList()];
      });
      const providers: Record<string, string> = {};
      opts.getProvidersMap().forEach((ref: string, pkg: string) => {
        providers[pkg] = ref;
      });
      const result = handler.registerResource({
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent(),
        object: structToJs(object),
        provider: opts.getProvider(),
        providers,
        dependencies: [...opts.getDependsOnList()],
        propertyDependencies,
        protect: opts.getProtect() === true,
        retainOnDelete: opts.getRetainOnDelete() === true,
        ignoreChanges: [...opts.getIgnoreChangesList()],
        deleteBeforeReplace: opts.getDeleteBeforeReplace() === true,
        replaceOnChanges: [...opts.getReplaceOnChangesList()],
        additionalSecretOutputs: [...opts.getAdditionalSecretOutputsList()],
        version: opts.getVersion(),
        pluginDownloadURL: opts.getPluginDownloadUrl(),
        remote: req.getRemote() === true,
        importId: opts.getImport(),
        aliases: aliasesOf(req),
      });
      transforms.remember(result.urn, req);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(result.urn);
      response.setId(result.id);
      response.setObject(fromJs(result.state));
      return response;
    });
  };
  return {
    registerResource(req: any, callback: Callback): void {
      transforms.run(req).then(
        (t) => registerTransformed(req, t.properties, t.options, callback),
        (err) => callback(err),
      );
    },
    registerResourceOutputs(req: any, callback: Callback): void {
      guard(callback, () => {
        handler.registerResourceOutputs(req.getUrn(), structToJs(req.getOutputs()));
        return {};
      });
    },
    readResource(req: any, callback: Callback): void {
      callback(
        new Error(`read of existing resource ${req.getType()} ${req.getName()} is not supported offline`),
      );
    },
    invoke(req: any, callback: Callback): void {
      guard(callback, () => {
        const token: string = req.getTok();
        const args = structToJs(req.getArgs());
        const response = new provproto.InvokeResponse();
        if (token === "pulumi:pulumi:getResource") {
          // The runtime's own function behind resource references (sdk/nodejs/runtime/resource.ts).
          const urn = String(args["urn"]);
          response.setReturn(fromJs({ urn, id: `${urn}-id`, state: handler.stateOf(urn) ?? {} }));
        } else {
          response.setReturn(
            fromJs(
              handler.invoke({
                token,
                args,
                provider: req.getProvider(),
                version: req.getVersion(),
                pluginDownloadURL: req.getPlugindownloadurl(),
              }),
            ),
          );
        }
        return response;
      });
    },
    call(req: any, callback: Callback): void {
      callback(new Error(`provider method ${req.getTok()} is not supported offline`));
    },
    supportsFeature(req: any, callback: Callback): void {
      // Output values are off, as in Pulumi's own mock monitor: inputs then arrive fully resolved.
      const id: string = req.getId();
      callback(null, { getHassupport: () => id !== "outputValues" });
    },
    registerPackage(_req: any, callback: Callback): void {
      const response = new resproto.RegisterPackageResponse();
      response.setRef("recording-package");
      callback(null, response);
    },
    registerStackTransform(req: any, callback: Callback): void {
      transforms.addStackTransform({ target: req.getTarget(), token: req.getToken() });
      callback(null, {});
    },
  };
}
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/**
 * Functions whose stack traces the SDK captures but the recording never reads: runtime/debuggable.js
 * debuggablePromise takes one for every promise it tracks (shown only in its leak report) and resource.js
 * Resource.callsites one for every resource (the registration's source position, which the monitor drops).
 * Formatting them (about 8,500 for rooster) costs a plan about 0.1 s of CPU time.
 */
const UNREAD_TRACES = new Set(["debuggablePromise", "callsites"]);

/**
 * Formats the unread traces as a bare "Error" (Resource.callsites then finds no frames: no source position)
 * until the returned function is called; every other trace is formatted as before. Left alone when Node
 * maps positions through source maps, a formatting this hook could not reproduce.
 */
function skipUnreadTraces(): () => void {
  const previous = Error.prepareStackTrace;
  if (previous === undefined && process.sourceMapsEnabled) return () => undefined;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (UNREAD_TRACES.has(frames[0]?.getFunctionName() ?? "")) return "Error";
    if (previous !== undefined) return previous(error, frames) as unknown;
    // Node's own format (node:internal/errors defaultPrepareStackTrace).
    const header = Error.prototype.toString.call(error);
    return frames.length === 0 ? header : `${header}\n    at ${frames.join("\n    at ")}`;
  };
  return () => {
    Error.prepareStackTrace = previous;
  };
}

export interface MonitoredRun {
  project: string;
  stack: string;
  /** Engine-format config: full keys to strings. */
  config: Record<string, string>;
  secretKeys: string[];
}

/**
 * Installs `handler` as the process-global resource monitor (no engine, no preview), sets the stack config,
 * runs `program` as the root Stack resource and waits until every registration has been answered.
 */
export async function runMonitored(
  handler: MonitorHandler,
  run: MonitoredRun,
  program: () => Promise<Record<string, unknown> | void>,
): Promise<void> {
  const transforms = new TransformRunner();
  settings.setMockOptions(monitorFor(handler, transforms), run.project, run.stack, false);
  const store = state.getStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;
  store.supportsParameterization = true;
  store.supportsTransforms = true;
  const restoreTraces = skipUnreadTraces();
  try {
    pulumi.runtime.setAllConfig(run.config, run.secretKeys);
    await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {});
    await settings.waitForRPCs();
  } finally {
    restoreTraces();
    transforms.close();
    store.callbacks?.shutdown();
  }
}
