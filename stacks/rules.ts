import { clientListener } from "../components/mcp/routing";
import { controllerNameRules } from "./controllerNames";
import { formatCpu, formatMemory, parseQuantity } from "../lib/quantity";
import { isImageKey, images } from "../lib/versions";
import { adoptionRules } from "./adoption";
import { inClusterEndpointRules } from "./endpoints";
import { referenceHint } from "./hints";
import { imageRules } from "./images";
import { IssueList } from "./issues";
import { kagentRuntimeRules } from "./kagentRuntime";
import { cidrsOverlap, ipInCidr, ipInRange, ipToInt } from "./net";
import { policyCompositionRules } from "./policyComposition";
import { routeRewriteRules } from "./routeRewrite";
import type { PlatformConfig } from "./schema";
import { talosVersionRules } from "./talosLifecycle";

/**
 * Cross-field rules over the parsed configuration. The config is partial: a layer whose structure is
 * invalid is missing, and each rule skips when a layer it needs is missing, so that structural and
 * reference errors of different layers are all reported in one run.
 */
export type PartialConfig = Partial<PlatformConfig>;
type Rule = (c: PartialConfig, issues: IssueList) => void;

/** Adds an issue for every name that occurs more than once. */
function unique<T>(
  issues: IssueList,
  items: T[],
  key: (t: T) => string,
  path: (i: number) => string,
  what: string,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else issues.add(path(i), `duplicate ${what} "${k}"`, `already used at ${path(first)}`);
  });
}

function resolve(issues: IssueList, path: string, name: string, candidates: string[], kind: string): boolean {
  if (candidates.includes(name)) return true;
  issues.add(path, `unknown ${kind} "${name}"`, referenceHint(name, candidates, kind));
  return false;
}

/** Every place that names a secret, with its config path. */
export function secretUses(c: PartialConfig): Array<{ path: string; name: string }> {
  const uses: Array<{ path: string; name: string }> = [];
  const use = (path: string, name: string | undefined) => {
    if (name !== undefined) uses.push({ path, name });
  };
  use("cluster.kubeconfigSecret", c.cluster?.kubeconfigSecret);
  c.llm?.backends.forEach((b, i) => {
    if (b.provider === "failover") {
      b.groups.forEach((g, gi) =>
        g.providers.forEach((p, pi) =>
          use(`llm.backends[${i}].groups[${gi}].providers[${pi}].secret`, p.secret),
        ),
      );
    } else if (b.provider !== "static") {
      use(`llm.backends[${i}].secret`, b.secret);
    }
  });
  c.mcp?.servers.forEach((s, i) => {
    if (s.kind === "inCluster") {
      for (const [env, name] of Object.entries(s.secretEnv)) use(`mcp.servers[${i}].secretEnv.${env}`, name);
    } else {
      use(`mcp.servers[${i}].tokenSecret`, s.tokenSecret);
    }
  });
  c.kagent?.modelConfigs.forEach((m, i) => use(`kagent.modelConfigs[${i}].secret`, m.secret));
  use("kagent.slackBot.botTokenSecret", c.kagent?.slackBot?.botTokenSecret);
  use("kagent.slackBot.appTokenSecret", c.kagent?.slackBot?.appTokenSecret);
  use("kagent.slackBot.signingSecret", c.kagent?.slackBot?.signingSecret);
  use("kagent.database.urlSecret", c.kagent?.database?.urlSecret);
  use("observability.langfuse.publicKeySecret", c.observability?.langfuse?.publicKeySecret);
  use("observability.langfuse.secretKeySecret", c.observability?.langfuse?.secretKeySecret);
  use("bigip.addressSecret", c.bigip?.addressSecret);
  use("bigip.usernameSecret", c.bigip?.usernameSecret);
  use("bigip.passwordSecret", c.bigip?.passwordSecret);
  use("cloudflare.apiTokenSecret", c.cloudflare?.apiTokenSecret);
  use("cloudflare.accountIdSecret", c.cloudflare?.accountIdSecret);
  use("cloudflare.tunnel.secret", c.cloudflare?.tunnel?.secret);
  c.tenants?.items.forEach((t, i) =>
    t.workloads.forEach((w, j) => {
      for (const [env, name] of Object.entries(w.secretEnv))
        use(`tenants.items[${i}].workloads[${j}].secretEnv.${env}`, name);
    }),
  );
  return uses;
}

const secretsResolve: Rule = (c, issues) => {
  if (c.secrets === undefined) return;
  const declared = Object.keys(c.secrets);
  for (const { path, name } of secretUses(c)) resolve(issues, path, name, declared, "secret");
};

/** Kernel (predictable or legacy) interface names: eth0, ens18, enp0s31f6, eno1, wlan0, ... */
const KERNEL_LINK_NAME = /^(eth|en[a-z]?|wl[a-z]{0,2})[0-9]/;

