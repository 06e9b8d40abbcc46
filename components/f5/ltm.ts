import * as pulumi from "@pulumi/pulumi";
import { plugins } from "../versions";

/*
 * Typed bindings for the BIG-IP LTM resources of the f5bigip provider 3.24.0 (pulumi/pulumi-f5bigip@v3.24.0
 * provider/cmd/pulumi-resource-f5bigip/schema.json): type tokens, input names, types and required inputs as in
 * the package schema, which tests/f5-edge.test.ts checks the bindings and every registration against. The npm
 * SDK is not installable here, so these classes register the same resources the SDK would.
 */

/** `f5bigip:ltm/NodeFqdn:NodeFqdn`: FQDN settings of a node. */
export interface NodeFqdn {
  /** Specifies the node's address family. Can be `all`, `ipv4` or `ipv6` (Default: `ipv4`) */
  addressFamily?: pulumi.Input<string>;
  /** Specifies if the node should scale to the IP address set returned by DNS. (Default: `disabled`) */
  autopopulate?: pulumi.Input<string>;
  /** The number of attempts to resolve a domain name. (Default: `5`) */
  downinterval?: pulumi.Input<number>;
  /** Specifies the amount of time before sending the next DNS query. (Default: `3600`) */
  interval?: pulumi.Input<string>;
  /** The fully qualified domain name of the node. Cannot configure with the `address` argument. */
  name?: pulumi.Input<string>;
}

/** Adds the pinned plugin version, and marks schema-secret outputs secret, as the generated SDK does. */
function customOptions(
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: string[],
): pulumi.CustomResourceOptions {
  const base: pulumi.CustomResourceOptions = { version: plugins.f5bigip.version };
  const merged = pulumi.mergeOptions(base, opts ?? {});
  return secretOutputs.length > 0
    ? pulumi.mergeOptions(merged, { additionalSecretOutputs: secretOutputs })
    : merged;
}

/** Throws the SDK's "Missing required property" error for a required input that is undefined. */
function requireInputs(type: string, args: object | undefined, required: string[]): void {
  for (const key of required) {
    if ((args as Record<string, unknown> | undefined)?.[key] === undefined) {
      throw new Error(`${type}: Missing required property '${key}'`);
    }
  }
}

/** Copies every declared input (undefined included, so each becomes an output property), wrapping secret ones. */
function resourceInputs(args: object, keys: string[], secret: string[]): pulumi.Inputs {
  const values = args as Record<string, pulumi.Input<unknown> | undefined>;
  const inputs: pulumi.Inputs = {};
  for (const key of keys) {
    const value = values[key];
    inputs[key] = secret.includes(key) && value !== undefined ? pulumi.secret(value) : value;
  }
  return inputs;
}

/** Inputs of `f5bigip:ltm/node:Node`. */
export interface NodeArgs {
  /** IP or hostname of the node */
  address: pulumi.Input<string>;
  /** Specifies the maximum number of connections allowed for the node or node address. */
  connectionLimit?: pulumi.Input<number>;
  /** User-defined description give ltm_node */
  description?: pulumi.Input<string>;
  /** Specifies the fixed ratio value used for a node during ratio load balancing. */
  dynamicRatio?: pulumi.Input<number>;
  /** fqdn */
  fqdn?: pulumi.Input<NodeFqdn>;
  /** specifies the name of the monitor or monitor rule that you want to associate with the node. */
  monitor?: pulumi.Input<string>;
  /** Name of the node */
  name: pulumi.Input<string>;
  /** Specifies the maximum number of connections per second allowed for a node or node address. The default value is 'disabled'. */
  rateLimit?: pulumi.Input<string>;
  /** Sets the ratio number for the node. */
  ratio?: pulumi.Input<number>;
  /** Enables or disables the node for new sessions. Can be set to `user-enabled` or `user-disabled`. (Default: `user-enabled`). */
  session?: pulumi.Input<string>;
  /** Default is "user-up" you can set to "user-down" if you want to disable */
  state?: pulumi.Input<string>;
}

