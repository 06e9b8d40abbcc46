import type { PlannedResource, PlannedState } from "../plan";
import { FieldChange, Finding, finding } from "./findings";
import type { BigipState } from "./liveState";

/*
 * BIG-IP objects against the LTM configuration (iControl REST collections). Names are unique per partition,
 * BIG-IP refuses a second node on an address a node holds and a second virtual server on a destination:port
 * (F5Networks/terraform-provider-bigip#260, #317), an imported pool attachment must find its member in the
 * pool (bigip/resource_bigip_ltm_pool_attachment.go reads it back), and the fields the provider schema marks
 * `willReplaceOnChanges` (f5bigip 3.24.0: node name/address, pool name, monitor name/parent, attachment
 * pool/node/fqdnAutopopulate, virtual server name) replace the object, which an import must not do
 * (pulumi/pulumi@v3.248.0 pkg/resource/deploy/step_generator.go).
 */

type Obj = Record<string, unknown>;

const TYPE = {
  node: "f5bigip:ltm/node:Node",
  pool: "f5bigip:ltm/pool:Pool",
  monitor: "f5bigip:ltm/monitor:Monitor",
  attachment: "f5bigip:ltm/poolAttachment:PoolAttachment",
  virtual: "f5bigip:ltm/virtualServer:VirtualServer",
} as const;

/** Fields whose change replaces the object (provider schema `willReplaceOnChanges`). */
export const REPLACING_FIELDS: Record<string, string[]> = {
  [TYPE.node]: ["address", "name"],
  [TYPE.pool]: ["name"],
  [TYPE.monitor]: ["name", "parent"],
  [TYPE.attachment]: ["fqdnAutopopulate", "node", "pool"],
  [TYPE.virtual]: ["name"],
};

