import type { PlannedResource, PlannedState } from "../plan";
import { FieldChange, Finding, finding } from "./findings";
import type { CloudflareState } from "./liveState";

/*
 * Cloudflare records and tunnels against the zone's records and the account's tunnels. Creating a record whose
 * name exists fails; `zone_id` and `type` force replacement, which an import must not do
 * (cloudflare/terraform-provider-cloudflare@v5.19.1 internal/services/dns_record/schema.go); a tunnel name
 * already used in the account is rejected. external-dns keeps the records it owns in step with its sources:
 * its ownership is a TXT record `<type>-<name>` holding `heritage=external-dns,external-dns/owner=...`
 * (kubernetes-sigs/external-dns@v0.20.0 registry/txt.go toTXTName, endpoint/labels.go).
 */

type Obj = Record<string, unknown>;

const RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";

export interface CloudflareContext {
  /** The adoption run: the program's tunnel is new, whatever runs today. */
  adoptionRun: boolean;
}

const norm = (name: unknown) =>
  String(name ?? "")
    .toLowerCase()
    .replace(/\.$/, "");

function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** external-dns's ownership record of a record, if any: its TXT name and labels. */
export function externalDnsOwner(
  record: Obj,
  records: readonly Obj[],
): { txt: string; labels: string } | undefined {
  const name = norm(record["name"]);
  const [first, ...rest] = name.split(".");
  const candidates = new Set([
    `${String(record["type"]).toLowerCase()}-${first}${rest.length > 0 ? `.${rest.join(".")}` : ""}`,
    name,
  ]);
  for (const txt of records) {
    if (txt["type"] !== "TXT" || !candidates.has(norm(txt["name"]))) continue;
    const content = String(txt["content"] ?? "").replace(/^"|"$/g, "");
    if (content.includes("heritage=external-dns")) return { txt: norm(txt["name"]), labels: content };
  }
  return undefined;
}

/** The planned tunnel's live counterpart: same name, configured remotely as the program's is. */
function liveTunnel(
  plan: PlannedState,
  live: CloudflareState,
): { placeholder: string; id?: string; name: string } | undefined {
  const tunnel = plan.cloudflare.find((r) => r.type === TUNNEL);
  if (tunnel === undefined) return undefined;
  const name = String(tunnel.inputs["name"]);
  const match = live.tunnels.find((t) => t["name"] === name && t["remote_config"] === true);
  return {
    placeholder: `${resourceName(tunnel.urn)}-id`,
    name,
    ...(match !== undefined ? { id: String(match["id"]) } : {}),
  };
}

function recordChanges(inputs: Obj, live: Obj, tunnel: ReturnType<typeof liveTunnel>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of ["type", "content", "proxied", "ttl", "comment"]) {
    let planned = inputs[field];
    if (planned === undefined || planned === null) continue;
    if (field === "content" && tunnel !== undefined && String(planned).includes(tunnel.placeholder))
      planned = String(planned).replace(
        tunnel.placeholder,
        tunnel.id ?? `<id of the new tunnel ${tunnel.name}>`,
      );
    if (String(planned) !== String(live[field] ?? ""))
      out.push({ path: field, ...(live[field] !== undefined ? { live: live[field] } : {}), planned });
  }
  return out;
}

function exposureOf(r: PlannedResource): string {
  return /exposure (\S+)/.exec(String(r.inputs["comment"] ?? ""))?.[1] ?? resourceName(r.urn);
}

