import { dashboard, Dashboard, queryVariable, RATE } from "../../lib/dashboards";

/** AI gateway overview: traffic, errors, latency and tokens by model, per Gateway. */
export function gatewayOverviewDashboard(): Dashboard {
  const gw = 'gateway=~"$gateway"';
  const requests = `agentgateway_requests_total{${gw}}`;
  const quantile = (q: number) => ({
    expr: `histogram_quantile(${q}, sum by (gateway, le) (rate(agentgateway_request_duration_seconds_bucket{${gw}}[${RATE}])))`,
    legendFormat: `{{gateway}} p${Math.round(q * 100)}`,
  });
  return dashboard(
    "ai-gateway-overview",
    "AI Gateway Overview",
    [queryVariable("gateway", "Gateway", "label_values(agentgateway_requests_total, gateway)")],
    [
      {
        title: "Requests per second",
        unit: "reqps",
        targets: [{ expr: `sum by (gateway) (rate(${requests}[${RATE}]))`, legendFormat: "{{gateway}}" }],
      },
      {
        title: "Error ratio (5xx)",
        unit: "percentunit",
        targets: [
          {
            expr: `sum by (gateway) (rate(agentgateway_requests_total{${gw}, status=~"5.."}[${RATE}])) / sum by (gateway) (rate(${requests}[${RATE}]))`,
            legendFormat: "{{gateway}}",
          },
        ],
      },
      {
        title: "Responses by status",
        unit: "reqps",
        targets: [{ expr: `sum by (status) (rate(${requests}[${RATE}]))`, legendFormat: "{{status}}" }],
      },
      { title: "Request latency", unit: "s", targets: [quantile(0.5), quantile(0.95), quantile(0.99)] },
      {
        title: "Tokens per second by model",
        unit: "short",
        targets: [
          {
            expr: `sum by (gen_ai_request_model, gen_ai_token_type) (rate(agentgateway_gen_ai_client_token_usage_sum{${gw}}[${RATE}]))`,
            legendFormat: "{{gen_ai_request_model}} {{gen_ai_token_type}}",
          },
        ],
      },
      {
        title: "LLM requests per second by model",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (gen_ai_request_model) (rate(agentgateway_gen_ai_client_token_usage_count{${gw}, gen_ai_token_type="input"}[${RATE}]))`,
            legendFormat: "{{gen_ai_request_model}}",
          },
        ],
      },
      {
        title: "Time to first token (p95) by model",
        unit: "s",
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (gen_ai_request_model, le) (rate(agentgateway_gen_ai_server_time_to_first_token_bucket{${gw}}[${RATE}])))`,
            legendFormat: "{{gen_ai_request_model}}",
          },
        ],
      },
      {
        title: "Requests not answered by an upstream",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (gateway, reason) (rate(agentgateway_requests_total{${gw}, reason!="Upstream"}[${RATE}]))`,
            legendFormat: "{{gateway}} {{reason}}",
          },
        ],
      },
    ],
  );
}
