import { strict as assert } from "assert";
import { aiGatewayAlertRules } from "../../../components/gateway/alerts";
import { alertThresholds } from "../../../lib/alerts";
import { alertDefaults } from "../../../stacks/schema";
import { gateway, gatewayConfig, llmConfig, observabilityConfig, rawConfig } from "../../support/builders";
import { byType, recordPlatform } from "../../support/record";

/*
 * What the monitoring objects say matches what exists upstream.
 * - agentgateway v1.4.1 reads the proxies' log format from AgentgatewayParameters `spec.logging.format` and
 *   writes it into the proxy config (agentgateway/agentgateway@v1.4.1:controller/pkg/deployer/
 *   agentgateway_parameters.go:155-160, controller/pkg/helm/agentgateway/templates/configmap.yaml:15-16).
 * - It has no connection-pool gauge; the metrics are requests, request duration, token usage and upstream
 *   connect duration (crates/agentgateway/src/telemetry/metrics.rs).
 */

describe("scrape targets and alerts describe what exists", () => {
  it("writes JSON access logs through every Gateway's AgentgatewayParameters when access logs are on", async () => {
    const logging = async (accessLogs: boolean) => {
      const recording = await recordPlatform(
        rawConfig(
          gatewayConfig([gateway("gw", 8080), gateway("other", 8081)]),
          llmConfig(),
          observabilityConfig({ gatewayTracing: { enabled: true, accessLogs } }),
        ),
      );
      const params = byType(recording, "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayParameters");
      assert.equal(params.length, 2, "one per Gateway");
      return params.map((p) => (p.inputs["spec"] as Record<string, unknown>)["logging"]);
    };
    assert.deepEqual(await logging(true), [{ format: "json" }, { format: "json" }]);
    assert.deepEqual(await logging(false), [undefined, undefined]);
  });

  it("the connection-pool alert's summary describes its expression, not a pool usage gauge", () => {
    const rule = aiGatewayAlertRules(alertThresholds({ ...alertDefaults }))
      .filter((r) => r.alert === "AIGatewayConnectionPoolExhausted")
      .at(0)!;
    // The expression: share of requests that needed a new upstream connection, above the threshold.
    assert.match(
      rule.expr,
      /rate\(agentgateway_upstream_connect_duration_seconds_count\[5m\]\)\) \/ sum by \(namespace, pod\) \(rate\(agentgateway_requests_total\[5m\]\)\) > 0\.9/,
    );
    const summary = rule.annotations.summary;
    assert.match(summary, /90% of requests open a new upstream connection/);
    assert.doesNotMatch(summary, /usage/, "no pool usage metric exists");
  });
});
