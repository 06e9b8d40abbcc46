import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AUTH_SECRET_KEY, backendSpec, LlmBackend } from "./backends";
import { AgentgatewayControlPlane, ControllerConfig } from "./controlPlane";
import {
  certificateGrants,
  gatewaySpec,
  GatewaySettings,
  httpsRedirectRouteName,
  httpsRedirectRouteSpec,
  parametersSpec,
} from "./gateways";
import {
  McpEgress,
  podDisruptionBudgetSpec,
  ProxyHardening,
  proxyEgress,
  proxyNetworkPolicySpec,
  TracingEgress,
} from "./hardening";
import { type AddressBook, gatewayOfUrl } from "../../lib/addressBook";
import type { NodePortMap } from "../../lib/exposures";
import { enabledPolicies, policyDocuments, PoliciesSettings } from "./policies";
import { AGW_VERSION, GATEWAY_API_VERSION } from "./refs";
import { httpRouteSpec, LlmRoute } from "./routes";
import { resolvedSecret } from "../platform/resolvedSecrets";
import {
  BACKEND_WAITS,
  gatewayWaits,
  policyAncestors,
  policyWaits,
  READINESS_TIMEOUTS,
  readinessAnnotations,
  routeWaits,
} from "../../lib/readiness";
import { emitGatewayTelemetry, GatewayTelemetry } from "./telemetry";
import { proxyLoggingParameters } from "./tracing";

export interface AiGatewayArgs {
  /** Namespace of the control plane, gateways, LLM backends, routes and policies (the Namespace's metadata.name output). */
  namespace: pulumi.Input<string>;
  /** Control plane, gateways and hardening (config `agentgateway`); `namespace` in it names the same namespace. */
  agentgateway: {
    namespace: string;
    controller: ControllerConfig;
    /** Gateways; `httpsRedirect` adds a route redirecting every HTTP listener to https. */
    gateways: (GatewaySettings & { httpsRedirect: boolean })[];
    /** Who may reach the proxies, and whether they get a NetworkPolicy and a PodDisruptionBudget. */
    hardening: ProxyHardening & { networkPolicy: boolean; podDisruptionBudget: boolean };
  };
  /** LLM backends and routes (config `llm`); nothing is emitted for them when it is disabled. */
  llm: { enabled: boolean; backends: LlmBackend[]; routes: LlmRoute[] };
  /** Gateway policies (config `policies`); a disabled section or item emits nothing. */
  policies: PoliciesSettings;
  /** Per gateway name, listener port -> NodePort: the exposure plan's gateway slice. */
  nodePorts: Record<string, NodePortMap>;
  /**
   * The address book of these gateways, LLM routes and the MCP servers they route (`addressBook` of the same
   * settings): the layer publishes it as `addressBook`.
   */
  addresses: AddressBook;
  /**
   * Provider API keys keyed by config secret name (every secret the backends name), as secret Outputs; each
   * becomes the `Authorization` key of a Secret of that name.
   */
  apiKeys: Record<string, pulumi.Input<string>>;
  /** Namespace of the MCP backends (the MCP layer's); MCP policies are emitted only when it is given. */
  mcpNamespace?: pulumi.Input<string>;
  /** The other layers the proxies reach: the MCP servers each gateway fronts and the trace collector. */
  peers: { mcp: McpEgress; observability: TracingEgress };
  /** The layer's own telemetry (policies, monitors, dashboard), when the observability layer runs. */
  telemetry?: GatewayTelemetry;
  /** The Gateway API CRDs; Gateway, HTTPRoute and ReferenceGrant objects wait for them. */
  gatewayApiCrds?: pulumi.Resource;
}

/** What the edge and the other layers need to know about a gateway's proxy Service. */
export interface GatewayServiceInfo {
  namespace: string;
  /** Service (and Deployment) name: the Gateway's name. */
  service: string;
  type: "NodePort" | "LoadBalancer" | "ClusterIP";
  ports: Array<{ listener: string; port: number; nodePort?: number }>;
  loadBalancerIp?: string;
}

/**
 * The AI gateway layer: agentgateway control plane, Gateways with their AgentgatewayParameters, LLM backends
 * and their API-key Secrets, LLM routes, policies, proxy hardening (NetworkPolicy, PodDisruptionBudget), and
 * its own telemetry (tracing and access-log policies, proxy and controller monitors, dashboard).
 */
export class AiGateway extends pulumi.ComponentResource {
  public readonly controlPlane: AgentgatewayControlPlane;
  /** Per gateway name: its proxy Service, ports and NodePorts. */
  public readonly gatewayServices: pulumi.Output<Record<string, GatewayServiceInfo>>;
  /** Where clients reach the layer: LLM route and MCP server URLs, client listeners, tunnel origins. */
  public readonly addressBook: AddressBook;
  /** Names of the layer's dashboard ConfigMaps. */
  public readonly dashboardNames: string[];

