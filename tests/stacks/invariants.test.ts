import { strict as assert } from "assert";
import { KUBERNETES_NAMESPACES, namespacesOf } from "../../lib/layers";
import {
  cilium,
  configIssues,
  gateway,
  gatewayConfig,
  kagentConfig,
  llmConfig,
  llmRoute,
  longhorn,
  mcpConfig,
  observabilityConfig,
  platformConfig,
  rawConfig,
  RawConfig,
  stackFileOf,
  talosCluster,
  tenant,
  tenantsConfig,
  LONGHORN_EXTENSIONS,
} from "../support/builders";
import { parsePlatformConfig } from "../../stacks/load";
import { rawConfigOf } from "../../recording/stackFile";

/** A gateway with an HTTP and an HTTPS listener (`https`, TLS unless `tls` is false), and a route on `listener`. */
function gatewayPieces(
  opts: { tls?: boolean; listener?: string; replicas?: number } = {},
): Partial<RawConfig>[] {
  const gw = gateway("gw", 80, {
    listeners: [
      { name: "http", protocol: "HTTP", port: 80 },
      {
        name: "https",
        protocol: "HTTPS",
        port: 443,
        ...(opts.tls === false ? {} : { tls: { secretName: "gw-tls" } }),
      },
    ],
    ...(opts.replicas === undefined ? {} : { replicas: opts.replicas }),
  });
  return [
    gatewayConfig([gw]),
    llmConfig(undefined, [llmRoute("openai", { listener: opts.listener ?? "https" })]),
  ];
}

/** Every formatted issue of the pieces, which must be invalid. */
function issuesOf(...pieces: Partial<RawConfig>[]): string[] {
  const { config } = parsePlatformConfig(rawConfigOf(stackFileOf(rawConfig(...pieces))));
  assert.equal(config, undefined, "an invalid config yields no config");
  return configIssues(...pieces);
}

describe("config: object invariants and cross-field rules are reported together", () => {
  const tls = "ai-platform:agentgateway.gateways[0].listeners[1].tls: HTTPS listener needs a TLS certificate";

  it("a gateway that breaks an invariant is still checked against the routes and pools that use it", () => {
    const issues = issuesOf(...gatewayPieces({ tls: false, listener: "htps" }));
    assert.ok(
      issues.some((i) => i.startsWith(tls)),
      issues.join("\n"),
    );
    assert.ok(
      issues.includes(
        'ai-platform:llm.routes[0].listener: unknown listener "htps" (hint: did you mean "https"?)',
      ),
      issues.join("\n"),
    );
  });

  it("a shape error keeps the layer from the cross-field rules, but its objects' invariants are still checked", () => {
    const issues = issuesOf(...gatewayPieces({ tls: false, listener: "htps", replicas: 0 }));
    assert.deepEqual(issues, [
      `${tls} (hint: set tls.secretName)`,
      "ai-platform:agentgateway.gateways[0].replicas: must be at least 1",
    ]);
  });
});

describe("config: the namespaces a tenant cannot take are the layer plan's", () => {
  it("every namespace the plan creates, and Kubernetes' own, belong to someone else", () => {
    // Every namespaced layer on, so the plan names all the namespaces a layer can create.
    const layers: Partial<RawConfig>[] = [
      talosCluster({ extensions: LONGHORN_EXTENSIONS }),
      cilium(),
      longhorn({ replicaCount: 1 }),
      ...gatewayPieces(),
      mcpConfig(),
      kagentConfig(),
      observabilityConfig(),
    ];
    const taken = [...namespacesOf(platformConfig(...layers)).map((n) => n.name), ...KUBERNETES_NAMESPACES];
    assert.ok(taken.length > KUBERNETES_NAMESPACES.length);
    for (const name of taken) {
      const { issues } = parsePlatformConfig(
        rawConfigOf(stackFileOf(rawConfig(...layers, tenantsConfig([tenant(name)])))),
      );
      assert.ok(
        issues.some(
          (i) => i.path === "tenants.items[0].name" && i.message.startsWith(`namespace "${name}" belongs to`),
        ),
        `${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
      );
    }
  });
});
