export * from "./kagent";
export * from "./specs";
export { agentAlertRules } from "./alerts";
export { agentRouteLabels, agentsOverviewDashboard, KAGENT_METRICS_DROP } from "./telemetry";
