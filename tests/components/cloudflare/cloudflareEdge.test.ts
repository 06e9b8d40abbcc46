import { strict as assert } from "assert";
import type { Recording, RecordedResource } from "../../../recording/runtime";
import { isKubernetesObject, manifestOf, validateCoreObject } from "../../../conformance";
import { describeWithSchemas } from "../../support/schemas";
import {
  cilium,
  cloudflareConfig,
  exposure,
  gateway,
  gatewayConfig,
  rawConfig,
} from "../../support/builders";
import { byType, descendantsOf, one, recordPlatform } from "../../support/record";

const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
const TUNNEL_CONFIG = "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig";
const RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const GET_ZONE = "cloudflare:index/getZone:getZone";
const GET_TOKEN = "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken";

/** The AI gateway on a LoadBalancer address with an HTTPS listener, published through a Cloudflare tunnel. */
const CF = rawConfig(
  cilium({ lbPools: [{ name: "services", blocks: [{ start: "10.0.0.20", stop: "10.0.0.49" }] }] }),
  gatewayConfig(
    [
      gateway("gw", 80, {
        listeners: [
          { name: "http", protocol: "HTTP", port: 80 },
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            allowedRoutes: "All",
            tls: { secretName: "example-tls" },
          },
        ],
        service: { type: "LoadBalancer", ip: "10.0.0.30" },
      }),
    ],
    { namespace: "ai-system" },
  ),
  cloudflareConfig({
    tunnel: {
      enabled: true,
      name: "edge",
      namespace: "network",
      replicas: 2,
      secret: "cloudflare-tunnel-secret",
    },
  }),
  {
    exposures: [
      exposure("ai", {
        hostname: "ai.example.com",
        dns: { provider: "cloudflare", mode: "tunnel", proxied: true },
      }),
    ],
  },
);

let tunnelEdge: Promise<Recording> | undefined;
/** The Cloudflare layer of the composition for CF, shared by the suites below. */
function tunnelRecording(): Promise<Recording> {
  tunnelEdge ??= recordPlatform(CF, ["cloudflare"]);
  return tunnelEdge;
}