/** An LTM node (a backend address), named by full path `/<partition>/<name>`. */
export class Node extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/node:Node";
  public static readonly inputNames = [
    "address",
    "connectionLimit",
    "description",
    "dynamicRatio",
    "fqdn",
    "monitor",
    "name",
    "rateLimit",
    "ratio",
    "session",
    "state",
  ];
  public static readonly requiredInputs = ["address", "name"];

  declare public readonly address: pulumi.Output<string>;
  declare public readonly connectionLimit: pulumi.Output<number>;
  declare public readonly description: pulumi.Output<string | undefined>;
  declare public readonly dynamicRatio: pulumi.Output<number>;
  declare public readonly fqdn: pulumi.Output<NodeFqdn | undefined>;
  declare public readonly monitor: pulumi.Output<string | undefined>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly rateLimit: pulumi.Output<string>;
  declare public readonly ratio: pulumi.Output<number>;
  declare public readonly session: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<string>;

  constructor(name: string, args: NodeArgs, opts?: pulumi.CustomResourceOptions) {
    requireInputs(Node.__pulumiType, args, Node.requiredInputs);
    super(Node.__pulumiType, name, resourceInputs(args, Node.inputNames, []), customOptions(opts, []));
  }
}

/** Inputs of `f5bigip:ltm/pool:Pool`. */
export interface PoolArgs {
  /** Specifies whether NATs are automatically enabled or disabled for any connections using this pool, [ Default : `yes`, Possible Values `yes` or `no`]. */
  allowNat?: pulumi.Input<string>;
  /** Specifies whether SNATs are automatically enabled or disabled for any connections using this pool,[ Default : `yes`, Possible Values `yes` or `no`]. */
  allowSnat?: pulumi.Input<string>;
  /** Specifies descriptive text that identifies the pool. */
  description?: pulumi.Input<string>;
  /** Specifies the load balancing method. The default is `round-robin`. Possible options: [`dynamic-ratio-member`,`dynamic-ratio-node`, `fastest-app-response`,`fastest-node`, `least-connections-members`,`least-connections-node`,`least-sessions`,`observed-member`,`observed-node`,`predictive-member`,`predictive-node`,`ratio-least-connections-member`,`ratio-least-connections-node`,`ratio-member`,`ratio-node`,`ratio-session`,`round-robin`,`weighted-least-connections-member`,`weighted-least-connections-node`] */
  loadBalancingMode?: pulumi.Input<string>;
  /** Specifies whether the system load balances traffic according to the priority number assigned to the pool member,Default Value is `0` meaning `disabled`. */
  minimumActiveMembers?: pulumi.Input<number>;
  /** List of monitor names to associate with the pool */
  monitors?: pulumi.Input<pulumi.Input<string>[]>;
  /** Name of the pool,it should be `full path`.The full path is the combination of the `partition + name` of the pool.(For example `/Common/my-pool`) */
  name: pulumi.Input<string>;
  /** Specifies the number of times the system tries to contact a new pool member after a passive failure. */
  reselectTries?: pulumi.Input<number>;
  /** Specifies how the system should respond when the target pool member becomes unavailable. The default is `None`, Possible values: `[none, reset, reselect, drop]`. */
  serviceDownAction?: pulumi.Input<string>;
  /** Specifies the duration during which the system sends less traffic to a newly-enabled pool member. */
  slowRampTime?: pulumi.Input<number>;
}

/** An LTM pool, named by full path; members are added with `PoolAttachment`. */
export class Pool extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/pool:Pool";
  public static readonly inputNames = [
    "allowNat",
    "allowSnat",
    "description",
    "loadBalancingMode",
    "minimumActiveMembers",
    "monitors",
    "name",
    "reselectTries",
    "serviceDownAction",
    "slowRampTime",
  ];
  public static readonly requiredInputs = ["name"];

  declare public readonly allowNat: pulumi.Output<string>;
  declare public readonly allowSnat: pulumi.Output<string>;
  declare public readonly description: pulumi.Output<string | undefined>;
  declare public readonly loadBalancingMode: pulumi.Output<string>;
  declare public readonly minimumActiveMembers: pulumi.Output<number>;
  declare public readonly monitors: pulumi.Output<string[]>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly reselectTries: pulumi.Output<number>;
  declare public readonly serviceDownAction: pulumi.Output<string>;
  declare public readonly slowRampTime: pulumi.Output<number>;

  constructor(name: string, args: PoolArgs, opts?: pulumi.CustomResourceOptions) {
    requireInputs(Pool.__pulumiType, args, Pool.requiredInputs);
    super(Pool.__pulumiType, name, resourceInputs(args, Pool.inputNames, []), customOptions(opts, []));
  }
}

