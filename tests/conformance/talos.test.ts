import { strict as assert } from "assert";
import { rawConfigOf } from "../../recording/stackFile";
import { stackTalosPatchProblems, talosDocumentProblems } from "../../conformance/talos";
import { applyFixture } from "../support/fixtures";
import { describeWithSchemas } from "../support/schemas";

describeWithSchemas(
  "conformance: the stack's extra Talos documents (Talos v1.13.9 schema, in the plan)",
  () => {
    it("names the config entry and the field of each document Talos would refuse", () => {
      const stack = applyFixture({
        file: "talos-patches.yaml",
        description:
          "a misspelled field, a sysctl given as a number, a typed document without its required field",
        base: "homeops",
        set: {
          "cluster.talos.patches.worker": [{ cluster: { coreDNS: { disable: true } } }],
          "cluster.talos.nodes[1].patches": [
            { machine: { sysctls: { "vm.swappiness": 10 } } },
            {
              apiVersion: "v1alpha1",
              kind: "LinkConfig",
              name: "eth1",
              addresses: [{ address: "10.0.0.1" }],
            },
          ],
        },
      });
      const problems = stackTalosPatchProblems(rawConfigOf(stack).values).map(
        (p) => `${p.path}: ${p.problem}`,
      );
      assert.ok(
        problems.includes(
          'cluster.talos.patches.worker[0]: Talos v1.13.9 refuses /cluster/coreDNS: must NOT have additional properties "disable"',
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.some((p) =>
          p.startsWith(
            "cluster.talos.nodes[1].patches[0]: Talos v1.13.9 refuses /machine/sysctls/vm.swappiness",
          ),
        ),
      );
      assert.ok(
        problems.some((p) => p.startsWith("cluster.talos.nodes[1].patches[1]: Talos v1.13.9 refuses")),
      );
      assert.ok(
        problems.every((p) => !p.includes("controlplane")),
        "the valid role patches pass",
      );
    });

    it("passes the stacks' own documents", () => {
      for (const stack of ["rooster", "homeops"])
        assert.deepEqual(
          stackTalosPatchProblems(
            rawConfigOf(applyFixture({ file: "x", description: "", base: stack })).values,
          ),
          [],
        );
      assert.deepEqual(talosDocumentProblems({ machine: { sysctls: { "vm.swappiness": "10" } } }), []);
    });
  },
);
