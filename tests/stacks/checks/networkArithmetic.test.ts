import { strict as assert } from "assert";
import fc from "fast-check";
import { rawConfigOf } from "../../../recording/stackFile";
import { formatIssue } from "../../../stacks/issues";
import { parsePlatformConfig } from "../../../stacks/load";
import { applyFixture } from "../../support/fixtures";

describe("checks: pod CIDR capacity (property)", () => {
  it("refuses the pod CIDR exactly when it holds fewer node ranges than rooster's four nodes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 27 }), fc.integer({ min: 20, max: 28 }), (prefix, mask) => {
        const podCidr = `10.42.0.0/${prefix}`;
        const { issues } = parsePlatformConfig(
          rawConfigOf(
            applyFixture({
              file: "pod-cidr.yaml",
              description: "pod CIDR and node mask",
              base: "rooster",
              set: {
                "cluster.talos.network.podCidr": podCidr,
                "cluster.talos.patches.controlplane": [
                  { cluster: { controllerManager: { extraArgs: { "node-cidr-mask-size": String(mask) } } } },
                ],
              },
            }),
          ),
        );
        const refused = issues.some((i) => i.path === "cluster.talos.network.podCidr");
        const ranges = mask >= prefix ? 2 ** (mask - prefix) : 0;
        assert.equal(refused, ranges < 4, `${podCidr} at /${mask}: ${issues.map(formatIssue).join("; ")}`);
      }),
      { numRuns: 40 },
    );
  });
});