/** Inputs of `f5bigip:ltm/poolAttachment:PoolAttachment`. */
export interface PoolAttachmentArgs {
  /** Specifies a maximum established connection limit for a pool member or node.The default is 0, meaning that there is no limit to the number of connections. */
  connectionLimit?: pulumi.Input<number>;
  /** Specifies the maximum number of connections-per-second allowed for a pool member,The default is 0. */
  connectionRateLimit?: pulumi.Input<string>;
  /** Specifies the fixed ratio value used for a node during ratio load balancing. */
  dynamicRatio?: pulumi.Input<number>;
  /** Specifies whether the system automatically creates ephemeral nodes using the IP addresses returned by the resolution of a DNS query for a node defined by an FQDN. The default is enabled */
  fqdnAutopopulate?: pulumi.Input<string>;
  /** Specifies the health monitors that the system uses to monitor this pool member,value can be `none` (or) `default` (or) list of monitors joined with and ( ex: `/Common/test_monitor_pa_tc1 and /Common/gateway_icmp`). */
  monitor?: pulumi.Input<string>;
  /** Pool member address/fqdn with service port, (ex: `1.1.1.1:80/www.google.com:80`). (Note: Member will be in same partition of Pool) */
  node: pulumi.Input<string>;
  /** Name of the pool to which members should be attached,it should be "full path".The full path is the combination of the partition + name of the pool.(For example `/Common/my-pool`) or partition + directory + name of the pool (For example `/Common/test/my-pool`).When including directory in fullpath we have to make sure it is created in the given partition before using it. */
  pool: pulumi.Input<string>;
  /** Specifies a number representing the priority group for the pool member. The default is 0, meaning that the member has no priority */
  priorityGroup?: pulumi.Input<number>;
  /** "Specifies the ratio weight to assign to the pool member. Valid values range from 1 through 65535. The default is 1, which means that each pool member has an equal ratio proportion.". */
  ratio?: pulumi.Input<number>;
  /** Specifies the state the pool member should be in,value can be `enabled` (or) `disabled` (or) `forcedOffline`). */
  state?: pulumi.Input<string>;
}

/** A pool member: `node` is `<ipv4>:<port>`, `<fqdn>:<port>` or `<node full path>:<port>`; the member lives in the pool's partition. */
export class PoolAttachment extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/poolAttachment:PoolAttachment";
  public static readonly inputNames = [
    "connectionLimit",
    "connectionRateLimit",
    "dynamicRatio",
    "fqdnAutopopulate",
    "monitor",
    "node",
    "pool",
    "priorityGroup",
    "ratio",
    "state",
  ];
  public static readonly requiredInputs = ["node", "pool"];

  declare public readonly connectionLimit: pulumi.Output<number>;
  declare public readonly connectionRateLimit: pulumi.Output<string>;
  declare public readonly dynamicRatio: pulumi.Output<number>;
  declare public readonly fqdnAutopopulate: pulumi.Output<string | undefined>;
  declare public readonly monitor: pulumi.Output<string>;
  declare public readonly node: pulumi.Output<string>;
  declare public readonly pool: pulumi.Output<string>;
  declare public readonly priorityGroup: pulumi.Output<number>;
  declare public readonly ratio: pulumi.Output<number>;
  declare public readonly state: pulumi.Output<string | undefined>;

  constructor(name: string, args: PoolAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    requireInputs(PoolAttachment.__pulumiType, args, PoolAttachment.requiredInputs);
    super(
      PoolAttachment.__pulumiType,
      name,
      resourceInputs(args, PoolAttachment.inputNames, []),
      customOptions(opts, []),
    );
  }
}