const talosRules: Rule = (c, issues) => {
  const cluster = c.cluster;
  if (cluster === undefined) return;
  const talos = cluster.talos;
  if (!talos.enabled) {
    if (cluster.kubeconfigSecret === undefined) {
      issues.add(
        "cluster.kubeconfigSecret",
        "is required when cluster.talos.enabled is false",
        "name the secret that holds the existing cluster's kubeconfig",
      );
    }
    return;
  }
  const { nodeCidr, gateway, podCidr, serviceCidr } = talos.network;
  unique(
    issues,
    talos.nodes,
    (n) => n.name,
    (i) => `cluster.talos.nodes[${i}].name`,
    "node name",
  );
  unique(
    issues,
    talos.nodes,
    (n) => n.address,
    (i) => `cluster.talos.nodes[${i}].address`,
    "node address",
  );
  const macs = talos.nodes.map((n, i) => ({ mac: n.mac, i })).filter((m) => m.mac !== undefined);
  unique(
    issues,
    macs,
    (m) => m.mac!,
    (i) => `cluster.talos.nodes[${macs[i]!.i}].mac`,
    "MAC address",
  );
  talos.nodes.forEach((n, i) => {
    if (!ipInCidr(n.address, nodeCidr)) {
      issues.add(`cluster.talos.nodes[${i}].address`, `${n.address} is outside the node network ${nodeCidr}`);
    }
    // With a MAC the interface names a Talos link alias, which must not shadow a kernel interface name
    // (https://docs.siderolabs.com/talos/v1.13/reference/configuration/network/linkaliasconfig).
    if (n.mac !== undefined && KERNEL_LINK_NAME.test(n.interface)) {
      issues.add(
        `cluster.talos.nodes[${i}].interface`,
        `"${n.interface}" looks like a kernel interface name, but with a MAC it names the link alias`,
        "use an alias such as lan0",
      );
    }
    if (n.address === talos.apiVip) {
      issues.add(
        `cluster.talos.nodes[${i}].address`,
        `${n.address} is the API VIP`,
        "the VIP must be a free address",
      );
    }
  });
  if (!ipInCidr(gateway, nodeCidr)) {
    issues.add("cluster.talos.network.gateway", `${gateway} is outside the node network ${nodeCidr}`);
  }
  if (!ipInCidr(talos.apiVip, nodeCidr)) {
    issues.add(
      "cluster.talos.apiVip",
      `${talos.apiVip} is outside the node network ${nodeCidr}`,
      "a Layer 2 VIP must be on the nodes' subnet",
    );
  }
  if (!talos.nodes.some((n) => n.controller)) {
    issues.add("cluster.talos.nodes", "no control-plane node", "set controller: true on at least one node");
  }
  for (const [key, value] of [
    ["podCidr", podCidr],
    ["serviceCidr", serviceCidr],
  ] as const) {
    if (cidrsOverlap(value, nodeCidr)) {
      issues.add(`cluster.talos.network.${key}`, `${value} overlaps the node network ${nodeCidr}`);
    }
  }
  if (cidrsOverlap(podCidr, serviceCidr)) {
    issues.add("cluster.talos.network.serviceCidr", `${serviceCidr} overlaps the pod network ${podCidr}`);
  }
};

const ciliumRules: Rule = (c, issues) => {
  const cilium = c.cilium;
  if (cilium === undefined) return;
  unique(
    issues,
    cilium.lbPools,
    (p) => p.name,
    (i) => `cilium.lbPools[${i}].name`,
    "pool name",
  );
  cilium.lbPools.forEach((p, i) =>
    p.blocks.forEach((b, j) => {
      if ("start" in b && ipToInt(b.start) > ipToInt(b.stop)) {
        issues.add(`cilium.lbPools[${i}].blocks[${j}]`, `start ${b.start} is after stop ${b.stop}`);
      }
    }),
  );
  if (cilium.bgp !== undefined) {
    const keys = ["routerAddress", "routerAsn", "nodeAsn"] as const;
    const missing = keys.filter((k) => cilium.bgp![k] === undefined);
    if (missing.length > 0 && missing.length < keys.length) {
      issues.add(
        "cilium.bgp",
        `BGP needs all of routerAddress, routerAsn and nodeAsn (missing: ${missing.join(", ")})`,
        "set all three, or remove cilium.bgp",
      );
    }
  }
  if (!cilium.enabled || c.agentgateway === undefined) return;
  c.agentgateway.gateways.forEach((g, i) => {
    if (g.service.type !== "LoadBalancer") return;
    const ip = g.service.ip;
    const inPool = cilium.lbPools.some((p) =>
      p.blocks.some((b) => ("cidr" in b ? ipInCidr(ip, b.cidr) : ipInRange(ip, b.start, b.stop))),
    );
    if (!inPool) {
      issues.add(
        `agentgateway.gateways[${i}].service.ip`,
        `${ip} is not inside any Cilium LB IPAM pool`,
        "add a block containing it to cilium.lbPools",
      );
    }
  });
};

const LONGHORN_EXTENSIONS = ["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"];

