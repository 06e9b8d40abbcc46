import { z } from "zod";
import { secretName } from "./fields";
import { invariant } from "./checks/refine";

/*
 * What the kagent chart runs besides the declared agents, decided by the stack instead of inherited from the
 * chart defaults of kagent-dev/kagent@v0.9.12:helm/kagent/values.yaml.
 */

export const kagentDatabaseSchema = z.strictObject({
  /**
   * Secret (in `secrets`) holding the controller's PostgreSQL URL, postgres://<user>:<password>@<host>:5432/<db>.
   * The chart's bundled Postgres is off: it is "for development and evaluation only" and its password is the
   * literal `kagent` (helm/kagent/templates/postgresql-secret.yaml).
   */
  urlSecret: secretName,
});

export const kagentToolsSchema = z.strictObject({
  /** The kagent-tools MCP server (chart subchart kagent-tools 0.2.1, RemoteMCPServer `kagent-tool-server`). */
  enabled: z.boolean(),
  /**
   * `readOnly`: a get/list/watch ClusterRole without Secrets and the server's `--read-only` mode;
   * `clusterAdmin`: the subchart default, a `*`/`*`/`*` ClusterRole with every non-resource URL
   * (kagent-dev/tools@v0.2.1:helm/kagent-tools/templates/clusterrole.yaml).
   */
  access: z.enum(["readOnly", "clusterAdmin"]).default("readOnly"),
});

export const kagentToolsDefault = { enabled: true, access: "readOnly" } as const;

/** The controller needs a database: without the bundled one the stack must name it. */
export const kagentDatabase = invariant<{ enabled: boolean; database?: unknown }>(
  "kagent-database",
  (kagent, problems) => {
    if (kagent.enabled && kagent.database === undefined)
      problems.add(
        ["database", "urlSecret"],
        "is required when kagent is enabled",
        "name a secret holding the PostgreSQL URL of the controller's database; the chart's bundled Postgres " +
          "(fixed password 'kagent') is not deployed",
      );
  },
);
