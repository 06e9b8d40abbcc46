import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { registerAdoption } from "./components/adoption/transform";
import { CloudflareEdge, cloudflareEdgeArgs } from "./components/cloudflare";
import { type ClusterLayer, clusterLayer, Longhorn } from "./components/cluster";
import { BigipEdge, bigipEdgeArgs, BigipProvider, bigipProviderArgs } from "./components/f5";
import { AiGateway } from "./components/gateway";
import { Kagent } from "./components/kagent";
import { McpServers } from "./components/mcp";
import { Observability } from "./components/observability";
import { PlatformNamespaces } from "./components/platform/namespaces";
import { Tenant } from "./components/tenant";
import { AddressBook, platformAddressBook } from "./lib/addressBook";
import { ExposurePlan, exposurePlan } from "./lib/exposures";
import { Layer, layerPlan, namespacesOf } from "./lib/layers";
import type { PlatformConfig } from "./stacks/schema";
import { activeSecretNames } from "./stacks/secretFields";

/** What the composition takes from outside the config. */
export interface PlatformDeps {
  /** Resolves the config's secret names (1Password or stack config), each a secret Output. */
  secrets: {
    get(name: string): pulumi.Output<string>;
    pick(names: Iterable<string>): Record<string, pulumi.Output<string>>;
  };
  /**
   * Stands in for the cluster layer when it is left out of `layers`: the Kubernetes provider and, optionally,
   * the Gateway API CRDs later layers wait for.
   */
  cluster?: Pick<ClusterLayer, "kubernetesProvider"> & { gatewayApiCrds?: pulumi.Resource };
}

export interface PlatformOptions {
  /** Build only these layers (each still only when the config enables it); default every layer. */
  layers?: readonly Layer[];
}

/**
 * The gateway layer's addresses and the exposure table, each compiled once for a layer plan; every consumer
 * (and every test asking what the program deploys) takes its slice of these.
 */
export function platformFacts(
  config: PlatformConfig,
  layers: ReadonlySet<Layer> = layerPlan(config),
): { addresses: AddressBook; exposures: ExposurePlan } {
  const addresses = platformAddressBook(config);
  const exposures = exposurePlan(config.exposures, config.agentgateway.gateways, addresses, {
    cloudflare: layers.has("cloudflare"),
  });
  return { addresses, exposures };
}

/**
 * The platform: every layer the validated config enables, in dependency order, wired to each other's facts.
 * index.ts runs it for a stack; tests run it, or a subset of its layers, for a config they build.
 * Returns the stack outputs of the built layers (a disabled layer's outputs are left out).
 */
