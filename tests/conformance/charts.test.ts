import { strict as assert } from "assert";
import type { RecordedResource } from "../../recording/runtime";
import { schemasDir } from "../../conformance";
import { describeWithSchemas } from "../support/schemas";
import {
  chartBaseName,
  ChartFiles,
  chartFiles,
  chartValuesProblems,
  coalesce,
  NEAREST_CHART_SOURCE,
  schemaProblems,
  unknownKeys,
} from "../../conformance/charts";
import { recordedStack } from "../support/record";
import { listStacks } from "../../recording/stackFile";

/*
 * The values of every chart the stacks install, against the chart at its pinned version. Cilium is pinned to
 * 1.20.1 but its values files are 1.20.0's, the nearest published chart source (NEAREST_CHART_SOURCE).
 */

const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);

function installs(resources: RecordedResource[]): RecordedResource[] {
  return resources.filter((r) => HELM_TYPES.has(r.type));
}

/**
 * Chart defaults that create a workload, an RBAC role or a credential, per chart: the program must set each one
 * itself, so a chart upgrade that flips a default cannot add any of them unseen. kagent's values are decided
 * with its component and are not listed here.
 */
export const EXPLICIT_DEFAULTS: Record<string, string[]> = {
  cilium: [
    "agent",
    "operator.enabled",
    "operator.replicas",
    "rbac.create",
    "envoy.enabled",
    "nodeinit.enabled",
    "preflight.enabled",
    "clustermesh.useAPIServer",
    "authentication.mutual.spire.enabled",
    "hubble.relay.enabled",
    "hubble.ui.enabled",
    "hubble.tls.auto.enabled",
    "hubble.tls.auto.method",
  ],
  longhorn: [
    "longhornUI.replicas",
    "preUpgradeChecker.jobEnabled",
    "ingress.enabled",
    "httproute.enabled",
    "privateRegistry.createSecret",
    "networkPolicies.enabled",
  ],
  agentgateway: ["serviceAccount.create", "controller.replicaCount"],
  "opentelemetry-collector": [
    "mode",
    "replicaCount",
    "serviceAccount.create",
    "serviceAccount.automountServiceAccountToken",
    "clusterRole.create",
    "autoscaling.enabled",
    "podDisruptionBudget.enabled",
    ...[
      "logsCollection",
      "hostMetrics",
      "kubernetesAttributes",
      "kubeletMetrics",
      "kubernetesEvents",
      "kubernetesObjects",
      "clusterMetrics",
    ].map((p) => `presets.${p}.enabled`),
  ],
};

