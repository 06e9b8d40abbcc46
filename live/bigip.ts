import { getJson } from "./http";
import { redactedHash, redactSecretLeaves } from "./redact";

/*
 * BIG-IP reader: one iControl REST GET per collection. A collection answers
 * `{kind: "tm:ltm:<x>:<x>collectionstate", selfLink, items: [...]}`, each item with name, partition and
 * fullPath (F5Networks/f5-common-python docs userguide/endpoints/collection and subcollection;
 * f5devcentral/go-bigip ltm.go `Nodes`, `Pools`, `VirtualServers` decode `items`). With
 * `expandSubcollections=true` a pool's `membersReference` carries its members in `items`, each named
 * `<node>:<port>` (f5-common-python docs userguide/endpoints/subcollection).
 */

/** Snapshot file name -> iControl REST path of the collection. */
export const BIGIP_COLLECTIONS = {
  "ltm-node": "/mgmt/tm/ltm/node",
  "ltm-pool": "/mgmt/tm/ltm/pool?expandSubcollections=true",
  "ltm-virtual": "/mgmt/tm/ltm/virtual",
  "ltm-monitor-tcp": "/mgmt/tm/ltm/monitor/tcp",
  "ltm-monitor-http": "/mgmt/tm/ltm/monitor/http",
} as const;

export type BigipCollection = keyof typeof BIGIP_COLLECTIONS;

export interface BigipCredentials {
  /** Management address: a host (HTTPS on `port`) or a URL (go-bigip bigip.go NewSession prefixes https://). */
  host: string;
  port?: string;
  username: string;
  password: string;
  /** PEM of the management certificate's CA; without it, verification follows `verifyCertificate`. */
  ca?: string;
  verifyCertificate: boolean;
}

export function bigipBaseUrl(credentials: Pick<BigipCredentials, "host" | "port">): string {
  const host = credentials.host.replace(/\/+$/, "");
  if (/^https?:\/\//.test(host)) return host;
  return `https://${host}${credentials.port ? `:${credentials.port}` : ""}`;
}

type Obj = Record<string, unknown>;

/** Monitors may carry a password and a send string with an Authorization header. */
function redactMonitor(item: unknown): unknown {
  const redacted = redactSecretLeaves(item) as Obj;
  const send = redacted["send"];
  if (typeof send === "string" && /authorization:/i.test(send)) redacted["send"] = redactedHash(send);
  return redacted;
}

/** Reads every LTM collection the preflight compares; each answer is kept as BIG-IP sent it (redacted). */
export async function readBigip(credentials: BigipCredentials): Promise<Record<BigipCollection, Obj>> {
  const base = bigipBaseUrl(credentials);
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  const options = {
    headers: { Authorization: `Basic ${auth}` },
    ...(credentials.ca !== undefined ? { ca: credentials.ca } : {}),
    rejectUnauthorized: credentials.verifyCertificate,
  };
  const entries = await Promise.all(
    (Object.entries(BIGIP_COLLECTIONS) as Array<[BigipCollection, string]>).map(async ([file, path]) => {
      const answer = (await getJson(`${base}${path}`, options)) as Obj;
      if (file.startsWith("ltm-monitor") && Array.isArray(answer["items"]))
        return [file, { ...answer, items: answer["items"].map(redactMonitor) }] as const;
      return [file, answer] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<BigipCollection, Obj>;
}