export function buildPlatform(
  config: PlatformConfig,
  deps: PlatformDeps,
  options: PlatformOptions = {},
): Record<string, unknown> {
  const { secrets } = deps;
  const layers = layerPlan(config, options.layers);
  const agw = config.agentgateway;
  const { addresses, exposures } = platformFacts(config, layers);
  registerAdoption(config, { vips: exposures.vips, dnsRecords: exposures.cloudflare?.dnsRecords ?? [] });

  const cluster = layers.has("cluster")
    ? clusterLayer("cluster", {
        cluster: config.cluster,
        cilium: config.cilium,
        longhorn: config.longhorn,
        existingKubeconfig: config.cluster.talos.enabled
          ? undefined
          : secrets.get(config.cluster.kubeconfigSecret!),
      })
    : undefined;
  const kubernetesProvider = cluster?.kubernetesProvider ?? deps.cluster?.kubernetesProvider;
  if (kubernetesProvider === undefined) {
    throw new Error(
      "buildPlatform: without the cluster layer, deps.cluster must give the Kubernetes provider",
    );
  }
  const gatewayApiCrds = cluster?.gatewayApiCrds ?? deps.cluster?.gatewayApiCrds;
  const after = cluster?.cni ? [cluster.cni] : [];
  const k8sOpts = { providers: [kubernetesProvider] };
  const namespaces = new PlatformNamespaces(
    "platform",
    { namespaces: namespacesOf(config, layers), after },
    k8sOpts,
  );
  const longhorn = layers.has("longhorn")
    ? new Longhorn(
        "longhorn",
        { longhorn: config.longhorn, namespace: namespaces.name(config.longhorn.namespace) },
        k8sOpts,
      )
    : undefined;

  const obs = config.observability;
  // Built before the layers that watch themselves: they read its monitoring settings.
  const observability = layers.has("observability")
    ? new Observability(
        "observability",
        {
          config: obs,
          namespace: namespaces.name(obs.collector.namespace),
          // The proxies and kagent's agents send traces to the collector.
          otlpClientNamespaces: [
            layers.has("gateway") ? namespaces.name(agw.namespace) : agw.namespace,
            ...(layers.has("kagent") ? [namespaces.name(config.kagent.namespace)] : []),
          ],
          secrets: secrets.pick(activeSecretNames(config, "observability")),
        },
        k8sOpts,
      )
    : undefined;
  const monitoring = observability?.monitoring;

  const aiGateway = layers.has("gateway")
    ? new AiGateway(
        "ai-gateway",
        {
          namespace: namespaces.name(agw.namespace),
          agentgateway: agw,
          llm: config.llm,
          policies: config.policies,
          nodePorts: exposures.nodePorts,
          addresses,
          apiKeys: config.llm.enabled ? secrets.pick(activeSecretNames(config, "llm")) : {},
          mcpNamespace: layers.has("mcp") ? namespaces.name(config.mcp.namespace) : undefined,
          peers: { mcp: config.mcp, observability: config.observability },
          telemetry:
            monitoring === undefined
              ? undefined
              : {
                  monitoring,
                  tracing:
                    obs.gatewayTracing.enabled && monitoring.collector !== undefined
                      ? { collector: monitoring.collector, sampling: obs.gatewayTracing.sampling }
                      : undefined,
                  accessLogs: obs.gatewayTracing.accessLogs,
                },
          gatewayApiCrds,
        },
        k8sOpts,
      )
    : undefined;

  const mcp = layers.has("mcp")
    ? new McpServers(
        "mcp",
        {
          config: config.mcp,
          namespace: namespaces.name(config.mcp.namespace),
          agentgatewayNamespace: namespaces.name(agw.namespace),
          secrets: secrets.pick(activeSecretNames(config, "mcp")),
          gatewayApiCrds,
          agentgatewayCrds: aiGateway?.controlPlane.crds,
        },
        k8sOpts,
      )
    : undefined;
  const kagent = layers.has("kagent")
    ? new Kagent(
        "kagent",
        {
          config: config.kagent,
          namespace: namespaces.name(config.kagent.namespace),
          addresses: {
            namespace: addresses.namespace,
            llmRoutes: addresses.llmRoutes,
            mcpServers: addresses.mcpServers,
          },
          secrets: secrets.pick(activeSecretNames(config, "kagent")),
          mcpServersResource: mcp,
          monitoring,
        },
        k8sOpts,
      )
    : undefined;

  const secret = (name: string) => secrets.get(name);
  const bigip =
    layers.has("bigip") && config.bigip?.enabled
      ? new BigipEdge("bigip", bigipEdgeArgs(config, exposures.vips), {
          providers: [new BigipProvider("bigip", bigipProviderArgs(config.bigip, secret))],
        })
      : undefined;
  const cloudflareEdge =
    exposures.cloudflare !== undefined && config.cloudflare?.enabled
      ? new CloudflareEdge(
          "cloudflare",
          cloudflareEdgeArgs(config, exposures.cloudflare, secret, (ns) => namespaces.name(ns)),
          {
            providers: [
              new cloudflare.Provider("cloudflare", {
                apiToken: secrets.get(config.cloudflare.apiTokenSecret),
              }),
              kubernetesProvider,
            ],
          },
        )
      : undefined;

  // The Prometheus the observability layer publishes scrapes the tenants' workloads; without that layer, the
  // configured one still does (its namespace is let in, their ServiceMonitors carry its selector labels).
  const scraper = monitoring ?? {
    prometheusNamespace: obs.metrics.prometheusNamespace,
    selectorLabels: obs.metrics.labels,
  };
  const tenants = layers.has("tenants")
    ? config.tenants.items.map(
        (t, i) =>
          new Tenant(
            `tenant-${t.name}`,
            {
              tenant: t,
              addresses: {
                namespace: addresses.namespace,
                gateways: addresses.gateways,
                llmRoutes: addresses.llmRoutes,
              },
              secrets: secrets.pick(activeSecretNames(config, `tenants.items[${i}]`)),
              metricsNamespace: scraper.prometheusNamespace,
              serviceMonitorLabels: scraper.selectorLabels,
              after,
            },
            k8sOpts,
          ),
      )
    : [];

  return definedOnly({
    kubeconfig: cluster?.kubeconfig,
    talosconfig: cluster?.talosconfig,
    talosSchematicId: cluster?.talos?.schematicId,
    talosInstaller: cluster?.talos?.installerImage,
    talosRollout: cluster?.talos?.rolloutPlan,
    longhornStorageClass: longhorn?.storageClassName,
    gatewayServices: aiGateway?.gatewayServices,
    otlpEndpoint: observability?.otlpGrpcEndpoint,
    dashboards: observability
      ? [...(aiGateway?.dashboardNames ?? []), ...(kagent?.dashboardNames ?? [])]
      : undefined,
    mcpRoutes: mcp?.routePaths,
    kagentController: kagent?.controllerUrl,
    vipTable: bigip ? exposures.vipTable : undefined,
    cloudflareTunnelId: cloudflareEdge?.tunnelId,
    tenantNamespaces: tenants.length > 0 ? tenants.map((t) => t.namespaceName) : undefined,
    tenantModelEndpoints:
      tenants.length > 0
        ? Object.fromEntries(tenants.map((t) => [t.tenantName, t.modelEndpoints]))
        : undefined,
  });
}

/** Stack outputs of disabled layers are left out rather than exported as undefined. */
function definedOnly(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
}