const longhornRules: Rule = (c, issues) => {
  const longhorn = c.longhorn;
  if (longhorn === undefined || !longhorn.enabled || c.cluster === undefined) return;
  const talos = c.cluster.talos;
  if (!talos.enabled) return;
  const missing = LONGHORN_EXTENSIONS.filter((e) => !talos.extensions.includes(e));
  if (missing.length > 0) {
    issues.add(
      "cluster.talos.extensions",
      `Longhorn needs the Talos extensions ${missing.join(" and ")}`,
      "add them to the schematic, or disable longhorn",
    );
  }
  const storageNodes = talos.nodes.filter((n) => n.storage).length;
  if (longhorn.replicaCount > storageNodes) {
    issues.add(
      "longhorn.replicaCount",
      `${longhorn.replicaCount} replicas but only ${storageNodes} storage node${storageNodes === 1 ? "" : "s"}`,
      `use at most ${storageNodes}`,
    );
  }
};

const gatewayRules: Rule = (c, issues) => {
  const agw = c.agentgateway;
  if (agw === undefined) return;
  unique(
    issues,
    agw.gateways,
    (g) => g.name,
    (i) => `agentgateway.gateways[${i}].name`,
    "gateway name",
  );
  const lbs = agw.gateways
    .map((g, i) => ({ ip: g.service.type === "LoadBalancer" ? g.service.ip : undefined, i }))
    .filter((x) => x.ip !== undefined);
  unique(
    issues,
    lbs,
    (x) => x.ip!,
    (k) => `agentgateway.gateways[${lbs[k]!.i}].service.ip`,
    "LoadBalancer IP",
  );
  agw.gateways.forEach((g, i) => {
    const base = `agentgateway.gateways[${i}]`;
    unique(
      issues,
      g.listeners,
      (l) => l.name,
      (j) => `${base}.listeners[${j}].name`,
      "listener name",
    );
    unique(
      issues,
      g.listeners,
      (l) => String(l.port),
      (j) => `${base}.listeners[${j}].port`,
      "listener port",
    );
    g.listeners.forEach((l, j) => {
      if (l.protocol === "HTTPS" && l.tls === undefined) {
        issues.add(
          `${base}.listeners[${j}].tls`,
          "HTTPS listener needs a TLS certificate",
          "set tls.secretName",
        );
      }
      if (l.protocol === "HTTP" && l.tls !== undefined) {
        issues.add(`${base}.listeners[${j}].tls`, "TLS is only valid on HTTPS listeners");
      }
    });
    if (
      g.httpsRedirect &&
      !(g.listeners.some((l) => l.protocol === "HTTP") && g.listeners.some((l) => l.protocol === "HTTPS"))
    ) {
      issues.add(`${base}.httpsRedirect`, "needs both an HTTP and an HTTPS listener");
    }
  });
};

/** Names of HTTPRoutes the program creates, for policy targets. */
function routeNames(c: PartialConfig): string[] {
  const names = c.llm?.routes.map((r) => r.name) ?? [];
  const mcpRoutes = c.mcp?.servers.map((s) => s.name) ?? [];
  return [...names, ...mcpRoutes];
}

const llmRules: Rule = (c, issues) => {
  const llm = c.llm;
  if (llm === undefined) return;
  if (llm.enabled && c.agentgateway !== undefined && !c.agentgateway.enabled) {
    issues.add("llm.enabled", "LLM routing needs the AI gateway", "enable agentgateway or disable llm");
  }
  unique(
    issues,
    llm.backends,
    (b) => b.name,
    (i) => `llm.backends[${i}].name`,
    "backend name",
  );
  llm.backends.forEach((b, i) => {
    if (b.provider !== "failover") return;
    const providers = b.groups.flatMap((g, gi) =>
      g.providers.map((p, pi) => ({
        name: p.name,
        path: `llm.backends[${i}].groups[${gi}].providers[${pi}].name`,
      })),
    );
    unique(
      issues,
      providers,
      (p) => p.name,
      (k) => providers[k]!.path,
      "failover provider name",
    );
  });
  unique(
    issues,
    llm.routes,
    (r) => r.name,
    (i) => `llm.routes[${i}].name`,
    "route name",
  );
  const backendNames = llm.backends.map((b) => b.name);
  const gateways = c.agentgateway?.gateways;
  llm.routes.forEach((r, i) => {
    if (gateways !== undefined) {
      const gwNames = gateways.map((g) => g.name);
      if (
        resolve(issues, `llm.routes[${i}].gateway`, r.gateway, gwNames, "gateway") &&
        r.listener !== undefined
      ) {
        const listeners = gateways.find((g) => g.name === r.gateway)!.listeners.map((l) => l.name);
        resolve(issues, `llm.routes[${i}].listener`, r.listener, listeners, "listener");
      }
    }
    unique(
      issues,
      r.rules,
      (x) => x.pathPrefix,
      (j) => `llm.routes[${i}].rules[${j}].pathPrefix`,
      "path prefix",
    );
    r.rules.forEach((rule, j) =>
      resolve(issues, `llm.routes[${i}].rules[${j}].backend`, rule.backend, backendNames, "backend"),
    );
  });
};

