import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { images } from "../../lib/versions";
import { namespacePeer, PUBLIC_INTERNET, publicHttpsEgress, rule, tcp, udp } from "../../lib/networkPolicy";
import { Workload } from "../workload";
import { AUTOMATIC_TTL, CLOUDFLARED_NAME, CloudflarePlan } from "../../lib/exposures";

export interface CloudflareTunnelArgs {
  /** Tunnel name in the Cloudflare account. */
  name: string;
  /** Namespace of the cloudflared Deployment, from the Namespace's `metadata.name` output. */
  namespace: pulumi.Input<string>;
  /** cloudflared replicas (each opens its own connections to the edge). */
  replicas: number;
  /** Tunnel secret (base64 of at least 32 bytes), a secret Output. */
  secret: pulumi.Input<string>;
}

export interface CloudflareEdgeArgs {
  /** Zone name, looked up with getZone (e.g. `sklab.dev`). */
  zone: string;
  /** Cloudflare account id, a secret Output. */
  accountId: pulumi.Input<string>;
  /** The exposure plan's Cloudflare slice: DNS records, tunnel ingress and the gateway origins it dials. */
  plan: CloudflarePlan;
  /** Remotely managed tunnel and its in-cluster cloudflared; required when a row uses `mode: tunnel`. */
  tunnel?: CloudflareTunnelArgs;
}

/** The `cloudflare` settings the edge reads; switched off, nothing else is read. */
export type CloudflareSettings =
  | { enabled: false }
  | {
      enabled: true;
      /** Zone name. */
      zone: string;
      /** Secret holding the account id. */
      accountIdSecret: string;
      /** Remotely managed tunnel: name, cloudflared namespace and replicas, secret holding the tunnel secret. */
      tunnel?: { enabled: boolean; name: string; namespace: string; replicas: number; secret: string };
    };

/** What cloudflareEdgeArgs reads of the stack config. */
export interface CloudflareEdgeConfig {
  cloudflare?: CloudflareSettings;
}

/** cloudflared's metrics/readiness port (HO helmrelease.yaml: TUNNEL_METRICS=0.0.0.0:8080, GET /ready). */
const METRICS_PORT = 8080;

/**
 * Cloudflare DNS for the exposure table and, when configured, a remotely managed Zero Trust tunnel with its
 * ingress rules and an in-cluster cloudflared holding the tunnel token in a Secret. The cloudflare and
 * kubernetes providers come from the caller through `providers`.
 */
export class CloudflareEdge extends pulumi.ComponentResource {
  /** Tunnel UUID, when a tunnel is configured. */
  public readonly tunnelId?: pulumi.Output<string>;