/** Inputs of `f5bigip:ltm/monitor:Monitor`. */
export interface MonitorArgs {
  /** Specifies whether adaptive response time monitoring is enabled for this monitor. The default is `disabled`. */
  adaptive?: pulumi.Input<string>;
  /** Specifies the absolute number of milliseconds that may not be exceeded by a monitor probe, regardless of Allowed Divergence. */
  adaptiveLimit?: pulumi.Input<number>;
  /** Specifies the location in the LDAP tree from which the monitor starts the health check */
  base?: pulumi.Input<string>;
  /** Specifies whether the system will query the LDAP servers pointed to by any referrals in the query results. */
  chaseReferrals?: pulumi.Input<string>;
  /** Specifies, when enabled, that the SSL options setting (in OpenSSL) is set to ALL. Accepts 'enabled' or 'disabled' values, the default value is 'enabled'. */
  compatibility?: pulumi.Input<string>;
  /** Custom parent monitor for the system to use for setting initial values for the new monitor. */
  customParent?: pulumi.Input<string>;
  /** Specifies the database in which the user is created */
  database?: pulumi.Input<string>;
  /** Specify an alias address for monitoring */
  destination?: pulumi.Input<string>;
  /** Specifies the domain name to check, for example, Domain is allowed only in case of Parent as /Common/smtp. */
  domain?: pulumi.Input<string>;
  /** Specifies the full path and file name of the file that the system attempts to download. The health check is successful if the system can download the file. */
  filename?: pulumi.Input<string>;
  /** Specifies an LDAP key for which the monitor searches */
  filter?: pulumi.Input<string>;
  /** Specifies, in seconds, the frequency at which the system issues the monitor check when either the resource is down or the status of the resource is unknown,value of `interval` should be always less than `timeout`. Default is `5`. */
  interval?: pulumi.Input<number>;
  /** Displays the differentiated services code point (DSCP).The default is `0 (zero)`. */
  ipDscp?: pulumi.Input<number>;
  /** Specifies whether the target must include attributes in its response to be considered up. The options are no (Specifies that the system performs only a one-level search (based on the Filter setting), and does not require that the target returns any attributes.) and yes (Specifies that the system performs a sub-tree search, and if the target returns no attributes, the target is considered down.) */
  mandatoryAttributes?: pulumi.Input<string>;
  /** Specifies whether the system automatically changes the status of a resource to Enabled at the next successful monitor check. */
  manualResume?: pulumi.Input<string>;
  /** Specifies the data transfer process (DTP) mode. The default value is passive. The options are passive (Specifies that the monitor sends a data transfer request to the FTP server. When the FTP server receives the request, the FTP server then initiates and establishes the data connection.) and active (Specifies that the monitor initiates and establishes the data connection with the FTP server.). */
  mode?: pulumi.Input<string>;
  /** Specifies the Name of the LTM Monitor.Name of Monitor should be full path,full path is the combination of the `partition + monitor name`,For ex:`/Common/test-ltm-monitor`. */
  name: pulumi.Input<string>;
  /** Parent monitor for the system to use for setting initial values for the new monitor. */
  parent: pulumi.Input<string>;
  /** Specifies the password if the monitored target requires authentication Secret. */
  password?: pulumi.Input<string>;
  /** Specifies the regular expression representing the text string that the monitor looks for in the returned resource. */
  receive?: pulumi.Input<string>;
  /** The system marks the node or pool member disabled when its response matches Receive Disable String but not Receive String. */
  receiveDisable?: pulumi.Input<string>;
  /** Instructs the system to mark the target resource down when the test is successful. */
  reverse?: pulumi.Input<string>;
  /** Specifies the secure communications protocol that the monitor uses to communicate with the target. The options are none (Specifies that the system does not use a security protocol for communications with the target.), ssl (Specifies that the system uses the SSL protocol for communications with the target.), and tls (Specifies that the system uses the TLS protocol for communications with the target.) */
  security?: pulumi.Input<string>;
  /** Specifies the text string that the monitor sends to the target object. */
  send?: pulumi.Input<string>;
  /** Specifies the ssl profile for the monitor. It only makes sense when the parent is `/Common/https` */
  sslProfile?: pulumi.Input<string>;
  /** Specifies the number of seconds to wait after a resource first responds correctly to the monitor before setting the resource to up. */
  timeUntilUp?: pulumi.Input<number>;
  /** Specifies the number of seconds the target has in which to respond to the monitor request. The default is `16` seconds */
  timeout?: pulumi.Input<number>;
  /** Specifies whether the monitor operates in transparent mode. */
  transparent?: pulumi.Input<string>;
  /** Specifies the interval for the system to use to perform the health check when a resource is up. The default is `0(Disabled)` */
  upInterval?: pulumi.Input<number>;
  /** Specifies the user name if the monitored target requires authentication */
  username?: pulumi.Input<string>;
}

