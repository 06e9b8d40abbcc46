import { mcpWorkloadName } from "../../lib/addressBook";
import { namedObjects } from "../endpoints";
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN } from "../../lib/kubernetesNames";
import { KUBERNETES_NAMESPACES, Layer } from "../../lib/layers";
import { referenceHint } from "../hints";
import type { CrossRule } from ".";
import { invariant } from "./refine";
import type { ConfigIndex } from "./configIndex";

/*
 * Kubernetes validity of the names and values the program derives from the config
 * (kubernetes/apimachinery@v0.36: pkg/util/validation/validation.go; pkg/api/validation/objectmeta.go).
 * The config schema checks each field's own form; these rules check what the field becomes.
 */

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Gateway API Hostname (gateway-api@v1.6.1: apis/v1/shared_types.go): lower case, optional leading `*.`. */
const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/**
 * Environment variable names the API server accepts: any printable ASCII except '=' (RelaxedEnvironmentVariable
 * Validation, GA in Kubernetes v1.34: kubernetes/enhancements, keps/sig-node/4369).
 */
export const isEnvName = (name: string) => name.length > 0 && /^[\x20-\x3c\x3e-\x7e]+$/.test(name);

/** Why a label key is invalid, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))
    return `label key prefix "${prefix}" must be a lower-case DNS subdomain`;
  if (name.length === 0 || name.length > 63) return `label key name "${name}" must be 1-63 characters`;
  if (!QUALIFIED_NAME.test(name))
    return `label key "${key}" may use letters, digits, '-', '_' and '.', and must start and end with a letter or digit`;
  return undefined;
}

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `label value "${value}" is longer than 63 characters`;
  if (value !== "" && !QUALIFIED_NAME.test(value))
    return `label value "${value}" may use letters, digits, '-', '_' and '.', and must start and end with a letter or digit`;
  return undefined;
}

/** Config names that become a Service's name (agentgateway and kagent name Services after their objects). */
function serviceNames({ config, enabled }: ConfigIndex): Array<{ path: string; name: string; what: string }> {
  const out: Array<{ path: string; name: string; what: string }> = [];
  if (enabled("agentgateway"))
    config.agentgateway?.gateways.forEach((g, i) =>
      out.push({ path: `agentgateway.gateways[${i}].name`, name: g.name, what: "gateway" }),
    );
  if (enabled("kagent"))
    config.kagent?.agents.forEach((a, i) =>
      out.push({ path: `kagent.agents[${i}].name`, name: a.name, what: "agent" }),
    );
  if (enabled("observability") && config.observability?.collector.enabled)
    out.push({
      path: "observability.collector.name",
      name: config.observability.collector.name,
      what: "collector",
    });
  if (enabled("tenants"))
    config.tenants?.items.forEach((t, i) =>
      t.workloads.forEach((w, j) =>
        out.push({ path: `tenants.items[${i}].workloads[${j}].name`, name: w.name, what: "workload" }),
      ),
    );
  return out;
}

const serviceNameDns1035: CrossRule = {
  id: "service-name-dns1035",
  check(index, issues) {
    for (const s of serviceNames(index)) {
      if (DNS1123_LABEL.test(s.name) && !DNS1035_LABEL.test(s.name))
        issues.add(
          s.path,
          `"${s.name}" becomes the name of the ${s.what}'s Service, which must start with a letter`,
          `e.g. "${s.what[0]}-${s.name}"`,
        );
    }
  },
};

const derivedNameTooLong: CrossRule = {
  id: "derived-name-too-long",
  check({ config, enabled }, issues) {
    if (enabled("mcp"))
      config.mcp?.servers.forEach((s, i) => {
        const derived = mcpWorkloadName(s.name);
        if (s.kind === "inCluster" && derived.length > 63)
          issues.add(
            `mcp.servers[${i}].name`,
            `the server's Deployment and Service are named "${derived}" (${derived.length} characters, at most 63)`,
            `shorten the name to at most ${63 - (derived.length - s.name.length)} characters`,
          );
      });
    // Helm limits release names to 53 characters (helm/helm@v3.19: pkg/chartutil/validate_name.go).
    const collector = config.observability?.collector;
    if (enabled("observability") && collector?.enabled && collector.name.length > 53)
      issues.add(
        "observability.collector.name",
        `"${collector.name}" is also the Helm release name, which is at most 53 characters (${collector.name.length})`,
      );
  },
};

