import { strict as assert } from "assert";
import fc from "fast-check";
import type { RecordedResource } from "../../recording/runtime";
import {
  cloudflareConfig,
  configIssues,
  exposure,
  gatewayConfig,
  GatewayRaw,
  llmBackend,
  llmConfig,
  LlmRouteRaw,
  mcpConfig,
  mcpServer,
  McpServerRaw,
  rawConfig,
  RawConfig,
  secrets,
  tenant,
  tenantsConfig,
  tenantWorkload,
} from "../support/builders";
import { byType, recordPlatform } from "../support/record";

/*
 * Validation and deployment read one address book: for generated gateway layouts, a config validation accepts
 * deploys exactly the addresses an independent reading of agentgateway's Service naming gives (kagent model
 * configs and RemoteMCPServers, tenant agents, tunnel ingress), and a config with an address in-cluster clients
 * cannot reach is rejected at the client's config path, with a hint.
 */

const NS = "agentgateway-system";

interface Listener {
  name: string;
  protocol: "HTTP" | "HTTPS";
  port: number;
}
interface Layout {
  gateways: Array<{ name: string; listeners: Listener[] }>;
  routes: Array<{ name: string; gateway: string; listener?: string }>;
  servers: Array<{ name: string; gateway: string }>;
}

/** Gateways with HTTP and HTTPS listeners; routes and MCP servers on them, a route sometimes on a named listener. */
const layouts: fc.Arbitrary<Layout> = fc
  .array(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
  .chain((gws) => {
    const gateways = gws.map((https, g) => ({
      name: `gw${g}`,
      listeners: https.map((tls, l) => ({
        name: `l${l}`,
        protocol: tls ? ("HTTPS" as const) : ("HTTP" as const),
        port: 8000 + 10 * g + l,
      })),
    }));
    const onGateway = fc.constantFrom(...gateways);
    const route = onGateway.chain((g) =>
      fc.record({
        gateway: fc.constant(g.name),
        listener: fc.option(fc.constantFrom(...g.listeners.map((l) => l.name)), { nil: undefined }),
      }),
    );
    return fc.record({
      gateways: fc.constant(gateways),
      routes: fc
        .array(route, { minLength: 1, maxLength: 3 })
        .map((rs) => rs.map((r, i) => ({ name: `r${i}`, ...r }))),
      servers: fc
        .array(onGateway, { maxLength: 2 })
        .map((gs) => gs.map((g, i) => ({ name: `m${i}`, gateway: g.name }))),
    });
  });

/** Where agentgateway v1.4 serves a listener: the proxy Service is named after the Gateway, port == listener port. */
function serviceUrl(gateway: string, l: Listener): string {
  return `${l.protocol === "HTTPS" ? "https" : "http"}://${gateway}.${NS}.svc.cluster.local:${l.port}`;
}

/** The URL an in-cluster client calls: the route's listener, else the gateway's first plain-HTTP one. */
function expectedUrl(layout: Layout, gateway: string, path: string, listener?: string): string | undefined {
  const listeners = layout.gateways.find((g) => g.name === gateway)!.listeners;
  const l =
    listener !== undefined
      ? listeners.find((x) => x.name === listener)
      : listeners.find((x) => x.protocol === "HTTP");
  return l === undefined ? undefined : `${serviceUrl(gateway, l)}${path}`;
}

/** The tunnel origin of a gateway: its HTTPS listener if it has one, else its first listener. */
function expectedOrigin(layout: Layout, gateway: string): string {
  const listeners = layout.gateways.find((g) => g.name === gateway)!.listeners;
  return serviceUrl(gateway, listeners.find((l) => l.protocol === "HTTPS") ?? listeners[0]!);
}

function configOf(layout: Layout): RawConfig {
  const gateways: GatewayRaw[] = layout.gateways.map((g) => ({
    name: g.name,
    listeners: g.listeners.map((l) => ({
      ...l,
      allowedRoutes: "All" as const,
      ...(l.protocol === "HTTPS" ? { tls: { secretName: `${g.name}-tls` } } : {}),
    })),
    service: { type: "NodePort" as const },
  }));
  const routes: LlmRouteRaw[] = layout.routes.map((r) => ({
    name: r.name,
    gateway: r.gateway,
    ...(r.listener !== undefined ? { listener: r.listener } : {}),
    rules: [{ pathPrefix: `/${r.name}`, backend: "openai" }],
  }));
  const servers: McpServerRaw[] = layout.servers.map((s) => mcpServer(s.name, { gateway: s.gateway }));
  return rawConfig(
    gatewayConfig(gateways),
    llmConfig([llmBackend()], routes),
    mcpConfig(servers),
    {
      kagent: {
        enabled: true,
        database: { urlSecret: "kagent-db" },
        modelConfigs: layout.routes.map((r) => ({
          name: `mc-${r.name}`,
          model: "gpt-4o-mini",
          route: r.name,
          pathPrefix: `/${r.name}`,
          secret: "openai-key",
        })),
        remoteMcpServers: layout.servers.map((s) => ({
          name: `remote-${s.name}`,
          server: s.name,
          description: `${s.name} through the gateway`,
        })),
      },
      ...secrets("kagent-db"),
    },
    tenantsConfig([
      tenant("team-a", {
        workloads: layout.routes.map((r) =>
          tenantWorkload(`agent-${r.name}`, {
            kind: "agent",
            image: "agentopsLlmAgent",
            model: { name: "gpt-4o-mini", route: r.name, pathPrefix: `/${r.name}` },
          }),
        ),
      }),
    ]),
    cloudflareConfig({
      tunnel: { enabled: true, name: "edge", namespace: "network", secret: "cloudflare-tunnel-secret" },
    }),
    {
      exposures: layout.gateways.map((g) =>
        exposure(g.name, {
          target: { gateway: g.name },
          dns: { provider: "cloudflare", mode: "tunnel", proxied: true },
        }),
      ),
    },
  );
}

/** Config paths of the clients whose address does not resolve, by the independent reading. */
function unreachableClients(layout: Layout): string[] {
  const routeUnreachable = (i: number) => {
    const r = layout.routes[i]!;
    return expectedUrl(layout, r.gateway, `/${r.name}`, r.listener) === undefined;
  };
  const paths: string[] = [];
  layout.routes.forEach((_, i) => {
    if (routeUnreachable(i)) paths.push(`kagent.modelConfigs[${i}].route`);
  });
  layout.servers.forEach((s, i) => {
    if (expectedUrl(layout, s.gateway, `/${s.name}`) === undefined)
      paths.push(`kagent.remoteMcpServers[${i}].server`);
  });
  layout.routes.forEach((_, i) => {
    if (routeUnreachable(i)) paths.push(`tenants.items[0].workloads[${i}].model.route`);
  });
  return paths;
}

const specOf = (r: RecordedResource) => r.inputs["spec"] as Record<string, unknown>;
const nameOf = (r: RecordedResource) => (r.inputs["metadata"] as { name: string }).name;

describe("address book: validation and deployment agree (property)", () => {
  it("rejects exactly the configs with an unreachable client address, at the client's path with a hint", () => {
    fc.assert(
      fc.property(layouts, (layout) => {
        const issues = configIssues(configOf(layout));
        const expected = unreachableClients(layout).sort();
        assert.deepEqual(
          issues.map((i) => /^ai-platform:([^:]+):/.exec(i)![1]).sort(),
          expected,
          issues.join("\n"),
        );
        for (const issue of issues) assert.match(issue, /has no HTTP listener.*\(hint: add an HTTP listener/);
      }),
      { numRuns: 200 },
    );
  });

  it("deploys, for every accepted config, exactly the addresses clients are given", async () => {
    const accepted = layouts.filter((l) => unreachableClients(l).length === 0);
    await fc.assert(
      fc.asyncProperty(accepted, async (layout) => {
        const recording = await recordPlatform(configOf(layout), [
          "gateway",
          "mcp",
          "kagent",
          "cloudflare",
          "tenants",
        ]);
        const modelUrls = Object.fromEntries(
          byType(recording, "kubernetes:kagent.dev/v1alpha2:ModelConfig").map((r) => [
            nameOf(r),
            (specOf(r)["openAI"] as { baseUrl: string }).baseUrl,
          ]),
        );
        assert.deepEqual(
          modelUrls,
          Object.fromEntries(
            layout.routes.map((r) => [
              `mc-${r.name}`,
              expectedUrl(layout, r.gateway, `/${r.name}`, r.listener),
            ]),
          ),
        );
        const mcpUrls = Object.fromEntries(
          byType(recording, "kubernetes:kagent.dev/v1alpha2:RemoteMCPServer").map((r) => [
            nameOf(r),
            specOf(r)["url"],
          ]),
        );
        assert.deepEqual(
          mcpUrls,
          Object.fromEntries(
            layout.servers.map((s) => [`remote-${s.name}`, expectedUrl(layout, s.gateway, `/${s.name}`)]),
          ),
        );
        const agentUrls = Object.fromEntries(
          byType(recording, "kubernetes:apps/v1:Deployment")
            .filter((d) => nameOf(d).startsWith("agent-"))
            .map((d) => {
              const pod = (
                specOf(d)["template"] as {
                  spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> };
                }
              ).spec;
              const env = pod.containers[0]!.env ?? [];
              return [nameOf(d), env.find((e) => e.name === "LLM_BASE_URL")?.value];
            }),
        );
        assert.deepEqual(
          agentUrls,
          Object.fromEntries(
            layout.routes.map((r) => [
              `agent-${r.name}`,
              expectedUrl(layout, r.gateway, `/${r.name}`, r.listener),
            ]),
          ),
        );
        const [tunnelConfig] = byType(
          recording,
          "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
        );
        const ingress = (
          tunnelConfig!.inputs["config"] as { ingresses: Array<{ hostname?: string; service: string }> }
        ).ingresses;
        assert.deepEqual(
          ingress.map((i) => [i.hostname, i.service]),
          [
            ...layout.gateways.map((g) => [`${g.name}.example.com`, expectedOrigin(layout, g.name)]),
            [undefined, "http_status:404"],
          ],
        );
      }),
      { numRuns: 12 },
    );
  });
});
