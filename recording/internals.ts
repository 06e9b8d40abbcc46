/**
 * Pulumi Node.js runtime internals the recording monitor needs. They exist at runtime in
 * @pulumi/pulumi 3.248 (runtime/settings.js, runtime/state.js) but are marked @internal in its typings.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
interface RuntimeStore {
  supportsSecrets: boolean;
  supportsResourceReferences: boolean;
  supportsOutputValues: boolean;
  supportsDeletedWith: boolean;
  supportsAliasSpecs: boolean;
  supportsParameterization: boolean;
}

export const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
  getStack(): string;
  getProject(): string;
};

export const runtimeState = require("@pulumi/pulumi/runtime/state") as { getStore(): RuntimeStore };

/** Generated protobuf message classes (untyped CommonJS modules). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const resproto: any = require("@pulumi/pulumi/proto/resource_pb");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const provproto: any = require("@pulumi/pulumi/proto/provider_pb");
