import type { z } from "zod";
import { fromStackDocument, rawConfigOf } from "../../recording/stackFile";
import { formatIssue } from "../../stacks/issues";
import { parsePlatformConfig } from "../../stacks/load";
import { platformConfigSchema, type PlatformConfig } from "../../stacks/schema";

/*
 * Small config builders for component tests. Each returns a piece of the stack config as written in a stack
 * file; `platformConfig` merges the pieces over a minimal cluster and parses them with the real validation,
 * so a builder that drifts from the schema fails every test using it. Every layer is off unless a piece
 * switches it on.
 */

/** The stack config as written (config keys without the namespace), before defaults. */
export type RawConfig = z.input<typeof platformConfigSchema>;
type Raw<K extends keyof RawConfig> = NonNullable<RawConfig[K]>;
type Item<T> = T extends ReadonlyArray<infer E> ? E : never;
type TalosRaw = Extract<Raw<"cluster">["talos"], { enabled: true }>;
export type TalosNodeRaw = Item<TalosRaw["nodes"]>;
export type GatewayRaw = Item<Raw<"agentgateway">["gateways"]>;
export type LlmBackendRaw = Item<Raw<"llm">["backends"]>;
export type LlmRouteRaw = Item<Raw<"llm">["routes"]>;
export type McpServerRaw = Item<Raw<"mcp">["servers"]>;
export type TenantRaw = Item<Raw<"tenants">["items"]>;
export type TenantWorkloadRaw = Item<TenantRaw["workloads"]>;
export type ExposureRaw = Item<Raw<"exposures">>;

/** Secret declarations (1Password references) for the given names. */
export function secrets(...names: string[]): Pick<RawConfig, "secrets"> {
  return { secrets: Object.fromEntries(names.map((n) => [n, `op://test/${n}/credential`])) };
}

/** The smallest valid config: an existing cluster reached through a kubeconfig secret, every layer off. */
const MINIMAL: RawConfig = {
  ...secrets("kubeconfig"),
  cluster: { name: "test", kubeconfigSecret: "kubeconfig", talos: { enabled: false } },
};

/** Merges config pieces over the minimal config; later pieces replace whole keys, secrets accumulate. */
export function rawConfig(...pieces: Partial<RawConfig>[]): RawConfig {
  const out: RawConfig = structuredClone(MINIMAL);
  for (const piece of pieces) {
    const { secrets: declared, ...rest } = structuredClone(piece);
    Object.assign(out, rest);
    out.secrets = { ...out.secrets, ...declared };
  }
  return out;
}

/** The config pieces merged and validated like a stack file; throws listing every issue. */
export function platformConfig(...pieces: Partial<RawConfig>[]): PlatformConfig {
  const { config, issues } = parsePlatformConfig(rawConfigOf(stackFileOf(rawConfig(...pieces))));
  if (config === undefined) throw new Error(`invalid test config:\n${issues.map(formatIssue).join("\n")}`);
  return config;
}

/** The issues validation reports for the merged pieces, formatted as `pulumi up` prints them. */
export function configIssues(...pieces: Partial<RawConfig>[]): string[] {
  return parsePlatformConfig(rawConfigOf(stackFileOf(rawConfig(...pieces)))).issues.map(formatIssue);
}

/** The merged pieces as a stack file of the `test` stack (what a recording reads its config from). */
export function stackFileOf(raw: RawConfig, stack = "test") {
  return fromStackDocument(stack, raw as Record<string, unknown>);
}

// ---------------------------------------------------------------- cluster

/** A Talos node at 10.0.0.<host> (a control plane unless `controller: false`). */
export function talosNode(host: number, overrides: Partial<TalosNodeRaw> = {}): TalosNodeRaw {
  return {
    name: `node-${host}`,
    address: `10.0.0.${host}`,
    controller: true,
    disk: { path: "/dev/sda" },
    ...overrides,
  };
}

