import { strict as assert } from "assert";
import fc from "fast-check";
import { networkPolicySpec } from "../../../lib/networkPolicy";
import { callGraphRules } from "../../../components/tenant/policy";
import { selectorLabels } from "../../../components/workload";
import { allows } from "../../support/networkPolicy";

/*
 * A tenant's call graph admits exactly its declared calls: the caller's egress and the callee's ingress both
 * allow caller -> callee on the callee's port, and nothing else between the tenant's workloads.
 */

const NAMES = ["api", "worker", "agent"];
const PORTS = [8080, 9090];

const workloadsArb = fc
  .tuple(...NAMES.map(() => fc.record({ port: fc.constantFrom(...PORTS), calls: fc.subarray(NAMES) })))
  .map((ws) =>
    ws.map((w, i) => ({ name: NAMES[i]!, port: w.port, calls: w.calls.filter((c) => c !== NAMES[i]) })),
  );

describe("tenant/policy: the call graph admits exactly the declared calls", () => {
  it("for any graph, caller, callee and port", () => {
    fc.assert(
      fc.property(
        workloadsArb,
        fc.constantFrom(...NAMES),
        fc.constantFrom(...NAMES),
        fc.constantFrom(...PORTS),
        (workloads, from, to, port) => {
          const graph = callGraphRules("team", workloads);
          const pod = (name: string) => ({
            kind: "pod" as const,
            namespace: "team",
            labels: selectorLabels({ name }),
          });
          const egress = networkPolicySpec({
            podSelector: selectorLabels({ name: from }),
            egress: graph[from]!.egress,
          });
          const ingress = networkPolicySpec({
            podSelector: selectorLabels({ name: to }),
            ingress: graph[to]!.ingress,
          });
          const callee = workloads.find((w) => w.name === to)!;
          const declared = workloads.find((w) => w.name === from)!.calls.includes(to) && callee.port === port;
          const c = (name: string) => ({ endpoint: pod(name), port, protocol: "TCP" as const });
          assert.equal(allows(egress, "Egress", c(to), "team"), declared);
          assert.equal(allows(ingress, "Ingress", c(from), "team"), declared);
        },
      ),
      { numRuns: 300 },
    );
  });
});