function isSet(values: unknown, dotted: string): boolean {
  let node = values;
  for (const key of dotted.split(".")) {
    if (node === null || typeof node !== "object" || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null;
}

describe("charts: defaults that create workloads, RBAC or credentials are set explicitly", () => {
  for (const stack of listStacks())
    it(`${stack}: every listed default of every installed chart`, async () => {
      const rec = await recordedStack(stack);
      const missing = installs(rec.resources).flatMap((r) => {
        const name = chartBaseName(String(r.inputs["chart"]));
        return (EXPLICIT_DEFAULTS[name] ?? [])
          .filter((p) => !isSet(r.inputs["values"], p))
          .map((p) => `${r.name} (${name}): ${p}`);
      });
      assert.deepEqual(missing, []);
    });

  it("the list names keys that exist in each chart's values.yaml", function () {
    const dir = schemasDir();
    if (dir === undefined) return this.skip();
    const versions: Record<string, [string, string]> = {
      cilium: ["cilium", "1.20.1"],
      longhorn: ["longhorn", "1.12.1"],
      agentgateway: ["agentgateway", "v1.4.1"],
      "opentelemetry-collector": ["opentelemetry-collector", "0.170.0"],
    };
    for (const [name, paths] of Object.entries(EXPLICIT_DEFAULTS)) {
      const [chart, version] = versions[name]!;
      const files: ChartFiles = chartFiles(dir, chart, version)!;
      const nested: Record<string, unknown> = {};
      for (const p of paths) setPath(nested, p.split("."), "x");
      assert.deepEqual(
        chartValuesProblems(dir, chart, files, nested).filter((x) => x.includes("not a key")),
        [],
        name,
      );
    }
  });
});

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

describeWithSchemas("chart values conform to the pinned charts", () => {
  it("Cilium 1.20.1 is checked against the 1.20.0 chart source, the nearest published", () => {
    assert.equal(NEAREST_CHART_SOURCE["cilium"]?.["1.20.1"], "1.20.0");
    assert.equal(chartFiles(schemasDir()!, "cilium", "1.20.1")?.sourceVersion, "1.20.0");
  });

  it("a misspelt key, a key below a known map and a schema violation are all reported", () => {
    const dir = schemasDir()!;
    const files = chartFiles(dir, "cilium", "1.20.1")!;
    assert.deepEqual(
      chartValuesProblems(dir, "cilium", files, {
        operator: { replica: 2 },
        cgroup: { automount: { enabled: false } },
        MTU: "jumbo",
      }),
      [
        "operator.replica is not a key of cilium-1.20.0.values.yaml",
        "cgroup.automount is not a key of cilium-1.20.0.values.yaml",
        "cilium-1.20.0.values.schema.json: /MTU must be integer",
      ],
    );
  });

  it("subchart keys resolve against the subchart's own values.yaml", () => {
    const dir = schemasDir()!;
    const files = chartFiles(dir, "oci://ghcr.io/kagent-dev/kagent/helm/kagent", "0.9.12")!;
    assert.deepEqual(chartValuesProblems(dir, "kagent", files, { "kagent-tools": { enabled: true } }), []);
    assert.deepEqual(chartValuesProblems(dir, "kagent", files, { "kagent-tools": { enabeld: true } }), [
      "kagent-tools.enabeld is not a key of kagent-0.9.12.values.yaml or its subchart",
    ]);
  });

  it("null deletes a default (Helm coalescing), free-form maps take any key", () => {
    assert.deepEqual(coalesce({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: null }, c: 3 }), {
      a: { y: 2 },
      b: 1,
      c: 3,
    });
    assert.deepEqual(
      unknownKeys({ podAnnotations: { any: "x" }, config: { k: 1 } }, { podAnnotations: {}, config: {} }),
      [],
    );
    assert.deepEqual(
      unknownKeys(
        { config: { exporters: { x: {} } } },
        { config: { receivers: {} } },
        { freeForm: [["config"]] },
      ),
      [],
    );
    assert.deepEqual(unknownKeys({ config: { exporters: {} } }, { config: { receivers: {} } }), [
      "config.exporters",
    ]);
  });

  it("placeholders for secret and unknown values satisfy the schema", () => {
    const files = chartFiles(schemasDir()!, "cilium", "1.20.1")!;
    assert.deepEqual(schemaProblems(files.schemaFile!, coalesce({}, { MTU: "[unknown]" })), []);
  });

  for (const stack of listStacks()) {
    it(`${stack}: every installed chart's values exist in its values.yaml and validate against its schema`, async function () {
      const dir = schemasDir()!;
      const problems: string[] = [];
      const missing: string[] = [];
      const rec = await recordedStack(stack);
      for (const r of installs(rec.resources)) {
        const chart = String(r.inputs["chart"]);
        const version = String(r.inputs["version"]);
        const files = chartFiles(dir, chart, version);
        if (files === undefined) {
          missing.push(`${chart}@${version}`);
          continue;
        }
        const values = (r.inputs["values"] ?? {}) as Record<string, unknown>;
        problems.push(
          ...chartValuesProblems(dir, chart, files, values).map(
            (p) => `${r.name} (${chart}@${version}): ${p}`,
          ),
        );
      }
      assert.deepEqual(problems, []);
      if (missing.length > 0) {
        console.warn(
          `${stack}: no values.yaml under ${dir}/charts for ${missing.join(", ")}; their values are unchecked`,
        );
        this.skip();
      }
    });
  }
});
