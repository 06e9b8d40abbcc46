import { AgentAlertScope, exactRegex } from "./alerts";

/*
 * Grafana dashboards built from code (Grafana dashboard JSON model, schemaVersion 39). Every query names only
 * catalogued metrics (./catalog.ts); the tests parse them like the alert expressions.
 */

/** Label the Grafana sidecar of kube-prometheus-stack selects dashboard ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" };

export interface Target {
  expr: string;
  legendFormat: string;
}

export interface Panel {
  id: number;
  type: "timeseries" | "stat";
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: "prometheus"; uid: string };
  targets: Array<Target & { refId: string; datasource: { type: "prometheus"; uid: string } }>;
  fieldConfig: { defaults: { unit: string }; overrides: unknown[] };
  options: Record<string, unknown>;
}

export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  editable: boolean;
  schemaVersion: number;
  refresh: string;
  time: { from: string; to: string };
  templating: { list: Array<Record<string, unknown>> };
  panels: Panel[];
}

interface PanelSpec {
  title: string;
  unit: string;
  targets: Target[];
  type?: Panel["type"];
}

const DATASOURCE = { type: "prometheus" as const, uid: "${datasource}" };
/** Grafana's rate window: at least four scrape intervals. */
const RATE = "$__rate_interval";

const datasourceVariable = {
  name: "datasource",
  label: "Data source",
  type: "datasource",
  query: "prometheus",
  current: {},
  hide: 0,
};

function queryVariable(name: string, label: string, query: string): Record<string, unknown> {
  return {
    name,
    label,
    type: "query",
    datasource: DATASOURCE,
    query: { query, refId: `${name}-values` },
    definition: query,
    includeAll: true,
    multi: true,
    allValue: ".*",
    current: {},
    refresh: 2,
    hide: 0,
  };
}

/** Lays panels out two per row, 12 columns wide and 8 rows high each. */
function layout(specs: PanelSpec[]): Panel[] {
  return specs.map((s, i) => ({
    id: i + 1,
    type: s.type ?? "timeseries",
    title: s.title,
    gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
    datasource: DATASOURCE,
    targets: s.targets.map((t, j) => ({ ...t, refId: String.fromCharCode(65 + j), datasource: DATASOURCE })),
    fieldConfig: { defaults: { unit: s.unit }, overrides: [] },
    options: {
      legend: { displayMode: "table", placement: "bottom", calcs: ["mean", "max"] },
      tooltip: { mode: "multi" },
    },
  }));
}

function dashboard(
  uid: string,
  title: string,
  variables: Array<Record<string, unknown>>,
  specs: PanelSpec[],
): Dashboard {
  return {
    uid,
    title,
    tags: ["ai-platform"],
    editable: false,
    schemaVersion: 39,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: { list: [datasourceVariable, ...variables] },
    panels: layout(specs),
  };
}

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

/** Agents overview: the agents' model calls through the gateway, and their pods' memory, restarts and availability. */
export function agentsOverviewDashboard(scope: AgentAlertScope): Dashboard {
  const ns = `namespace=~"${exactRegex(scope.namespaces)}"`;
  const specs: PanelSpec[] = [];
  if (scope.routes.length > 0) {
    const route = `route=~"${exactRegex(scope.routes)}"`;
    specs.push(
      {
        title: "Agent model calls per second",
        unit: "reqps",
        targets: [
          {
            expr: `sum by (route) (rate(agentgateway_requests_total{${route}}[${RATE}]))`,
            legendFormat: "{{route}}",
          },
        ],
      },
      {
        title: "Agent model call error ratio",
        unit: "percentunit",
        targets: [
          {
            expr: `sum by (route) (rate(agentgateway_requests_total{${route}, status=~"5.."}[${RATE}])) / sum by (route) (rate(agentgateway_requests_total{${route}}[${RATE}]))`,
            legendFormat: "{{route}}",
          },
        ],
      },
      {
        title: "Agent model call latency (p95)",
        unit: "s",
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (route, le) (rate(agentgateway_request_duration_seconds_bucket{${route}}[${RATE}])))`,
            legendFormat: "{{route}}",
          },
        ],
      },
    );
  }
  specs.push(
    {
      title: "Memory used of limit",
      unit: "percentunit",
      targets: [
        {
          expr: `max by (pod, container) (container_memory_working_set_bytes{${ns}, container!=""}) / max by (pod, container) (kube_pod_container_resource_limits{${ns}, resource="memory"})`,
          legendFormat: "{{pod}}/{{container}}",
        },
      ],
    },
    {
      title: "Container restarts (1h)",
      unit: "short",
      targets: [
        {
          expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h]))`,
          legendFormat: "{{pod}}",
        },
      ],
    },
    {
      title: "Available replicas",
      unit: "percentunit",
      targets: [
        {
          expr: `sum by (deployment) (kube_deployment_status_replicas_available{${ns}}) / sum by (deployment) (kube_deployment_spec_replicas{${ns}})`,
          legendFormat: "{{deployment}}",
        },
      ],
    },
  );
  return dashboard("ai-agents-overview", "AI Agents Overview", [], specs);
}

/** Every PromQL expression of a dashboard, in panel order. */
export function dashboardExpressions(d: Dashboard): string[] {
  return d.panels.flatMap((p) => p.targets.map((t) => t.expr));
}
