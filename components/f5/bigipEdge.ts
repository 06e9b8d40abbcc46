import * as pulumi from "@pulumi/pulumi";
import type { VipPlan } from "../../lib/exposures";
import { bigipObjectNames, EdgeNode } from "./exposures";
import * as ltm from "./ltm";
import type { BigipProviderArgs } from "./provider";

/** Health monitor of every pool; BIG-IP requires interval < timeout (seconds). */
export interface BigipMonitorSettings {
  type: "tcp" | "http";
  interval: number;
  timeout: number;
}

/** The `bigip` settings when switched on. */
export interface BigipSettings {
  /** Secrets holding the management address, user name and password. */
  addressSecret: string;
  usernameSecret: string;
  passwordSecret: string;
  /** Partition every LTM object is created in. */
  partition: string;
  /** Turns TLS verification of the management API off. */
  validateCertsDisable: boolean;
  /** PEM file of the CA that signed the management certificate. */
  trustedCertPath?: string;
  monitor: BigipMonitorSettings;
}

/** What bigipEdgeArgs reads of the stack config: the bigip switch and settings, the cluster name and Talos nodes. */
export interface BigipEdgeConfig {
  bigip?: { enabled: false } | ({ enabled: true } & BigipSettings);
  cluster: {
    name: string;
    talos: { enabled: false } | { enabled: true; nodes: ReadonlyArray<{ name: string; address: string }> };
  };
}

export interface BigipEdgeArgs {
  /** The VIPs to deploy: the exposure plan's BIG-IP slice (enabled rows with a `bigip` block). */
  vips: VipPlan[];
  /** Cluster nodes; each is a member of every pool, on that pool's NodePort. */
  nodes: EdgeNode[];
  /** BIG-IP partition of every object (without slashes, e.g. `Common`). */
  partition: string;
  /** Prefix of pool, virtual server and monitor names, so one BIG-IP can front several clusters. */
  namePrefix: string;
  /** Health monitor settings shared by every pool. */
  monitor: BigipMonitorSettings;
}

/**
 * BigipEdge arguments from the stack config and the exposure plan's VIPs: pool members are the Talos nodes,
 * names carry the cluster name.
 */
export function bigipEdgeArgs(config: BigipEdgeConfig, vips: VipPlan[]): BigipEdgeArgs {
  if (!config.bigip?.enabled) throw new Error("bigipEdgeArgs: the stack has no enabled bigip configuration");
  return {
    vips,
    // Config validation keeps Talos on whenever BIG-IP is, and a Talos cluster has a control-plane node.
    nodes: config.cluster.talos.enabled
      ? config.cluster.talos.nodes.map((n) => ({ name: n.name, address: n.address }))
      : [],
    partition: config.bigip.partition,
    namePrefix: config.cluster.name,
    monitor: config.bigip.monitor,
  };
}

/** Provider arguments from the bigip config, credentials resolved by `secret` (e.g. SecretResolver.get). */
export function bigipProviderArgs(
  bigip: BigipSettings,
  secret: (name: string) => pulumi.Output<string>,
): BigipProviderArgs {
  return {
    address: secret(bigip.addressSecret),
    username: secret(bigip.usernameSecret),
    password: secret(bigip.passwordSecret),
    validateCertsDisable: bigip.validateCertsDisable,
    trustedCertPath: bigip.trustedCertPath,
    teemDisable: true,
  };
}

/** System fastL4 profile; built-in profiles and parent monitors always live in /Common. */
export const FASTL4_PROFILE = "/Common/fastL4";

/**
 * Send/receive of the HTTP monitor: any non-5xx answer means the proxy is serving (CRLF as in the upstream
 * Monitor example, pulumi/pulumi-f5bigip@v3.24.0 sdk/nodejs/ltm/monitor.ts).
 */
const HTTP_MONITOR = { send: "GET / HTTP/1.0\r\n\r\n", receive: "^HTTP/1\\.[01] [1-4][0-9][0-9]" };

