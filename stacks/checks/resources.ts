import { parseQuantity } from "../../lib/quantity";
import type { CrossRule } from ".";
import type { ConfigIndex } from "./configIndex";

/*
 * Container resources as the API server judges them: a request above its limit is refused
 * (k8s.io/kubernetes@v1.36: pkg/apis/core/validation/validation.go, ValidateResourceRequirements).
 */

interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Every `resources` block of the config with its path. */
function resourceBlocks({ config }: ConfigIndex): Array<{ path: string; resources: Resources }> {
  const out: Array<{ path: string; resources: Resources | undefined }> = [
    { path: "agentgateway.controller.resources", resources: config.agentgateway?.controller.resources },
    { path: "observability.collector.resources", resources: config.observability?.collector.resources },
  ];
  config.agentgateway?.gateways.forEach((g, i) =>
    out.push({ path: `agentgateway.gateways[${i}].resources`, resources: g.resources }),
  );
  config.mcp?.servers.forEach((s, i) => {
    if (s.kind === "inCluster") out.push({ path: `mcp.servers[${i}].resources`, resources: s.resources });
  });
  config.tenants?.items.forEach((t, i) =>
    t.workloads.forEach((w, j) =>
      out.push({ path: `tenants.items[${i}].workloads[${j}].resources`, resources: w.resources }),
    ),
  );
  return out.filter((b): b is { path: string; resources: Resources } => b.resources !== undefined);
}

const requestsAboveLimits: CrossRule = {
  id: "requests-above-limits",
  check(index, issues) {
    for (const { path, resources } of resourceBlocks(index)) {
      for (const res of ["cpu", "memory"] as const) {
        const request = resources.requests[res];
        const limit = resources.limits[res];
        if (parseQuantity(request) > parseQuantity(limit))
          issues.add(
            `${path}.requests.${res}`,
            `request ${request} is above the limit ${limit}`,
            "the API server refuses a container whose request exceeds its limit",
          );
      }
    }
  },
};

/** `512m` of memory is 0.512 bytes: accepted by the API server, but no container starts with it. */
const memoryInMillibytes: CrossRule = {
  id: "memory-in-millibytes",
  check(index, issues) {
    for (const { path, resources } of resourceBlocks(index)) {
      for (const kind of ["requests", "limits"] as const) {
        const value = resources[kind].memory;
        if (value.endsWith("m"))
          issues.add(
            `${path}.${kind}.memory`,
            `${value} is ${parseQuantity(value)} bytes ("m" means thousandths)`,
            `did you mean ${value.slice(0, -1)}Mi?`,
          );
      }
    }
  },
};

export const resourceRules: CrossRule[] = [requestsAboveLimits, memoryInMillibytes];
