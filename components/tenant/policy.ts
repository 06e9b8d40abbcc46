import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { TenantAddresses, TenantSpec } from "./args";
import { proxySelector } from "../gateway/gateways";
import {
  namespacePeer,
  networkPolicySpec,
  NetworkPolicySpec,
  rule,
  Rule,
  tcp,
} from "../../lib/networkPolicy";
import { labelValue, selectorLabels } from "../workload";
import { DEFAULT_GPU_RESOURCE } from "../../lib/tenantWorkload";

/*
 * Pure builders for a tenant's namespace guard rails: Pod Security and cost labels, ResourceQuota, LimitRange,
 * the default-deny NetworkPolicy with its allowances, the tenant admin Role, and the call graph between the
 * tenant's workloads.
 */

export const TENANT_LABEL = "ai-platform/tenant";
export const COST_CENTER_LABEL = "ai-platform/cost-center";

/** Namespace labels: restricted Pod Security in every mode, the tenant, and the cost center when given. */
export function namespaceLabels(tenant: Pick<TenantSpec, "name" | "costCenter">): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/managed-by": "pulumi",
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
    [TENANT_LABEL]: tenant.name,
  };
  if (tenant.costCenter !== undefined) labels[COST_CENTER_LABEL] = labelValue(tenant.costCenter);
  return labels;
}

/** Extended GPU resources the tenant's workloads request (the default one is always capped). */
export function gpuResources(tenant: Pick<TenantSpec, "workloads">): string[] {
  const names = new Set([DEFAULT_GPU_RESOURCE]);
  for (const w of tenant.workloads) if (w.gpu !== undefined) names.add(w.gpu.resource);
  return [...names].sort();
}

/** ResourceQuota `hard`: requests (and optionally limits) of CPU and memory, pods, and GPUs (0 = none). */
export function resourceQuotaHard(tenant: Pick<TenantSpec, "quota" | "workloads">): Record<string, string> {
  const q = tenant.quota;
  const hard: Record<string, string> = {
    "requests.cpu": q.cpu,
    "requests.memory": q.memory,
    pods: String(q.pods),
  };
  if (q.limitsCpu !== undefined) hard["limits.cpu"] = q.limitsCpu;
  if (q.limitsMemory !== undefined) hard["limits.memory"] = q.limitsMemory;
  // Extended resources are quota'd by their request only (https://kubernetes.io/docs/concepts/policy/resource-quotas/).
  for (const gpu of gpuResources(tenant)) hard[`requests.${gpu}`] = String(q.gpus);
  return hard;
}

/** LimitRange spec: per-container defaults for pods that set no resources, and optional upper bounds. */
export function limitRangeSpec(limits: TenantSpec["limits"]): k8s.types.input.core.v1.LimitRangeSpec {
  const item: k8s.types.input.core.v1.LimitRangeItem = {
    type: "Container",
    defaultRequest: { ...limits.defaultRequest },
    default: { ...limits.default },
  };
  if (limits.max !== undefined) item.max = { ...limits.max };
  return { limits: [item] };
}

export interface GatewayAccess {
  /** Gateway (proxy) name. */
  gateway: string;
  /** Listener ports the tenant's pods call. */
  ports: number[];
}

/**
 * The gateways a tenant's pods call: the AI gateways behind its agents' model routes (the listener in-cluster
 * clients use) and its MCP gateways (every HTTP listener). Throws on references the config rules reject.
 */