  constructor(name: string, args: CloudflareEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:CloudflareEdge", name, {}, opts);
    const plans = args.plan.dnsRecords;
    const ingress = args.plan.tunnelIngress;

    const zoneId = cloudflare.getZoneOutput({ filter: { name: args.zone } }, { parent: this }).id;
    const accountId = pulumi.secret(args.accountId);

    let tunnelCname: pulumi.Output<string> | undefined;
    let tunnelReady: pulumi.Resource[] = [];
    if (args.tunnel !== undefined) {
      const t = args.tunnel;
      const tunnel = new cloudflare.ZeroTrustTunnelCloudflared(
        `${name}-tunnel`,
        { accountId, name: t.name, configSrc: "cloudflare", tunnelSecret: pulumi.secret(t.secret) },
        { parent: this },
      );
      const tunnelConfig = new cloudflare.ZeroTrustTunnelCloudflaredConfig(
        `${name}-tunnel-config`,
        { accountId, tunnelId: tunnel.id, source: "cloudflare", config: { ingresses: ingress } },
        { parent: this },
      );
      // Invoke arguments are sent and recorded without secret markings, so the account id from the secret
      // reference is not passed: the tunnel's accountTag is the same id. Whether the token is schema-secret is
      // unconfirmed (CF getZeroTrustTunnelCloudflaredToken.ts), so it is wrapped in pulumi.secret.
      const token = pulumi.secret(
        cloudflare.getZeroTrustTunnelCloudflaredTokenOutput(
          { accountId: tunnel.accountTag, tunnelId: tunnel.id },
          { parent: this },
        ).token,
      );
      const cloudflared = new Workload(
        `${name}-cloudflared`,
        {
          namespace: t.namespace,
          objectName: CLOUDFLARED_NAME,
          component: "tunnel",
          partOf: "edge",
          image: images.cloudflared,
          args: ["tunnel", "run"],
          env: { NO_AUTOUPDATE: "true", TUNNEL_METRICS: `0.0.0.0:${METRICS_PORT}` },
          secretEnv: { TUNNEL_TOKEN: token },
          ports: [{ name: "metrics", port: METRICS_PORT }],
          resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
          probes: {
            readiness: { type: "http", path: "/ready", port: "metrics" },
            liveness: { type: "http", path: "/ready", port: "metrics", initialDelaySeconds: 10 },
          },
          runAsUser: 1000,
          replicas: t.replicas,
          // Nothing connects to cloudflared; it dials out to the edge and to the gateways.
          ingress: [],
          egress: [
            rule(PUBLIC_INTERNET, [...tcp(7844), ...udp(7844)]),
            publicHttpsEgress([443]),
            // Without tunnel hostnames there is no origin, and a rule without ports admits nothing.
            rule(namespacePeer(args.plan.tunnelOrigins.namespace), tcp(...args.plan.tunnelOrigins.ports)),
          ],
        },
        { parent: this },
      );
      this.tunnelId = tunnel.id;
      tunnelReady = [cloudflared.deployment, tunnelConfig];
      tunnelCname = pulumi.interpolate`${tunnel.id}.cfargotunnel.com`;
    }

    for (const plan of plans) {
      new cloudflare.DnsRecord(
        `${name}-${plan.exposure}`,
        {
          zoneId,
          name: plan.hostname,
          type: plan.type,
          // Config validation rejects a tunnel row without an enabled tunnel.
          content: plan.kind === "tunnel" ? tunnelCname! : plan.content,
          proxied: plan.proxied,
          ttl: AUTOMATIC_TTL,
          comment: `ai-platform exposure ${plan.exposure}`,
        },
        // A tunnel hostname answers only once a connector is up: the record waits for the cloudflared
        // Deployment, which the Kubernetes provider awaits until its pods are ready (provider/pkg/await/
        // deployment.go; readiness is cloudflared's /ready, 200 only with a live edge connection: cloudflare/
        // cloudflared metrics/readiness.go), and for the tunnel's ingress rules, so the name never resolves to
        // a tunnel with no connector or no route.
        { parent: this, dependsOn: plan.kind === "tunnel" ? tunnelReady : [] },
      );
    }
    this.registerOutputs({
      zoneId,
      tunnelId: this.tunnelId,
      hostnames: plans.map((p) => p.hostname),
    });
  }
}

/**
 * CloudflareEdge arguments from the stack config and the exposure plan's Cloudflare slice; `secret` resolves
 * secret names (e.g. SecretResolver.get).
 */
export function cloudflareEdgeArgs(
  config: CloudflareEdgeConfig,
  plan: CloudflarePlan,
  secret: (name: string) => pulumi.Output<string>,
  tunnelNamespace: (name: string) => pulumi.Input<string>,
): CloudflareEdgeArgs {
  const cf = config.cloudflare;
  if (!cf?.enabled) throw new Error("cloudflareEdgeArgs: the stack has no enabled cloudflare configuration");
  const t = cf.tunnel;
  return {
    zone: cf.zone,
    accountId: secret(cf.accountIdSecret),
    plan,
    tunnel:
      t !== undefined && t.enabled
        ? {
            name: t.name,
            namespace: tunnelNamespace(t.namespace),
            replicas: t.replicas,
            secret: secret(t.secret),
          }
        : undefined,
  };
}
