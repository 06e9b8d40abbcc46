import { strict as assert } from "assert";
import { KUBERNETES_NAMESPACES, namespacesOf } from "../lib/layers";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import { formatIssue } from "../stacks/issues";
import { parsePlatformConfig } from "../stacks/load";
import { applyFixture } from "./support/fixtures";

/** Every formatted issue of the homeops stack file with the given edits. */
function issuesOf(set: Record<string, unknown>, del: string[] = []): string[] {
  const fixture = { file: "inline.yaml", description: "inline", base: "homeops", set, delete: del };
  const { config, issues } = parsePlatformConfig(rawConfigOf(applyFixture(fixture)));
  assert.equal(config, undefined, "an invalid config yields no config");
  return issues.map(formatIssue);
}

describe("config: object invariants and cross-field rules are reported together", () => {
  const tls = "ai-platform:agentgateway.gateways[0].listeners[1].tls: HTTPS listener needs a TLS certificate";

  it("a gateway that breaks an invariant is still checked against the routes and pools that use it", () => {
    const issues = issuesOf({ "llm.routes[0].listener": "htps" }, [
      "agentgateway.gateways[0].listeners[1].tls",
    ]);
    assert.ok(
      issues.some((i) => i.startsWith(tls)),
      issues.join("\n"),
    );
    assert.ok(
      issues.includes(
        'ai-platform:llm.routes[0].listener: unknown listener "htps" (hint: did you mean "https"?)',
      ),
      issues.join("\n"),
    );
  });

  it("a shape error keeps the layer from the cross-field rules, but its objects' invariants are still checked", () => {
    const issues = issuesOf({ "llm.routes[0].listener": "htps", "agentgateway.gateways[0].replicas": 0 }, [
      "agentgateway.gateways[0].listeners[1].tls",
    ]);
    assert.deepEqual(issues, [
      `${tls} (hint: set tls.secretName)`,
      "ai-platform:agentgateway.gateways[0].replicas: must be at least 1",
    ]);
  });
});

describe("config: the namespaces a tenant cannot take are the layer plan's", () => {
  it("every namespace the plan creates, and Kubernetes' own, belong to someone else", () => {
    const { config } = parsePlatformConfig(rawConfigOf(readStackFile("rooster")));
    const taken = [...namespacesOf(config!).map((n) => n.name), ...KUBERNETES_NAMESPACES];
    assert.ok(taken.length > KUBERNETES_NAMESPACES.length);
    for (const name of taken) {
      const fixture = {
        file: "inline.yaml",
        description: "inline",
        base: "rooster",
        set: { "tenants.items[0].name": name },
      };
      const { issues } = parsePlatformConfig(rawConfigOf(applyFixture(fixture)));
      assert.ok(
        issues.some(
          (i) => i.path === "tenants.items[0].name" && i.message.startsWith(`namespace "${name}" belongs to`),
        ),
        `${name}: ${issues.map(formatIssue).join("\n")}`,
      );
    }
  });
});