/** An LTM health monitor derived from a parent such as `/Common/tcp` or `/Common/http`. */
export class Monitor extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/monitor:Monitor";
  public static readonly inputNames = [
    "adaptive",
    "adaptiveLimit",
    "base",
    "chaseReferrals",
    "compatibility",
    "customParent",
    "database",
    "destination",
    "domain",
    "filename",
    "filter",
    "interval",
    "ipDscp",
    "mandatoryAttributes",
    "manualResume",
    "mode",
    "name",
    "parent",
    "password",
    "receive",
    "receiveDisable",
    "reverse",
    "security",
    "send",
    "sslProfile",
    "timeUntilUp",
    "timeout",
    "transparent",
    "upInterval",
    "username",
  ];
  public static readonly requiredInputs = ["name", "parent"];

  declare public readonly adaptive: pulumi.Output<string>;
  declare public readonly adaptiveLimit: pulumi.Output<number>;
  declare public readonly base: pulumi.Output<string | undefined>;
  declare public readonly chaseReferrals: pulumi.Output<string>;
  declare public readonly compatibility: pulumi.Output<string | undefined>;
  declare public readonly customParent: pulumi.Output<string | undefined>;
  declare public readonly database: pulumi.Output<string | undefined>;
  declare public readonly destination: pulumi.Output<string>;
  declare public readonly domain: pulumi.Output<string | undefined>;
  declare public readonly filename: pulumi.Output<string | undefined>;
  declare public readonly filter: pulumi.Output<string | undefined>;
  declare public readonly interval: pulumi.Output<number>;
  declare public readonly ipDscp: pulumi.Output<number>;
  declare public readonly mandatoryAttributes: pulumi.Output<string | undefined>;
  declare public readonly manualResume: pulumi.Output<string>;
  declare public readonly mode: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly parent: pulumi.Output<string>;
  declare public readonly password: pulumi.Output<string | undefined>;
  declare public readonly receive: pulumi.Output<string | undefined>;
  declare public readonly receiveDisable: pulumi.Output<string | undefined>;
  declare public readonly reverse: pulumi.Output<string>;
  declare public readonly security: pulumi.Output<string | undefined>;
  declare public readonly send: pulumi.Output<string>;
  declare public readonly sslProfile: pulumi.Output<string | undefined>;
  declare public readonly timeUntilUp: pulumi.Output<number>;
  declare public readonly timeout: pulumi.Output<number>;
  declare public readonly transparent: pulumi.Output<string>;
  declare public readonly upInterval: pulumi.Output<number>;
  declare public readonly username: pulumi.Output<string | undefined>;

  constructor(name: string, args: MonitorArgs, opts?: pulumi.CustomResourceOptions) {
    requireInputs(Monitor.__pulumiType, args, Monitor.requiredInputs);
    super(
      Monitor.__pulumiType,
      name,
      resourceInputs(args, Monitor.inputNames, ["password"]),
      customOptions(opts, ["password"]),
    );
  }
}

