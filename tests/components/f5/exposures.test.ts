import { strict as assert } from "assert";
import { bigipPath } from "../../../components/f5/exposures";
import { backendServiceOf, nodePortsFor, vipPlans, vipTable } from "../../../lib/exposures";
import { parametersSpec } from "../../../components/gateway/gateways";
import { rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { loadPlatformConfig } from "../../../stacks/load";
import {
  bigipConfig,
  exposure,
  gateway,
  gatewayConfig,
  platformConfig,
  talosCluster,
} from "../../support/builders";

/** Two gateways behind BIG-IP VIPs, a disabled row for a plain Service in between. */
const table = () =>
  platformConfig(talosCluster(), gatewayConfig([gateway("gw", 8080), gateway("xai", 8081)]), bigipConfig(), {
    exposures: [
      exposure("solo", { bigip: { vip: "10.1.0.20", ports: [{ port: 8080, nodePort: 31572 }] } }),
      exposure("argo", {
        enabled: false,
        target: { service: { namespace: "argocd", name: "argocd-server" } },
        bigip: { vip: "10.1.0.21", ports: [{ port: 443, nodePort: 31988 }] },
      }),
      exposure("xai", {
        target: { gateway: "xai" },
        bigip: { vip: "10.1.0.22", ports: [{ port: 8081, nodePort: 31990 }] },
      }),
    ],
  });

describe("f5: exposure table helpers", () => {
  it("names objects by full path", () => {
    assert.equal(bigipPath("Common", "solo-8080-pool"), "/Common/solo-8080-pool");
    assert.equal(bigipPath("rooster", "x"), "/rooster/x");
  });

  it("resolves a gateway target to the proxy Service named after the Gateway", () => {
    assert.deepEqual(backendServiceOf({ gateway: "xai-gateway-proxy" }, "agentgateway-system"), {
      namespace: "agentgateway-system",
      name: "xai-gateway-proxy",
    });
    assert.deepEqual(
      backendServiceOf({ service: { namespace: "argocd", name: "argocd-server" } }, "agentgateway-system"),
      {
        namespace: "argocd",
        name: "argocd-server",
      },
    );
  });

  it("uses the NodePorts the AI gateway sets on its proxy Services", () => {
    const config = table();
    const plans = vipPlans(config.exposures, config.agentgateway.namespace);
    assert.equal(plans.length, 2);
    for (const plan of plans) {
      const gw = config.agentgateway.gateways.find((g) => g.name === plan.backend.name)!;
      const service = parametersSpec(gw, nodePortsFor(gw.name, config.exposures))["service"] as {
        spec: { type: string; ports: Array<{ port: number; nodePort: number }> };
      };
      assert.equal(service.spec.type, "NodePort", gw.name);
      assert.deepEqual(service.spec.ports, [{ port: plan.port, nodePort: plan.nodePort }], gw.name);
    }
  });

  // The production stacks' own table: rooster reproduces Terraform's VIPs, homeops has none.
  it("reproduces Terraform's VIP table for rooster, argo kept and marked disabled", () => {
    const rooster = loadPlatformConfig(rawConfigOf(readStackFile("rooster")));
    const homeops = loadPlatformConfig(rawConfigOf(readStackFile("homeops")));
    const rows = vipTable(rooster.exposures, rooster.agentgateway.namespace).map(
      (r) => `${r.hostname} ${r.vip} ${r.backend} ${r.nodePort} ${r.enabled ? "on" : "off"}`,
    );
    assert.deepEqual(rows, [
      "solo.rooster.maniak.com 172.16.20.120:8080 agentgateway-system/agentgateway-proxy 31572 on",
      "argo.rooster.maniak.io 172.16.20.121:443 argocd/argocd-server 31988 off",
      "argo.rooster.maniak.io 172.16.20.121:80 argocd/argocd-server 32178 off",
      "xai.rooster.maniak.com 172.16.20.122:8081 agentgateway-system/xai-gateway-proxy 31990 on",
      "mcp.rooster.maniak.com 172.16.20.123:8090 agentgateway-system/mcp-gateway-proxy 30168 on",
      "model.rooster.maniak.com 172.16.20.124:8085 agentgateway-system/model-priority-gateway-proxy 30689 on",
      "github.rooster.maniak.com 172.16.20.125:8092 agentgateway-system/github-gateway-proxy 31313 on",
    ]);
    assert.deepEqual(
      vipTable(homeops.exposures, homeops.agentgateway.namespace),
      [],
      "homeops has no BIG-IP rows",
    );
  });

  it("plans VIPs for enabled rows only", () => {
    const config = table();
    const plans = vipPlans(config.exposures, config.agentgateway.namespace);
    assert.deepEqual(
      plans.map((p) => p.key),
      ["solo-8080", "xai-8081"],
    );
    assert.deepEqual(plans[0], {
      exposure: "solo",
      hostname: "solo.example.com",
      key: "solo-8080",
      address: "10.1.0.20",
      port: 8080,
      nodePort: 31572,
      backend: { namespace: "agentgateway-system", name: "gw" },
    });
  });
});
