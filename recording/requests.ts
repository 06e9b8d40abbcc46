/*
 * The requests the recording monitor decodes from Pulumi's resource-monitor protocol (recording/internals.ts),
 * as plain values: what the recorder (recording/runtime.ts) implements and reads.
 */

/** A resource registration, decoded from RegisterResourceRequest. */
export interface ResourceRequest {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** Inputs in wire format. */
  object: Record<string, unknown>;
  /** Provider reference (`<urn>::<id>`), empty when none. */
  provider: string;
  /** Providers map of a component (package -> provider reference). */
  providers: Record<string, string>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
  version: string;
  pluginDownloadURL: string;
  remote: boolean;
  /** ID of an existing object to take over (the `import` option), "" when none. */
  importId: string;
  /** The `aliases` option: earlier identities of the resource, as a URN or as a partial spec. */
  aliases: AliasRequest[];
}

/**
 * One alias as the SDK sends it (proto/alias_pb Alias): a full URN, or a spec whose empty fields default to
 * the resource's own name, type, stack, project and parent (`noParent`: it had none).
 */
export type AliasRequest =
  | { urn: string }
  | {
      spec: {
        name: string;
        type: string;
        stack: string;
        project: string;
        parentUrn: string;
        noParent: boolean;
      };
    };

/** A provider function call, decoded from ResourceInvokeRequest. */
export interface InvokeRequest {
  token: string;
  /** Arguments in wire format. */
  args: Record<string, unknown>;
  provider: string;
  version: string;
  pluginDownloadURL: string;
}

/** What the recorder implements; recording/internals.ts speaks the monitor protocol for it. */
export interface MonitorHandler {
  /** Returns the resource's URN, ID ("" for components) and output state in wire format. */
  registerResource(req: ResourceRequest): { urn: string; id: string; state: Record<string, unknown> };
  registerResourceOutputs(urn: string, outputs: Record<string, unknown>): void;
  /** Output state of a registered resource, for rehydrating resource references. */
  stateOf(urn: string): Record<string, unknown> | undefined;
  invoke(req: InvokeRequest): Record<string, unknown>;
}