function recordFinding(
  r: PlannedResource,
  live: CloudflareState,
  tunnel: ReturnType<typeof liveTunnel>,
): Finding[] {
  const name = norm(r.inputs["name"]);
  const type = String(r.inputs["type"]);
  const object = `DNS record ${name} (${type})`;
  const sameName = live.dnsRecords.filter((d) => norm(d["name"]) === name && d["type"] !== "TXT");
  const ownership = (rec: Obj): Finding[] => {
    const owner = externalDnsOwner(rec, live.dnsRecords);
    if (owner === undefined) return [];
    return [
      finding(
        "cloudflare",
        object,
        "conflict",
        "blocker",
        `external-dns owns it (TXT ${owner.txt}: ${owner.labels}) and sets it back to what its source says.`,
        {
          hint: `scale external-dns to 0, delete its ownership record ${owner.txt} and the external-dns annotations of its source, then start it again`,
        },
      ),
    ];
  };
  if (r.importId !== "") {
    const id = r.importId.slice(r.importId.indexOf("/") + 1);
    const rec = live.dnsRecords.find((d) => d["id"] === id);
    if (rec === undefined)
      return [
        finding(
          "cloudflare",
          object,
          "blocked",
          "blocker",
          `is imported as record ${id}, which the zone does not hold: the import fails.`,
          {
            hint:
              sameName.length > 0
                ? `the record of that name is ${String(sameName[0]!["id"])}`
                : "correct adoption.cloudflare.dnsRecords",
          },
        ),
      ];
    if (rec["type"] !== type)
      return [
        finding(
          "cloudflare",
          object,
          "blocked",
          "blocker",
          `record ${id} is a ${String(rec["type"])}: a type change replaces the record, which an import must not do.`,
          { hint: `declare it as ${String(rec["type"])}, or delete it and let the run create it` },
        ),
      ];
    const changes = recordChanges(r.inputs, rec, tunnel);
    return [
      changes.length > 0
        ? finding(
            "cloudflare",
            object,
            "take-over-with-changes",
            "change",
            `imported (record ${id}); ${changes.length} field(s) change.`,
            { changes },
          )
        : finding("cloudflare", object, "take-over", "change", `imported (record ${id}) as it is.`),
      ...ownership(rec),
    ];
  }
  const own = sameName.find(
    (d) => d["type"] === type && r.inputs["comment"] !== undefined && d["comment"] === r.inputs["comment"],
  );
  if (own !== undefined) {
    const changes = recordChanges(r.inputs, own, tunnel);
    return [
      changes.length > 0
        ? finding("cloudflare", object, "update", "change", `${changes.length} field(s) change.`, { changes })
        : finding("cloudflare", object, "unchanged", "info", "unchanged."),
    ];
  }
  const clash = sameName.find((d) => d["type"] === type || d["type"] === "CNAME" || type === "CNAME");
  if (clash !== undefined)
    return [
      finding(
        "cloudflare",
        object,
        "blocked",
        "blocker",
        `a ${String(clash["type"])} record of that name exists (id ${String(clash["id"])}, content ${String(clash["content"])}): creating it fails.`,
        {
          hint: `import it: adoption.cloudflare.dnsRecords.${exposureOf(r)}: ${String(clash["id"])}`,
        },
      ),
      ...ownership(clash),
    ];
  return [finding("cloudflare", object, "create", "change", "created.")];
}

function tunnelFinding(r: PlannedResource, live: CloudflareState, context: CloudflareContext): Finding {
  const name = String(r.inputs["name"]);
  const object = `tunnel ${name}`;
  const existing = live.tunnels.find((t) => t["name"] === name);
  if (existing === undefined)
    return finding("cloudflare", object, "create", "change", "created (remotely configured).");
  if (existing["remote_config"] === true && !context.adoptionRun)
    return finding(
      "cloudflare",
      object,
      "unchanged",
      "info",
      `exists (id ${String(existing["id"])}, remotely configured): the program's tunnel.`,
    );
  return finding(
    "cloudflare",
    object,
    "blocked",
    "blocker",
    `a tunnel named ${name} exists (id ${String(existing["id"])}, ${existing["remote_config"] === true ? "remotely" : "locally"} configured): the account refuses a second one.`,
    {
      hint: "give the program's tunnel another name (cloudflare.tunnel.name)",
    },
  );
}

export function cloudflareFindings(
  plan: PlannedState,
  live: CloudflareState,
  context: CloudflareContext,
): Finding[] {
  const tunnel = liveTunnel(plan, live);
  const out = plan.cloudflare.flatMap((r) => {
    if (r.type === RECORD) return recordFinding(r, live, tunnel);
    if (r.type === TUNNEL) return [tunnelFinding(r, live, context)];
    return [];
  });
  const plannedName = tunnel?.name;
  for (const t of live.tunnels)
    if (t["name"] !== plannedName && t["remote_config"] !== true)
      out.push(
        finding(
          "cloudflare",
          `tunnel ${String(t["name"])}`,
          "left-behind",
          "info",
          `locally managed tunnel (id ${String(t["id"])}, ${String(t["status"] ?? "unknown")}): it keeps serving what points at it until the records move; delete it and its cloudflared by hand afterwards.`,
        ),
      );
  return out;
}
