import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ImagePin, imagePin } from "../../lib/versions";
import { namespacePeer, publicHttpsEgress, rule, tcp } from "../../lib/networkPolicy";
import { proxySelector } from "../gateway/gateways";
import { Resources, Workload } from "../workload";
import {
  InClusterMcpServer,
  MCP_APP_PROTOCOL,
  MCP_PATH_ANNOTATION,
  McpServer,
  mcpBackendSpec,
  mcpRouteSpec,
} from "./routing";
import { mcpRoutePath, mcpWorkloadName } from "../../lib/addressBook";
import { resolvedSecret } from "../platform/resolvedSecrets";
import { BACKEND_WAITS, READINESS_TIMEOUTS, readinessAnnotations, routeWaits } from "../../lib/readiness";

/** Requests and limits of an MCP server without `resources` in the config. */
export const DEFAULT_MCP_RESOURCES: Resources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

export interface McpServersArgs {
  /** The `mcp` config slice; its servers are created. */
  config: { servers: readonly McpServer[] };
  /** Namespace of the MCP workloads, backends and routes, from the Namespace's `metadata.name` output. */
  namespace: pulumi.Input<string>;
  /** Namespace of the Gateways and their proxy pods, from the Namespace's `metadata.name` output. */
  agentgatewayNamespace: pulumi.Input<string>;
  /** Resolved secrets by name (secret Outputs): `secretEnv` values and remote tokens. */
  secrets: Record<string, pulumi.Input<string>>;
  /** Gateway API CRDs (HTTPRoute), installed by another layer. */
  gatewayApiCrds?: pulumi.Resource;
  /** agentgateway CRDs (AgentgatewayBackend), installed by another layer. */
  agentgatewayCrds?: pulumi.Resource;
}

/**
 * The MCP tool servers rooster runs today under ArgoCD: in-cluster servers as hardened Workloads with an HTTP transport, remote
 * servers as static targets, each fronted by an AgentgatewayBackend (`mcp`) and an HTTPRoute on its gateway,
 * both named after the server so that MCP authorization policies of the AI gateway target them by name.
 */
export class McpServers extends pulumi.ComponentResource {
  /** Route path of every server on its gateway. */
  public readonly routePaths: Record<string, string> = {};

  constructor(name: string, args: McpServersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:mcp:McpServers", name, {}, opts);
    for (const server of args.config.servers) {
      this.routePaths[server.name] = mcpRoutePath(server);
      const serviceLabels = server.kind === "inCluster" ? this.inCluster(name, server, args) : {};
      let tokenSecretName: string | undefined;
      const backendDeps: pulumi.Resource[] = [];
      if (args.agentgatewayCrds !== undefined) backendDeps.push(args.agentgatewayCrds);
      if (server.kind === "remote" && server.tokenSecret !== undefined) {
        tokenSecretName = `${server.name}-mcp-token`;
        const tokenSecret = new k8s.core.v1.Secret(
          `${name}-${server.name}-token`,
          {
            metadata: {
              name: tokenSecretName,
              namespace: args.namespace,
              labels: {
                "app.kubernetes.io/part-of": "ai-platform",
                "app.kubernetes.io/managed-by": "pulumi",
              },
            },
            type: "Opaque",
            // agentgateway reads the `Authorization` key and sends it as a Bearer token.
            stringData: {
              Authorization: pulumi.secret(
                resolvedSecret(args.secrets, server.tokenSecret, `mcp.servers.${server.name}.tokenSecret`),
              ),
            },
          },
          { parent: this },
        );
        backendDeps.push(tokenSecret);
      }
      const backend = new k8s.apiextensions.CustomResource(
        `${name}-${server.name}-backend`,
        {
          apiVersion: "agentgateway.dev/v1alpha1",
          kind: "AgentgatewayBackend",
          metadata: {
            name: server.name,
            namespace: args.namespace,
            labels: { "app.kubernetes.io/part-of": "ai-platform", "app.kubernetes.io/managed-by": "pulumi" },
            annotations: readinessAnnotations(BACKEND_WAITS, READINESS_TIMEOUTS.backend),
          },
          spec: mcpBackendSpec(server, { namespace: args.namespace, serviceLabels, tokenSecretName }),
        },
        // The AgentgatewayBackend kind comes with the agentgateway CRDs; the token Secret must exist before the proxy reads it.
        { parent: this, dependsOn: backendDeps },
      );
      new k8s.apiextensions.CustomResource(
        `${name}-${server.name}-route`,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: {
            name: server.name,
            namespace: args.namespace,
            labels: { "app.kubernetes.io/part-of": "ai-platform", "app.kubernetes.io/managed-by": "pulumi" },
            // Accepted by the server's Gateway, which the gateway layer creates without waiting for this one.
            annotations: readinessAnnotations(
              routeWaits([{ name: server.gateway }]),
              READINESS_TIMEOUTS.route,
            ),
          },
          spec: mcpRouteSpec(server, args.agentgatewayNamespace),
        },
        // HTTPRoute is a Gateway API kind; the route resolves only once its backend exists.
        {
          parent: this,
          dependsOn: [...(args.gatewayApiCrds !== undefined ? [args.gatewayApiCrds] : []), backend],
        },
      );
    }
    this.registerOutputs({ routePaths: this.routePaths, backends: args.config.servers.map((s) => s.name) });
  }

  private inCluster(name: string, server: InClusterMcpServer, args: McpServersArgs): Record<string, string> {
    const pin: ImagePin = imagePin(server.image);
    const secretEnv: Record<string, pulumi.Input<string>> = {};
    for (const [env, secret] of Object.entries(server.secretEnv)) {
      secretEnv[env] = resolvedSecret(args.secrets, secret, `mcp.servers.${server.name}.secretEnv.${env}`);
    }
    const args_ = server.args.length > 0 ? server.args : [...(pin.args ?? [])];
    const workload = new Workload(
      `${name}-${server.name}`,
      {
        namespace: args.namespace,
        objectName: mcpWorkloadName(server.name),
        component: "mcp-server",
        partOf: "ai-platform",
        image: pin,
        args: args_,
        env: server.env,
        secretEnv,
        ports: [{ name: "mcp", port: server.port, appProtocol: MCP_APP_PROTOCOL }],
        serviceAnnotations: { [MCP_PATH_ANNOTATION]: server.path },
        resources: server.resources ?? DEFAULT_MCP_RESOURCES,
        probes: {
          // MCP endpoints answer POSTed JSON-RPC only, so probes check the listener.
          readiness: { type: "tcp", port: "mcp", periodSeconds: 10 },
          liveness: { type: "tcp", port: "mcp", periodSeconds: 20 },
          startup: { type: "tcp", port: "mcp", periodSeconds: 5, failureThreshold: 36 },
        },
        writablePaths: ["/tmp"],
        // Room for servers launched through npx/uvx, which install their package into /tmp at start.
        scratchSize: "512Mi",
        replicas: server.replicas,
        // Only the proxies of the Gateway that routes the server reach it (their pods carry the Gateway's
        // name: agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/_helpers.tpl).
        ingress: [
          rule(namespacePeer(args.agentgatewayNamespace, proxySelector(server.gateway)), tcp(server.port)),
        ],
        egress: server.egressPorts.length > 0 ? [publicHttpsEgress(server.egressPorts)] : [],
      },
      { parent: this },
    );
    return workload.selector;
  }
}
