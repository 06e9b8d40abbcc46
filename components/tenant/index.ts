export * from "./agentWorkload";
export * from "./model";
export * from "./policy";
export * from "./quantity";
export * from "./tenant";