  constructor(name: string, args: AiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:gateway:AiGateway", name, {}, opts);
    const agw = args.agentgateway;
    const ns = args.namespace;
    const gatewayApi = args.gatewayApiCrds !== undefined ? [args.gatewayApiCrds] : [];
    this.addressBook = args.addresses;

    this.controlPlane = new AgentgatewayControlPlane(
      `${name}-control-plane`,
      { namespace: ns, controller: agw.controller, gatewayApiCrds: args.gatewayApiCrds },
      { parent: this },
    );
    const crds = this.controlPlane.crds;
    // ReferenceGrants, AgentgatewayParameters and the Prometheus monitors report no status to wait for:
    // ReferenceGrant has none (Gateway API v1.6.1 CRD), AgentgatewayParametersStatus is empty (agentgateway
    // v1.4.1 agentgateway_parameters_types.go), and prometheus-operator fills `status.bindings` only behind its
    // StatusForConfigurationResources feature gate.
    const backendReadiness = readinessAnnotations(BACKEND_WAITS, READINESS_TIMEOUTS.backend);
    const agwObject = (
      resourceName: string,
      kind: string,
      objectName: string,
      namespace: pulumi.Input<string>,
      spec: Record<string, unknown>,
      annotations?: Record<string, string>,
    ) =>
      new k8s.apiextensions.CustomResource(
        resourceName,
        {
          apiVersion: AGW_VERSION,
          kind,
          metadata: { name: objectName, namespace, ...(annotations !== undefined ? { annotations } : {}) },
          spec,
        },
        // agentgateway.dev kinds exist only once the CRD chart is applied.
        { parent: this, dependsOn: [crds] },
      );

    // ---- Gateways, their parameters, redirect routes and cross-namespace certificate grants
    const services: Record<string, GatewayServiceInfo> = {};
    for (const gw of agw.gateways) {
      const nodePorts = args.nodePorts[gw.name] ?? {};
      const params = agwObject(
        `${name}-params-${gw.name}`,
        "AgentgatewayParameters",
        gw.name,
        ns,
        parametersSpec(gw, nodePorts, proxyLoggingParameters(args.telemetry?.accessLogs ?? false)),
      );
      new k8s.apiextensions.CustomResource(
        `${name}-gateway-${gw.name}`,
        {
          apiVersion: GATEWAY_API_VERSION,
          kind: "Gateway",
          metadata: {
            name: gw.name,
            namespace: ns,
            annotations: readinessAnnotations(
              gatewayWaits({
                listeners: gw.listeners,
                ...(gw.service.type === "LoadBalancer" ? { loadBalancerIp: gw.service.ip } : {}),
              }),
              READINESS_TIMEOUTS.gateway,
            ),
          },
          spec: gatewaySpec(gw),
        },
        // Gateway API kinds need their CRDs; the parameters must exist first or the controller provisions a
        // default LoadBalancer Service that would grab an address from the LB pool.
        { parent: this, dependsOn: [...gatewayApi, params] },
      );
      if (gw.httpsRedirect) {
        const routeName = httpsRedirectRouteName(gw);
        new k8s.apiextensions.CustomResource(
          `${name}-route-${routeName}`,
          {
            apiVersion: GATEWAY_API_VERSION,
            kind: "HTTPRoute",
            metadata: {
              name: routeName,
              namespace: ns,
              annotations: routeReadiness(httpsRedirectRouteSpec(gw)),
            },
            spec: httpsRedirectRouteSpec(gw),
          },
          // HTTPRoute is a Gateway API kind.
          { parent: this, dependsOn: gatewayApi },
        );
      }
      services[gw.name] = {
        namespace: agw.namespace,
        service: gw.name,
        type: gw.service.type,
        ports: gw.listeners.map((l) => ({
          listener: l.name,
          port: l.port,
          ...(gw.service.type === "NodePort" && nodePorts[l.port] !== undefined
            ? { nodePort: nodePorts[l.port] }
            : {}),
        })),
        ...(gw.service.type === "LoadBalancer" ? { loadBalancerIp: gw.service.ip } : {}),
      };
    }
    for (const grant of certificateGrants(agw.gateways, agw.namespace)) {
      new k8s.apiextensions.CustomResource(
        `${name}-grant-${grant.namespace}-${grant.name}`,
        {
          apiVersion: GATEWAY_API_VERSION,
          kind: "ReferenceGrant",
          metadata: { name: grant.name, namespace: grant.namespace },
          spec: grant.spec,
        },
        // ReferenceGrant is a Gateway API kind.
        { parent: this, dependsOn: gatewayApi },
      );
    }

    // ---- LLM provider secrets, backends and routes
    if (args.llm.enabled) {
      for (const secretName of Object.keys(args.apiKeys).sort()) {
        const value = resolvedSecret(args.apiKeys, secretName, `AiGateway ${name}`);
        new k8s.core.v1.Secret(
          `${name}-secret-${secretName}`,
          {
            metadata: { name: secretName, namespace: ns },
            type: "Opaque",
            stringData: { [AUTH_SECRET_KEY]: pulumi.secret(value) },
          },
          { parent: this },
        );
      }
      for (const b of args.llm.backends) {
        agwObject(
          `${name}-backend-${b.name}`,
          "AgentgatewayBackend",
          b.name,
          ns,
          backendSpec(b),
          backendReadiness,
        );
      }
      for (const r of args.llm.routes) {
        new k8s.apiextensions.CustomResource(
          `${name}-route-${r.name}`,
          {
            apiVersion: GATEWAY_API_VERSION,
            kind: "HTTPRoute",
            metadata: { name: r.name, namespace: ns, annotations: routeReadiness(httpRouteSpec(r)) },
            spec: httpRouteSpec(r),
          },
          // HTTPRoute is a Gateway API kind.
          { parent: this, dependsOn: gatewayApi },
        );
      }
    }

    // ---- Policies (and the JWKS backends JWT policies fetch keys through)
    const policies = enabledPolicies(args.policies);
    const topology = gatewayTopology(args);
    for (const doc of policyDocuments(policies)) {
      if (doc.scope === "mcp" && args.mcpNamespace === undefined) continue;
      const policyNs = doc.scope === "mcp" ? args.mcpNamespace! : ns;
      for (const b of doc.backends)
        agwObject(`${name}-backend-${b.name}`, "AgentgatewayBackend", b.name, ns, b.spec, backendReadiness);
      const targets = doc.spec["targetRefs"] as Array<{ kind: string; name: string }>;
      agwObject(
        `${name}-policy-${doc.name}`,
        "AgentgatewayPolicy",
        doc.name,
        policyNs,
        doc.spec,
        readinessAnnotations(policyWaits(policyAncestors(targets, topology)), READINESS_TIMEOUTS.policy),
      );
    }

    // ---- Hardening
    for (const gw of agw.gateways) {
      if (agw.hardening.networkPolicy) {
        // Each gateway's proxies reach what its own routes, MCP servers, policies and tracing need.
        const egress = proxyEgress(gw.name, { llm: args.llm, policies, ...args.peers });
        new k8s.networking.v1.NetworkPolicy(
          `${name}-netpol-${gw.name}`,
          {
            metadata: { name: gw.name, namespace: ns },
            spec: proxyNetworkPolicySpec(gw, { namespace: agw.namespace, hardening: agw.hardening, egress }),
          },
          { parent: this },
        );
      }
      const pdb = agw.hardening.podDisruptionBudget ? podDisruptionBudgetSpec(gw) : undefined;
      if (pdb !== undefined) {
        new k8s.policy.v1.PodDisruptionBudget(
          `${name}-pdb-${gw.name}`,
          { metadata: { name: gw.name, namespace: ns }, spec: pdb },
          { parent: this },
        );
      }
    }

    this.dashboardNames =
      args.telemetry === undefined
        ? []
        : emitGatewayTelemetry(this, {
            name,
            namespace: ns,
            gateways: agw.gateways.map((g) => g.name),
            telemetry: args.telemetry,
            crds,
          });

    this.gatewayServices = pulumi.output(services);
    this.registerOutputs({ gatewayServices: this.gatewayServices, addressBook: this.addressBook });
  }
}