/** `/Common/172.16.20.120:8080` (or with a route domain `%0`) -> `172.16.20.120:8080`. */
export function destinationOf(destination: unknown): string {
  return String(destination ?? "")
    .replace(/^\/[^/]+\//, "")
    .replace(/%\d+(?=[:.]\d+$)/, "");
}

/** Monitor names of a pool's `monitor` rule (`/Common/a and /Common/b`, `min 1 of { /Common/a /Common/b }`). */
export function monitorNames(rule: unknown): string[] {
  return [...String(rule ?? "").matchAll(/\/[^\s{}]+/g)].map((m) => m[0]).sort();
}

const s = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** The fields the program sets, each as the live object shows it. */
function compared(type: string, inputs: Obj, live: Obj): FieldChange[] {
  const pairs: Array<[string, unknown, unknown]> = [];
  const add = (path: string, planned: unknown, value: unknown) => {
    if (planned !== undefined && planned !== null) pairs.push([path, planned, value]);
  };
  add("description", inputs["description"], live["description"]);
  if (type === TYPE.node) add("address", inputs["address"], live["address"]);
  if (type === TYPE.pool) {
    add("loadBalancingMode", inputs["loadBalancingMode"], live["loadBalancingMode"]);
    add("allowSnat", inputs["allowSnat"], live["allowSnat"]);
    add("allowNat", inputs["allowNat"], live["allowNat"]);
    if (Array.isArray(inputs["monitors"]))
      add(
        "monitors",
        [...(inputs["monitors"] as string[])].sort().join(" "),
        monitorNames(live["monitor"]).join(" "),
      );
  }
  if (type === TYPE.monitor) {
    add("parent", inputs["parent"], live["defaultsFrom"]);
    add("interval", inputs["interval"], live["interval"]);
    add("timeout", inputs["timeout"], live["timeout"]);
  }
  if (type === TYPE.virtual) {
    add(
      "destination",
      `${s(inputs["destination"])}:${s(inputs["port"])}`,
      destinationOf(live["destination"]),
    );
    add("pool", inputs["pool"], live["pool"]);
    add("ipProtocol", inputs["ipProtocol"], live["ipProtocol"]);
    add("mask", inputs["mask"], live["mask"]);
    const snat = (inputs["sourceAddressTranslation"] as string | undefined) ?? undefined;
    add("sourceAddressTranslation", snat, ((live["sourceAddressTranslation"] ?? {}) as Obj)["type"]);
  }
  return pairs
    .filter(([, planned, value]) => s(planned) !== s(value))
    .map(([path, planned, value]) => ({ path, ...(value !== undefined ? { live: value } : {}), planned }));
}

function label(type: string, name: string): string {
  const kind = {
    [TYPE.node]: "node",
    [TYPE.pool]: "pool",
    [TYPE.monitor]: "monitor",
    [TYPE.attachment]: "pool member",
    [TYPE.virtual]: "virtual server",
  }[type];
  return `BIG-IP ${kind} ${name}`;
}

function destinationOfInputs(r: PlannedResource): string {
  return `${String(r.inputs["destination"])}:${String(r.inputs["port"])}`;
}

/** The live virtual server on a planned virtual server's destination:port. */
function holderOf(r: PlannedResource, live: BigipState): Obj | undefined {
  return live.virtuals.find((v) => destinationOf(v["destination"]) === destinationOfInputs(r));
}

/**
 * The members the program's pool of a virtual server expects (`<node address>:<port>`) that the live pool
 * behind the same destination lacks: once that pool is mapped, their attachments are imported and fail.
 */
function missingMembers(
  r: PlannedResource,
  holder: Obj,
  plan: readonly PlannedResource[],
  live: BigipState,
): string[] {
  const livePool = live.pools.find((p) => p["fullPath"] === holder["pool"]);
  if (livePool === undefined) return [];
  const members = new Set(
    ((((livePool["membersReference"] ?? {}) as Obj)["items"] ?? []) as Obj[]).map((m) => String(m["name"])),
  );
  const addressOf = new Map(
    plan
      .filter((p) => p.type === TYPE.node)
      .map((n) => [String(n.inputs["name"]), String(n.inputs["address"])]),
  );
  return plan
    .filter((a) => a.type === TYPE.attachment && a.inputs["pool"] === r.inputs["pool"])
    .map((a) => {
      const member = String(a.inputs["node"]);
      const at = member.lastIndexOf(":");
      const node = member.slice(0, at);
      return {
        node,
        name: `${addressOf.get(node) ?? node.replace(/^\/[^/]+\//, "")}:${member.slice(at + 1)}`,
      };
    })
    .filter((m) => !members.has(m.name))
    .map((m) => `${m.name} (node ${m.node})`);
}

function namedFinding(r: PlannedResource, live: BigipState, plan: readonly PlannedResource[]): Finding {
  const name = String(r.inputs["name"]);
  const object = label(r.type, name);
  const pool =
    r.type === TYPE.pool
      ? live.pools
      : r.type === TYPE.node
        ? live.nodes
        : r.type === TYPE.monitor
          ? live.monitors
          : live.virtuals;
  const existing = pool.find((o) => o["fullPath"] === name);
  if (r.importId !== "") {
    const mapped = pool.find((o) => o["fullPath"] === r.importId);
    if (mapped === undefined)
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `is mapped to ${r.importId}, which does not exist: the import fails.`,
        { hint: "correct the mapping in adoption.bigip from the live configuration" },
      );
    if (r.type === TYPE.virtual) {
      const holder = holderOf(r, live);
      if (holder !== undefined && holder["fullPath"] !== r.importId)
        return finding(
          "bigip",
          object,
          "blocked",
          "blocker",
          `is mapped to ${r.importId}, but ${String(holder["fullPath"])} serves ${destinationOfInputs(r)}: BIG-IP refuses a second virtual server on that destination.`,
          { hint: "map the virtual server that serves the VIP" },
        );
    }
    const changes = compared(r.type, r.inputs, mapped);
    const replacing = changes.filter((c) => REPLACING_FIELDS[r.type]!.includes(c.path));
    if (replacing.length > 0)
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `${replacing.map((c) => c.path).join(", ")} differ from ${r.importId}: the change replaces an imported object, which the engine refuses.`,
        { changes, hint: "map it to the object that matches, or keep the live value" },
      );
    if (
      r.type === TYPE.monitor &&
      mapped["type"] !== String(r.inputs["parent"] ?? "").replace(/^\/[^/]+\//, "")
    )
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `${r.importId} is a ${String(mapped["type"])} monitor; the program's is ${String(r.inputs["parent"])}.`,
        { hint: "map a monitor of the same type" },
      );
    return changes.length > 0
      ? finding(
          "bigip",
          object,
          "take-over-with-changes",
          "change",
          `imported from ${r.importId}; ${changes.length} field(s) change.`,
          { changes },
        )
      : finding("bigip", object, "take-over", "change", `imported from ${r.importId} as it is.`);
  }
  if (existing !== undefined) {
    // An object under the program's own name (cluster- and exposure-derived) is the one an earlier run made.
    const changes = compared(r.type, r.inputs, existing);
    return changes.length > 0
      ? finding("bigip", object, "update", "change", `${changes.length} field(s) change.`, { changes })
      : finding("bigip", object, "unchanged", "info", "unchanged.");
  }
  if (r.type === TYPE.node) {
    const holder = live.nodes.find((n) => n["address"] === r.inputs["address"]);
    if (holder !== undefined)
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `node ${String(holder["fullPath"])} holds ${String(r.inputs["address"])}: BIG-IP refuses a second node on that address.`,
        { hint: `map it: adoption.bigip.nodes.<node>: ${String(holder["fullPath"])}` },
      );
  }
  if (r.type === TYPE.virtual) {
    const destination = destinationOfInputs(r);
    const holder = holderOf(r, live);
    if (holder !== undefined) {
      const missing = missingMembers(r, holder, plan, live);
      const lacking =
        missing.length > 0
          ? ` Mapped as it is, importing its members fails: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in ${String(holder["pool"])}.`
          : "";
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `VIP ${destination} is served by ${String(holder["fullPath"])} (pool ${String(holder["pool"] ?? "none")}), which the stack does not map: BIG-IP refuses a second virtual server on that destination.${lacking}`,
        {
          hint: `map it: adoption.bigip.vips.<exposure>-<port>: { pool: ${String(holder["pool"] ?? "<pool>")}, virtualServer: ${String(holder["fullPath"])} }`,
        },
      );
    }
  }
  return finding("bigip", object, "create", "change", "created.");
}