const policyRules: Rule = (c, issues) => {
  const policies = c.policies;
  if (policies === undefined) return;
  unique(
    issues,
    policies.items,
    (p) => p.name,
    (i) => `policies.items[${i}].name`,
    "policy name",
  );
  // A target is only checked when the layer that declares its kind parsed; otherwise it cannot be known.
  const gateways = c.agentgateway?.gateways.map((g) => g.name);
  const routes = c.llm !== undefined && c.mcp !== undefined ? routeNames(c) : undefined;
  const mcpServers = c.mcp?.servers;
  const backends =
    c.llm !== undefined && mcpServers !== undefined
      ? [...c.llm.backends.map((b) => b.name), ...mcpServers.map((s) => s.name)]
      : undefined;
  policies.items.forEach((p, i) => {
    const base = `policies.items[${i}]`;
    const mcpOnly = p.type === "mcpAuthorization" || p.type === "elicitation";
    p.targets.forEach((t, j) => {
      const path = `${base}.targets[${j}].name`;
      if (mcpOnly && t.kind !== "Backend") {
        issues.add(
          `${base}.targets[${j}].kind`,
          `${p.type} policies apply to MCP backends only`,
          "use kind: Backend",
        );
      } else if (t.kind === "Gateway" && gateways !== undefined)
        resolve(issues, path, t.name, gateways, "gateway");
      else if (t.kind === "HTTPRoute" && routes !== undefined) resolve(issues, path, t.name, routes, "route");
      else if (t.kind === "Backend" && mcpOnly && mcpServers !== undefined)
        resolve(
          issues,
          path,
          t.name,
          mcpServers.map((s) => s.name),
          "MCP server",
        );
      else if (t.kind === "Backend" && !mcpOnly && backends !== undefined)
        resolve(issues, path, t.name, backends, "backend");
    });
    // AgentgatewayPolicy.spec.targetRefs must share one kind, and traffic policies attach to Gateways and
    // HTTPRoutes only (agentgateway/agentgateway@v1.4.1:controller/api/v1alpha1/agentgateway/agentgateway_policy_types.go).
    const firstKind = p.targets[0]?.kind;
    p.targets.forEach((t, j) => {
      if (j > 0 && t.kind !== firstKind) {
        issues.add(
          `${base}.targets[${j}].kind`,
          `all targets of a policy must have the same kind (first is ${firstKind})`,
          "split the policy in two",
        );
      }
    });
    if (
      (p.type === "rateLimit" || p.type === "timeout" || p.type === "jwt") &&
      p.targets.some((t) => t.kind === "Backend")
    ) {
      const j = p.targets.findIndex((t) => t.kind === "Backend");
      issues.add(
        `${base}.targets[${j}].kind`,
        `${p.type} policies apply to a Gateway or an HTTPRoute`,
        "target the route or gateway in front of the backend",
      );
    }
    if (p.type === "rateLimit" && (p.requests === undefined) === (p.tokens === undefined)) {
      issues.add(base, "a rate limit sets exactly one of requests or tokens");
    }
    if (p.type === "mcpAuthorization") {
      for (const t of p.targets) {
        const server = mcpServers?.find((s) => s.name === t.name);
        if (server === undefined || server.tools.length === 0) continue;
        p.allowTools.forEach((tool, k) => {
          if (!server.tools.includes(tool)) {
            issues.add(
              `${base}.allowTools[${k}]`,
              `MCP server "${server.name}" has no tool "${tool}"`,
              referenceHint(tool, server.tools, "tool"),
            );
          }
        });
      }
    }
  });
};

/** An MCP backend takes one tool-authorization policy: two would race for the same backend.mcp field. */
const mcpPolicyConflicts: Rule = (c, issues) => {
  const items = c.policies?.items ?? [];
  const owner = new Map<string, string>();
  items.forEach((p, i) => {
    if (!p.enabled || (p.type !== "mcpAuthorization" && p.type !== "elicitation")) return;
    p.targets.forEach((t, j) => {
      const first = owner.get(t.name);
      if (first === undefined) owner.set(t.name, `policies.items[${i}]`);
      else
        issues.add(
          `policies.items[${i}].targets[${j}].name`,
          `MCP backend "${t.name}" already has a tool authorization policy`,
          `already targeted by ${first}`,
        );
    });
  });
};