/** Inputs of `f5bigip:ltm/profileFastL4:ProfileFastL4`. */
export interface ProfileFastL4Args {
  /** Specifies late binding client timeout in seconds. This setting specifies the number of seconds allowed for a client to transmit enough data to select a server when late binding is enabled. If it expires timeout-recovery mode will dictate what action to take. */
  clientTimeout?: pulumi.Input<number>;
  /** Specifies the profile that you want to use as the parent profile. Your new profile inherits all settings and values from the parent profile specified. */
  defaultsFrom?: pulumi.Input<string>;
  /** Enables or disables late binding explicit flow migration that allows iRules to control when flows move from software to hardware. Explicit flow migration is disabled by default hence BIG-IP automatically migrates flows from software to hardware. */
  explicitflowMigration?: pulumi.Input<string>;
  /** Enables or disables hardware SYN cookie support when PVA10 is present on the system. Note that when you set the hardware syncookie option to enabled, you may also want to set the following bigdb database variables using the "/sys modify db" command, based on your requirements: pva.SynCookies.Full.ConnectionThreshold (default: 500000), pva.SynCookies.Assist.ConnectionThreshold (default: 500000) pva.SynCookies.ClientWindow (default: 0). The default value is disabled. */
  hardwareSyncookie?: pulumi.Input<string>;
  /** Specifies an idle timeout in seconds. This setting specifies the number of seconds that a connection is idle before the connection is eligible for deletion.When you specify an idle timeout for the Fast L4 profile, the value must be greater than the bigdb database variable Pva.Scrub time in msec for it to work properly.The default value is 300 seconds. */
  idleTimeout?: pulumi.Input<string>;
  /** Specifies an IP ToS number for the client side. This option specifies the Type of Service level that the traffic management system assigns to IP packets when sending them to clients. The default value is 65535 (pass-through), which indicates, do not modify. */
  iptosToclient?: pulumi.Input<string>;
  /** Specifies an IP ToS number for the server side. This setting specifies the Type of Service level that the traffic management system assigns to IP packets when sending them to servers. The default value is 65535 (pass-through), which indicates, do not modify. */
  iptosToserver?: pulumi.Input<string>;
  /** Specifies the keep alive probe interval, in seconds. The default value is disabled (0 seconds). */
  keepaliveInterval?: pulumi.Input<string>;
  /** Enables intelligent selection of a back-end server or pool, using an iRule to make the selection. The default is `disabled`. */
  lateBinding?: pulumi.Input<string>;
  /** Specifies, when checked (enabled), that the system closes a loosely-initiated connection when the system receives the first FIN packet from either the client or the server. The default is disabled. */
  looseClose?: pulumi.Input<string>;
  /** Specifies, when checked (enabled), that the system initializes a connection when it receives any TCP packet, rather that requiring a SYN packet for connection initiation. The default is disabled. We recommend that if you enable the Loose Initiation option, you also enable the Loose Close option. */
  looseInitiation?: pulumi.Input<string>;
  /** Name of the LTM fastL4 Profile.The full path is the combination of the `partition + name` of the resource (For example `/Common/my-fastl4profile`) or `partition + directory + name` of the resource (example: `/Common/test/my-fastl4profile`) */
  name: pulumi.Input<string>;
  /** name of partition */
  partition?: pulumi.Input<string>;
  /** Specifies the amount of data the BIG-IP system can accept without acknowledging the server. The default is 0 (zero). */
  receiveWindowsize?: pulumi.Input<number>;
  /** Specifies the acceptable duration for a TCP handshake, that is, the maximum idle time between a client synchronization (SYN) and a client acknowledgment (ACK).The default is `5 seconds`. */
  tcpHandshakeTimeout?: pulumi.Input<string>;
}

/** A custom fastL4 (Layer 4 fast-path) profile. */
export class ProfileFastL4 extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/profileFastL4:ProfileFastL4";
  public static readonly inputNames = [
    "clientTimeout",
    "defaultsFrom",
    "explicitflowMigration",
    "hardwareSyncookie",
    "idleTimeout",
    "iptosToclient",
    "iptosToserver",
    "keepaliveInterval",
    "lateBinding",
    "looseClose",
    "looseInitiation",
    "name",
    "partition",
    "receiveWindowsize",
    "tcpHandshakeTimeout",
  ];
  public static readonly requiredInputs = ["name"];

  declare public readonly clientTimeout: pulumi.Output<number>;
  declare public readonly defaultsFrom: pulumi.Output<string>;
  declare public readonly explicitflowMigration: pulumi.Output<string>;
  declare public readonly hardwareSyncookie: pulumi.Output<string>;
  declare public readonly idleTimeout: pulumi.Output<string>;
  declare public readonly iptosToclient: pulumi.Output<string>;
  declare public readonly iptosToserver: pulumi.Output<string>;
  declare public readonly keepaliveInterval: pulumi.Output<string>;
  declare public readonly lateBinding: pulumi.Output<string>;
  declare public readonly looseClose: pulumi.Output<string>;
  declare public readonly looseInitiation: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly partition: pulumi.Output<string>;
  declare public readonly receiveWindowsize: pulumi.Output<number>;
  declare public readonly tcpHandshakeTimeout: pulumi.Output<string>;

  constructor(name: string, args: ProfileFastL4Args, opts?: pulumi.CustomResourceOptions) {
    requireInputs(ProfileFastL4.__pulumiType, args, ProfileFastL4.requiredInputs);
    super(
      ProfileFastL4.__pulumiType,
      name,
      resourceInputs(args, ProfileFastL4.inputNames, []),
      customOptions(opts, []),
    );
  }
}