describe("cloudflare: CloudflareEdge with a tunnel", () => {
  let recording: Recording;
  let edge: RecordedResource;
  before(async () => {
    recording = await tunnelRecording();
    edge = one(recording, "platform:edge:CloudflareEdge", "cloudflare");
  });

  it("looks the zone up by name and creates a remotely managed tunnel with a secret tunnel secret", () => {
    const zone = recording.invokes.filter((i) => i.token === GET_ZONE);
    assert.deepEqual(
      zone.map((i) => i.args),
      [{ filter: { name: "example.com" } }],
    );
    const tunnel = one(recording, TUNNEL, "cloudflare-tunnel");
    assert.equal(tunnel.parent, edge.urn);
    assert.deepEqual(tunnel.inputs, {
      accountId: "[secret]",
      configSrc: "cloudflare",
      name: "edge",
      tunnelSecret: "[secret]",
    });
    assert.deepEqual(tunnel.secretPaths.sort(), ["accountId", "tunnelSecret"]);
  });

  it("configures the tunnel ingress: ai.example.com to the gateway over HTTPS, then 404", () => {
    const tunnel = one(recording, TUNNEL, "cloudflare-tunnel");
    const cfg = one(recording, TUNNEL_CONFIG, "cloudflare-tunnel-config");
    assert.deepEqual(cfg.dependencies, [tunnel.urn]);
    assert.equal(cfg.inputs["source"], "cloudflare");
    assert.deepEqual(cfg.inputs["config"], {
      ingresses: [
        {
          hostname: "ai.example.com",
          originRequest: { http2Origin: true, originServerName: "ai.example.com" },
          service: "https://gw.ai-system.svc.cluster.local:443",
        },
        { service: "http_status:404" },
      ],
    });
  });

  it("publishes ai.example.com as a proxied CNAME to the tunnel", () => {
    const record = one(recording, RECORD, "cloudflare-ai");
    // The recording answers every resource with id "<resource name>-id".
    assert.equal(record.inputs["content"], "cloudflare-tunnel-id.cfargotunnel.com");
    assert.equal(record.inputs["name"], "ai.example.com");
    assert.equal(record.inputs["type"], "CNAME");
    assert.equal(record.inputs["proxied"], true);
    assert.equal(record.inputs["ttl"], 1);
    assert.match(String(record.inputs["zoneId"]), /^[0-9a-f]{32}$/);
    // The tunnel (content), its ingress and the cloudflared Deployment (the record waits for a connector).
    assert.deepEqual(
      record.dependencies,
      [
        one(recording, TUNNEL, "cloudflare-tunnel").urn,
        one(recording, TUNNEL_CONFIG, "cloudflare-tunnel-config").urn,
        one(recording, "kubernetes:apps/v1:Deployment", "cloudflare-cloudflared-deployment").urn,
      ].sort(),
    );
    assert.equal(byType(recording, RECORD).length, 1);
  });

  it("runs cloudflared in the tunnel namespace with the token in a Secret and restricted hardening", () => {
    const secret = one(recording, "kubernetes:core/v1:Secret", "cloudflare-cloudflared-env");
    assert.equal(
      manifestOf(secret)["metadata"] &&
        (manifestOf(secret)["metadata"] as Record<string, unknown>)["namespace"],
      "network",
    );
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    assert.equal(secret.inputs["stringData"], "[secret]");
    const tokenInvokes = recording.invokes.filter((i) => i.token === GET_TOKEN);
    assert.deepEqual(
      tokenInvokes.map((i) => i.args),
      [{ accountId: "account-tag", tunnelId: "cloudflare-tunnel-id" }],
      "the token is read for the tunnel, with the account tag the tunnel reports",
    );
    const deployment = manifestOf(
      one(recording, "kubernetes:apps/v1:Deployment", "cloudflare-cloudflared-deployment"),
    ) as {
      spec: {
        replicas: number;
        template: {
          spec: { securityContext: Record<string, unknown>; containers: Array<Record<string, unknown>> };
        };
      };
    };
    assert.equal(deployment.spec.replicas, 2);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    assert.equal(container["image"], "cloudflare/cloudflared:2026.8.2");
    assert.deepEqual(container["args"], ["tunnel", "run"]);
    assert.deepEqual(container["env"], [
      { name: "NO_AUTOUPDATE", value: "true" },
      { name: "TUNNEL_METRICS", value: "0.0.0.0:8080" },
      { name: "TUNNEL_TOKEN", valueFrom: { secretKeyRef: { key: "TUNNEL_TOKEN", name: "cloudflared-env" } } },
    ]);
    assert.deepEqual((container["readinessProbe"] as { httpGet: unknown }).httpGet, {
      path: "/ready",
      port: "metrics",
    });
    assert.deepEqual(container["securityContext"], {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.securityContext["runAsUser"], 1000);
    assert.deepEqual((container["resources"] as { limits: unknown }).limits, {
      cpu: "500m",
      memory: "256Mi",
    });
    const ns = one(recording, "kubernetes:core/v1:Namespace", "platform-network");
    assert.ok(
      one(
        recording,
        "kubernetes:apps/v1:Deployment",
        "cloudflare-cloudflared-deployment",
      ).dependencies.includes(ns.urn),
    );
    one(recording, "kubernetes:policy/v1:PodDisruptionBudget", "cloudflare-cloudflared-pdb");
  });

  it("lets cloudflared reach only DNS, the Cloudflare edge and the gateway's HTTPS port", () => {
    const policy = manifestOf(
      one(recording, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "cloudflare-cloudflared-netpol"),
    ) as {
      spec: { ingress: unknown[]; egress: Array<{ to: unknown[]; ports: unknown[] }> };
    };
    assert.deepEqual(policy.spec.ingress, []);
    assert.deepEqual(policy.spec.egress.slice(1), [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
        ports: [
          { port: 7844, protocol: "TCP" },
          { port: 7844, protocol: "UDP" },
        ],
      },
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
        ports: [{ port: 443, protocol: "TCP" }],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ai-system" } } }],
        ports: [{ port: 443, protocol: "TCP" }],
      },
    ]);
  });

  it("routes Cloudflare objects through the cloudflare provider and Kubernetes objects through the cluster provider", () => {
    const cf = one(recording, "pulumi:providers:cloudflare", "cloudflare");
    const cluster = one(recording, "pulumi:providers:kubernetes", "cluster");
    assert.deepEqual(edge.providers, { cloudflare: cf.urn, kubernetes: cluster.urn });
    for (const r of descendantsOf(recording, edge).filter((d) => d.custom)) {
      assert.equal(r.provider, r.type.startsWith("cloudflare:") ? cf.urn : cluster.urn, r.name);
    }
    for (const invoke of recording.invokes.filter((i) => i.token.startsWith("cloudflare:")))
      assert.equal(invoke.provider, cf.urn, invoke.token);
  });

  it("keeps the API token, account id, tunnel secret and token out of plain text", () => {
    const cf = one(recording, "pulumi:providers:cloudflare", "cloudflare");
    assert.deepEqual(cf.secretPaths, ["apiToken"]);
    const everything = JSON.stringify({
      resources: recording.resources,
      invokes: recording.invokes,
      outputs: recording.outputs,
    });
    assert.ok(recording.secretValues.length >= 4, "1Password fields and the tunnel token were handed out");
    for (const value of recording.secretValues)
      assert.ok(!everything.includes(value), `secret ${value} leaked`);
  });
});

describe("cloudflare: CloudflareEdge variants", () => {
  it("publishes an A record to the gateway LoadBalancer IP and runs no tunnel when none is configured", async () => {
    const recording = await recordPlatform(
      rawConfig(CF, cloudflareConfig(), {
        exposures: [
          exposure("ai", {
            hostname: "ai.example.com",
            dns: { provider: "cloudflare", mode: "record", proxied: false },
          }),
        ],
      }),
      ["cloudflare"],
    );
    const record = one(recording, RECORD, "cloudflare-ai");
    assert.deepEqual(
      [record.inputs["type"], record.inputs["content"], record.inputs["proxied"]],
      ["A", "10.0.0.30", false],
    );
    assert.deepEqual(byType(recording, TUNNEL), []);
    assert.deepEqual(byType(recording, "kubernetes:apps/v1:Deployment"), []);
  });
});

describeWithSchemas("cloudflare: Kubernetes objects conform", () => {
  it("the cloudflared objects validate against the Kubernetes models", async () => {
    const recording = await tunnelRecording();
    const edge = one(recording, "platform:edge:CloudflareEdge", "cloudflare");
    const objects = descendantsOf(recording, edge).filter(isKubernetesObject);
    assert.deepEqual(objects.map((o) => o.type.split(":")[2]).sort(), [
      "Deployment",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Secret",
      "Service",
    ]);
    assert.deepEqual(
      objects.flatMap((o) => validateCoreObject(manifestOf(o))),
      [],
    );
  });
});
