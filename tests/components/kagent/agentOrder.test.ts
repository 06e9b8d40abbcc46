import { strict as assert } from "assert";
import fc from "fast-check";
import { agentsInCallOrder } from "../../../components/kagent/kagent";

const agent = (name: string, agents: string[] = []) => ({ name, agents });

describe("kagent agents in call order", () => {
  it("creates the agents a lead delegates to before the lead", () => {
    const order = agentsInCallOrder([agent("lead", ["a", "b"]), agent("a"), agent("b", ["a"])]);
    assert.deepEqual(
      order.map((a) => a.name),
      ["a", "b", "lead"],
    );
  });

  it("keeps every agent once, callees first, and leaves call cycles in config order", () => {
    const names = ["a", "b", "c", "d", "e"];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names))), (edges) => {
        const agents = names.map((n) =>
          agent(
            n,
            edges.filter(([from]) => from === n).map(([, to]) => to),
          ),
        );
        const order = agentsInCallOrder(agents).map((a) => a.name);
        assert.deepEqual([...order].sort(), names);
        const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
          agents
            .find((a) => a.name === from)!
            .agents.some((n) => n === to || (!seen.has(n) && seen.add(n) && reaches(n, to, seen)));
        for (const [from, to] of edges)
          if (!reaches(to, from)) assert.ok(order.indexOf(to) < order.indexOf(from), `${to} before ${from}`);
      }),
    );
  });
});