/**
 * BIG-IP LTM objects for the exposure table (the fastL4 VIPs over NodePorts that Terraform manages today): one node object per
 * cluster node, one monitor, and per enabled exposure port a pool with a member per node at node:NodePort
 * and a fastL4 virtual server with SNAT automap (return traffic comes back through the BIG-IP without
 * routes on the nodes). The f5bigip provider comes from the caller through `providers`/`provider`.
 * Disabled rows of the exposure table are not in `vips` and create nothing (the VIP table output lists them).
 */
export class BigipEdge extends pulumi.ComponentResource {
  constructor(name: string, args: BigipEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:BigipEdge", name, {}, opts);
    const plans = args.vips;
    const virtualServers: Record<string, pulumi.Output<string>> = {};
    const pools: Record<string, pulumi.Output<string>> = {};
    const names = bigipObjectNames(args.partition, args.namePrefix, args.monitor.type);

    if (plans.length > 0) {
      const nodes = args.nodes.map(
        (n) =>
          new ltm.Node(
            `${name}-node-${n.name}`,
            {
              name: names.node(n.name),
              address: n.address,
              description: `${args.namePrefix} node ${n.name}`,
            },
            // name and address are ForceNew (F5Networks/terraform-provider-bigip v1.26.0
            // bigip/resource_bigip_ltm_node.go), and BIG-IP names are unique and allow one node per address:
            // a replacement created first collides with the old node, so the old one goes first (its pool
            // members, whose `node` is ForceNew too, are replaced with it).
            { parent: this, deleteBeforeReplace: true },
          ),
      );
      const monitor = new ltm.Monitor(
        `${name}-monitor`,
        {
          name: names.monitor,
          parent: `/Common/${args.monitor.type}`,
          interval: args.monitor.interval,
          timeout: args.monitor.timeout,
          ...(args.monitor.type === "http" ? HTTP_MONITOR : {}),
        },
        // name and parent are ForceNew (resource_bigip_ltm_monitor.go); the name carries the parent type, so
        // a replacement has a new name and is created first (BIG-IP does not delete a monitor a pool uses).
        { parent: this },
      );
      for (const plan of plans) {
        const backend = `${plan.backend.namespace}/${plan.backend.name}`;
        const pool = new ltm.Pool(
          `${name}-${plan.key}-pool`,
          {
            name: names.pool(plan.key),
            description: `${plan.hostname}: ${backend} NodePort ${plan.nodePort}`,
            loadBalancingMode: "round-robin",
            monitors: [monitor.name],
            allowSnat: "yes",
            allowNat: "yes",
          },
          // Only `name` is ForceNew (resource_bigip_ltm_pool.go), so a replacement has a new name and is created
          // first; delete-first would fail, since BIG-IP does not delete a pool a virtual server still uses.
          { parent: this },
        );
        args.nodes.forEach(
          (n, i) =>
            new ltm.PoolAttachment(
              `${name}-${plan.key}-${n.name}`,
              { pool: pool.name, node: pulumi.interpolate`${nodes[i]!.name}:${plan.nodePort}` },
              { parent: this },
            ),
        );
        const vs = new ltm.VirtualServer(
          `${name}-${plan.key}-vs`,
          {
            name: names.virtualServer(plan.key),
            description: `${plan.hostname} -> ${backend} NodePort ${plan.nodePort}`,
            destination: plan.address,
            port: plan.port,
            mask: "255.255.255.255",
            ipProtocol: "tcp",
            pool: pool.name,
            profiles: [FASTL4_PROFILE],
            sourceAddressTranslation: "automap",
            // Address and port translation map <vip>:<port> to <node>:<NodePort>.
            translateAddress: "enabled",
            translatePort: "enabled",
          },
          // name is ForceNew (resource_bigip_ltm_virtual_server.go) and BIG-IP takes one virtual server per
          // destination:port: a renamed VIP created first collides with the old one on the same address.
          { parent: this, deleteBeforeReplace: true },
        );
        pools[plan.key] = pool.name;
        virtualServers[plan.key] = vs.name;
      }
    }
    this.registerOutputs({ virtualServers, pools });
  }
}
