export * from "./bigipEdge";
export * from "./exposures";
export * as ltm from "./ltm";
export * from "./provider";
