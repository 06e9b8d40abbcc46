export * from "./args";
export * from "./agentWorkload";
export * from "./model";
export * from "./policy";
export * from "./tenant";
