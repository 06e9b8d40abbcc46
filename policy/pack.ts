import type {
  EnforcementLevel,
  PolicyPackArgs,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_POLICY_CONFIG, PolicyConfig, PolicySubject, RESOURCE_RULES, STACK_RULES } from "./rules";

/** Environment variable that sets the pack-wide enforcement level (advisory, mandatory or disabled). */
export const ENFORCEMENT_ENV = "PLATFORM_POLICY_ENFORCEMENT";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled"];

/** The pack-wide enforcement level: the environment's choice, else mandatory. Per-policy levels come from `--policy-pack-config`. */
export function enforcementLevelFrom(env: Record<string, string | undefined>): EnforcementLevel {
  const value = env[ENFORCEMENT_ENV];
  if (value === undefined || value === "") return "mandatory";
  if (!(LEVELS as string[]).includes(value))
    throw new Error(`${ENFORCEMENT_ENV} must be one of ${LEVELS.join(", ")}, got "${value}"`);
  return value as EnforcementLevel;
}

const configSchema = {
  properties: {
    requiredLabels: {
      type: "array" as const,
      items: { type: "string" as const },
      default: DEFAULT_POLICY_CONFIG.requiredLabels,
    },
    requiredPodLabels: {
      type: "array" as const,
      items: { type: "string" as const },
      default: DEFAULT_POLICY_CONFIG.requiredPodLabels,
    },
  },
};

function configFrom(raw: Partial<PolicyConfig> | undefined): PolicyConfig {
  return {
    requiredLabels: raw?.requiredLabels ?? DEFAULT_POLICY_CONFIG.requiredLabels,
    requiredPodLabels: raw?.requiredPodLabels ?? DEFAULT_POLICY_CONFIG.requiredPodLabels,
  };
}

function subjectOf(r: {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: { protect: boolean };
}): PolicySubject {
  return { urn: r.urn, type: r.type, name: r.name, props: r.props, protect: r.opts.protect === true };
}

/** The pack's policies: each rule of policy/rules.ts as a resource or stack policy. */
export function platformPolicies(): Array<ResourceValidationPolicy | StackValidationPolicy> {
  const resourcePolicies = RESOURCE_RULES.map((rule): ResourceValidationPolicy => ({
    name: rule.name,
    description: rule.description,
    configSchema: rule.name === "required-labels" ? configSchema : undefined,
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      const config = configFrom(
        rule.name === "required-labels" ? args.getConfig<Partial<PolicyConfig>>() : undefined,
      );
      const messages = rule.check(subjectOf(args), config);
      if (!Array.isArray(messages)) return messages.then((found) => found.forEach((m) => report(m)));
      for (const message of messages) report(message);
      return undefined;
    },
  }));
  const stackPolicies = STACK_RULES.map((rule): StackValidationPolicy => ({
    name: rule.name,
    description: rule.description,
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      for (const v of rule.check(args.resources.map(subjectOf), DEFAULT_POLICY_CONFIG))
        report(v.message, v.urn);
    },
  }));
  return [...resourcePolicies, ...stackPolicies];
}

/** Arguments of the platform's PolicyPack. */
export function packArgs(env: Record<string, string | undefined> = process.env): PolicyPackArgs {
  return {
    description:
      "AI platform baseline: Pod Security Standards, secrets by value, network isolation, disruption budgets, pinned images, RBAC wildcards, resources, labels, protect.",
    enforcementLevel: enforcementLevelFrom(env),
    policies: platformPolicies(),
  };
}
