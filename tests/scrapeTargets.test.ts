import { strict as assert } from "assert";
import { aiGatewayAlertRules } from "../components/gateway/alerts";
import { alertThresholds } from "../lib/alerts";
import type { Recording } from "../recording/runtime";
import { alertDefaults } from "../stacks/schema";
import { stackConfig } from "./support/stacks";
import { byType, recordedStack } from "./support/record";

/*
 * What the monitoring objects say matches what exists upstream.
 * - agentgateway v1.4.1 reads the proxies' log format from AgentgatewayParameters `spec.logging.format` and
 *   writes it into the proxy config (agentgateway/agentgateway@v1.4.1:controller/pkg/deployer/
 *   agentgateway_parameters.go:155-160, controller/pkg/helm/agentgateway/templates/configmap.yaml:15-16).
 * - It has no connection-pool gauge; the metrics are requests, request duration, token usage and upstream
 *   connect duration (crates/agentgateway/src/telemetry/metrics.rs).
 */

describe("scrape targets and alerts describe what exists", () => {
  for (const stack of ["rooster", "homeops"]) {
    describe(stack, () => {
      let recording: Recording;
      before(async () => {
        recording = await recordedStack(stack);
      });

      it("writes JSON access logs through every Gateway's AgentgatewayParameters when access logs are on", () => {
        const obs = stackConfig(stack).observability;
        const accessLogs = obs.enabled && obs.gatewayTracing.accessLogs;
        assert.ok(accessLogs, `${stack} has access logs on`);
        const params = byType(recording, "kubernetes:agentgateway.dev/v1alpha1:AgentgatewayParameters");
        assert.equal(params.length, stackConfig(stack).agentgateway.gateways.length);
        for (const p of params) {
          assert.deepEqual(
            (p.inputs["spec"] as Record<string, unknown>)["logging"],
            { format: "json" },
            p.name,
          );
        }
      });
    });
  }

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