const labelInvalid: CrossRule = {
  id: "label-invalid",
  check({ config }, issues) {
    const check = (path: string, labels: Record<string, string> | undefined) => {
      for (const [key, value] of Object.entries(labels ?? {})) {
        const problem = labelKeyProblem(key) ?? labelValueProblem(value);
        if (problem !== undefined) issues.add(`${path}[${JSON.stringify(key)}]`, problem);
      }
    };
    if (config.cluster?.talos.enabled)
      config.cluster.talos.nodes.forEach((n, i) => check(`cluster.talos.nodes[${i}].labels`, n.labels));
    check("observability.metrics.labels", config.observability?.metrics.labels);
    config.tenants?.items.forEach((t, i) =>
      t.workloads.forEach((w, j) =>
        check(`tenants.items[${i}].workloads[${j}].gpu.nodeSelector`, w.gpu?.nodeSelector),
      ),
    );
  },
};

/** The env and secretEnv names of an in-cluster MCP server are names the API server accepts. */
export const envNameInvalid = invariant<{ env: Record<string, string>; secretEnv: Record<string, string> }>(
  "env-name-invalid",
  (server, problems) => {
    for (const field of ["env", "secretEnv"] as const) {
      for (const name of Object.keys(server[field])) {
        if (!isEnvName(name))
          problems.add(
            [field, name],
            `"${name}" is not a valid environment variable name`,
            "use printable ASCII characters other than '='",
          );
      }
    }
  },
);

/** Listener and route hostnames, which become Gateway API Hostname fields. */
function gatewayHostnames({ config }: ConfigIndex): Array<{ path: string; host: string }> {
  const out: Array<{ path: string; host: string }> = [];
  config.agentgateway?.gateways.forEach((g, i) =>
    g.listeners.forEach((l, j) => {
      if (l.hostname !== undefined)
        out.push({ path: `agentgateway.gateways[${i}].listeners[${j}].hostname`, host: l.hostname });
    }),
  );
  config.llm?.routes.forEach((r, i) =>
    r.hostnames.forEach((h, j) => out.push({ path: `llm.routes[${i}].hostnames[${j}]`, host: h })),
  );
  return out;
}

/** Fields that take a bare host name (or host:port), never a URL. */
function hostFields({ config }: ConfigIndex): Array<{ path: string; host: string }> {
  const out: Array<{ path: string; host: string }> = [];
  config.llm?.backends.forEach((b, i) => {
    if (b.provider === "static") out.push({ path: `llm.backends[${i}].host`, host: b.host });
    else if ("hostOverride" in b && b.hostOverride !== undefined)
      out.push({ path: `llm.backends[${i}].hostOverride.host`, host: b.hostOverride.host });
  });
  config.mcp?.servers.forEach((s, i) => {
    if (s.kind === "remote") out.push({ path: `mcp.servers[${i}].host`, host: s.host });
  });
  config.observability?.otlpExporters.forEach((e, i) => {
    if (e.protocol === "grpc")
      out.push({ path: `observability.otlpExporters[${i}].endpoint`, host: e.endpoint });
  });
  return out;
}

/** `https://api.example.com:8443/v1` -> `api.example.com`, or undefined when the text is not a URL. */
function hostOfUrl(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  try {
    return new URL(text).hostname;
  } catch {
    return undefined;
  }
}

const hostIsUrl: CrossRule = {
  id: "host-is-url",
  check(index, issues) {
    for (const { path, host } of [...hostFields(index), ...gatewayHostnames(index)]) {
      const bare = hostOfUrl(host);
      if (bare !== undefined)
        issues.add(path, `"${host}" is a URL, but this field takes a host name`, `use "${bare}"`);
    }
  },
};

const hostnameInvalid: CrossRule = {
  id: "hostname-invalid",
  check(index, issues) {
    for (const { path, host } of gatewayHostnames(index)) {
      // Gateway API Hostname excludes IP addresses (gateway-api@v1.6.1: apis/v1/shared_types.go, Hostname).
      const ip = /^[0-9.]+$/.test(host);
      if (hostOfUrl(host) !== undefined || (GATEWAY_HOSTNAME.test(host) && !ip)) continue;
      const hint =
        host !== host.toLowerCase()
          ? `use "${host.toLowerCase()}"`
          : ip
            ? "an IP address is not a hostname; leave hostnames out to match any"
            : "a lower-case DNS name, optionally starting with *.";
      issues.add(path, `"${host}" is not a valid listener or route hostname`, hint);
    }
  },
};

