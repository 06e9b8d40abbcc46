export * from "./kagent";
export * from "./specs";
export { agentRouteLabels, agentsOverviewDashboard, KAGENT_METRICS_DROP } from "./telemetry";
