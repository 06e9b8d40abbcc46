import * as cloudflare from "@pulumi/cloudflare";
import { CloudflareEdge, cloudflareEdgeArgs } from "./components/cloudflare";
import { registerAdoption } from "./components/adoption/transform";
import { clusterLayer, Longhorn } from "./components/cluster";
import { BigipEdge, bigipEdgeArgs, BigipProvider, bigipProviderArgs, vipTable } from "./components/f5";
import { AiGateway, llmSecretNames, nodePortsByGateway, peerEgressTargets } from "./components/gateway";
import { Kagent, kagentSecretNames } from "./components/kagent";
import { McpServers, mcpSecretNames } from "./components/mcp";
import { agentRouteLabels, Observability } from "./components/observability";
import { PlatformNamespaces } from "./components/platform/namespaces";
import { Tenant, tenantSecretNames } from "./components/tenant";
import { loadPlatformConfig } from "./stacks/load";
import { namespacesOf } from "./stacks/namespaces";
import { SecretResolver } from "./stacks/secrets";

/**
 * The AI platform program: load and validate the stack config, build each enabled layer, export outputs.
 * Run by `pulumi up` (compiled to dist/index.js) and by the offline recording runtime.
 */
export = async () => {
  const config = loadPlatformConfig();
  registerAdoption(config);
  const secrets = new SecretResolver(config.secrets);

  const cluster = clusterLayer("cluster", {
    cluster: config.cluster,
    cilium: config.cilium,
    longhorn: config.longhorn,
    existingKubeconfig: config.cluster.talos.enabled
      ? undefined
      : secrets.get(config.cluster.kubeconfigSecret!),
  });
  const k8s = { providers: [cluster.kubernetesProvider] };
  const namespaces = new PlatformNamespaces(
    "platform",
    { namespaces: namespacesOf(config), after: cluster.cni ? [cluster.cni] : [] },
    k8s,
  );
  const longhorn = config.longhorn.enabled
    ? new Longhorn(
        "longhorn",
        { longhorn: config.longhorn, namespace: namespaces.name(config.longhorn.namespace) },
        k8s,
      )
    : undefined;

  const agw = config.agentgateway;
  const aiGateway = agw.enabled
    ? new AiGateway(
        "ai-gateway",
        {
          namespace: namespaces.name(agw.namespace),
          agentgateway: agw,
          llm: config.llm,
          policies: config.policies,
          nodePorts: nodePortsByGateway(
            agw.gateways.map((g) => g.name),
            config.exposures,
          ),
          apiKeys: config.llm.enabled ? secrets.pick(llmSecretNames(config.llm.backends)) : {},
          mcpNamespace: config.mcp.enabled ? namespaces.name(config.mcp.namespace) : undefined,
          extraEgress: peerEgressTargets(config.mcp, config.observability),
          gatewayApiCrds: cluster.gatewayApiCrds,
        },
        k8s,
      )
    : undefined;

  const obs = config.observability;
  const observability = obs.enabled
    ? new Observability(
        "observability",
        {
          config: obs,
          namespace: namespaces.name(obs.collector.namespace),
          // Without the AI gateway nothing is placed there (no gateways, no telemetry policies): selectors only.
          gatewayNamespace: agw.enabled ? namespaces.name(agw.namespace) : agw.namespace,
          gateways: agw.enabled ? agw.gateways.map((g) => g.name) : [],
          kagent: config.kagent.enabled
            ? {
                namespace: namespaces.name(config.kagent.namespace),
                routes: agentRouteLabels(config.kagent, agw.namespace),
              }
            : undefined,
          langfusePublicKey: obs.langfuse?.enabled ? secrets.get(obs.langfuse.publicKeySecret) : undefined,
          langfuseSecretKey: obs.langfuse?.enabled ? secrets.get(obs.langfuse.secretKeySecret) : undefined,
          agentgatewayCrds: aiGateway?.controlPlane.crds,
        },
        k8s,
      )
    : undefined;

  const mcp =
    config.mcp.enabled && aiGateway !== undefined
      ? new McpServers(
          "mcp",
          {
            config: config.mcp,
            gateways: agw.gateways,
            namespace: namespaces.name(config.mcp.namespace),
            agentgatewayNamespace: namespaces.name(agw.namespace),
            secrets: secrets.pick(mcpSecretNames(config.mcp)),
            gatewayApiCrds: cluster.gatewayApiCrds,
            agentgatewayCrds: aiGateway.controlPlane.crds,
          },
          k8s,
        )
      : undefined;
  const kagent = config.kagent.enabled
    ? new Kagent(
        "kagent",
        {
          config: config.kagent,
          namespace: namespaces.name(config.kagent.namespace),
          gatewayNamespace: agw.namespace,
          gateways: agw.gateways,
          llmRoutes: config.llm.routes,
          mcpServers: config.mcp.servers,
          secrets: secrets.pick(kagentSecretNames(config.kagent)),
          telemetryEndpoint: config.kagent.telemetry.enabled ? observability?.otlpGrpcEndpoint : undefined,
          mcpServersResource: mcp,
          metrics:
            obs.enabled && obs.metrics.enabled
              ? { namespace: obs.metrics.prometheusNamespace, serviceMonitor: true }
              : undefined,
        },
        k8s,
      )
    : undefined;

  const secret = (name: string) => secrets.get(name);
  const bigip = config.bigip?.enabled
    ? new BigipEdge("bigip", bigipEdgeArgs(config), {
        providers: [new BigipProvider("bigip", bigipProviderArgs(config.bigip, secret))],
      })
    : undefined;
  const cloudflareEdge = config.cloudflare?.enabled
    ? new CloudflareEdge(
        "cloudflare",
        cloudflareEdgeArgs(config, secret, (ns) => namespaces.name(ns)),
        {
          providers: [
            new cloudflare.Provider("cloudflare", {
              apiToken: secrets.get(config.cloudflare.apiTokenSecret),
            }),
            cluster.kubernetesProvider,
          ],
        },
      )
    : undefined;

  const tenants = config.tenants.enabled
    ? config.tenants.items.map(
        (t) =>
          new Tenant(
            `tenant-${t.name}`,
            {
              tenant: t,
              agentgateway: agw,
              llmRoutes: config.llm.routes,
              secrets: secrets.pick(tenantSecretNames(t)),
              metricsNamespace: obs.metrics.prometheusNamespace,
              serviceMonitorLabels: obs.metrics.labels,
              after: cluster.cni ? [cluster.cni] : [],
            },
            k8s,
          ),
      )
    : [];

  return definedOnly({
    kubeconfig: cluster.kubeconfig,
    talosconfig: cluster.talosconfig,
    talosSchematicId: cluster.talos?.schematicId,
    talosInstaller: cluster.talos?.installerImage,
    talosRollout: cluster.talos?.rolloutPlan,
    longhornStorageClass: longhorn?.storageClassName,
    gatewayServices: aiGateway?.gatewayServices,
    otlpEndpoint: observability?.otlpGrpcEndpoint,
    dashboards: observability?.dashboardNames,
    mcpRoutes: mcp?.routePaths,
    kagentController: kagent?.controllerUrl,
    vipTable: bigip ? vipTable(config.exposures, agw.namespace) : undefined,
    cloudflareTunnelId: cloudflareEdge?.tunnelId,
    tenantNamespaces: tenants.length > 0 ? tenants.map((t) => t.namespaceName) : undefined,
    tenantModelEndpoints:
      tenants.length > 0
        ? Object.fromEntries(tenants.map((t) => [t.tenantName, t.modelEndpoints]))
        : undefined,
  });
};

/** Stack outputs of disabled layers are left out rather than exported as undefined. */
function definedOnly(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
}
