import * as k8s from "@pulumi/kubernetes";
import { Kagent, collectorEndpoint } from "../components/kagent";
import { McpServers } from "../components/mcp";
import { PlatformNamespaces } from "../components/platform/namespaces";
import { rawConfigOf, readStackFile, stackFileEntries } from "../recording/stackFile";
import { loadPlatformConfig } from "../stacks/load";
import { namespacesOf } from "../lib/layers";
import type { PlatformConfig } from "../stacks/schema";
import { SecretResolver } from "../stacks/secrets";
import { Recording } from "../recording/runtime";
import { recordProgram } from "./support/record";

/** The parsed configuration of a stack file. */
export function stackConfig(stack: string): PlatformConfig {
  return loadPlatformConfig(rawConfigOf(readStackFile(stack)));
}

/**
 * The MCP and kagent layers of a stack, wired as index.ts wires them: namespaces from PlatformNamespaces,
 * secrets from the 1Password resolver, CRD layers stood in for by ConfigMaps named `gateway-api-crds` and
 * `agentgateway-crds`.
 */
export function mcpKagentProgram(stack: string, mutate: (c: PlatformConfig) => void = () => undefined) {
  return async () => {
    const config = stackConfig(stack);
    mutate(config);
    const resolver = new SecretResolver(config.secrets);
    const secrets = Object.fromEntries(Object.keys(config.secrets).map((n) => [n, resolver.get(n)]));
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const namespaces = new PlatformNamespaces(
      "ns",
      { namespaces: namespacesOf(config) },
      { providers: [provider] },
    );
    const gatewayApiCrds = new k8s.core.v1.ConfigMap(
      "gateway-api-crds",
      { metadata: { name: "gateway-api-crds" } },
      { provider },
    );
    const agentgatewayCrds = new k8s.core.v1.ConfigMap(
      "agentgateway-crds",
      { metadata: { name: "agentgateway-crds" } },
      { provider },
    );
    const mcp = config.mcp.enabled
      ? new McpServers(
          "mcp",
          {
            config: config.mcp,
            gateways: config.agentgateway.gateways,
            namespace: namespaces.name(config.mcp.namespace),
            agentgatewayNamespace: namespaces.name(config.agentgateway.namespace),
            secrets,
            gatewayApiCrds,
            agentgatewayCrds,
          },
          { providers: [provider] },
        )
      : undefined;
    if (config.kagent.enabled) {
      const collector =
        config.observability.enabled && config.observability.collector.enabled
          ? config.observability.collector
          : undefined;
      new Kagent(
        "kagent",
        {
          config: config.kagent,
          namespace: namespaces.name(config.kagent.namespace),
          gatewayNamespace: config.agentgateway.namespace,
          gateways: config.agentgateway.gateways,
          llmRoutes: config.llm.routes,
          mcpServers: config.mcp.servers,
          secrets,
          telemetryEndpoint:
            collector === undefined ? undefined : collectorEndpoint(collector.name, collector.namespace),
          mcpServersResource: mcp,
        },
        { providers: [provider] },
      );
    }
  };
}

let cache: Promise<Recording> | undefined;

/** The rooster MCP + kagent recording, shared by the mcp and kagent test files. */
export function roosterMcpKagent(): Promise<Recording> {
  cache ??= recordProgram(mcpKagentProgram("rooster"), stackFileEntries("rooster"), "rooster");
  return cache;
}
