/** The provider bindings the program uses: which resources and functions to generate, and where. */
export interface BindingSpec {
  /** Key of the plugin pin in lib/versions.ts `plugins`, and the schema's package name. */
  plugin: "talos" | "f5bigip";
  /** Folder of the generated files, relative to the project root. */
  dir: string;
  /** Resource tokens the program registers. */
  resources: string[];
  /** Function tokens the program invokes (generated in their Output form). */
  functions: string[];
  /** An explicit provider class, when the program configures the provider itself. */
  provider?: {
    className: string;
    /**
     * Inputs registered secret and listed, in this order, as additional secret outputs. The schema is the
     * default; list them here when the program needs more.
     */
    secretInputs: string[];
    /** Inputs the program must always set (the schema makes every provider input optional). */
    requiredInputs: string[];
  };
  /** Write an index.ts exporting each module as the upstream SDK's namespace. */
  index: boolean;
}

export const BINDINGS: BindingSpec[] = [
  {
    plugin: "talos",
    dir: "components/talos",
    resources: [
      "talos:machine/secrets:Secrets",
      "talos:machine/configurationApply:ConfigurationApply",
      "talos:machine/bootstrap:Bootstrap",
      "talos:cluster/kubeconfig:Kubeconfig",
      "talos:imageFactory/schematic:Schematic",
    ],
    functions: [
      "talos:machine/getConfiguration:getConfiguration",
      "talos:client/getConfiguration:getConfiguration",
      "talos:imageFactory/getUrls:getUrls",
    ],
    index: true,
  },
  {
    plugin: "f5bigip",
    dir: "components/f5",
    resources: [
      "f5bigip:ltm/node:Node",
      "f5bigip:ltm/pool:Pool",
      "f5bigip:ltm/poolAttachment:PoolAttachment",
      "f5bigip:ltm/monitor:Monitor",
      "f5bigip:ltm/virtualServer:VirtualServer",
    ],
    functions: [],
    provider: {
      className: "BigipProvider",
      // The schema marks none of the management credentials secret; they come from secret references.
      secretInputs: ["address", "username", "password"],
      // validateCertsDisable defaults to true upstream (verification off): the stack config states it.
      requiredInputs: ["address", "username", "password", "validateCertsDisable"],
    },
    index: false,
  },
];
