import { z } from "zod";
import { dnsLabel, quantity } from "../fields";
import { cpuMemory, tenantWorkloadSchema } from "./tenantWorkload";
import { invariant, uniqueNames } from "../checks/refine";
import { ownedNamespaces } from "../checks/configIndex";
import type { PartialConfig, Rule } from "./common";
import { KUBERNETES_NAMESPACES } from "../../lib/layers";
import { clientAddressIssue, configAddressBook } from "../addressBook";
import { formatCpu, formatMemory, parseQuantity } from "../../lib/quantity";
import { resolve } from "./common";

/* Tenant namespaces, workloads, quotas and the gateways they reach. */

/** What a built-in cluster-wide group stands for, or undefined for a group of people. */
function clusterWideGroup(group: string): string | undefined {
  if (group === "system:authenticated") return "every authenticated user and service account";
  if (group === "system:unauthenticated") return "every anonymous request";
  if (group === "system:serviceaccounts") return "every service account of the cluster";
  if (group.startsWith("system:serviceaccounts:")) return "every service account of a namespace";
  if (group === "system:masters") return "cluster-admin, past every RBAC check";
  if (group === "system:nodes") return "every kubelet";
  return undefined;
}

const tenantSchema = z
  .strictObject({
    name: dnsLabel,
    adminGroups: z.array(z.string().min(1)).default([]),
    quota: z.strictObject({
      /** requests.cpu */
      cpu: quantity,
      /** requests.memory */
      memory: quantity,
      limitsCpu: quantity.optional(),
      limitsMemory: quantity.optional(),
      pods: z.number().int().positive(),
      /** requests.<gpu resource>; GPU workloads are refused when unset (0). */
      gpus: z.number().int().min(0).default(0),
    }),
    /** Container defaults and bounds (LimitRange). */
    limits: z
      .strictObject({
        defaultRequest: cpuMemory,
        default: cpuMemory,
        max: cpuMemory.optional(),
      })
      .default({
        defaultRequest: { cpu: "100m", memory: "128Mi" },
        default: { cpu: "500m", memory: "512Mi" },
      }),
    costCenter: z.string().optional(),
    /** Gateways whose MCP routes the tenant's pods may call (the AI gateways follow from the models). */
    mcpGateways: z.array(dnsLabel).default([]),
    workloads: z.array(tenantWorkloadSchema).default([]).check(uniqueNames("workload name")),
  })
  .check(
    // The tenant's admin Role is bound to these groups; a group every user, every service account or the node
    // identities are in hands the tenant namespace to the whole cluster
    // (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects, system:masters also
    // bypasses RBAC altogether).
    invariant("tenant-admin-groups", (t, problems) =>
      t.adminGroups.forEach((group, i) => {
        const who = clusterWideGroup(group);
        if (who !== undefined)
          problems.add(["adminGroups", i], `"${group}" is ${who}`, "name the tenant's own admin group");
      }),
    ),
    invariant("limit-range", (t, problems) => {
      const { defaultRequest, default: defaultLimit, max } = t.limits;
      for (const res of ["cpu", "memory"] as const) {
        if (parseQuantity(defaultRequest[res]) > parseQuantity(defaultLimit[res]))
          problems.add(
            ["limits", "defaultRequest", res],
            `default request ${defaultRequest[res]} is above the default limit ${defaultLimit[res]}`,
          );
        if (max !== undefined && parseQuantity(defaultLimit[res]) > parseQuantity(max[res]))
          problems.add(
            ["limits", "default", res],
            `default limit ${defaultLimit[res]} is above the maximum ${max[res]}`,
          );
      }
      if (max === undefined) return;
      t.workloads.forEach((w, j) => {
        for (const res of ["cpu", "memory"] as const) {
          if (parseQuantity(w.resources.limits[res]) > parseQuantity(max[res]))
            problems.add(
              ["workloads", j, "resources", "limits", res],
              `${w.resources.limits[res]} is above the tenant maximum ${max[res]}`,
              "raise {see} or lower the limit",
              ["limits", "max", res],
            );
        }
      });
    }),
  )
  .check(
    invariant("quota-fits", (t, problems) => {
      // What the minimum replica counts need at once, against the quota.
      const need = { cpu: 0, memory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0, gpus: 0 };
      for (const w of t.workloads) {
        const replicas = w.autoscaling?.minReplicas ?? w.replicas;
        need.cpu += replicas * parseQuantity(w.resources.requests.cpu);
        need.memory += replicas * parseQuantity(w.resources.requests.memory);
        need.limitsCpu += replicas * parseQuantity(w.resources.limits.cpu);
        need.limitsMemory += replicas * parseQuantity(w.resources.limits.memory);
        need.pods += replicas;
        need.gpus += replicas * (w.gpu?.count ?? 0);
      }
      const q = t.quota;
      const over = (field: string, what: string, needed: string, allowed: string) =>
        problems.add(
          ["quota", field],
          `the minimum replicas need ${needed} ${what} but the quota allows ${allowed}`,
        );
      if (need.cpu > parseQuantity(q.cpu)) over("cpu", "CPU requests", formatCpu(need.cpu), q.cpu);
      if (need.memory > parseQuantity(q.memory))
        over("memory", "memory requests", formatMemory(need.memory), q.memory);
      if (q.limitsCpu !== undefined && need.limitsCpu > parseQuantity(q.limitsCpu))
        over("limitsCpu", "CPU limits", formatCpu(need.limitsCpu), q.limitsCpu);
      if (q.limitsMemory !== undefined && need.limitsMemory > parseQuantity(q.limitsMemory))
        over("limitsMemory", "memory limits", formatMemory(need.limitsMemory), q.limitsMemory);
      if (need.pods > q.pods) over("pods", "pods", String(need.pods), String(q.pods));
      if (need.gpus > q.gpus) over("gpus", "GPUs", String(need.gpus), String(q.gpus));
    }),
  );

