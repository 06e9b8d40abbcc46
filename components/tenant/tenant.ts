import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TenantAddresses, TenantSpec } from "./args";
import { defaultDenySpec, dnsEgress, networkPolicySpec } from "../../lib/networkPolicy";
import { images } from "../../lib/versions";
import { AgentWorkload } from "./agentWorkload";
import { agentModelBaseUrl } from "./model";
import {
  callGraphRules,
  gatewayEgressSpec,
  groupSubjects,
  limitRangeSpec,
  namespaceLabels,
  resourceQuotaHard,
  tenantAdminRules,
  tenantGatewayAccess,
} from "./policy";
import { resolvedSecret } from "../platform/resolvedSecrets";

export interface TenantArgs {
  /** The tenant's configuration: namespace name, quota, limits, admins, cost center, workloads. */
  tenant: TenantSpec;
  /** The gateway layer's address book: agents' model URLs, and the gateway ports the NetworkPolicies allow. */
  addresses: TenantAddresses;
  /** Resolved secret values (secret Outputs) by secret name, covering every secret its workloads read. */
  secrets: Record<string, pulumi.Input<string>>;
  /** Namespace of the Prometheus that scrapes the workloads. */
  metricsNamespace: pulumi.Input<string>;
  /** Labels on every ServiceMonitor, for the Prometheus selector. */
  serviceMonitorLabels?: Record<string, string>;
  /** The prometheus-operator CRDs, when installed by this program; ServiceMonitors wait for them. */
  monitoringCrds?: pulumi.Resource;
  /** Resources the tenant namespace waits for (the CNI); everything in it waits through the namespace. */
  after?: pulumi.Resource[];
}

/**
 * A tenant: its namespace (restricted Pod Security, cost labels), ResourceQuota, LimitRange, default-deny
 * NetworkPolicy with DNS and gateway allowances, a tenant admin Role bound to the admin groups, and its
 * agent and service workloads.
 */
export class Tenant extends pulumi.ComponentResource {
  /** The tenant's name, which is also its namespace's name, as a plain string (e.g. to key outputs by). */
  public readonly tenantName: string;
  /** Namespace name (an Output, so consumers wait for the Namespace). */
  public readonly namespaceName: pulumi.Output<string>;
  /** Model base URL of every agent workload, by workload name. */
  public readonly modelEndpoints: Record<string, string> = {};

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tenant:Tenant", name, {}, opts);
    const t = args.tenant;
    this.tenantName = t.name;
    const labels = namespaceLabels(t);

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: t.name, labels } },
      // Protected: deleting the namespace deletes every object of the tenant with it. dependsOn: see `after`.
      { parent: this, protect: true, dependsOn: args.after ?? [] },
    );
    const ns = namespace.metadata.name;
    this.namespaceName = ns;
    const meta = (objectName: string) => ({
      name: objectName,
      namespace: ns,
      labels: { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": t.name },
    });

    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      { metadata: meta("tenant-quota"), spec: { hard: resourceQuotaHard(t) } },
      { parent: this },
    );
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      { metadata: meta("tenant-limits"), spec: limitRangeSpec(t.limits) },
      { parent: this },
    );

    const access = tenantGatewayAccess(t, args.addresses);
    const policies: Array<[string, k8s.types.input.networking.v1.NetworkPolicySpec]> = [
      ["default-deny", defaultDenySpec()],
      ["allow-dns", networkPolicySpec({ podSelector: {}, egress: [dnsEgress()] })],
    ];
    if (access.ai.length > 0)
      policies.push(["allow-ai-gateway", gatewayEgressSpec(args.addresses.namespace, access.ai)]);
    if (access.mcp.length > 0)
      policies.push(["allow-mcp-gateway", gatewayEgressSpec(args.addresses.namespace, access.mcp)]);
    for (const [policy, spec] of policies) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy}`,
        { metadata: meta(policy), spec },
        { parent: this },
      );
    }

    new k8s.rbac.v1.Role(
      `${name}-admin`,
      { metadata: meta("tenant-admin"), rules: tenantAdminRules() },
      { parent: this },
    );
    if (t.adminGroups.length > 0) {
      new k8s.rbac.v1.RoleBinding(
        `${name}-admin`,
        {
          metadata: meta("tenant-admin"),
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "tenant-admin" },
          subjects: groupSubjects(t.adminGroups),
        },
        { parent: this },
      );
    }

    const graph = callGraphRules(ns, t.workloads);
    for (const w of t.workloads) {
      const secretEnv: Record<string, pulumi.Input<string>> = {};
      for (const [env, secretName] of Object.entries(w.secretEnv)) {
        secretEnv[env] = resolvedSecret(args.secrets, secretName, `${t.name}/${w.name}`);
      }
      if (w.model !== undefined) {
        this.modelEndpoints[w.name] = agentModelBaseUrl(w.model, args.addresses);
      }
      new AgentWorkload(
        `${name}-${w.name}`,
        {
          namespace: ns,
          workload: w,
          image: images[w.image],
          modelBaseUrl: this.modelEndpoints[w.name],
          secretEnv,
          ingress: graph[w.name]!.ingress,
          egress: graph[w.name]!.egress,
          partOf: t.name,
          metrics: { namespace: args.metricsNamespace, labels: args.serviceMonitorLabels },
          monitoringCrds: args.monitoringCrds,
        },
        { parent: this },
      );
    }

    this.registerOutputs({ namespace: this.namespaceName, modelEndpoints: this.modelEndpoints });
  }
}
