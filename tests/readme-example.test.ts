import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { recordStack } from "../recording/runtime";
import { fromStackDocument, PROJECT_ROOT, rawConfigOf } from "../recording/stackFile";
import { formatIssue } from "../stacks/issues";
import { parsePlatformConfig } from "../stacks/load";
import { conformanceProblems } from "../conformance";
import { describeWithSchemas } from "./support/schemas";

const HEADING = "### Existing cluster, AI gateway only";

/** The YAML block under the README's minimal-stack heading, as a stack file. */
function readmeExample() {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(HEADING));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(readme.includes(HEADING) && block !== null, "the README has the minimal example");
  const doc = parse(block[1]!) as { config: Record<string, unknown> };
  return fromStackDocument("existing", doc.config);
}

describe("README: existing cluster, AI gateway only", () => {
  it("is a valid configuration with Talos off and the unused layers left out", () => {
    const raw = rawConfigOf(readmeExample());
    assert.deepEqual(Object.keys(raw.values).sort(), ["agentgateway", "cluster", "llm", "secrets"]);
    const { config, issues } = parsePlatformConfig(raw);
    assert.deepEqual(issues.map(formatIssue), []);
    assert.equal(config?.cluster.talos.enabled, false);
    assert.equal(config?.kagent.enabled, false);
  });

  it("plans: the program registers the gateway and the route, and nothing of the layers left out", async () => {
    const recording = await recordStack("existing", { stackFile: readmeExample() });
    const types = new Set(recording.resources.map((r) => r.type));
    assert.ok(types.has("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"));
    for (const absent of [
      "talos:",
      "f5bigip:",
      "cloudflare:",
      "kubernetes:kagent.dev",
      "kubernetes:monitoring",
    ])
      assert.ok(![...types].some((t) => t.startsWith(absent)), absent);
  });

  describeWithSchemas("against the upstream schemas", () => {
    it("every object it plans conforms", async () => {
      const recording = await recordStack("existing", { stackFile: readmeExample() });
      assert.deepEqual(conformanceProblems(recording), []);
    });
  });
});
