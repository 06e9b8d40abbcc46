import { CONTROLLER_RELEASE, controllerObjectNames } from "../lib/agentgatewayController";
import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";

/**
 * No Gateway takes the name of an object the agentgateway controller chart creates in its namespace (the
 * Gateways' namespace): the deployer force-applies the proxy Deployment, Service and ServiceAccount under the
 * Gateway's name (agentgateway/agentgateway@v1.4.1:controller/pkg/deployer/deployer.go applyPatch,
 * controller/pkg/deployer/agentgateway_parameters.go), which would overwrite the controller's own objects
 * and its xDS Service.
 */
export function controllerNameRules(c: PartialConfig, issues: IssueList): void {
  const agw = c.agentgateway;
  if (agw === undefined || !agw.enabled) return;
  const reserved = controllerObjectNames();
  agw.gateways.forEach((g, i) => {
    if (reserved.includes(g.name))
      issues.add(
        `agentgateway.gateways[${i}].name`,
        `Gateway "${g.name}" has the name of an object of the agentgateway controller (release "${CONTROLLER_RELEASE}") in namespace "${agw.namespace}"; its proxy objects would overwrite the controller's`,
        `pick another name (reserved: ${reserved.join(", ")})`,
      );
  });
}
