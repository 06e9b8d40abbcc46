/**
 * Every chart, image, CRD bundle and provider plugin version the program deploys, pinned in one place.
 * Bumping a version is a one-line change here; nothing else in the program carries a version string.
 */

export interface ChartPin {
  /** Helm repository URL, or the OCI reference of the chart itself (`oci://...`). */
  repo?: string;
  chart: string;
  version: string;
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
}

/** Images of workloads this program runs itself (charts pin their own images through their versions). */
export const images = {
  otelCollectorContrib: { repository: "otel/opentelemetry-collector-contrib", tag: "0.158.0" },
  cloudflared: { repository: "cloudflare/cloudflared", tag: "2026.8.2" },
  // MCP tool servers with an HTTP transport, and the kagent Slack bot.
  mcpEverything: { repository: "docker.io/mcp/everything", tag: "2025.9.25" },
  mcpSlack: { repository: "ghcr.io/korotovsky/slack-mcp-server", tag: "v1.1.24" },
  mcpExcalidraw: { repository: "ghcr.io/yctimlin/mcp_excalidraw", tag: "v1.0.3" },
  kagentSlackBot: { repository: "ghcr.io/kagent-dev/kagent/slack-bot", tag: "0.9.12" },
} as const satisfies Record<string, ImagePin>;

export type ImageKey = keyof typeof images;

export function imageRef(key: ImageKey): string {
  const pin = images[key];
  return `${pin.repository}:${pin.tag}`;
}

export function isImageKey(key: string): key is ImageKey {
  return Object.prototype.hasOwnProperty.call(images, key);
}

/** Provider plugins that are bound locally (their SDKs are not installable here). */
export const plugins = {
  talos: { version: "0.8.1", pluginDownloadURL: "github://api.github.com/pulumiverse" },
  // f5bigip ships no pluginDownloadURL: the plugin comes from Pulumi's default plugin source.
  f5bigip: { version: "3.24.0" },
} as const;

export const talosDefaults = {
  imageFactoryUrl: "https://factory.talos.dev",
} as const;
