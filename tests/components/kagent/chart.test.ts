import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DATABASE_URL_KEY, DATABASE_URL_SECRET, kagentChartValues } from "../../../components/kagent";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import { schemasDir } from "../../../conformance/paths";
import {
  gatewayConfig,
  kagentConfig,
  llmConfig,
  observabilityConfig,
  platformConfig,
  rawConfig,
} from "../../support/builders";
import { one, recordPlatform } from "../../support/record";

/** kagent with its database, read-only tools and metrics scraped by the observability layer's Prometheus. */
const KAGENT = rawConfig(
  gatewayConfig(),
  llmConfig(),
  kagentConfig({ tools: { enabled: true, access: "readOnly" } }),
  observabilityConfig(),
);

/*
 * kagent 0.9.12's chart defaults, decided by the program (kagent-dev/kagent@v0.9.12:helm/kagent/values.yaml):
 * the bundled Postgres (l.81-83, password `kagent` in templates/postgresql-secret.yaml), querydoc on with an empty
 * OpenAI key (l.707-723), kagent-tools 0.2.1 with a `*`/`*`/`*` ClusterRole (kagent-dev/tools@v0.2.1:
 * helm/kagent-tools/templates/clusterrole.yaml), controller metrics off (l.245-251).
 */

type Values = Record<string, unknown>;

function at(values: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, k) => (v as Values | undefined)?.[k], values);
}

/** Every leaf path of a values tree (arrays are leaves). */
function leafPaths(values: Values, prefix = ""): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? leafPaths(v as Values, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

/** Whether `dotted` is a key of the chart's values.yaml (a parent that holds `{}` or `[]` accepts any child). */
function declared(values: Values, dotted: string): boolean {
  let node: unknown = values;
  for (const key of dotted.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return false;
    const map = node as Values;
    if (Object.keys(map).length === 0) return true;
    if (!(key in map)) return false;
    node = map[key];
  }
  return true;
}

/**
 * The controller metrics Service the chart renders from these values, or undefined
 * (helm/kagent/templates/controller-metrics-service.yaml; labels from _helpers.tpl kagent.controller.labels;
 * name from kagent.fullname = release name).
 */
function renderedMetricsService(values: Values, release: string) {
  const metrics = {
    enabled: false,
    bindAddress: ":8443",
    secureServing: true,
    ...(at(values, "controller.metrics") as Values | undefined),
  };
  const port = /[0-9]+$/.exec(String(metrics.bindAddress))?.[0];
  if (metrics.enabled !== true || port === undefined || port === "0") return undefined;
  return {
    name: `${release}-controller-metrics`,
    labels: {
      "app.kubernetes.io/name": "kagent",
      "app.kubernetes.io/instance": release,
      "app.kubernetes.io/managed-by": "Helm",
      "app.kubernetes.io/part-of": "kagent",
      "app.kubernetes.io/component": "controller",
    } as Record<string, string>,
    portName: metrics.secureServing === true ? "https" : "http-metrics",
    scheme: metrics.secureServing === true ? "https" : "http",
  };
}

describe("kagent chart: defaults decided on purpose", () => {
  let recording: Recording;
  let chart: RecordedResource;
  let values: Values;
  before(async () => {
    recording = await recordPlatform(KAGENT);
    chart = one(recording, "kubernetes:helm.sh/v4:Chart", "kagent-chart");
    values = chart.inputs["values"] as Values;
  });

  it("runs no bundled Postgres and reads the config's database URL from a mounted Secret", () => {
    assert.equal(at(values, "database.postgres.bundled.enabled"), false);
    // urlFile wins over url and the bundled database (templates/controller-deployment.yaml).
    const urlFile = String(at(values, "database.postgres.urlFile"));
    assert.equal(at(values, "database.postgres.url"), undefined, "no URL in plain values");
    const mount = (at(values, "controller.volumeMounts") as Array<Values>).find(
      (m) => urlFile === `${String(m["mountPath"])}/${DATABASE_URL_KEY}`,
    );
    assert.ok(mount !== undefined, `${urlFile} is mounted`);
    const volume = (at(values, "controller.volumes") as Array<Values>).find(
      (v) => v["name"] === mount["name"],
    );
    assert.deepEqual(volume?.["secret"], { secretName: DATABASE_URL_SECRET });
    const secret = one(recording, "kubernetes:core/v1:Secret", "kagent-database-url");
    assert.equal((secret.inputs["metadata"] as Values)["name"], DATABASE_URL_SECRET);
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    assert.ok(chart.dependencies.includes(secret.urn), "the controller starts after its database Secret");
  });

  it("turns querydoc off and gives kagent-tools a read-only role and mode", () => {
    assert.equal(at(values, "querydoc.enabled"), false);
    assert.equal(at(values, "kagent-tools.rbac.readOnly"), true);
    assert.deepEqual(at(values, "kagent-tools.tools.args"), ["--read-only"]);
    const admin = kagentChartValues({
      config: { ...platformConfig(KAGENT).kagent, tools: { enabled: true, access: "clusterAdmin" } },
    });
    assert.equal(at(admin, "kagent-tools.rbac.readOnly"), false);
    assert.equal(at(admin, "kagent-tools.tools.args"), undefined);
  });

  it("sets only values the pinned charts declare", function () {
    const dir = schemasDir();
    if (dir === undefined) this.skip();
    const read = (file: string) => parse(fs.readFileSync(path.join(dir, "charts", file), "utf8")) as Values;
    const kagent = read("kagent-0.9.12.values.yaml");
    const tools = read("kagent-tools-0.2.1.values.yaml");
    const undeclared = leafPaths(values).filter((p) =>
      p.startsWith("kagent-tools.")
        ? !declared(kagent, p) && !declared(tools, p.slice("kagent-tools.".length))
        : !declared(kagent, p),
    );
    // templates/modelconfig.yaml reads `config` of whichever provider is the default; values.yaml shows it under
    // ollama only.
    assert.deepEqual(undeclared, ["providers.openAI.config.baseUrl"]);
  });

  it("scrapes the controller on the metrics Service the chart renders: labels, port name and scheme", () => {
    const service = renderedMetricsService(values, String(chart.inputs["name"]));
    assert.ok(service !== undefined, "controller.metrics.enabled renders the metrics Service");
    const monitor = one(
      recording,
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
      "kagent-controller-monitor",
    );
    const spec = monitor.inputs["spec"] as {
      selector: { matchLabels: Record<string, string> };
      namespaceSelector: { matchNames: string[] };
      endpoints: Array<{ port: string; scheme: string }>;
    };
    for (const [k, v] of Object.entries(spec.selector.matchLabels))
      assert.equal(service.labels[k], v, `selector ${k}=${v} matches the Service`);
    assert.deepEqual(spec.namespaceSelector.matchNames, [chart.inputs["namespace"]]);
    assert.deepEqual(
      spec.endpoints.map((e) => [e.port, e.scheme]),
      [[service.portName, service.scheme]],
    );
  });
});
