import type { CrossRule } from ".";

/*
 * In-cluster clients the proxies' NetworkPolicy must admit. With an ingress allow-list
 * (agentgateway.hardening.ingressNamespaces or ingressCidrs), the proxies admit only the listed namespaces
 * (components/gateway/hardening.ts), and an ipBlock never selects pods (Cilium), so every client layer's
 * namespace must be listed: kagent's agents call their model and MCP routes, cloudflared connects tunnel
 * hostnames to their gateway. Tenants are checked by the tenant rules.
 */

interface Client {
  path: string;
  namespace: string;
  why: string;
}

const gatewayAdmitsClients: CrossRule = {
  id: "gateway-admits-clients",
  check({ config }, issues) {
    const h = config.agentgateway?.enabled ? config.agentgateway.hardening : undefined;
    if (h === undefined || !h.networkPolicy || h.ingressNamespaces.length + h.ingressCidrs.length === 0)
      return;
    const clients: Client[] = [];
    const kagent = config.kagent;
    if (kagent?.enabled && kagent.modelConfigs.length + kagent.remoteMcpServers.length > 0)
      clients.push({
        path: "kagent.namespace",
        namespace: kagent.namespace,
        why: "kagent's agents call their model and MCP routes",
      });
    const tunnel = config.cloudflare?.enabled ? config.cloudflare.tunnel : undefined;
    if (tunnel?.enabled && (config.exposures ?? []).some((e) => e.enabled && e.dns.mode === "tunnel"))
      clients.push({
        path: "cloudflare.tunnel.namespace",
        namespace: tunnel.namespace,
        why: "cloudflared connects the tunnel hostnames to their gateway",
      });
    for (const c of clients)
      if (!h.ingressNamespaces.includes(c.namespace))
        issues.add(
          c.path,
          `the gateway proxies admit only agentgateway.hardening.ingressNamespaces, which leaves out namespace "${c.namespace}": ${c.why}`,
          `add "${c.namespace}" to agentgateway.hardening.ingressNamespaces`,
        );
  },
};

export const gatewayClientRules: readonly CrossRule[] = [gatewayAdmitsClients];