const mcpRules: Rule = (c, issues) => {
  const mcp = c.mcp;
  if (mcp === undefined) return;
  if (mcp.enabled && c.agentgateway !== undefined && !c.agentgateway.enabled) {
    issues.add("mcp.enabled", "MCP routing needs the AI gateway", "enable agentgateway or disable mcp");
  }
  unique(
    issues,
    mcp.servers,
    (s) => s.name,
    (i) => `mcp.servers[${i}].name`,
    "MCP server name",
  );
  const llmBackends = c.llm?.backends.map((b) => b.name) ?? [];
  const gateways = c.agentgateway?.gateways;
  mcp.servers.forEach((s, i) => {
    const base = `mcp.servers[${i}]`;
    if (llmBackends.includes(s.name) && c.agentgateway?.namespace === mcp.namespace) {
      issues.add(
        `${base}.name`,
        `"${s.name}" is also an LLM backend in the same namespace`,
        "backend names must be unique per namespace",
      );
    }
    if (
      gateways !== undefined &&
      resolve(
        issues,
        `${base}.gateway`,
        s.gateway,
        gateways.map((g) => g.name),
        "gateway",
      )
    ) {
      // The HTTPRoute lives in mcp.namespace; a listener only accepts routes of other namespaces with allowedRoutes All.
      const gateway = gateways.find((g) => g.name === s.gateway)!;
      const crossNamespace = c.agentgateway !== undefined && c.agentgateway.namespace !== mcp.namespace;
      if (crossNamespace && !gateway.listeners.some((l) => l.allowedRoutes === "All")) {
        issues.add(
          `${base}.gateway`,
          `gateway "${s.gateway}" does not accept routes from namespace "${mcp.namespace}"`,
          "set allowedRoutes: All on one of its listeners, or put the MCP servers in the gateway namespace",
        );
      }
    }
  });
  // Two routes with the same path prefix on one gateway would shadow each other.
  const prefixes: Array<{ key: string; path: string }> = [];
  c.llm?.routes.forEach((r, i) =>
    r.rules.forEach((rule, j) =>
      prefixes.push({
        key: `${r.gateway} ${rule.pathPrefix}`,
        path: `llm.routes[${i}].rules[${j}].pathPrefix`,
      }),
    ),
  );
  mcp.servers.forEach((s, i) =>
    prefixes.push({
      key: `${s.gateway} ${s.routePath ?? `/${s.name}`}`,
      path: `mcp.servers[${i}].routePath`,
    }),
  );
  const seen = new Map<string, string>();
  for (const p of prefixes) {
    const first = seen.get(p.key);
    if (first === undefined) seen.set(p.key, p.path);
    else if (p.path.startsWith("mcp.")) {
      const [gateway, prefix] = p.key.split(" ");
      issues.add(
        p.path,
        `path ${prefix} on gateway "${gateway}" is already routed`,
        `already used at ${first}`,
      );
    }
  }
};

const kagentRules: Rule = (c, issues) => {
  const kagent = c.kagent;
  if (kagent === undefined) return;
  unique(
    issues,
    kagent.modelConfigs,
    (m) => m.name,
    (i) => `kagent.modelConfigs[${i}].name`,
    "model config name",
  );
  unique(
    issues,
    kagent.remoteMcpServers,
    (m) => m.name,
    (i) => `kagent.remoteMcpServers[${i}].name`,
    "remote MCP server name",
  );
  unique(
    issues,
    kagent.agents,
    (a) => a.name,
    (i) => `kagent.agents[${i}].name`,
    "agent name",
  );
  const routes = c.llm?.routes;
  kagent.modelConfigs.forEach((m, i) => {
    if (routes === undefined) return;
    if (
      resolve(
        issues,
        `kagent.modelConfigs[${i}].route`,
        m.route,
        routes.map((r) => r.name),
        "LLM route",
      )
    ) {
      const prefixes = routes.find((r) => r.name === m.route)!.rules.map((r) => r.pathPrefix);
      resolve(issues, `kagent.modelConfigs[${i}].pathPrefix`, m.pathPrefix, prefixes, "path prefix");
    }
  });
  const servers = c.mcp?.servers;
  kagent.remoteMcpServers.forEach((r, i) => {
    const path = `kagent.remoteMcpServers[${i}].server`;
    if (
      servers === undefined ||
      !resolve(
        issues,
        path,
        r.server,
        servers.map((s) => s.name),
        "MCP server",
      )
    )
      return;
    if (kagent.enabled && c.mcp !== undefined && !c.mcp.enabled) {
      issues.add(
        path,
        `MCP server "${r.server}" is not deployed`,
        "enable mcp, or remove this remote MCP server",
      );
      return;
    }
    // In-cluster clients reach the gateway over plain HTTP (http://<gateway>.<namespace>.svc.cluster.local:<port>).
    const gateway = c.agentgateway?.gateways.find(
      (g) => g.name === servers.find((s) => s.name === r.server)!.gateway,
    );
    if (gateway !== undefined && !gateway.listeners.some((l) => l.protocol === "HTTP")) {
      issues.add(
        path,
        `gateway "${gateway.name}" of MCP server "${r.server}" has no HTTP listener`,
        "add an HTTP listener for in-cluster MCP clients",
      );
    }
  });
  const modelConfigs = kagent.modelConfigs.map((m) => m.name);
  const remoteNames = kagent.remoteMcpServers.map((r) => r.name);
  const agentNames = kagent.agents.map((a) => a.name);
  kagent.agents.forEach((a, i) => {
    const base = `kagent.agents[${i}]`;
    resolve(issues, `${base}.modelConfig`, a.modelConfig, modelConfigs, "model config");
    a.tools.forEach((t, j) => {
      if (
        !resolve(
          issues,
          `${base}.tools[${j}].remoteMcpServer`,
          t.remoteMcpServer,
          remoteNames,
          "remote MCP server",
        )
      )
        return;
      const serverName = kagent.remoteMcpServers.find((r) => r.name === t.remoteMcpServer)!.server;
      const known = servers?.find((s) => s.name === serverName)?.tools ?? [];
      if (known.length === 0) return;
      t.toolNames.forEach((tool, k) => {
        if (!known.includes(tool)) {
          issues.add(
            `${base}.tools[${j}].toolNames[${k}]`,
            `MCP server "${serverName}" has no tool "${tool}"`,
            referenceHint(tool, known, "tool"),
          );
        }
      });
    });
    a.agents.forEach((other, j) => {
      if (other === a.name) issues.add(`${base}.agents[${j}]`, "an agent cannot use itself as a tool");
      else resolve(issues, `${base}.agents[${j}]`, other, agentNames, "agent");
    });
  });
  const bot = kagent.slackBot;
  if (bot !== undefined) resolve(issues, "kagent.slackBot.agent", bot.agent, agentNames, "agent");
};