function attachmentFinding(r: PlannedResource, live: BigipState, plan: readonly PlannedResource[]): Finding {
  const poolName = String(r.inputs["pool"]);
  const member = String(r.inputs["node"]);
  const memberName = member.replace(/^\/[^/]+\//, "");
  const object = label(r.type, `${member} in ${poolName}`);
  const pool = live.pools.find((p) => p["fullPath"] === poolName);
  const members = ((((pool?.["membersReference"] ?? {}) as Obj)["items"] ?? []) as Obj[]).map((m) =>
    String(m["name"]),
  );
  const present = members.includes(memberName);
  // In a pool this run imports, a member it adds must not exist yet; in the program's own pool it is its own.
  const poolImported = plan.some(
    (p) => p.type === TYPE.pool && p.inputs["name"] === poolName && p.importId !== "",
  );
  if (r.importId !== "") {
    if (pool === undefined)
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `is imported, but pool ${poolName} does not exist.`,
        { hint: "correct adoption.bigip.vips" },
      );
    if (!present)
      return finding(
        "bigip",
        object,
        "blocked",
        "blocker",
        `is imported, but ${memberName} is not a member of ${poolName} (members: ${members.join(", ") || "none"}): the import fails.`,
        {
          hint: `add the member on the BIG-IP before the run (tmsh modify ltm pool ${poolName} members add { ${memberName} }) so that the import finds it`,
        },
      );
    return finding("bigip", object, "take-over", "change", "imported as it is.");
  }
  if (present && poolImported)
    return finding(
      "bigip",
      object,
      "blocked",
      "blocker",
      `${memberName} is a member of ${poolName} already: adding it again fails.`,
      { hint: "map the node in adoption.bigip so that the member is imported" },
    );
  if (present) return finding("bigip", object, "unchanged", "info", "unchanged.");
  return finding("bigip", object, "create", "change", "created.");
}

export function bigipFindings(plan: PlannedState, live: BigipState): Finding[] {
  return plan.bigip
    .filter((r) => Object.values(TYPE).includes(r.type as (typeof TYPE)[keyof typeof TYPE]))
    .map((r) =>
      r.type === TYPE.attachment ? attachmentFinding(r, live, plan.bigip) : namedFinding(r, live, plan.bigip),
    );
}