/** Readiness of an HTTPRoute: each of its parents accepts it and resolves its backends. */
function routeReadiness(spec: Record<string, unknown>): Record<string, string> {
  const parents = spec["parentRefs"] as Array<{ name: string; sectionName?: string }>;
  return readinessAnnotations(
    routeWaits(
      parents.map((p) => ({
        name: p.name,
        ...(p.sectionName !== undefined ? { sectionName: p.sectionName } : {}),
      })),
    ),
    READINESS_TIMEOUTS.route,
  );
}

/** The Gateways each route and routed backend of the layer reaches, for the policies' ancestors. */
function gatewayTopology(args: AiGatewayArgs): {
  routes: Map<string, string[]>;
  backends: Map<string, string[]>;
} {
  const routes = new Map<string, string[]>();
  const backends = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, gateway: string) =>
    map.set(key, [...(map.get(key) ?? []), gateway]);
  for (const gw of args.agentgateway.gateways)
    if (gw.httpsRedirect) add(routes, httpsRedirectRouteName(gw), gw.name);
  if (args.llm.enabled) {
    for (const r of args.llm.routes) {
      add(routes, r.name, r.gateway);
      for (const rule of r.rules) add(backends, rule.backend, r.gateway);
    }
  }
  // An MCP server's backend and route are both named after the server (components/mcp/routing.ts).
  for (const [server, url] of Object.entries(args.addresses.mcpServers)) {
    add(routes, server, gatewayOfUrl(url));
    add(backends, server, gatewayOfUrl(url));
  }
  return { routes, backends };
}