const observabilityRules: Rule = (c, issues) => {
  const obs = c.observability;
  if (obs === undefined || !obs.enabled) return;
  unique(
    issues,
    obs.otlpExporters,
    (e) => e.name,
    (i) => `observability.otlpExporters[${i}].name`,
    "exporter name",
  );
  obs.otlpExporters.forEach((e, i) => {
    if (e.protocol === "http" && !/^https?:\/\//.test(e.endpoint)) {
      issues.add(
        `observability.otlpExporters[${i}].endpoint`,
        "an OTLP/HTTP exporter needs a URL",
        "write it like https://host:4318",
      );
    }
  });
  const exporting = (obs.langfuse?.enabled ?? false) || obs.otlpExporters.length > 0;
  if (exporting && !obs.collector.enabled) {
    issues.add(
      "observability.collector.enabled",
      "trace exporters are configured but the collector is disabled",
      "enable the collector, or remove the exporters",
    );
  }
  if (obs.gatewayTracing.enabled && !obs.collector.enabled) {
    issues.add(
      "observability.gatewayTracing.enabled",
      "gateway tracing needs the collector",
      "enable observability.collector",
    );
  }
  if (obs.collector.enabled && !exporting) {
    issues.add(
      "observability.collector",
      "the collector has no exporter",
      "enable langfuse or add otlpExporters",
    );
  }
  if (obs.alerts.errorRateCritical < obs.alerts.errorRateWarning) {
    issues.add(
      "observability.alerts.errorRateCritical",
      `critical error rate ${obs.alerts.errorRateCritical} is below the warning rate ${obs.alerts.errorRateWarning}`,
      "the critical threshold must be at least the warning threshold",
    );
  }
};

const exposureRules: Rule = (c, issues) => {
  const exposures = c.exposures;
  if (exposures === undefined) return;
  unique(
    issues,
    exposures,
    (e) => e.name,
    (i) => `exposures[${i}].name`,
    "exposure name",
  );
  unique(
    issues,
    exposures,
    (e) => e.hostname,
    (i) => `exposures[${i}].hostname`,
    "hostname",
  );
  const gateways = c.agentgateway?.gateways;
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
      if (e.dns.mode === "tunnel") {
        if (!("gateway" in e.target)) {
          issues.add(
            `${base}.target`,
            "a tunnel hostname must front a gateway",
            "use target: { gateway: <name> }",
          );
        }
        if (!e.dns.proxied) {
          issues.add(
            `${base}.dns.proxied`,
            "tunnel hostnames are proxied CNAMEs to <tunnel>.cfargotunnel.com",
            "set proxied: true",
          );
        }
      } else if (
        gateway?.service.type !== "LoadBalancer" &&
        e.bigip === undefined &&
        gateways !== undefined
      ) {
        issues.add(
          `${base}.dns.mode`,
          "a DNS record needs an address: a LoadBalancer gateway or a BIG-IP VIP",
          "use mode: tunnel, or add a bigip block",
        );
      }
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
  if (!bigip.validateCertsDisable && bigip.trustedCertPath === undefined) {
    issues.add(
      "bigip.trustedCertPath",
      "is required when validateCertsDisable is false",
      "give the PEM file of the management CA, or set validateCertsDisable: true",
    );
  }
  if (bigip.monitor.interval >= bigip.monitor.timeout) {
    issues.add(
      "bigip.monitor.interval",
      `must be less than the timeout (${bigip.monitor.timeout})`,
      "BIG-IP rejects interval >= timeout",
    );
  }
  if (c.cluster !== undefined && !c.cluster.talos.enabled) {
    issues.add(
      "bigip.enabled",
      "BIG-IP pool members are the Talos nodes, but cluster.talos is disabled",
      "enable cluster.talos or disable bigip",
    );
  }
};

/** Namespaces other layers (or Kubernetes itself) own; a tenant cannot take one over. */
function reservedNamespaces(c: PartialConfig): Map<string, string> {
  const owned = new Map<string, string>([
    ["default", "Kubernetes"],
    ["kube-system", "Kubernetes"],
    ["kube-public", "Kubernetes"],
    ["kube-node-lease", "Kubernetes"],
  ]);
  const own = (ns: string | undefined, layer: string, enabled: boolean | undefined) => {
    if (ns !== undefined && enabled === true && !owned.has(ns)) owned.set(ns, layer);
  };
  own(c.longhorn?.namespace, "longhorn", c.longhorn?.enabled);
  own(c.agentgateway?.namespace, "agentgateway", c.agentgateway?.enabled);
  own(c.mcp?.namespace, "mcp", c.mcp?.enabled);
  own(c.kagent?.namespace, "kagent", c.kagent?.enabled);
  own(c.observability?.collector.namespace, "observability", c.observability?.enabled);
  own(c.cloudflare?.tunnel?.namespace, "cloudflare", c.cloudflare?.enabled && c.cloudflare.tunnel?.enabled);
  return owned;
}

