export * from "./kagent";
export * from "./specs";
