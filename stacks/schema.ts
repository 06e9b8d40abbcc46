import { z } from "zod";
import { adoptionSchema } from "./adoption";
import { ciliumSchema, clusterSchema, longhornSchema } from "./layerRules/cluster";
import { bigipSchema, cloudflareSchema, exposuresSchema } from "./layerRules/exposures";
import { agentgatewaySchema, llmSchema } from "./layerRules/gateway";
import { kagentSchema } from "./layerRules/kagent";
import { mcpSchema } from "./layerRules/mcp";
import { observabilitySchema } from "./layerRules/observability";
import { policiesSchema } from "./layerRules/policies";
import { secretsSchema } from "./layerRules/secrets";
import { tenantsSchema } from "./layerRules/tenants";
import { switchable } from "./switchable";

/*
 * The stack configuration schema, assembled from the layer modules (./layerRules/<layer>.ts hold the schema
 * and the cross-field rules of one layer). Every top-level key is one Pulumi config key in the project
 * namespace (`ai-platform:<key>`); objects are strict so that a misspelled field is an error, not a silent
 * default. Named cross-layer rules live in ./checks/.
 */
export { gatewaySchema, llmBackendSchema } from "./layerRules/gateway";
export { alertDefaults, observabilitySchema } from "./layerRules/observability";
export { policySchema } from "./layerRules/policies";
export { mcpSchema, tenantsSchema };

/** A layer left out of the stack file is off. */
const off = { enabled: false } as const;

export const platformConfigSchema = z.strictObject({
  secrets: secretsSchema.default({}),
  cluster: clusterSchema,
  cilium: ciliumSchema.prefault(off),
  longhorn: longhornSchema.prefault(off),
  agentgateway: agentgatewaySchema.prefault(off),
  llm: llmSchema.prefault(off),
  policies: policiesSchema.prefault(off),
  mcp: mcpSchema.prefault(off),
  kagent: kagentSchema.prefault(off),
  observability: observabilitySchema.prefault(off),
  exposures: exposuresSchema,
  bigip: bigipSchema.optional(),
  cloudflare: switchable(cloudflareSchema).optional(),
  tenants: tenantsSchema.default({ enabled: false, items: [] }),
  /** Absent: the stack adopted nothing, and nothing of the adoption applies. */
  adoption: adoptionSchema.optional(),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type ClusterConfig = PlatformConfig["cluster"];
/** Talos settings when Talos is on (with Talos off, no other Talos field is required). */
export type TalosConfig = Extract<ClusterConfig["talos"], { enabled: true }>;
export type TalosNodeConfig = TalosConfig["nodes"][number];
export type AgentgatewayConfig = PlatformConfig["agentgateway"];
export type GatewayConfig = AgentgatewayConfig["gateways"][number];
export type LlmConfig = PlatformConfig["llm"];
export type LlmBackendConfig = LlmConfig["backends"][number];
export type PolicyConfig = PlatformConfig["policies"]["items"][number];
export type McpConfig = PlatformConfig["mcp"];
export type McpServerConfig = McpConfig["servers"][number];
export type ObservabilityConfig = PlatformConfig["observability"];
export type ExposureConfig = PlatformConfig["exposures"][number];
/** The BIG-IP and Cloudflare layers when on; off, they need no other field. */
export type BigipConfig = Extract<NonNullable<PlatformConfig["bigip"]>, { enabled: true }>;
export type CloudflareConfig = Extract<NonNullable<PlatformConfig["cloudflare"]>, { enabled: true }>;
export type TenantsConfig = PlatformConfig["tenants"];
export type TenantConfig = TenantsConfig["items"][number];
export type TenantWorkloadConfig = TenantConfig["workloads"][number];