/** Secrets the LLM backends hold: provider keys the gateway injects, never handed to tenant pods. */
function providerKeySecrets(c: PartialConfig): Set<string> {
  const names = new Set<string>();
  for (const b of c.llm?.backends ?? []) {
    if (b.provider === "failover") b.groups.forEach((g) => g.providers.forEach((p) => names.add(p.secret)));
    else if (b.provider !== "static") names.add(b.secret);
  }
  return names;
}

const tenantRules: Rule = (c, issues) => {
  if (c.tenants === undefined) return;
  unique(
    issues,
    c.tenants.items,
    (t) => t.name,
    (i) => `tenants.items[${i}].name`,
    "tenant name",
  );
  const reserved = reservedNamespaces(c);
  const routes = c.llm?.routes;
  const agw = c.agentgateway;
  const providerKeys = providerKeySecrets(c);
  c.tenants.items.forEach((t, i) => {
    const base = `tenants.items[${i}]`;
    const owner = reserved.get(t.name);
    if (owner !== undefined) {
      issues.add(
        `${base}.name`,
        `namespace "${t.name}" belongs to ${owner}`,
        "give the tenant its own namespace",
      );
    }
    const { defaultRequest, default: defaultLimit, max } = t.limits;
    for (const res of ["cpu", "memory"] as const) {
      if (parseQuantity(defaultRequest[res]) > parseQuantity(defaultLimit[res])) {
        issues.add(
          `${base}.limits.defaultRequest.${res}`,
          `default request ${defaultRequest[res]} is above the default limit ${defaultLimit[res]}`,
        );
      }
      if (max !== undefined && parseQuantity(defaultLimit[res]) > parseQuantity(max[res])) {
        issues.add(
          `${base}.limits.default.${res}`,
          `default limit ${defaultLimit[res]} is above the maximum ${max[res]}`,
        );
      }
    }
    // Proxies with an ingress allow-list admit only the listed namespaces.
    const gatewayAdmits = (path: string, gateway: string) => {
      const h = agw?.hardening;
      if (h === undefined || !h.networkPolicy) return;
      if (h.ingressNamespaces.length + h.ingressCidrs.length === 0 || h.ingressNamespaces.includes(t.name))
        return;
      issues.add(
        path,
        `the proxies of gateway "${gateway}" do not admit namespace "${t.name}"`,
        "add the tenant to agentgateway.hardening.ingressNamespaces",
      );
    };
    if (agw !== undefined) {
      t.mcpGateways.forEach((g, j) => {
        const path = `${base}.mcpGateways[${j}]`;
        if (
          !resolve(
            issues,
            path,
            g,
            agw.gateways.map((x) => x.name),
            "gateway",
          )
        )
          return;
        gatewayAdmits(path, g);
        if (!agw.gateways.find((x) => x.name === g)!.listeners.some((l) => l.protocol === "HTTP")) {
          issues.add(
            path,
            `gateway "${g}" has no HTTP listener`,
            "add an HTTP listener for in-cluster MCP clients",
          );
        }
      });
    }
    unique(
      issues,
      t.workloads,
      (w) => w.name,
      (j) => `${base}.workloads[${j}].name`,
      "workload name",
    );
    const workloadNames = t.workloads.map((w) => w.name);
    // What the minimum replica counts need at once, against the quota.
    const need = { cpu: 0, memory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0, gpus: 0 };
    t.workloads.forEach((w, j) => {
      const wb = `${base}.workloads[${j}]`;
      if (!isImageKey(w.image)) {
        issues.add(
          `${wb}.image`,
          `unknown image "${w.image}"`,
          referenceHint(w.image, Object.keys(images), "image"),
        );
      }
      if (w.kind === "agent" && w.model === undefined) {
        issues.add(
          `${wb}.model`,
          "an agent needs a model",
          "set model.route and model.pathPrefix to an LLM route",
        );
      }
      if (w.model !== undefined && routes !== undefined) {
        const m = w.model;
        if (
          resolve(
            issues,
            `${wb}.model.route`,
            m.route,
            routes.map((r) => r.name),
            "LLM route",
          )
        ) {
          const route = routes.find((r) => r.name === m.route)!;
          const prefixes = route.rules.map((r) => r.pathPrefix);
          if (!prefixes.includes(m.pathPrefix)) {
            issues.add(
              `${wb}.model.pathPrefix`,
              `LLM route "${route.name}" has no rule with path prefix ${m.pathPrefix}`,
              `its path prefixes: ${prefixes.join(", ")}`,
            );
          }
          if (agw !== undefined && agw.gateways.some((g) => g.name === route.gateway)) {
            try {
              clientListener(
                agw.gateways.find((g) => g.name === route.gateway)!,
                route.listener,
              );
            } catch {
              issues.add(
                `${wb}.model.route`,
                `gateway "${route.gateway}" of LLM route "${route.name}" has no HTTP listener for in-cluster clients`,
                "add an HTTP listener to the gateway",
              );
            }
            gatewayAdmits(`${wb}.model.route`, route.gateway);
          }
        }
      }
      for (const [env, secret] of Object.entries(w.secretEnv)) {
        if (providerKeys.has(secret)) {
          issues.add(
            `${wb}.secretEnv.${env}`,
            `secret "${secret}" is an LLM provider key`,
            "workloads reach models through the AI gateway (model.route), which holds the key",
          );
        }
      }
      for (const env of ["LLM_BASE_URL", "LLM_MODEL"]) {
        for (const field of ["env", "secretEnv"] as const) {
          if (w.model !== undefined && env in w[field]) {
            issues.add(`${wb}.${field}.${env}`, "is set from the model route", `remove ${env}`);
          }
        }
      }
      w.calls.forEach((callee, k) => {
        if (callee === w.name) issues.add(`${wb}.calls[${k}]`, "a workload cannot call itself");
        else resolve(issues, `${wb}.calls[${k}]`, callee, workloadNames, "workload");
      });
      const a = w.autoscaling;
      if (a !== undefined) {
        if (a.minReplicas > a.maxReplicas) {
          issues.add(
            `${wb}.autoscaling.maxReplicas`,
            `${a.maxReplicas} is below minReplicas ${a.minReplicas}`,
            "maxReplicas must be at least minReplicas",
          );
        }
        const targets = [
          ["targetCPUUtilizationPercentage", a.targetCPUUtilizationPercentage],
          ["targetMemoryUtilizationPercentage", a.targetMemoryUtilizationPercentage],
        ] as const;
        for (const [field, value] of targets) {
          if (value !== undefined && (value < 1 || value > 100)) {
            issues.add(`${wb}.autoscaling.${field}`, `must be a percentage in 1-100, not ${value}`);
          }
        }
      }
      // VPA and HPA must not act on the same CPU/memory metrics
      // (kubernetes/autoscaler:vertical-pod-autoscaler/README.md, known limitations).
      if (w.vpa !== undefined && w.vpa.updateMode !== "Off" && a !== undefined) {
        issues.add(
          `${wb}.vpa.updateMode`,
          `${w.vpa.updateMode} resizes pods that autoscaling also scales on CPU and memory`,
          'use updateMode: "Off" (recommendations only) with autoscaling',
        );
      }
      const replicas = a?.minReplicas ?? w.replicas;
      need.cpu += replicas * parseQuantity(w.resources.requests.cpu);
      need.memory += replicas * parseQuantity(w.resources.requests.memory);
      need.limitsCpu += replicas * parseQuantity(w.resources.limits.cpu);
      need.limitsMemory += replicas * parseQuantity(w.resources.limits.memory);
      need.pods += replicas;
      need.gpus += replicas * (w.gpu?.count ?? 0);
      if (max !== undefined) {
        for (const res of ["cpu", "memory"] as const) {
          if (parseQuantity(w.resources.limits[res]) > parseQuantity(max[res])) {
            issues.add(
              `${wb}.resources.limits.${res}`,
              `${w.resources.limits[res]} is above the tenant maximum ${max[res]}`,
              `raise ${base}.limits.max.${res} or lower the limit`,
            );
          }
        }
      }
    });
    const q = t.quota;
    const over = (path: string, what: string, needed: string, allowed: string) =>
      issues.add(
        `${base}.quota.${path}`,
        `the minimum replicas need ${needed} ${what} but the quota allows ${allowed}`,
      );
    if (need.cpu > parseQuantity(q.cpu)) over("cpu", "CPU requests", formatCpu(need.cpu), q.cpu);
    if (need.memory > parseQuantity(q.memory))
      over("memory", "memory requests", formatMemory(need.memory), q.memory);
    if (q.limitsCpu !== undefined && need.limitsCpu > parseQuantity(q.limitsCpu))
      over("limitsCpu", "CPU limits", formatCpu(need.limitsCpu), q.limitsCpu);
    if (q.limitsMemory !== undefined && need.limitsMemory > parseQuantity(q.limitsMemory))
      over("limitsMemory", "memory limits", formatMemory(need.limitsMemory), q.limitsMemory);
    if (need.pods > q.pods) over("pods", "pods", String(need.pods), String(q.pods));
    if (need.gpus > q.gpus) over("gpus", "GPUs", String(need.gpus), String(q.gpus));
  });
};

export const rules: Rule[] = [
  secretsResolve,
  talosRules,
  talosVersionRules,
  ciliumRules,
  longhornRules,
  gatewayRules,
  llmRules,
  policyRules,
  mcpPolicyConflicts,
  policyCompositionRules,
  controllerNameRules,
  routeRewriteRules,
  mcpRules,
  kagentRules,
  kagentRuntimeRules,
  imageRules,
  observabilityRules,
  inClusterEndpointRules,
  exposureRules,
  tenantRules,
  (c, issues) => adoptionRules(c, issues),
];

export function crossFieldIssues(c: PartialConfig): IssueList {
  const issues = new IssueList();
  for (const rule of rules) rule(c, issues);
  return issues;
}
