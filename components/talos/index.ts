/** Typed bindings of the talos 0.8.1 provider, grouped as the upstream SDK's namespaces. */
export * as client from "./client";
export * as cluster from "./cluster";
export * as imagefactory from "./imageFactory";
export * as machine from "./machine";
export * from "./types";