/** Inputs of `f5bigip:ltm/virtualServer:VirtualServer`. */
export interface VirtualServerArgs {
  /** List of client context profiles associated on the virtual server. Not mutually exclusive with profiles and server_profiles */
  clientProfiles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Specifies the maximum number of connections allowed for the virtual server. */
  connectionLimit?: pulumi.Input<number>;
  /** defaultPersistenceProfile */
  defaultPersistenceProfile?: pulumi.Input<string>;
  /** Description of Virtual server */
  description?: pulumi.Input<string>;
  /** Destination IP */
  destination?: pulumi.Input<string>;
  /** Specifies a fallback persistence profile for the Virtual Server to use when the default persistence profile is not available. */
  fallbackPersistenceProfile?: pulumi.Input<string>;
  /** Applies the specified AFM policy to the virtual in an enforcing way,when creating a new virtual, if this parameter is not specified, the enforced is disabled.This should be in full path ex: `/Common/afm-test-policy`. */
  firewallEnforcedPolicy?: pulumi.Input<string>;
  /** Specifies a network protocol name you want the system to use to direct traffic on this virtual server. The default is `tcp`. valid options are [`any`,`udp`,`tcp`] */
  ipProtocol?: pulumi.Input<string>;
  /** The iRules list you want run on this virtual server. iRules help automate the intercepting, processing, and routing of application traffic. */
  irules?: pulumi.Input<pulumi.Input<string>[]>;
  /** Mask can either be in CIDR notation or decimal, i.e.: 24 or 255.255.255.0. A CIDR mask of 0 is the same as 0.0.0.0 */
  mask?: pulumi.Input<string>;
  /** Name of the virtual server */
  name: pulumi.Input<string>;
  /** perFlowRequestAccessPolicy */
  perFlowRequestAccessPolicy?: pulumi.Input<string>;
  /** List of persistence profiles associated with the Virtual Server. */
  persistenceProfiles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Specifies the policies for the virtual server. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default pool name */
  pool?: pulumi.Input<string>;
  /** Listen port for the virtual server */
  port?: pulumi.Input<number>;
  /** List of profiles associated both client and server contexts on the virtual server. This includes protocol, ssl, http, etc. */
  profiles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Specifies the log profile applied to the virtual server. */
  securityLogProfiles?: pulumi.Input<pulumi.Input<string>[]>;
  /** List of server context profiles associated on the virtual server. Not mutually exclusive with profiles and client_profiles */
  serverProfiles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Specifies the name of an existing SNAT pool that you want the virtual server to use to implement selective and intelligent SNATs. */
  snatpool?: pulumi.Input<string>;
  /** Specifies an IP address or network from which the virtual server will accept traffic. */
  source?: pulumi.Input<string>;
  /** Can be either omitted for `none` or the values `automap` options : [`snat`,`automap`,`none`]. */
  sourceAddressTranslation?: pulumi.Input<string>;
  /** Specifies whether the system preserves the source port of the connection. The default is `preserve`. */
  sourcePort?: pulumi.Input<string>;
  /** Specifies whether the virtual server and its resources are available for load balancing. The default is Enabled */
  state?: pulumi.Input<string>;
  /** Specifies destination traffic matching information to which the virtual server sends traffic */
  trafficmatchingCriteria?: pulumi.Input<string>;
  /** Enables or disables address translation for the virtual server. Turn address translation off for a virtual server if you want to use the virtual server to load balance connections to any address. This option is useful when the system is load balancing devices that have the same IP address. */
  translateAddress?: pulumi.Input<string>;
  /** Enables or disables port translation. Turn port translation off for a virtual server if you want to use the virtual server to load balance connections to any service */
  translatePort?: pulumi.Input<string>;
  /** The virtual server is enabled/disabled on this set of VLANs,enable/disabled will be desided by attribute `vlanEnabled` */
  vlans?: pulumi.Input<pulumi.Input<string>[]>;
  /** Enables the virtual server on the VLANs specified by the `vlans` option. By default it is `false` i.e vlanDisabled on specified vlans, if we want enable virtual server on VLANs specified by `vlans`, mark this attribute to `true`. */
  vlansEnabled?: pulumi.Input<boolean>;
}

