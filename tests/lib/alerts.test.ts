import * as assert from "assert";
import { parser } from "@prometheus-io/lezer-promql";
import { aiGatewayAlertRules } from "../../components/gateway/alerts";
import { agentAlertRules } from "../../components/kagent/alerts";
import { alertThresholds, exactRegex } from "../../lib/alerts";
import { catalogEntry, METRIC_CATALOG } from "../support/metricCatalog";
import { gatewayOverviewDashboard } from "../../components/gateway/dashboard";
import { agentsOverviewDashboard } from "../../components/kagent/telemetry";
import { alertDefaults, observabilitySchema } from "../../stacks/schema";

/** Parses PromQL with the Prometheus project's own grammar; returns syntax error offsets and selected metric names. */
function analyse(expr: string): { errors: number[]; metrics: string[] } {
  const tree = parser.parse(expr);
  const errors: number[] = [];
  const metrics: string[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
      if (node.name === "VectorSelector") {
        const id = node.node.getChild("Identifier");
        if (id !== null) metrics.push(expr.slice(id.from, id.to));
      }
    },
  });
  if (tree.topNode.name !== "PromQL" || tree.length !== expr.length) errors.push(-1);
  return { errors, metrics };
}

/** Grafana substitutes its variables before Prometheus sees the query. */
const grafanaToPromql = (expr: string) => expr.replace(/\$__rate_interval/g, "5m");

const thresholds = alertThresholds(observabilitySchema.shape.alerts.parse(undefined));
const scope = {
  namespaces: ["kagent"],
  routes: ["agentgateway-system/openai", "agentgateway-system/anthropic"],
};

describe("observability PromQL analysis", () => {
  it("reports syntax errors and the metrics an expression selects", () => {
    assert.deepStrictEqual(analyse('sum(rate(a_total{x="1"}[5m])) / sum(rate(b_total[5m]))'), {
      errors: [],
      metrics: ["a_total", "b_total"],
    });
    assert.notDeepStrictEqual(analyse("sum(rate(a_total[5m])").errors, []);
    assert.notDeepStrictEqual(analyse("rate(a_total[5m]) >").errors, []);
  });

  it("maps histogram series to their family and rejects unknown names", () => {
    assert.strictEqual(catalogEntry("agentgateway_request_duration_seconds_bucket")?.type, "histogram");
    assert.strictEqual(catalogEntry("agentgateway_requests_total")?.type, "counter");
    assert.strictEqual(catalogEntry("agentgateway_request_duration_seconds"), undefined);
    assert.strictEqual(catalogEntry("agentgateway_requests_total_bucket"), undefined);
    assert.strictEqual(catalogEntry("envoy_cluster_upstream_cx_active"), undefined);
  });

  it("cites a source for every catalogued metric", () => {
    for (const [name, entry] of Object.entries(METRIC_CATALOG)) {
      assert.ok(entry.source.length > 0 && entry.citation.includes(":"), name);
    }
  });
});

