/*
 * Grafana dashboards built from code (Grafana dashboard JSON model, schemaVersion 39), the model every layer's
 * dashboards share. Every query names only catalogued metrics (tests/support/metricCatalog.ts); the tests
 * parse them like the alert expressions.
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

export interface PanelSpec {
  title: string;
  unit: string;
  targets: Target[];
  type?: Panel["type"];
}

const DATASOURCE = { type: "prometheus" as const, uid: "${datasource}" };
/** Grafana's rate window: at least four scrape intervals. */
export const RATE = "$__rate_interval";

const datasourceVariable = {
  name: "datasource",
  label: "Data source",
  type: "datasource",
  query: "prometheus",
  current: {},
  hide: 0,
};

export function queryVariable(name: string, label: string, query: string): Record<string, unknown> {
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

export function dashboard(
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