/** The cluster managed through Talos on 10.0.0.0/24 (API VIP .10), by default one control plane. */
export function talosCluster(overrides: Partial<TalosRaw> = {}): Pick<RawConfig, "cluster"> {
  return {
    cluster: {
      name: "test",
      talos: {
        enabled: true,
        talosVersion: "v1.13.9",
        kubernetesVersion: "1.36.3",
        apiVip: "10.0.0.10",
        network: {
          nodeCidr: "10.0.0.0/24",
          gateway: "10.0.0.1",
          dnsServers: ["10.0.0.1"],
          podCidr: "10.244.0.0/16",
          serviceCidr: "10.96.0.0/16",
        },
        extensions: [],
        nodes: [talosNode(11)],
        ...overrides,
      },
    },
  };
}

/** Cilium on (no pools, announcements or BGP unless given). */
export function cilium(overrides: Partial<Raw<"cilium">> = {}): Pick<RawConfig, "cilium"> {
  return { cilium: { enabled: true, ...overrides } };
}

/** Longhorn on; its Talos prerequisites are the cluster piece's (see talosCluster's `extensions`). */
export function longhorn(overrides: Partial<Raw<"longhorn">> = {}): Pick<RawConfig, "longhorn"> {
  return { longhorn: { enabled: true, ...overrides } };
}

/** The Talos extensions Longhorn needs. */
export const LONGHORN_EXTENSIONS = ["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"];

// ---------------------------------------------------------------- AI gateway

/** One gateway with an HTTP listener on `port`, reached through a NodePort Service by default. */
export function gateway(name = "gw", port = 8080, overrides: Partial<GatewayRaw> = {}): GatewayRaw {
  return {
    name,
    listeners: [{ name: "http", protocol: "HTTP", port }],
    service: { type: "NodePort" },
    ...overrides,
  };
}

/** The AI gateway layer with the given gateways (default one, `gw` on 8080). */
export function gatewayConfig(
  gateways: GatewayRaw[] = [gateway()],
  overrides: Partial<Raw<"agentgateway">> = {},
): Pick<RawConfig, "agentgateway"> {
  return { agentgateway: { enabled: true, gateways, ...overrides } };
}

/** An OpenAI backend whose key is the secret `<name>-key`. */
export function llmBackend(name = "openai", overrides: Partial<LlmBackendRaw> = {}): LlmBackendRaw {
  return {
    name,
    provider: "openai",
    model: "gpt-4o-mini",
    secret: `${name}-key`,
    ...overrides,
  } as LlmBackendRaw;
}

/** An LLM route on `gateway` sending /<backend> to the backend. */
export function llmRoute(name = "openai", overrides: Partial<LlmRouteRaw> = {}): LlmRouteRaw {
  return { name, gateway: "gw", rules: [{ pathPrefix: `/${name}`, backend: name }], ...overrides };
}

/** The LLM layer with its backends, routes and the backends' key secrets declared. */
export function llmConfig(
  backends: LlmBackendRaw[] = [llmBackend()],
  routes: LlmRouteRaw[] = [llmRoute()],
): Pick<RawConfig, "llm" | "secrets"> {
  const keys = backends.flatMap((b) =>
    b.provider === "failover"
      ? b.groups.flatMap((g) => g.providers.map((p) => p.secret))
      : "secret" in b && b.secret !== undefined
        ? [b.secret]
        : [],
  );
  return { llm: { enabled: true, backends, routes }, ...secrets(...keys) };
}

/** kagent with its database, one model config on LLM route `openai` (see llmConfig) and one agent, `helper`. */
export function kagentConfig(overrides: Partial<Raw<"kagent">> = {}): Pick<RawConfig, "kagent" | "secrets"> {
  return {
    kagent: {
      enabled: true,
      modelConfigs: [
        {
          name: "default",
          model: "gpt-4o-mini",
          route: "openai",
          pathPrefix: "/openai",
          secret: "openai-key",
        },
      ],
      agents: [
        {
          name: "helper",
          description: "Answers questions",
          modelConfig: "default",
          systemMessage: "You help.",
        },
      ],
      database: { urlSecret: "kagent-database-url" },
      ...overrides,
    },
    ...secrets("openai-key", "kagent-database-url"),
  };
}

type ObservabilityRaw = Raw<"observability">;

/** Observability with its collector in `monitoring` exporting to Langfuse (declaring its key secrets). */
export function observabilityConfig(
  overrides: Partial<ObservabilityRaw> = {},
): Pick<RawConfig, "observability" | "secrets"> {
  // `langfuse: undefined` among the overrides leaves Langfuse out.
  const lf = "langfuse" in overrides ? overrides.langfuse : langfuse();
  const keys = lf?.enabled ? [lf.publicKeySecret, lf.secretKeySecret] : [];
  return {
    observability: {
      enabled: true,
      collector: { enabled: true, namespace: "monitoring" },
      langfuse: lf,
      ...overrides,
    },
    ...secrets(...keys),
  };
}

