export * from "./podSpec";
export * from "./workload";
