import { strict as assert } from "assert";
import type { Recording } from "../recording/runtime";
import { rawConfigOf, readStackFile } from "../recording/stackFile";
import { configuredAddresses, createdServices, inClusterService } from "../stacks/endpoints";
import { formatIssue } from "../stacks/issues";
import { parsePlatformConfig } from "../stacks/load";
import { stackConfig } from "./support/stacks";
import { byType, recordedStack } from "./support/record";

/*
 * Every in-cluster address the program hands to a workload names a Service it creates. The Solo telemetry
 * collector (solo-enterprise-telemetry-collector.kagent) is a Service of kagent Enterprise; this program installs
 * open-source kagent (kagent-dev/kagent@v0.9.12:helm/kagent/templates has no such Service), so an exporter aimed
 * at it fails on every batch.
 */

const SERVICE_ADDRESS =
  /[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?\b/g;

function roosterIssuesWith(edit: (values: Record<string, Record<string, unknown>>) => void): string[] {
  const raw = rawConfigOf(readStackFile("rooster"));
  edit(raw.values as Record<string, Record<string, unknown>>);
  return parsePlatformConfig(raw).issues.map(formatIssue);
}

const SOLO = {
  name: "solo-telemetry",
  endpoint: "solo-enterprise-telemetry-collector.kagent.svc.cluster.local:4317",
  protocol: "grpc",
  insecure: true,
};

describe("in-cluster endpoints name Services that exist", () => {
  it("reads the Service out of host:port, URLs and short forms", () => {
    assert.deepEqual(inClusterService("otel.monitoring.svc.cluster.local:4317"), {
      name: "otel",
      namespace: "monitoring",
    });
    assert.deepEqual(inClusterService("http://langfuse.obs.svc:3000/api/public/otel"), {
      name: "langfuse",
      namespace: "obs",
    });
    assert.deepEqual(inClusterService("https://langfuse.svc/x"), { name: "langfuse" });
    assert.equal(inClusterService("http://172.16.10.173:3000"), undefined);
    assert.equal(inClusterService("api.githubcopilot.com"), undefined);
    assert.equal(inClusterService("tempo.example.com:4317"), undefined);
  });

  for (const stack of ["rooster", "homeops"]) {
    describe(stack, () => {
      let recording: Recording;
      before(async () => {
        recording = await recordedStack(stack);
      });

      it("counts every Service the program records among the Services it creates", () => {
        const services = createdServices(stackConfig(stack));
        for (const svc of byType(recording, "kubernetes:core/v1:Service")) {
          const m = svc.inputs["metadata"] as { name: string; namespace: string };
          assert.ok(services.has(`${m.namespace}/${m.name}`), `${m.namespace}/${m.name}`);
        }
      });

      it("points every in-cluster address in every input at a Service it creates or the config says is provided", () => {
        const config = stackConfig(stack);
        const services = createdServices(config);
        for (const a of configuredAddresses(config)) {
          const svc = inClusterService(a.address);
          if (a.providedBy !== undefined && svc !== undefined) services.add(`${svc.namespace}/${svc.name}`);
        }
        const addresses = new Set(
          recording.resources.flatMap((r) =>
            [...JSON.stringify(r.inputs).matchAll(SERVICE_ADDRESS)].map((m) => m[0]),
          ),
        );
        if (stack === "rooster") assert.ok(addresses.size >= 5, [...addresses].join(" "));
        for (const address of addresses) {
          const svc = inClusterService(address)!;
          assert.ok(
            services.has(`${svc.namespace}/${svc.name}`),
            `${address} names no Service of the program`,
          );
        }
      });
    });
  }

  it("rejects an exporter aimed at a Service nobody deploys, unless the config says what provides it", () => {
    const issues = roosterIssuesWith((v) => {
      v["observability"]!["otlpExporters"] = [SOLO];
    });
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]!,
      /^ai-platform:observability\.otlpExporters\[0\]\.endpoint: Service kagent\/solo-enterprise-telemetry-collector is not created by this program \(hint: .*providedBy/,
    );
    assert.deepEqual(
      roosterIssuesWith((v) => {
        v["observability"]!["otlpExporters"] = [
          { ...SOLO, providedBy: "kagent Enterprise (installed separately)" },
        ];
      }),
      [],
    );
    // The collector this stack deploys is a valid target.
    assert.deepEqual(
      roosterIssuesWith((v) => {
        v["observability"]!["otlpExporters"] = [
          { ...SOLO, endpoint: "langfuse-otel-collector.agentgateway-system.svc.cluster.local:4317" },
        ];
      }),
      [],
    );
  });

  it("checks static LLM backends, Langfuse and remote MCP hosts the same way", () => {
    const issues = roosterIssuesWith((v) => {
      (v["observability"]!["langfuse"] as Record<string, unknown>)["endpoint"] =
        "http://langfuse-web.langfuse.svc.cluster.local:3000";
      const servers = v["mcp"]!["servers"] as Array<Record<string, unknown>>;
      servers.find((s) => s["name"] === "github")!["host"] = "github-mcp.tools.svc";
    });
    assert.deepEqual(
      issues.map((i) => i.split(":")[1]),
      ["mcp.servers[3].host", "observability.langfuse.endpoint"],
    );
    assert.deepEqual(
      roosterIssuesWith((v) => {
        const backends = v["llm"]!["backends"] as Array<Record<string, unknown>>;
        backends[0]!["hostOverride"] = { host: "vllm.models.svc.cluster.local", port: 8000 };
        const groups = backends[3]!["groups"] as Array<{ providers: Array<Record<string, unknown>> }>;
        groups[1]!.providers[0]!["hostOverride"] = {
          host: "vllm.models.svc.cluster.local",
          port: 8000,
          providedBy: "vLLM (models team)",
        };
      }).map((i) => i.split(":")[1]),
      ["llm.backends[0].hostOverride.host"],
    );
    const raw = rawConfigOf(readStackFile("homeops"));
    const backends = (raw.values["llm"] as { backends: Array<Record<string, unknown>> }).backends;
    delete backends.find((b) => b["name"] === "litellm")!["providedBy"];
    assert.deepEqual(
      parsePlatformConfig(raw).issues.map((i) => `${i.path}: ${i.message}`),
      ["llm.backends[3].host: Service ai/litellm is not created by this program"],
    );
  });
});