/** Langfuse at `endpoint` (an observabilityConfig override). */
export function langfuse(
  endpoint = "https://langfuse.example.com",
): NonNullable<ObservabilityRaw["langfuse"]> {
  return {
    enabled: true,
    endpoint,
    publicKeySecret: "langfuse-public-key",
    secretKeySecret: "langfuse-secret-key",
  };
}

// ---------------------------------------------------------------- MCP, tenants, edges

/** An in-cluster MCP server of the catalog image mcpEverything, routed through gateway `gw`. */
export function mcpServer(name = "everything", overrides: Partial<McpServerRaw> = {}): McpServerRaw {
  return {
    name,
    kind: "inCluster",
    image: "mcpEverything",
    port: 3001,
    gateway: "gw",
    ...overrides,
  } as McpServerRaw;
}

/** The MCP layer with the given servers (and the secrets their env and tokens name). */
export function mcpConfig(
  servers: McpServerRaw[] = [mcpServer()],
  overrides: Partial<Raw<"mcp">> = {},
): Pick<RawConfig, "mcp" | "secrets"> {
  const names = servers.flatMap((s) =>
    s.kind === "inCluster"
      ? Object.values(s.secretEnv ?? {})
      : s.tokenSecret !== undefined
        ? [s.tokenSecret]
        : [],
  );
  return { mcp: { enabled: true, servers, ...overrides }, ...secrets(...names) };
}

/** A tenant with a small quota and the given workloads. */
export function tenant(name = "team-a", overrides: Partial<TenantRaw> = {}): TenantRaw {
  return { name, quota: { cpu: "4", memory: "8Gi", pods: 20 }, ...overrides };
}

/** A tenant workload of the catalog image a1McpConfig. */
export function tenantWorkload(name = "api", overrides: Partial<TenantWorkloadRaw> = {}): TenantWorkloadRaw {
  return { name, image: "a1McpConfig", ...overrides };
}

/** The tenants layer with the given tenants (and the secrets their workloads name). */
export function tenantsConfig(items: TenantRaw[] = [tenant()]): Pick<RawConfig, "tenants" | "secrets"> {
  const names = items.flatMap((t) => (t.workloads ?? []).flatMap((w) => Object.values(w.secretEnv ?? {})));
  return { tenants: { enabled: true, items }, ...secrets(...names) };
}

/** An exposure of gateway `gw` (no edge unless given). */
export function exposure(name = "gw", overrides: Partial<ExposureRaw> = {}): ExposureRaw {
  return { name, hostname: `${name}.example.com`, target: { gateway: "gw" }, ...overrides };
}

/** The BIG-IP edge with its management secrets declared. */
export function bigipConfig(overrides: Record<string, unknown> = {}): Pick<RawConfig, "bigip" | "secrets"> {
  return {
    bigip: {
      enabled: true,
      addressSecret: "bigip-address",
      usernameSecret: "bigip-username",
      passwordSecret: "bigip-password",
      validateCertsDisable: true,
      ...overrides,
    } as Raw<"bigip">,
    ...secrets("bigip-address", "bigip-username", "bigip-password"),
  };
}

/** The Cloudflare edge for zone example.com with its secrets declared; a tunnel when `tunnel` is given. */
export function cloudflareConfig(
  overrides: Record<string, unknown> = {},
): Pick<RawConfig, "cloudflare" | "secrets"> {
  return {
    cloudflare: {
      enabled: true,
      apiTokenSecret: "cloudflare-api-token",
      accountIdSecret: "cloudflare-account-id",
      zone: "example.com",
      ...overrides,
    } as Raw<"cloudflare">,
    ...secrets("cloudflare-api-token", "cloudflare-account-id", "cloudflare-tunnel-secret"),
  };
}

/** The policies layer with the given items. */
export function policiesConfig(items: Raw<"policies">["items"]): Pick<RawConfig, "policies"> {
  return { policies: { enabled: true, items } };
}
