import { z } from "zod";
import { dnsLabel, hostname, ipv4, nodePort, port, secretName } from "../fields";
import { invariant, uniqueNames, uniqueWithin } from "../checks/refine";
import { switchable } from "../switchable";
import type { Rule } from "./common";
import { resolve, unique } from "./common";
import type { ExposureProblem } from "../../lib/exposures";
import { exposureProblems } from "../addressBook";

/* The exposure table: BIG-IP VIPs and NodePorts, DNS through Cloudflare. */

const exposureTarget = z.union([
  z.strictObject({ gateway: dnsLabel }),
  z.strictObject({ service: z.strictObject({ namespace: dnsLabel, name: dnsLabel }) }),
]);

const exposureSchema = z
  .strictObject({
    name: dnsLabel,
    enabled: z.boolean().default(true),
    hostname,
    target: exposureTarget,
    /** BIG-IP virtual server: one per port, pool members are every node at the NodePort. */
    bigip: z
      .strictObject({
        vip: ipv4,
        ports: z.array(z.strictObject({ port, nodePort })).min(1),
      })
      .optional(),
    /** DNS published by this program (Cloudflare), or managed elsewhere (external). */
    dns: z
      .strictObject({
        provider: z.enum(["cloudflare", "external"]),
        mode: z.enum(["record", "tunnel"]).default("record"),
        proxied: z.boolean().default(false),
      })
      .default({ provider: "external", mode: "record", proxied: false }),
  })
  .check(
    // A tunnel row's target is checked by the exposure plan (lib/exposures.ts), which compiles the tunnel ingress.
    invariant("tunnel-proxied", (e, problems) => {
      if (e.enabled && e.dns.provider === "cloudflare" && e.dns.mode === "tunnel" && !e.dns.proxied)
        problems.add(
          ["dns", "proxied"],
          "tunnel hostnames are proxied CNAMEs to <tunnel>.cfargotunnel.com",
          "set proxied: true",
        );
    }),
  );

/** The exposure table: unique names and hostnames. */
export const exposuresSchema = z
  .array(exposureSchema)
  .default([])
  .check(uniqueNames("exposure name"))
  .check(
    invariant("exposure-hostnames", (exposures, problems) =>
      uniqueWithin(
        problems,
        exposures,
        (e) => e.hostname,
        (i) => [i, "hostname"],
        "hostname",
      ),
    ),
  );

const bigipFields = z.strictObject({
  enabled: z.boolean(),
  addressSecret: secretName,
  usernameSecret: secretName,
  passwordSecret: secretName,
  /** Partition every LTM object is created in (objects are named /<partition>/<name>). */
  partition: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, { error: "must be a partition name like Common (no slashes)" })
    .default("Common"),
  /**
   * Turns TLS verification of the management API off. The provider's own default is true (off); here the
   * default is verification on, which needs trustedCertPath.
   */
  validateCertsDisable: z.boolean().default(false),
  /** PEM file (on the machine running Pulumi) of the CA that signed the management certificate. */
  trustedCertPath: z.string().min(1).optional(),
  /** Health monitor of every pool; BIG-IP requires interval < timeout. */
  monitor: z
    .strictObject({
      type: z.enum(["tcp", "http"]),
      interval: z.number().int().positive(),
      timeout: z.number().int().positive(),
    })
    .check(
      invariant("bigip-monitor", (m, problems) => {
        if (m.interval >= m.timeout)
          problems.add(
            ["interval"],
            `must be less than the timeout (${m.timeout})`,
            "BIG-IP rejects interval >= timeout",
          );
      }),
    )
    .default({ type: "tcp", interval: 5, timeout: 16 }),
});

export const bigipSchema = switchable(bigipFields).check(
  invariant("bigip-certificate", (bigip, problems) => {
    if (bigip.enabled && !bigip.validateCertsDisable && bigip.trustedCertPath === undefined)
      problems.add(
        ["trustedCertPath"],
        "is required when validateCertsDisable is false",
        "give the PEM file of the management CA, or set validateCertsDisable: true",
      );
  }),
);

export const cloudflareSchema = z.strictObject({
  enabled: z.boolean(),
  apiTokenSecret: secretName,
  accountIdSecret: secretName,
  zone: hostname,
  tunnel: z
    .strictObject({
      enabled: z.boolean(),
      name: dnsLabel,
      namespace: dnsLabel,
      replicas: z.number().int().min(1).default(2),
      /** Secret holding the tunnel secret (base64 of at least 32 random bytes). */
      secret: secretName,
    })
    .optional(),
});