export function tenantGatewayAccess(
  tenant: Pick<TenantSpec, "workloads" | "mcpGateways">,
  addresses: TenantAddresses,
): { ai: GatewayAccess[]; mcp: GatewayAccess[] } {
  const collect = (entries: Array<[string, number]>): GatewayAccess[] => {
    const byGateway = new Map<string, Set<number>>();
    for (const [gateway, port] of entries)
      byGateway.set(gateway, (byGateway.get(gateway) ?? new Set()).add(port));
    return [...byGateway.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([gateway, ports]) => ({ gateway, ports: [...ports].sort((a, b) => a - b) }));
  };
  const ai: Array<[string, number]> = [];
  for (const w of tenant.workloads) {
    if (w.model === undefined) continue;
    const route = addresses.llmRoutes[w.model.route];
    if (route === undefined) throw new Error(`the address book has no LLM route "${w.model.route}"`);
    ai.push([route.gateway, route.listener.port]);
  }
  const mcp: Array<[string, number]> = [];
  for (const name of tenant.mcpGateways) {
    // Config validation admits declared gateways only (tenants.items[].mcpGateways).
    for (const port of addresses.gateways[name]!.httpPorts) mcp.push([name, port]);
  }
  return { ai: collect(ai), mcp: collect(mcp) };
}

/** Egress from every pod of the namespace to the listed gateways' proxy pods on their listener ports. */
export function gatewayEgressSpec(
  gatewayNamespace: pulumi.Input<string>,
  access: readonly GatewayAccess[],
): NetworkPolicySpec {
  return networkPolicySpec({
    podSelector: {},
    egress: access.map((a) =>
      rule(namespacePeer(gatewayNamespace, proxySelector(a.gateway)), tcp(...a.ports)),
    ),
  });
}

const READ = ["get", "list", "watch"];
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"];

/**
 * The tenant admin Role: runs and observes workloads, secrets and monitors in the namespace, but only reads
 * what keeps tenants apart (NetworkPolicies, quota, limits, RBAC) and the autoscalers this program owns.
 */
export function tenantAdminRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  return [
    {
      apiGroups: [""],
      resources: ["pods", "pods/log", "events", "endpoints", "resourcequotas", "limitranges"],
      verbs: READ,
    },
    { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
    {
      apiGroups: [""],
      resources: ["configmaps", "secrets", "services", "persistentvolumeclaims"],
      verbs: WRITE,
    },
    {
      apiGroups: ["apps"],
      resources: ["deployments", "deployments/scale", "statefulsets", "statefulsets/scale"],
      verbs: WRITE,
    },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
    {
      apiGroups: ["monitoring.coreos.com"],
      resources: ["servicemonitors", "podmonitors", "prometheusrules"],
      verbs: WRITE,
    },
    { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: READ },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: READ },
    { apiGroups: ["keda.sh"], resources: ["scaledobjects"], verbs: READ },
    { apiGroups: ["autoscaling.k8s.io"], resources: ["verticalpodautoscalers"], verbs: READ },
  ];
}

export function groupSubjects(
  groups: readonly string[],
): Array<{ kind: string; apiGroup: string; name: string }> {
  return [...new Set(groups)]
    .sort()
    .map((name) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name }));
}

/**
 * NetworkPolicy rules from the tenant's `calls` graph: each callee admits its callers on its port, each caller
 * may reach its callees. Selectors are the workload block's selector labels (object name = workload name).
 */
export function callGraphRules(
  namespace: pulumi.Input<string>,
  workloads: ReadonlyArray<{ name: string; port: number; calls: readonly string[] }>,
): Record<string, { ingress: Rule[]; egress: Rule[] }> {
  const out: Record<string, { ingress: Rule[]; egress: Rule[] }> = {};
  for (const w of workloads) out[w.name] = { ingress: [], egress: [] };
  for (const caller of workloads) {
    for (const calleeName of [...new Set(caller.calls)].sort()) {
      // Config validation admits calls to other workloads of the same tenant only.
      const callee = workloads.find((w) => w.name === calleeName)!;
      out[callee.name]!.ingress.push(
        rule(namespacePeer(namespace, selectorLabels({ name: caller.name })), tcp(callee.port)),
      );
      out[caller.name]!.egress.push(
        rule(namespacePeer(namespace, selectorLabels({ name: callee.name })), tcp(callee.port)),
      );
    }
  }
  return out;
}
