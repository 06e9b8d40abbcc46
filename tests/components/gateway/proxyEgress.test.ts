import { strict as assert } from "assert";
import { mcpWorkloadName } from "../../../lib/addressBook";
import { controllerPodLabels } from "../../../lib/agentgatewayController";
import { collectorPodLabels, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "../../../lib/collector";
import { KAGENT_CONTROLLER_POD_LABELS, SLACK_BOT_NAME } from "../../../lib/kagent";
import type { NetworkPolicySpec } from "../../../lib/networkPolicy";
import type { Recording } from "../../../recording/runtime";
import { CONTROLLER_XDS_PORT, GATEWAY_NAME_LABEL } from "../../../components/gateway/refs";
import { KAGENT_CONTROLLER_PORT } from "../../../components/kagent/specs";
import { standardLabels } from "../../../components/workload";
import { Connection, PlacedPolicy, podAdmits } from "../../support/networkPolicy";
import { byType, recordedStack } from "../../support/record";

/*
 * Each proxy reaches only what its own routes need, and the MCP servers and the Slack bot are reached only by
 * their one client, checked through the NetworkPolicy evaluator against every policy of the rooster plan (five
 * gateways: LLM routes, xAI, failover, in-cluster MCP servers, a remote MCP server; tracing to the collector;
 * kagent with its Slack bot). Pod labels are those the pods carry: proxies per
 * agentgateway/agentgateway@v1.4.1:controller/pkg/helm/agentgateway/templates/_helpers.tpl selectorLabels, the
 * controller per controller/install/helm/agentgateway/templates/_helpers.tpl, the program's workloads per
 * components/workload.
 */

const NS = "agentgateway-system";
const proxy = (gateway: string) => ({
  namespace: NS,
  labels: {
    [GATEWAY_NAME_LABEL]: gateway,
    "app.kubernetes.io/name": gateway,
    "app.kubernetes.io/instance": gateway,
  },
});
const controller = { namespace: NS, labels: controllerPodLabels() };
const mcpServer = (server: string) => ({
  namespace: NS,
  labels: standardLabels({ name: mcpWorkloadName(server), component: "mcp-server", partOf: "ai-platform" }),
});
const collector = { namespace: NS, labels: collectorPodLabels("langfuse-otel-collector") };
const kagentController = { namespace: "kagent", labels: { ...KAGENT_CONTROLLER_POD_LABELS } };
// An agent pod of the kagent namespace (the kagent controller labels it with the agent, never as controller).
const agentPod = {
  namespace: "kagent",
  labels: { "app.kubernetes.io/name": "team-lead", kagent: "team-lead" },
};
const slackBot = {
  namespace: "kagent",
  labels: standardLabels({ name: SLACK_BOT_NAME, component: "slack-bot", partOf: "ai-platform" }),
};

type Pod = { namespace: string; labels: Record<string, string> };
const toPod = (to: Pod, port: number): Connection => ({
  endpoint: { kind: "pod", namespace: to.namespace, labels: to.labels },
  port,
  protocol: "TCP",
});
const toInternet = (ip: string, port: number): Connection => ({
  endpoint: { kind: "external", ip },
  port,
  protocol: "TCP",
});

function policies(recording: Recording): PlacedPolicy[] {
  return byType(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => ({
    namespace: (r.inputs["metadata"] as { namespace: string }).namespace,
    spec: r.inputs["spec"] as NetworkPolicySpec,
  }));
}

describe("gateway/hardening: egress as narrow as each proxy's traffic (rooster, NetworkPolicy evaluator)", () => {
  let placed: PlacedPolicy[];
  before(async () => {
    placed = policies(await recordedStack("rooster"));
  });
  /** Whether `from` may open the connection and `to` (a pod) accept it. */
  const reaches = (from: Pod, to: Pod, port: number) =>
    podAdmits(placed, from, "Egress", toPod(to, port)) &&
    podAdmits(placed, to, "Ingress", { endpoint: { kind: "pod", ...from }, port, protocol: "TCP" });

  it("MCP server ports only from the MCP gateway that routes them", () => {
    for (const [server, port] of [
      ["everything", 3001],
      ["slack", 3000],
      ["excalidraw", 3001],
    ] as const) {
      assert.ok(reaches(proxy("mcp-gateway-proxy"), mcpServer(server), port), server);
      for (const other of ["agentgateway-proxy", "xai-gateway-proxy", "github-gateway-proxy"])
        assert.ok(!reaches(proxy(other), mcpServer(server), port), `${other} -> ${server}`);
      // The other pods of the namespace (controller, collector) are not MCP clients either.
      for (const pod of [controller, collector])
        assert.ok(
          !podAdmits(placed, mcpServer(server), "Ingress", {
            endpoint: { kind: "pod", ...pod },
            port,
            protocol: "TCP",
          }),
        );
    }
  });

  it("public HTTPS only for gateways with a public backend", () => {
    const publicApi = toInternet("104.18.6.192", 443);
    for (const gw of [
      "agentgateway-proxy",
      "xai-gateway-proxy",
      "model-priority-gateway-proxy",
      "github-gateway-proxy",
    ])
      assert.ok(podAdmits(placed, proxy(gw), "Egress", publicApi), gw);
    // In-cluster MCP servers only: no way out.
    assert.ok(!podAdmits(placed, proxy("mcp-gateway-proxy"), "Egress", publicApi));
    // Never private ranges on 443.
    assert.ok(!podAdmits(placed, proxy("agentgateway-proxy"), "Egress", toInternet("10.1.2.3", 443)));
  });

  it("traces to the collector pods on OTLP/gRPC only, xDS to the controller pods only", () => {
    for (const gw of ["agentgateway-proxy", "mcp-gateway-proxy"]) {
      assert.ok(reaches(proxy(gw), collector, OTLP_GRPC_PORT), gw);
      assert.ok(!podAdmits(placed, proxy(gw), "Egress", toPod(collector, OTLP_HTTP_PORT)), `${gw} 4318`);
      assert.ok(!podAdmits(placed, proxy(gw), "Egress", toPod(mcpServer("everything"), OTLP_GRPC_PORT)));
      assert.ok(podAdmits(placed, proxy(gw), "Egress", toPod(controller, CONTROLLER_XDS_PORT)), `${gw} xDS`);
      for (const pod of [collector, mcpServer("slack"), proxy("xai-gateway-proxy")])
        assert.ok(!podAdmits(placed, proxy(gw), "Egress", toPod(pod, CONTROLLER_XDS_PORT)));
    }
  });

  it("the Slack bot reaches the kagent controller and no other pod of its namespace", () => {
    assert.ok(podAdmits(placed, slackBot, "Egress", toPod(kagentController, KAGENT_CONTROLLER_PORT)));
    assert.ok(!podAdmits(placed, slackBot, "Egress", toPod(agentPod, KAGENT_CONTROLLER_PORT)));
    // Nothing connects in (Socket Mode) but the metrics scraper.
    assert.ok(
      !podAdmits(placed, slackBot, "Ingress", {
        endpoint: { kind: "pod", ...kagentController },
        port: 8080,
        protocol: "TCP",
      }),
    );
  });
});
