import { strict as assert } from "assert";
import { rawConfigOf } from "../../../recording/stackFile";
import { formatIssue } from "../../../stacks/issues";
import { parsePlatformConfig } from "../../../stacks/load";
import { applyFixture } from "../../support/fixtures";

/** The issues of a production stack with the given values changed (the invalid-fixture mechanism). */
const issuesOf = (base: string, set: Record<string, unknown>) =>
  parsePlatformConfig(rawConfigOf(applyFixture({ file: "inline", description: "", base, set })))
    .issues.map(formatIssue)
    .filter((m) => m.includes("the gateway proxies admit only"));

describe("stacks/checks/gatewayClients: the proxies admit every in-cluster client layer", () => {
  it("asks for cloudflared's namespace when tunnel hostnames go through proxies with an allow-list", () => {
    assert.deepEqual(issuesOf("homeops", {}), []);
    assert.deepEqual(issuesOf("homeops", { "cloudflare.tunnel.namespace": "edge" }), [
      'ai-platform:cloudflare.tunnel.namespace: the gateway proxies admit only agentgateway.hardening.ingressNamespaces, which leaves out namespace "edge": cloudflared connects the tunnel hostnames to their gateway (hint: add "edge" to agentgateway.hardening.ingressNamespaces)',
    ]);
  });

  it("asks for nothing when the proxies admit any source or carry no NetworkPolicy", () => {
    const edge = { "cloudflare.tunnel.namespace": "edge" };
    assert.deepEqual(
      issuesOf("homeops", {
        ...edge,
        "agentgateway.hardening.ingressNamespaces": [],
        "agentgateway.hardening.ingressCidrs": [],
      }),
      [],
    );
    assert.deepEqual(issuesOf("homeops", { ...edge, "agentgateway.hardening.networkPolicy": false }), []);
  });
});