/** Where the stack sets the namespace a layer owns. */
const NAMESPACE_PATHS: Partial<Record<Layer, string>> = {
  longhorn: "longhorn.namespace",
  gateway: "agentgateway.namespace",
  mcp: "mcp.namespace",
  kagent: "kagent.namespace",
  observability: "observability.collector.namespace",
  cloudflare: "cloudflare.tunnel.namespace",
};

const reservedNamespace: CrossRule = {
  id: "reserved-namespace",
  check({ namespaces }, issues) {
    for (const { layer, namespace } of namespaces) {
      if (KUBERNETES_NAMESPACES.includes(namespace))
        issues.add(
          NAMESPACE_PATHS[layer] ?? layer,
          `"${namespace}" is a namespace Kubernetes reserves; the layer would relabel it for Pod Security and own its objects`,
          "use a namespace of its own",
        );
    }
  },
};

/**
 * The namespaces the layers are configured to deploy into, enabled or not: a shared namespace stays a fact
 * about the cluster while the layer that uses it is switched off.
 */
function configuredNamespaces({ config }: ConfigIndex): string[] {
  const cloudflare = config.cloudflare?.enabled ? config.cloudflare.tunnel?.namespace : undefined;
  const names = [
    config.longhorn?.namespace,
    config.agentgateway?.namespace,
    config.mcp?.namespace,
    config.kagent?.namespace,
    config.observability?.collector.namespace,
    cloudflare,
  ];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** A shared namespace (cluster.sharedNamespaces) is one a layer deploys into. */
const sharedNamespace: CrossRule = {
  id: "shared-namespace",
  check(index, issues) {
    const candidates = configuredNamespaces(index);
    index.config.cluster?.sharedNamespaces.forEach((s, i) => {
      if (!candidates.includes(s.name))
        issues.add(
          `cluster.sharedNamespaces[${i}].name`,
          `no layer deploys into "${s.name}", so the program shares nothing there`,
          referenceHint(s.name, candidates, "namespace"),
        );
    });
  },
};

/**
 * No Gateway takes the name of another object of its namespace. The controller force-applies each Gateway's
 * proxy Deployment, Service, ServiceAccount and ConfigMap under the Gateway's name without checking who owns an
 * object of that name (agentgateway/agentgateway@v1.4.1:controller/pkg/deployer/deployer.go applyPatch,
 * DeployObjsWithSource; controller/pkg/deployer/agentgateway_parameters.go names them after the Gateway), so
 * it would overwrite the controller chart's objects and xDS Service, an MCP server, the collector, a tenant's
 * workload or a dashboard placed in the same namespace.
 */
const gatewayNameTaken: CrossRule = {
  id: "gateway-name-taken",
  check({ config, enabled }, issues) {
    const agw = config.agentgateway;
    if (!enabled("agentgateway") || agw === undefined) return;
    const others = namedObjects(config).filter((o) => o.namespace === agw.namespace && o.gateway !== true);
    const taken = [...new Set(others.map((o) => o.name))].sort();
    agw.gateways.forEach((g, i) => {
      const clashes = [...new Set(others.filter((o) => o.name === g.name).map((o) => o.what))];
      if (clashes.length === 0) return;
      issues.add(
        `agentgateway.gateways[${i}].name`,
        `Gateway "${g.name}" has the name of ${clashes.join(" and ")} in namespace "${agw.namespace}"; the controller applies the Gateway's proxy Deployment, Service, ServiceAccount and ConfigMap under that name and would overwrite it`,
        `pick a name not taken in "${agw.namespace}" (taken: ${taken.join(", ")})`,
      );
    });
  },
};

export const nameRules: CrossRule[] = [
  gatewayNameTaken,
  serviceNameDns1035,
  derivedNameTooLong,
  labelInvalid,
  hostIsUrl,
  hostnameInvalid,
  reservedNamespace,
  sharedNamespace,
];
