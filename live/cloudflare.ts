import { getJson } from "./http";
import { redactSecretLeaves } from "./redact";

/*
 * Cloudflare reader: API v4 list calls. Every answer is the v4 envelope `{success, errors, messages, result:
 * [...], result_info: {page, per_page, count, total_count, total_pages}}` (cloudflare/cloudflare-go@v0.116.0
 * cloudflare.go Response/ResultInfo). The zone id comes from `GET /zones?name=`, the records from
 * `GET /zones/<zone>/dns_records`, the tunnels from `GET /accounts/<account>/cfd_tunnel?is_deleted=false`
 * (tunnel.go ListTunnels). Credentials and base URL as Cloudflare's own clients take them
 * (cloudflare/cloudflare-go HEAD client.go: CLOUDFLARE_API_TOKEN, CLOUDFLARE_BASE_URL).
 */

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

export interface CloudflareCredentials {
  apiToken: string;
  accountId: string;
  /** Default: the public API. */
  baseUrl?: string;
}

type Obj = Record<string, unknown>;

export type CloudflareList = "dns_records" | "tunnels";

const PER_PAGE = 1000;

/** Every page of a list call, as one envelope (result concatenated, result_info of the whole). */
async function listAll(url: string, headers: Record<string, string>): Promise<Obj> {
  const results: unknown[] = [];
  let first: Obj | undefined;
  for (let page = 1; ; page++) {
    const sep = url.includes("?") ? "&" : "?";
    const answer = (await getJson(`${url}${sep}page=${page}&per_page=${PER_PAGE}`, { headers })) as Obj;
    if (answer["success"] === false) throw new Error(`GET ${url}: ${JSON.stringify(answer["errors"])}`);
    first ??= answer;
    results.push(...((answer["result"] as unknown[] | undefined) ?? []));
    const info = (answer["result_info"] ?? {}) as Obj;
    if (Number(info["total_pages"] ?? 1) <= page) break;
  }
  return {
    ...first,
    result: results,
    result_info: {
      page: 1,
      per_page: results.length,
      count: results.length,
      total_count: results.length,
      total_pages: 1,
    },
  };
}

/** The zone's DNS records and the account's tunnels (tunnel secrets hashed). */
export async function readCloudflare(
  credentials: CloudflareCredentials,
  zone: string,
): Promise<Record<CloudflareList, Obj>> {
  const base = (credentials.baseUrl ?? CLOUDFLARE_API).replace(/\/+$/, "");
  const headers = { Authorization: `Bearer ${credentials.apiToken}` };
  const zones = (await getJson(`${base}/zones?name=${encodeURIComponent(zone)}`, { headers })) as Obj;
  const zoneId = ((zones["result"] as Obj[] | undefined) ?? [])[0]?.["id"];
  if (typeof zoneId !== "string") throw new Error(`zone ${zone} not found in the account the token reads`);
  const account = encodeURIComponent(credentials.accountId);
  const [dnsRecords, tunnels] = await Promise.all([
    listAll(`${base}/zones/${zoneId}/dns_records`, headers),
    listAll(`${base}/accounts/${account}/cfd_tunnel?is_deleted=false`, headers),
  ]);
  return { dns_records: dnsRecords, tunnels: { ...tunnels, result: redactSecretLeaves(tunnels["result"]) } };
}