/** An LTM virtual server (VIP), named by full path. */
export class VirtualServer extends pulumi.CustomResource {
  public static readonly __pulumiType = "f5bigip:ltm/virtualServer:VirtualServer";
  public static readonly inputNames = [
    "clientProfiles",
    "connectionLimit",
    "defaultPersistenceProfile",
    "description",
    "destination",
    "fallbackPersistenceProfile",
    "firewallEnforcedPolicy",
    "ipProtocol",
    "irules",
    "mask",
    "name",
    "perFlowRequestAccessPolicy",
    "persistenceProfiles",
    "policies",
    "pool",
    "port",
    "profiles",
    "securityLogProfiles",
    "serverProfiles",
    "snatpool",
    "source",
    "sourceAddressTranslation",
    "sourcePort",
    "state",
    "trafficmatchingCriteria",
    "translateAddress",
    "translatePort",
    "vlans",
    "vlansEnabled",
  ];
  public static readonly requiredInputs = ["name"];

  declare public readonly clientProfiles: pulumi.Output<string[] | undefined>;
  declare public readonly connectionLimit: pulumi.Output<number>;
  declare public readonly defaultPersistenceProfile: pulumi.Output<string>;
  declare public readonly description: pulumi.Output<string | undefined>;
  declare public readonly destination: pulumi.Output<string | undefined>;
  declare public readonly fallbackPersistenceProfile: pulumi.Output<string>;
  declare public readonly firewallEnforcedPolicy: pulumi.Output<string>;
  declare public readonly ipProtocol: pulumi.Output<string | undefined>;
  declare public readonly irules: pulumi.Output<string[] | undefined>;
  declare public readonly mask: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly perFlowRequestAccessPolicy: pulumi.Output<string>;
  declare public readonly persistenceProfiles: pulumi.Output<string[] | undefined>;
  declare public readonly policies: pulumi.Output<string[] | undefined>;
  declare public readonly pool: pulumi.Output<string | undefined>;
  declare public readonly port: pulumi.Output<number>;
  declare public readonly profiles: pulumi.Output<string[]>;
  declare public readonly securityLogProfiles: pulumi.Output<string[] | undefined>;
  declare public readonly serverProfiles: pulumi.Output<string[] | undefined>;
  declare public readonly snatpool: pulumi.Output<string>;
  declare public readonly source: pulumi.Output<string>;
  declare public readonly sourceAddressTranslation: pulumi.Output<string>;
  declare public readonly sourcePort: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<string | undefined>;
  declare public readonly trafficmatchingCriteria: pulumi.Output<string>;
  declare public readonly translateAddress: pulumi.Output<string | undefined>;
  declare public readonly translatePort: pulumi.Output<string | undefined>;
  declare public readonly vlans: pulumi.Output<string[] | undefined>;
  declare public readonly vlansEnabled: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: VirtualServerArgs, opts?: pulumi.CustomResourceOptions) {
    requireInputs(VirtualServer.__pulumiType, args, VirtualServer.requiredInputs);
    super(
      VirtualServer.__pulumiType,
      name,
      resourceInputs(args, VirtualServer.inputNames, []),
      customOptions(opts, []),
    );
  }
}
