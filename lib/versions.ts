/**
 * Every chart, image, CRD bundle and provider plugin version the program deploys, pinned in one place.
 * Bumping a version is a one-line change here; nothing else in the program carries a version string.
 */

export interface ChartPin {
  /** Helm repository URL, or the OCI reference of the chart itself (`oci://...`). */
  repo?: string;
  chart: string;
  version: string;
  /**
   * sha256 of the chart archive (`helm pull` output) the offline plan may render (scripts/plan/charts.ts);
   * without it the plan does not render the chart.
   */
  digest?: string;
}

export const charts = {
  // agentgateway v1.4.1 publishes both "1.4.1" and "v1.4.1"; docs use the v-prefixed tag
  // (agentgateway/agentgateway@v1.4.1:controller/Makefile release-charts).
  agentgatewayCrds: { chart: "oci://cr.agentgateway.dev/charts/agentgateway-crds", version: "v1.4.1" },
  agentgateway: { chart: "oci://cr.agentgateway.dev/charts/agentgateway", version: "v1.4.1" },
  // kagent chart version = release tag without "v" (kagent-dev/kagent@v0.9.12:.github/workflows/tag.yaml).
  kagentCrds: { chart: "oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds", version: "0.9.12" },
  kagent: { chart: "oci://ghcr.io/kagent-dev/kagent/helm/kagent", version: "0.9.12" },
  cilium: { repo: "https://helm.cilium.io", chart: "cilium", version: "1.20.1" },
  longhorn: { repo: "https://charts.longhorn.io", chart: "longhorn", version: "1.12.1" },
  otelCollector: {
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    chart: "opentelemetry-collector",
    version: "0.170.0",
  },
} as const satisfies Record<string, ChartPin>;

export const crdBundles = {
  /** Gateway API standard channel, the version agentgateway v1.4.x is built against (go.mod). */
  gatewayApi: {
    version: "v1.6.1",
    url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
  },
} as const;

export interface ImagePin {
  repository: string;
  tag: string;
  /** Container arguments that select the image's server mode, used when the config gives none. */
  args?: readonly string[];
}

/** Images of workloads this program runs itself (charts pin their own images through their versions). */
export const images = {
  // Published for each release tag by open-telemetry/opentelemetry-collector-releases@v0.158.0:
  // .github/workflows/release-contrib.yaml (distributions/otelcol-contrib); the collector chart 0.170.0's appVersion.
  otelCollectorContrib: { repository: "otel/opentelemetry-collector-contrib", tag: "0.158.0" },
  // Published for each release by cloudflare/cloudflared:.ci/release.gitlab-ci.yml (docker-hub build-push job).
  cloudflared: { repository: "cloudflare/cloudflared", tag: "2026.8.2" },
  // MCP tool servers with an HTTP transport.
  // The Docker Hub mcp/everything image predates the transport argument (modelcontextprotocol/servers#3309) and
  // upstream publishes release images only as mutable `main` tags (.github/workflows/container-images.yml), so the
  // pinned npm release runs on the official Node image (docker-library/official-images:library/node lists the
  // 22.23.2-alpine tag): `streamableHttp` listens on PORT (default 3001) at /mcp
  // (modelcontextprotocol/servers:src/everything/docs/startup.md). The package is fetched at start (egress 443).
  mcpEverything: {
    repository: "docker.io/library/node",
    tag: "22.23.2-alpine",
    args: ["npx", "--yes", "@modelcontextprotocol/server-everything@2026.8.31", "streamableHttp"],
  },
  // `--transport http` serves Streamable HTTP on SLACK_MCP_HOST:SLACK_MCP_PORT (default 127.0.0.1:13080)
  // (korotovsky/slack-mcp-server:cmd/slack-mcp-server/main.go); every `v*` tag is pushed to ghcr.io under that
  // tag by .github/workflows/release-image.yaml, and v1.3.0 is its latest release.
  mcpSlack: {
    repository: "ghcr.io/korotovsky/slack-mcp-server",
    tag: "v1.3.0",
    args: ["--transport", "http"],
  },
  // Components with no published image (the kagent Slack bot, the Excalidraw MCP app) are not pinned here: the
  // stack names their image (stacks/images.ts).
  // Tenant workloads. The A1 orchestrator's mcp-* services (A1 orchestrator) and the AgentOps example agent (AgentOps,
  // ghcr.io/myorg/llm-agent:v1.0.0 there) are in-house images that no public registry carries: they are pulled from
  // the internal registry path below, each pinned to its release tag. Every one serves /health and /metrics on 8080.
  a1McpGateway: { repository: "registry.a1.internal/a1-orchestrator/mcp-gateway", tag: "1.0.0" },
  a1McpOrchestratorApi: {
    repository: "registry.a1.internal/a1-orchestrator/mcp-orchestrator-api",
    tag: "1.0.0",
  },
  a1McpPolicyProxy: { repository: "registry.a1.internal/a1-orchestrator/mcp-policy-proxy", tag: "1.0.0" },
  a1McpConfig: { repository: "registry.a1.internal/a1-orchestrator/mcp-config", tag: "1.0.0" },
  a1McpTracehub: { repository: "registry.a1.internal/a1-orchestrator/mcp-tracehub", tag: "1.0.0" },
  agentopsLlmAgent: { repository: "registry.a1.internal/agentops/llm-agent", tag: "v1.0.0" },
} as const satisfies Record<string, ImagePin>;

export type ImageKey = keyof typeof images;

export function isImageKey(key: string): key is ImageKey {
  return Object.prototype.hasOwnProperty.call(images, key);
}

/** The pin of a catalog key, or an image the stack names (`{repository, tag}`) as it is. */
export function imagePin(source: string | ImagePin): ImagePin {
  if (typeof source !== "string") return source;
  if (!isImageKey(source)) throw new Error(`unknown image "${source}"`);
  return images[source];
}

/** Provider plugins that are bound locally (their SDKs are not installable here). */
export const plugins = {
  talos: { version: "0.8.1", pluginDownloadURL: "github://api.github.com/pulumiverse" },
  // f5bigip ships no pluginDownloadURL: the plugin comes from Pulumi's default plugin source.
  f5bigip: { version: "3.24.0" },
  // npm carries the 1.1.3 SDK only; plugin 1.1.4 (tag v1.1.4) is its schema-identical successor and is
  // what the engine should fetch (1Password/pulumi-onepassword@v1.1.4).
  onepassword: {
    version: "1.1.4",
    pluginDownloadURL: "github://api.github.com/1Password/pulumi-onepassword",
  },
  // Runs talosctl for the Talos rollout: the maintained 1.x line (npm `latest`; 4.5.0 on npm is a mistaken,
  // deprecated publish of a 2022 preview, pulumi/pulumi-command#183). SDK and plugin share the version (the npm
  // package's install script fetches `resource command 1.2.1`, pulumi/pulumi-command@v1.2.1), and package.json
  // pins the SDK to it.
  command: { version: "1.2.1" },
} as const;