export const exposureRules: Rule = (c, issues) => {
  const exposures = c.exposures;
  if (exposures === undefined) return;
  const gateways = c.agentgateway?.gateways;
  // What the exposure plan cannot compile (a tunnel to no gateway, a record with no address), reported in
  // table order; an unknown gateway is reported once, by its reference.
  const planProblems = exposureProblems(c).filter((p) => p.cause !== "tunnelGateway");
  const nodePorts: Array<{ key: string; path: string }> = [];
  const vips: Array<{ key: string; path: string }> = [];
  // One NodePort per gateway Service port: two enabled rows cannot set different NodePorts on the same port.
  const gatewayPorts: Array<{ key: string; path: string }> = [];
  exposures.forEach((e, i) => {
    const base = `exposures[${i}]`;
    const gateway =
      "gateway" in e.target && gateways !== undefined
        ? resolve(
            issues,
            `${base}.target.gateway`,
            e.target.gateway,
            gateways.map((g) => g.name),
            "gateway",
          )
          ? gateways.find((g) => "gateway" in e.target && g.name === e.target.gateway)
          : undefined
        : undefined;
    if (e.bigip !== undefined) {
      e.bigip.ports.forEach((p, j) => {
        nodePorts.push({ key: String(p.nodePort), path: `${base}.bigip.ports[${j}].nodePort` });
        vips.push({ key: `${e.bigip!.vip}:${p.port}`, path: `${base}.bigip.ports[${j}].port` });
        if (e.enabled && "gateway" in e.target) {
          gatewayPorts.push({ key: `${e.target.gateway}:${p.port}`, path: `${base}.bigip.ports[${j}].port` });
        }
        if (gateway !== undefined && !gateway.listeners.some((l) => l.port === p.port)) {
          issues.add(
            `${base}.bigip.ports[${j}].port`,
            `gateway "${gateway.name}" has no listener on port ${p.port}`,
            `listener ports: ${gateway.listeners.map((l) => l.port).join(", ")}`,
          );
        }
      });
      if (gateway !== undefined && gateway.service.type !== "NodePort") {
        issues.add(
          `${base}.target.gateway`,
          `gateway "${gateway.name}" is exposed as ${gateway.service.type}, not NodePort`,
          "BIG-IP pools need a NodePort service",
        );
      }
      if (e.enabled && c.bigip !== undefined && !c.bigip.enabled) {
        issues.add(
          `${base}.bigip`,
          "BIG-IP is disabled",
          "enable bigip, or remove this exposure's bigip block",
        );
      } else if (e.enabled && "bigip" in c && c.bigip === undefined) {
        // A key that failed to parse is absent from the partial config and already reported.
        issues.add(`${base}.bigip`, "no bigip configuration", "add the bigip config key");
      }
    }
    if (e.enabled && e.dns.provider === "cloudflare") {
      // A cloudflare key that failed to parse is absent from the partial config and already reported.
      if ("cloudflare" in c && (c.cloudflare === undefined || !c.cloudflare.enabled)) {
        issues.add(
          `${base}.dns.provider`,
          "Cloudflare is not enabled",
          "enable cloudflare, or use provider: external",
        );
      } else if (c.cloudflare !== undefined) {
        if (e.dns.mode === "tunnel" && !(c.cloudflare.tunnel?.enabled ?? false)) {
          issues.add(
            `${base}.dns.mode`,
            "no Cloudflare tunnel is enabled",
            "enable cloudflare.tunnel or use mode: record",
          );
        }
        if (!e.hostname.endsWith(`.${c.cloudflare.zone}`) && e.hostname !== c.cloudflare.zone) {
          issues.add(`${base}.hostname`, `${e.hostname} is not in the Cloudflare zone ${c.cloudflare.zone}`);
        }
      }
      const problem = (cause: ExposureProblem["cause"]) => {
        const p = planProblems.find((x) => x.index === i && x.cause === cause);
        if (p !== undefined) issues.add(`${base}.${p.field}`, p.problem, p.hint);
      };
      problem(e.dns.mode === "tunnel" ? "tunnelTarget" : "recordAddress");
    }
  });
  unique(
    issues,
    nodePorts,
    (n) => n.key,
    (k) => nodePorts[k]!.path,
    "NodePort",
  );
  unique(
    issues,
    vips,
    (v) => v.key,
    (k) => vips[k]!.path,
    "VIP address:port",
  );
  // A row already reported for its VIP:port is not reported again for the gateway port it repeats.
  const reported = new Set(issues.items.map((i) => i.path));
  const firstUse = new Map<string, string>();
  for (const g of gatewayPorts) {
    const first = firstUse.get(g.key);
    if (first === undefined) firstUse.set(g.key, g.path);
    else if (!reported.has(g.path)) {
      const [gateway, port] = g.key.split(":");
      issues.add(
        g.path,
        `port ${port} of gateway "${gateway}" already has a NodePort`,
        `exposed at ${first}; a Service port has one NodePort`,
      );
    }
  }
  const bigip = c.bigip;
  if (bigip === undefined || !bigip.enabled) return;
  if (c.cluster !== undefined && !c.cluster.talos.enabled) {
    issues.add(
      "bigip.enabled",
      "BIG-IP pool members are the Talos nodes, but cluster.talos is disabled",
      "enable cluster.talos or disable bigip",
    );
  }
};
