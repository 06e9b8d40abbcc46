import type { ExposureConfig, GatewayConfig } from "../../stacks/schema";

/*
 * Pure views of the exposure table for Cloudflare: which public names get which DNS record, and the tunnel's
 * ingress rules (remotely managed, `configSrc: cloudflare`).
 */

/** Cloudflare's "automatic" TTL (required input of DnsRecord; 1 = automatic, CF sdk/nodejs/dnsRecord.ts). */
export const AUTOMATIC_TTL = 1;

/** Catch-all ingress rule; cloudflared requires the last rule to match everything. */
export const CATCH_ALL = { service: "http_status:404" } as const;

/** The in-cluster origin of a gateway: its HTTPS listener if it has one, else its first HTTP listener. */
export interface GatewayOrigin {
  /** `https://<gateway>.<namespace>.svc.cluster.local:<port>` (the proxy Service is named after the Gateway). */
  service: string;
  /** Listener port, which is also the proxy pod port (`port == targetPort` for agentgateway v1.4 Services). */
  port: number;
  tls: boolean;
}

export function gatewayOrigin(gateway: GatewayConfig, namespace: string): GatewayOrigin {
  const https = gateway.listeners.find((l) => l.protocol === "HTTPS");
  const listener = https ?? gateway.listeners[0]!;
  const scheme = https !== undefined ? "https" : "http";
  return {
    service: `${scheme}://${gateway.name}.${namespace}.svc.cluster.local:${listener.port}`,
    port: listener.port,
    tls: https !== undefined,
  };
}

function gatewayOf(e: ExposureConfig, gateways: GatewayConfig[]): GatewayConfig | undefined {
  return "gateway" in e.target
    ? gateways.find((g) => "gateway" in e.target && g.name === e.target.gateway)
    : undefined;
}

/** Enabled exposures published by this program on Cloudflare. */
export function cloudflareExposures(exposures: ExposureConfig[]): ExposureConfig[] {
  return exposures.filter((e) => e.enabled && e.dns.provider === "cloudflare");
}

export interface TunnelIngressRule {
  hostname?: string;
  service: string;
  originRequest?: { originServerName: string; http2Origin: boolean };
}

/**
 * Tunnel ingress rules: each tunnel hostname to its gateway's in-cluster Service (HTTPS with the public name
 * as SNI, so the gateway's certificate for that name is verified), then the catch-all 404.
 */
export function tunnelIngress(
  exposures: ExposureConfig[],
  gateways: GatewayConfig[],
  namespace: string,
): TunnelIngressRule[] {
  const rules: TunnelIngressRule[] = cloudflareExposures(exposures)
    .filter((e) => e.dns.mode === "tunnel")
    .map((e) => {
      const gateway = gatewayOf(e, gateways);
      if (gateway === undefined)
        throw new Error(`exposure ${e.name}: a tunnel hostname must front a known gateway`);
      const origin = gatewayOrigin(gateway, namespace);
      return origin.tls
        ? {
            hostname: e.hostname,
            service: origin.service,
            originRequest: { originServerName: e.hostname, http2Origin: true },
          }
        : { hostname: e.hostname, service: origin.service };
    });
  return [...rules, { ...CATCH_ALL }];
}

/** Gateways (and their origin ports) the tunnel connects to, for cloudflared's egress policy. */
export function tunnelOriginPorts(
  exposures: ExposureConfig[],
  gateways: GatewayConfig[],
  namespace: string,
): number[] {
  const ports = new Set<number>();
  for (const e of cloudflareExposures(exposures)) {
    const gateway = gatewayOf(e, gateways);
    if (e.dns.mode === "tunnel" && gateway !== undefined) ports.add(gatewayOrigin(gateway, namespace).port);
  }
  return [...ports].sort((a, b) => a - b);
}

export type DnsRecordPlan =
  | { exposure: string; hostname: string; kind: "tunnel"; type: "CNAME"; proxied: true }
  | { exposure: string; hostname: string; kind: "address"; type: "A"; content: string; proxied: boolean };

/**
 * The DNS record of each published name: tunnel names are proxied CNAMEs to `<tunnel id>.cfargotunnel.com`
 * (HO dnsendpoint.yaml); others are A records to the gateway's LoadBalancer IP, else to the BIG-IP VIP.
 */
export function dnsRecordPlans(exposures: ExposureConfig[], gateways: GatewayConfig[]): DnsRecordPlan[] {
  return cloudflareExposures(exposures).map((e): DnsRecordPlan => {
    if (e.dns.mode === "tunnel")
      return { exposure: e.name, hostname: e.hostname, kind: "tunnel", type: "CNAME", proxied: true };
    const gateway = gatewayOf(e, gateways);
    const address = gateway?.service.type === "LoadBalancer" ? gateway.service.ip : e.bigip?.vip;
    if (address === undefined)
      throw new Error(`exposure ${e.name}: a DNS record needs a LoadBalancer gateway or a BIG-IP VIP`);
    return {
      exposure: e.name,
      hostname: e.hostname,
      kind: "address",
      type: "A",
      content: address,
      proxied: e.dns.proxied,
    };
  });
}
