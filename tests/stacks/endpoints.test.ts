import { strict as assert } from "assert";
import type { Recording } from "../../recording/runtime";
import { configuredAddresses, createdServices, inClusterService } from "../../stacks/endpoints";
import {
  configIssues,
  gatewayConfig,
  langfuse,
  llmBackend,
  llmConfig,
  LlmBackendRaw,
  llmRoute,
  mcpConfig,
  observabilityConfig,
  RawConfig,
} from "../support/builders";
import { stackConfig } from "../support/stacks";
import { byType, recordedStack } from "../support/record";
import { listStacks } from "../../recording/stackFile";

/*
 * Every in-cluster address the program hands to a workload names a Service it creates. The Solo telemetry
 * collector (solo-enterprise-telemetry-collector.kagent) is a Service of kagent Enterprise; this program installs
 * open-source kagent (kagent-dev/kagent@v0.9.12:helm/kagent/templates has no such Service), so an exporter aimed
 * at it fails on every batch.
 */

const SERVICE_ADDRESS =
  /[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?\b/g;

/** The AI gateway with an LLM route and observability (with any overrides), checked by validation. */
const issuesWith = (...pieces: Partial<RawConfig>[]) =>
  configIssues(gatewayConfig(), llmConfig(), observabilityConfig(), ...pieces);

const SOLO = {
  name: "solo-telemetry",
  endpoint: "solo-enterprise-telemetry-collector.kagent.svc.cluster.local:4317",
  protocol: "grpc" as const,
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

  // Stack-wide: every address the production programs emit, against the Services they create.
  for (const stack of listStacks()) {
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
    const issues = issuesWith(observabilityConfig({ otlpExporters: [SOLO] }));
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]!,
      /^ai-platform:observability\.otlpExporters\[0\]\.endpoint: Service kagent\/solo-enterprise-telemetry-collector is not created by this program \(hint: .*providedBy/,
    );
    assert.deepEqual(
      issuesWith(
        observabilityConfig({
          otlpExporters: [{ ...SOLO, providedBy: "kagent Enterprise (installed separately)" }],
        }),
      ),
      [],
    );
    // The collector the config deploys is a valid target.
    assert.deepEqual(
      issuesWith(
        observabilityConfig({
          otlpExporters: [{ ...SOLO, endpoint: "otel-collector.monitoring.svc.cluster.local:4317" }],
        }),
      ),
      [],
    );
  });

  it("checks static LLM backends, Langfuse and remote MCP hosts the same way", () => {
    const remote = (host: string) =>
      mcpConfig([{ name: "github", kind: "remote", host, gateway: "gw", tokenSecret: "github-mcp-token" }]);
    assert.deepEqual(
      issuesWith(
        observabilityConfig({ langfuse: langfuse("http://langfuse-web.langfuse.svc.cluster.local:3000") }),
        remote("github-mcp.tools.svc"),
      ).map((i) => i.split(":")[1]),
      ["mcp.servers[0].host", "observability.langfuse.endpoint"],
    );
    assert.deepEqual(
      issuesWith(observabilityConfig({ langfuse: langfuse() }), remote("api.githubcopilot.com")),
      [],
    );
    const vllm = { host: "vllm.models.svc.cluster.local", port: 8000 };
    const failover: LlmBackendRaw = {
      name: "failover",
      provider: "failover",
      groups: [
        {
          providers: [
            {
              name: "vllm",
              provider: "openai",
              model: "m",
              secret: "openai-key",
              hostOverride: { ...vllm, providedBy: "vLLM (models team)" },
            },
          ],
        },
      ],
    };
    assert.deepEqual(
      issuesWith(
        llmConfig(
          [llmBackend("openai", { hostOverride: vllm }), failover],
          [llmRoute("openai"), llmRoute("failover")],
        ),
      ).map((i) => i.split(":")[1]),
      ["llm.backends[0].hostOverride.host"],
    );
    const litellm: LlmBackendRaw = {
      name: "litellm",
      provider: "static",
      host: "litellm.ai.svc.cluster.local",
      port: 4000,
    };
    const withLitellm = (b: LlmBackendRaw) =>
      issuesWith(llmConfig([llmBackend("openai"), b], [llmRoute("openai"), llmRoute("litellm")]));
    assert.deepEqual(
      withLitellm(litellm).map((i) => i.split(" (hint")[0]),
      ["ai-platform:llm.backends[1].host: Service ai/litellm is not created by this program"],
    );
    assert.deepEqual(withLitellm({ ...litellm, providedBy: "LiteLLM (Flux)" }), []);
  });
});
