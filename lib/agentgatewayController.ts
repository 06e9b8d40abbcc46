/*
 * Names the agentgateway controller chart gives its objects: the gateway layer installs the chart under them
 * and config validation keeps Gateways off them.
 */

/**
 * Helm release name of the controller chart. The chart names its Deployment, Service (the proxies' xDS
 * address) and ServiceAccount after the release (agentgateway/agentgateway@v1.4.1:controller/install/helm/
 * agentgateway/templates/_helpers.tpl agentgateway.fullname; templates/deployment.yaml AGW_XDS_SERVICE_NAME),
 * while the deployer names every Gateway's proxy Deployment, Service and ServiceAccount after the Gateway and
 * server-side-applies them with Force (controller/pkg/deployer/deployer.go applyPatch). A Gateway named like
 * the release in this namespace would overwrite the control plane; `agentgateway`, the chart's default and a
 * natural Gateway name, is therefore not used, and config validation keeps Gateways off these names
 * (rule gateway-name-taken, stacks/checks/names.ts).
 */
export const CONTROLLER_RELEASE = "agentgateway-controller";

/** The chart's `agentgateway.fullname` for a release without name overrides (truncated to 63 characters). */
export function controllerFullname(release: string): string {
  const full = release.includes("agentgateway") ? release : `${release}-agentgateway`;
  return full.slice(0, 63).replace(/-+$/, "");
}

/**
 * Every namespaced object name the controller chart v1.4.1 can render in its namespace, whatever its values:
 * Deployment, Service, ServiceAccount, PodDisruptionBudget, HorizontalPodAutoscaler, VerticalPodAutoscaler and
 * ServiceMonitor take the fullname; the proxy PodMonitor `<fullname>-proxy`; the dashboard ConfigMap
 * `<fullname>-dashboard` (controller/install/helm/agentgateway/templates/*.yaml). The ClusterRole and
 * ClusterRoleBinding are cluster-scoped.
 */
export function controllerObjectNames(release: string = CONTROLLER_RELEASE): string[] {
  const full = controllerFullname(release);
  return [full, `${full}-proxy`, `${full}-dashboard`];
}

/**
 * Labels of the controller's pods, its Deployment's selector (controller/install/helm/agentgateway/templates/
 * _helpers.tpl agentgateway.selectorLabels, the chart name as `name`). A proxy pod carries
 * `app.kubernetes.io/name: <gateway>` too, but never this instance: no Gateway takes the release's name.
 */
export function controllerPodLabels(release: string = CONTROLLER_RELEASE): Record<string, string> {
  return {
    agentgateway: "agentgateway",
    "app.kubernetes.io/name": "agentgateway",
    "app.kubernetes.io/instance": release,
  };
}
