import { adoptionRules } from "./adoption";
import { inClusterEndpointRules } from "./endpoints";
import { IssueList } from "./issues";
import { policyCompositionRules } from "./policyComposition";
import { routeRewriteRules } from "./routeRewrite";
import { ciliumRules, longhornRules } from "./layerRules/cluster";
import type { PartialConfig, Rule } from "./layerRules/common";
import { exposureRules } from "./layerRules/exposures";
import { llmRules } from "./layerRules/gateway";
import { kagentRules } from "./layerRules/kagent";
import { mcpRules } from "./layerRules/mcp";
import { mcpPolicyConflicts, policyRules } from "./layerRules/policies";
import { secretsResolve } from "./secretFields";
import { tenantRules } from "./layerRules/tenants";

/*
 * Cross-field rules over the parsed configuration, one module per layer (./layerRules/) plus the modules of
 * later areas. The config is partial: a layer whose structure is invalid is missing, and each rule skips when
 * a layer it needs is missing, so that structural and reference errors of different layers are all reported
 * in one run. Named cross-layer rules with one fixture each live in ./checks/.
 */
export type { PartialConfig } from "./layerRules/common";

export const rules: Rule[] = [
  secretsResolve,
  ciliumRules,
  longhornRules,
  llmRules,
  policyRules,
  mcpPolicyConflicts,
  policyCompositionRules,
  routeRewriteRules,
  mcpRules,
  kagentRules,
  inClusterEndpointRules,
  exposureRules,
  tenantRules,
  (c, issues) => adoptionRules(c, issues),
];

export function crossFieldIssues(c: PartialConfig): IssueList {
  const issues = new IssueList();
  for (const rule of rules) rule(c, issues);
  return issues;
}