describe("observability alert rules", () => {
  const rules = [...aiGatewayAlertRules(thresholds), ...agentAlertRules(thresholds, scope)];

  for (const rule of rules) {
    it(`${rule.alert} parses and names only catalogued metrics`, () => {
      const { errors, metrics } = analyse(rule.expr);
      assert.deepStrictEqual(errors, [], `syntax error in ${rule.expr}`);
      assert.ok(metrics.length > 0, rule.expr);
      for (const m of metrics)
        assert.ok(catalogEntry(m) !== undefined, `${rule.alert} uses ${m}, which no component exposes`);
    });
  }

  it("has the eight AI gateway alerts homeops runs under kgateway, with their thresholds, durations and severities", () => {
    const got = aiGatewayAlertRules(thresholds).map((r) => [r.alert, r.for, r.labels.severity]);
    assert.deepStrictEqual(got, [
      ["AIGatewayHighErrorRate", "5m", "warning"],
      ["AIGatewayCriticalErrorRate", "2m", "critical"],
      ["AIGatewayHighLatency", "5m", "warning"],
      ["AIGatewayRateLimitExceeded", "5m", "warning"],
      ["AIGatewayTPMApproachingLimit", "5m", "warning"],
      ["AIGatewayBackendUnhealthy", "2m", "critical"],
      ["AIGatewayNoTraffic", "30m", "info"],
      ["AIGatewayConnectionPoolExhausted", "5m", "warning"],
    ]);
    const expr = Object.fromEntries(aiGatewayAlertRules(thresholds).map((r) => [r.alert, r.expr]));
    assert.match(expr["AIGatewayHighErrorRate"]!, /status=~"5\.\."[^]*> 0\.05$/);
    assert.match(expr["AIGatewayCriticalErrorRate"]!, /> 0\.15$/);
    assert.match(expr["AIGatewayHighLatency"]!, /^histogram_quantile\(0\.95, [^]*> 30$/);
    assert.match(expr["AIGatewayRateLimitExceeded"]!, /reason="RateLimit"[^]*> 10$/);
    assert.match(expr["AIGatewayTPMApproachingLimit"]!, /\* 60 > 0\.8 \* 450000$/);
    assert.match(expr["AIGatewayBackendUnhealthy"]!, /< 0\.5$/);
    assert.match(expr["AIGatewayNoTraffic"]!, /== 0$/);
    assert.match(expr["AIGatewayConnectionPoolExhausted"]!, /> 0\.9 and /);
  });

  it("has the AgentOps platform's agent alerts: error rate, p95 latency, memory pressure, crash loops, availability", () => {
    const got = agentAlertRules(thresholds, scope).map((r) => [r.alert, r.for ?? "", r.labels.severity]);
    assert.deepStrictEqual(got, [
      ["AgentHighErrorRate", "5m", "warning"],
      ["AgentHighLatency", "5m", "warning"],
      ["AgentMemoryPressure", "10m", "warning"],
      ["AgentCrashLooping", "", "critical"],
      ["AgentLowAvailability", "", "critical"],
    ]);
    const expr = Object.fromEntries(agentAlertRules(thresholds, scope).map((r) => [r.alert, r.expr]));
    assert.match(
      expr["AgentHighErrorRate"]!,
      /route=~"agentgateway-system\/openai\|agentgateway-system\/anthropic"[^]*> 0\.05$/,
    );
    assert.match(expr["AgentHighLatency"]!, /> 2$/);
    assert.match(expr["AgentMemoryPressure"]!, /namespace=~"kagent"[^]*> 0\.9$/);
    assert.match(expr["AgentCrashLooping"]!, /\[10m\]\) > 3$/);
    assert.match(expr["AgentLowAvailability"]!, /\[1h:1m\]\) < 0\.99$/);
  });

  it("takes every threshold from the stack config", () => {
    const custom = alertThresholds(
      observabilitySchema.shape.alerts.parse({
        enabled: true,
        errorRateWarning: 0.02,
        latencyP95Seconds: 12,
        tokensPerMinuteLimit: 90000,
        noTrafficFor: "1h",
        agentRestartsIn10m: 5,
      }),
    );
    const byName = Object.fromEntries(
      [...aiGatewayAlertRules(custom), ...agentAlertRules(custom, scope)].map((r) => [r.alert, r]),
    );
    assert.match(byName["AIGatewayHighErrorRate"]!.expr, /> 0\.02$/);
    assert.match(byName["AIGatewayHighLatency"]!.expr, /> 12$/);
    assert.match(byName["AIGatewayTPMApproachingLimit"]!.expr, /> 0\.8 \* 90000$/);
    assert.strictEqual(byName["AIGatewayNoTraffic"]!.for, "1h");
    assert.match(byName["AgentCrashLooping"]!.expr, /> 5$/);
    assert.deepStrictEqual(alertThresholds({ ...alertDefaults, enabled: false }), thresholds);
  });

  it("leaves out agent rules that have nothing to watch", () => {
    assert.deepStrictEqual(agentAlertRules(thresholds, { namespaces: [], routes: [] }), []);
    assert.deepStrictEqual(
      agentAlertRules(thresholds, { namespaces: ["kagent"], routes: [] }).map((r) => r.alert),
      ["AgentMemoryPressure", "AgentCrashLooping", "AgentLowAvailability"],
    );
  });

  it("escapes regex metacharacters in label matchers", () => {
    assert.strictEqual(exactRegex(["ns/a.b", "c+d"]), "ns/a\\.b|c\\+d");
  });
});

describe("observability dashboards", () => {
  const dashboards = [gatewayOverviewDashboard(), agentsOverviewDashboard(scope)];

  for (const d of dashboards) {
    it(`${d.title}: every query parses and names only catalogued metrics`, () => {
      const exprs = d.panels.flatMap((p) => p.targets.map((t) => t.expr));
      assert.ok(exprs.length >= 6);
      for (const expr of exprs) {
        const { errors, metrics } = analyse(grafanaToPromql(expr));
        assert.deepStrictEqual(errors, [], `syntax error in ${expr}`);
        for (const m of metrics) assert.ok(catalogEntry(m) !== undefined, `${d.title} uses ${m}`);
      }
    });
  }

  it("shows requests, errors, latency and tokens by model on the gateway overview", () => {
    const d = gatewayOverviewDashboard();
    const titles = d.panels.map((p) => p.title);
    for (const t of [
      "Requests per second",
      "Error ratio (5xx)",
      "Request latency",
      "Tokens per second by model",
    ])
      assert.ok(titles.includes(t), t);
    const tokens = d.panels.find((p) => p.title === "Tokens per second by model")!;
    assert.match(
      tokens.targets[0]!.expr,
      /^sum by \(gen_ai_request_model, gen_ai_token_type\) \(rate\(agentgateway_gen_ai_client_token_usage_sum/,
    );
    assert.deepStrictEqual(new Set(d.panels.map((p) => p.id)).size, d.panels.length);
    assert.deepStrictEqual(
      d.templating.list.map((v) => v["name"]),
      ["datasource", "gateway"],
    );
    for (const p of d.panels) assert.strictEqual(p.datasource.uid, "${datasource}");
  });

  it("drops the model-call panels of the agents overview when no route is known", () => {
    const withRoutes = agentsOverviewDashboard(scope).panels.length;
    const without = agentsOverviewDashboard({ namespaces: ["kagent"], routes: [] }).panels.map(
      (p) => p.title,
    );
    assert.strictEqual(withRoutes - without.length, 3);
    assert.ok(!without.some((t) => t.startsWith("Agent model")));
  });
});
