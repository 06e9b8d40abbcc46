import type { PartialConfig } from "../../stacks/layerRules/common";
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
