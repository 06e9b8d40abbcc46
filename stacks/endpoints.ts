import { kagentServiceNames } from "../lib/kagent";
import { mcpWorkloadName } from "../lib/addressBook";
import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";

/*
 * Endpoints the config points at inside the cluster (`<service>.<namespace>.svc[.cluster.local]`) must be
 * Services this program creates, or be marked `providedBy` whatever installs them: an exporter or client aimed
 * at a Service nobody runs fails on every export, silently.
 */

/** `<namespace>/<name>` of every Service the program creates from this config. */
export function createdServices(c: PartialConfig): Set<string> {
  const out = new Set<string>();
  const add = (namespace: string, name: string) => out.add(`${namespace}/${name}`);
  const agw = c.agentgateway;
  // The proxy Service of each Gateway takes the Gateway's name (agentgateway v1.4 deployer).
  if (agw?.enabled) for (const g of agw.gateways) add(agw.namespace, g.name);
  if (c.mcp?.enabled) {
    for (const s of c.mcp.servers) if (s.kind === "inCluster") add(c.mcp.namespace, mcpWorkloadName(s.name));
  }
  const kagent = c.kagent;
  if (kagent?.enabled) for (const name of kagentServiceNames(kagent)) add(kagent.namespace, name);
  const obs = c.observability;
  // The collector chart is installed with fullnameOverride = collector.name.
  if (obs?.enabled && obs.collector.enabled) add(obs.collector.namespace, obs.collector.name);
  const tunnel = c.cloudflare?.enabled ? c.cloudflare.tunnel : undefined;
  if (tunnel?.enabled) add(tunnel.namespace, "cloudflared");
  if (c.tenants?.enabled) for (const t of c.tenants.items) for (const w of t.workloads) add(t.name, w.name);
  return out;
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
