import { parseQuantity } from "../../lib/quantity";
import { invariant } from "./refine";

/*
 * Container resources as the API server judges them: a request above its limit is refused
 * (k8s.io/kubernetes@v1.36: pkg/apis/core/validation/validation.go, ValidateResourceRequirements).
 * Both are invariants of every `resources` block (../fields.ts).
 */

interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export const requestsAboveLimits = invariant<Resources>("requests-above-limits", (resources, problems) => {
  for (const res of ["cpu", "memory"] as const) {
    const request = resources.requests[res];
    const limit = resources.limits[res];
    if (parseQuantity(request) > parseQuantity(limit))
      problems.add(
        ["requests", res],
        `request ${request} is above the limit ${limit}`,
        "the API server refuses a container whose request exceeds its limit",
      );
  }
});

/** `512m` of memory is 0.512 bytes: accepted by the API server, but no container starts with it. */
export const memoryInMillibytes = invariant<Resources>("memory-in-millibytes", (resources, problems) => {
  for (const kind of ["requests", "limits"] as const) {
    const value = resources[kind].memory;
    if (value.endsWith("m"))
      problems.add(
        [kind, "memory"],
        `${value} is ${parseQuantity(value)} bytes ("m" means thousandths)`,
        `did you mean ${value.slice(0, -1)}Mi?`,
      );
  }
});
