/** Names the kagent layer gives its objects, shared by the kagent components and config validation. */

/** Helm release name; the chart names its objects `<release>-<component>` (helm/kagent/templates/_helpers.tpl). */
export const KAGENT_RELEASE = "kagent";
/**
 * Labels of the kagent controller's pods, its Deployment's selector (kagent-dev/kagent@v0.9.12:
 * helm/kagent/templates/_helpers.tpl kagent.controller.selectorLabels, templates/controller-deployment.yaml).
 */
export const KAGENT_CONTROLLER_POD_LABELS = {
  "app.kubernetes.io/name": "kagent",
  "app.kubernetes.io/instance": KAGENT_RELEASE,
  "app.kubernetes.io/component": "controller",
} as const;

/** Object name (Deployment, Service) of the Slack bot workload. */
export const SLACK_BOT_NAME = "slack-bot";

/**
 * Services the kagent layer creates in its namespace: the chart's controller and UI Services
 * (templates/controller-service.yaml, ui-service.yaml), the tools Service (subchart fullname
 * `<release>-<nameOverride: tools>`), and the Slack bot's.
 */
export function kagentServiceNames(kagent: {
  tools: { enabled: boolean };
  slackBot?: { enabled: boolean };
}): string[] {
  const names = [`${KAGENT_RELEASE}-controller`, `${KAGENT_RELEASE}-ui`];
  if (kagent.tools.enabled) names.push(`${KAGENT_RELEASE}-tools`);
  if (kagent.slackBot?.enabled) names.push(SLACK_BOT_NAME);
  return names;
}
