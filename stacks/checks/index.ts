import { IssueList } from "../issues";
import type { PartialConfig } from "../rules";
import { buildIndex, ConfigIndex } from "./configIndex";
import { addressRules } from "./addresses";
import { gatewayClientRules } from "./gatewayClients";
import { layerRules } from "./layers";
import { nameRules } from "./names";
import { operationRules } from "./operations";
import { secretRefRules } from "./secretRefs";
import { talosPatchRules } from "./talosPatches";
import { networkArithmeticRules } from "./networkArithmetic";

/**
 * A named cross-field rule. The id is also the name of the invalid-config fixture that shows it failing
 * (tests/fixtures/config/invalid/<id>.yaml), so every rule has a test and every message an example.
 */
export interface CrossRule {
  id: string;
  check(index: ConfigIndex, issues: IssueList): void;
}

export const crossRules: readonly CrossRule[] = [
  ...addressRules,
  ...nameRules,
  ...operationRules,
  ...layerRules,
  ...gatewayClientRules,
  ...secretRefRules,
  ...talosPatchRules,
  ...networkArithmeticRules,
];

/** Runs every named rule over one index of the (partial) config. */
export function crossRuleIssues(config: PartialConfig): IssueList {
  const issues = new IssueList();
  const index = buildIndex(config);
  for (const rule of crossRules) rule.check(index, issues);
  return issues;
}