export const tenantsSchema = z.strictObject({
  enabled: z.boolean(),
  items: z.array(tenantSchema).default([]).check(uniqueNames("tenant name")),
});

/** Namespaces other layers (or Kubernetes itself) own; a tenant cannot take one over. */
function reservedNamespaces(c: PartialConfig): Map<string, string> {
  const owned = new Map<string, string>(KUBERNETES_NAMESPACES.map((ns) => [ns, "Kubernetes"]));
  for (const { layer, namespace } of ownedNamespaces(c))
    if (!owned.has(namespace)) owned.set(namespace, layer);
  return owned;
}

/** Secrets the LLM backends hold: provider keys the gateway injects, never handed to tenant pods. */
function providerKeySecrets(c: PartialConfig): Set<string> {
  const names = new Set<string>();
  for (const b of c.llm?.backends ?? []) {
    if (b.provider === "failover") b.groups.forEach((g) => g.providers.forEach((p) => names.add(p.secret)));
    else if (b.provider !== "static") names.add(b.secret);
  }
  return names;
}

export const tenantRules: Rule = (c, issues) => {
  if (c.tenants === undefined) return;
  const reserved = reservedNamespaces(c);
  const routes = c.llm?.routes;
  const agw = c.agentgateway;
  const providerKeys = providerKeySecrets(c);
  c.tenants.items.forEach((t, i) => {
    const base = `tenants.items[${i}]`;
    const owner = reserved.get(t.name);
    if (owner !== undefined) {
      issues.add(
        `${base}.name`,
        `namespace "${t.name}" belongs to ${owner}`,
        "give the tenant its own namespace",
      );
    }
    // Proxies with an ingress allow-list admit only the listed namespaces.
    const gatewayAdmits = (path: string, gateway: string) => {
      const h = agw?.hardening;
      if (h === undefined || !h.networkPolicy) return;
      if (h.ingressNamespaces.length + h.ingressCidrs.length === 0 || h.ingressNamespaces.includes(t.name))
        return;
      issues.add(
        path,
        `the proxies of gateway "${gateway}" do not admit namespace "${t.name}"`,
        "add the tenant to agentgateway.hardening.ingressNamespaces",
      );
    };
    if (agw !== undefined) {
      t.mcpGateways.forEach((g, j) => {
        const path = `${base}.mcpGateways[${j}]`;
        if (
          !resolve(
            issues,
            path,
            g,
            agw.gateways.map((x) => x.name),
            "gateway",
          )
        )
          return;
        gatewayAdmits(path, g);
        if (configAddressBook(c)?.gateways[g]?.httpPorts.length === 0) {
          issues.add(
            path,
            `gateway "${g}" has no HTTP listener`,
            "add an HTTP listener for in-cluster MCP clients",
          );
        }
      });
    }
    const workloadNames = t.workloads.map((w) => w.name);
    t.workloads.forEach((w, j) => {
      const wb = `${base}.workloads[${j}]`;
      if (w.model !== undefined && routes !== undefined) {
        const m = w.model;
        if (
          resolve(
            issues,
            `${wb}.model.route`,
            m.route,
            routes.map((r) => r.name),
            "LLM route",
          )
        ) {
          const route = routes.find((r) => r.name === m.route)!;
          const prefixes = route.rules.map((r) => r.pathPrefix);
          if (!prefixes.includes(m.pathPrefix)) {
            issues.add(
              `${wb}.model.pathPrefix`,
              `LLM route "${route.name}" has no rule with path prefix ${m.pathPrefix}`,
              `its path prefixes: ${prefixes.join(", ")}`,
            );
          }
          if (agw !== undefined && agw.gateways.some((g) => g.name === route.gateway)) {
            const unreachable = clientAddressIssue(c, "llmRoute", route.name);
            if (unreachable !== undefined)
              issues.add(`${wb}.model.route`, unreachable.message, unreachable.hint);
            gatewayAdmits(`${wb}.model.route`, route.gateway);
          }
        }
      }
      for (const [env, secret] of Object.entries(w.secretEnv)) {
        if (providerKeys.has(secret)) {
          issues.add(
            `${wb}.secretEnv.${env}`,
            `secret "${secret}" is an LLM provider key`,
            "workloads reach models through the AI gateway (model.route), which holds the key",
          );
        }
      }
      w.calls.forEach((callee, k) => {
        if (callee !== w.name) resolve(issues, `${wb}.calls[${k}]`, callee, workloadNames, "workload");
      });
    });
  });
};
