import { CONTROLLER_RELEASE, controllerObjectNames } from "../lib/agentgatewayController";
import { CLOUDFLARED_NAME } from "../lib/exposures";
import { kagentServiceNames } from "../lib/kagent";
import { mcpWorkloadName } from "../lib/addressBook";
import { DASHBOARD_FILES, dashboardMapName } from "../lib/monitoring";
import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";

/*
 * Endpoints the config points at inside the cluster (`<service>.<namespace>.svc[.cluster.local]`) must be
 * Services this program creates, or be marked `providedBy` whatever installs them: an exporter or client aimed
 * at a Service nobody runs fails on every export, silently.
 */

/**
 * An object the program, a chart it installs or a controller it configures names after the config: a workload
 * with its Service and ServiceAccount, or a ConfigMap.
 */
export interface NamedObject {
  namespace: string;
  name: string;
  /** What it is, for messages. */
  what: string;
  /** A Service of that name exists. */
  service: boolean;
  /** A Gateway's own proxy objects. */
  gateway?: true;
}

/** Every object the config names, per namespace and layer. */
export function namedObjects(c: PartialConfig): NamedObject[] {
  const out: NamedObject[] = [];
  const add = (namespace: string, name: string, what: string, service: boolean) =>
    out.push({ namespace, name, what, service });
  const agw = c.agentgateway;
  if (agw?.enabled) {
    // The proxy Service of each Gateway takes the Gateway's name (agentgateway v1.4 deployer).
    for (const g of agw.gateways)
      out.push({
        namespace: agw.namespace,
        name: g.name,
        what: `Gateway "${g.name}"`,
        service: true,
        gateway: true,
      });
    for (const name of controllerObjectNames())
      add(agw.namespace, name, `the agentgateway controller (release "${CONTROLLER_RELEASE}")`, false);
  }
  if (c.mcp?.enabled) {
    for (const s of c.mcp.servers)
      if (s.kind === "inCluster")
        add(c.mcp.namespace, mcpWorkloadName(s.name), `the MCP server "${s.name}"`, true);
  }
  const kagent = c.kagent;
  if (kagent?.enabled) {
    for (const name of kagentServiceNames(kagent)) add(kagent.namespace, name, "a kagent workload", true);
    // The kagent controller runs each Agent as a Deployment and Service of its name.
    for (const a of kagent.agents) add(kagent.namespace, a.name, `the kagent agent "${a.name}"`, false);
  }
  const obs = c.observability;
  // The collector chart is installed with fullnameOverride = collector.name.
  if (obs?.enabled && obs.collector.enabled)
    add(obs.collector.namespace, obs.collector.name, "the OpenTelemetry collector", true);
  if (obs?.enabled && obs.dashboards.enabled) {
    const dashboards = [
      ...(agw?.enabled ? [DASHBOARD_FILES.gateway] : []),
      ...(kagent?.enabled ? [DASHBOARD_FILES.agents] : []),
    ];
    for (const file of dashboards)
      add(obs.collector.namespace, dashboardMapName(file), "a dashboard ConfigMap", false);
  }
  const tunnel = c.cloudflare?.enabled ? c.cloudflare.tunnel : undefined;
  if (tunnel?.enabled) add(tunnel.namespace, CLOUDFLARED_NAME, "the Cloudflare tunnel connector", true);
  if (c.tenants?.enabled)
    for (const t of c.tenants.items)
      for (const w of t.workloads)
        add(t.name, w.name, `the workload "${w.name}" of tenant "${t.name}"`, true);
  return out;
}

/** `<namespace>/<name>` of every Service the program creates from this config. */
export function createdServices(c: PartialConfig): Set<string> {
  return new Set(
    namedObjects(c)
      .filter((o) => o.service)
      .map((o) => `${o.namespace}/${o.name}`),
  );
}

/** The Service an address names, when it is an in-cluster Service DNS name; `undefined` for other hosts. */
export function inClusterService(address: string): { name: string; namespace?: string } | undefined {
  const host = address
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .split("/")[0]!
    .replace(/:[0-9]+$/, "")
    .toLowerCase();
  const match = /^(.+)\.svc(\.cluster\.local)?\.?$/.exec(host);
  if (match === null) return undefined;
  const labels = match[1]!.split(".");
  return { name: labels[0]!, ...(labels.length === 2 ? { namespace: labels[1] } : {}) };
}

/** An address the config points a workload at, with the config's note on what provides it. */
export interface ConfiguredAddress {
  path: string;
  address: string;
  providedBy?: string;
}

/** Every address field of the config that may name an in-cluster Service. */
export function configuredAddresses(c: PartialConfig): ConfiguredAddress[] {
  const out: ConfiguredAddress[] = [];
  const add = (path: string, address: string, providedBy: string | undefined) =>
    out.push(providedBy === undefined ? { path, address } : { path, address, providedBy });
  if (c.llm?.enabled) {
    const override = (path: string, p: object) => {
      const o =
        "hostOverride" in p
          ? (p.hostOverride as { host: string; providedBy?: string } | undefined)
          : undefined;
      if (o !== undefined) add(`${path}.hostOverride.host`, o.host, o.providedBy);
    };
    c.llm.backends.forEach((b, i) => {
      if (b.provider === "static") add(`llm.backends[${i}].host`, b.host, b.providedBy);
      else if (b.provider === "failover")
        b.groups.forEach((g, gi) =>
          g.providers.forEach((p, pi) => override(`llm.backends[${i}].groups[${gi}].providers[${pi}]`, p)),
        );
      else override(`llm.backends[${i}]`, b);
    });
  }
  if (c.mcp?.enabled) {
    c.mcp.servers.forEach((s, i) => {
      if (s.kind === "remote") add(`mcp.servers[${i}].host`, s.host, s.providedBy);
    });
  }
  const obs = c.observability;
  if (obs?.enabled) {
    obs.otlpExporters.forEach((e, i) =>
      add(`observability.otlpExporters[${i}].endpoint`, e.endpoint, e.providedBy),
    );
    const lf = obs.langfuse;
    if (lf?.enabled) add("observability.langfuse.endpoint", lf.endpoint, lf.providedBy);
  }
  return out;
}

/** Rejects in-cluster addresses that name no Service of this program and are not marked `providedBy`. */
export function inClusterEndpointRules(c: PartialConfig, issues: IssueList): void {
  const services = createdServices(c);
  for (const { path, address, providedBy } of configuredAddresses(c)) {
    const svc = inClusterService(address);
    if (svc === undefined || providedBy !== undefined) continue;
    if (svc.namespace === undefined) {
      issues.add(
        path,
        `"${address}" is not a Service address`,
        "write <service>.<namespace>.svc.cluster.local",
      );
      continue;
    }
    if (services.has(`${svc.namespace}/${svc.name}`)) continue;
    const inNamespace = [...services]
      .filter((s) => s.startsWith(`${svc.namespace}/`))
      .map((s) => s.slice(svc.namespace!.length + 1))
      .sort();
    const deployed =
      inNamespace.length > 0
        ? `the program's Services in ${svc.namespace}: ${inNamespace.join(", ")}`
        : `the program creates no Service in ${svc.namespace}`;
    issues.add(
      path,
      `Service ${svc.namespace}/${svc.name} is not created by this program`,
      `point it at a Service the stack deploys (${deployed}), or set providedBy to name what installs it`,
    );
  }
}
