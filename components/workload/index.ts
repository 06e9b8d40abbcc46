export * from "./networkPolicy";
export * from "./podSpec";
export * from "./workload";
