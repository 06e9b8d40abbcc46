import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { kubectlList, redactLiveObject } from "../../live/kubernetes";
import type { PlannedObject, PlannedState } from "../../live/plan";
import { MANIFEST_FILE, SnapshotManifest } from "../../live/snapshot";
import type { TalosNodeRef } from "../../live/talos";
import { helmReleaseSecret } from "./liveState";
import { pluralOf } from "./liveServers";

/*
 * The clean control: the live state a stack leaves behind once `pulumi up` applied its plan, written as a
 * snapshot. Every object is the planned one as the program's field manager applied it; Helm releases carry the
 * program's values at the pinned version; BIG-IP and Cloudflare objects are the program's; the Talos nodes run
 * the declared version. A preflight against it has nothing to do.
 */

type Obj = Record<string, unknown>;

const TUNNEL_ID = "0c3b9a2e-7d41-4e58-9f06-13b5a7c2d8e4";

/** FieldsV1 of every field of a value, named list items by name. */
function fieldsOf(value: unknown): Obj {
  if (Array.isArray(value)) {
    if (
      value.length === 0 ||
      !value.every((i) => i !== null && typeof i === "object" && typeof (i as Obj)["name"] === "string")
    )
      return {};
    return Object.fromEntries(
      value.map((i) => [`k:${JSON.stringify({ name: (i as Obj)["name"] })}`, { ".": {}, ...fieldsOf(i) }]),
    );
  }
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [`f:${k}`, fieldsOf(v)]));
  return {};
}

/** Planned values stand in for themselves; secrets the program reads from 1Password are some value. */
function liveValues(value: unknown): unknown {
  if (value === "[secret]") return "from-1password";
  if (Array.isArray(value)) return value.map(liveValues);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [k, liveValues(v)]));
  return value;
}

function applied(p: PlannedObject): Obj {
  const manifest = liveValues(p.manifest) as Obj;
  const { apiVersion: _a, kind: _k, ...fields } = manifest;
  void _a;
  void _k;
  const live: Obj = { ...manifest };
  if (p.group === "" && p.kind === "Secret") {
    const data = { ...((manifest["data"] ?? {}) as Obj) };
    for (const [k, v] of Object.entries((manifest["stringData"] ?? {}) as Obj))
      data[k] = Buffer.from(String(v)).toString("base64");
    delete live["stringData"];
    live["data"] = data;
  }
  const meta = (manifest["metadata"] ?? {}) as Obj;
  live["metadata"] = {
    ...meta,
    uid: `uid-${p.urn.length}-${String(meta["name"])}`,
    resourceVersion: "4711",
    managedFields: [
      {
        manager: "pulumi-kubernetes-7f3a9c1e",
        operation: "Apply",
        apiVersion: manifest["apiVersion"],
        fieldsType: "FieldsV1",
        fieldsV1: fieldsOf(fields),
      },
    ],
  };
  return live;
}

function kubernetesObjects(plan: PlannedState): Obj[] {
  const objects = plan.objects.map(applied);
  for (const chart of plan.charts.filter((c) => c.form === "release")) {
    objects.push(
      helmReleaseSecret({
        name: chart.release,
        namespace: chart.namespace,
        version: 1,
        info: { status: "deployed" },
        chart: { metadata: { name: chart.chart, version: chart.version ?? "" } },
        config: liveValues(chart.values),
      }),
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: {
          name: chart.release,
          namespace: chart.namespace,
          annotations: {
            "meta.helm.sh/release-name": chart.release,
            "meta.helm.sh/release-namespace": chart.namespace,
          },
          managedFields: [
            {
              manager: "pulumi-resource-kubernetes",
              operation: "Update",
              fieldsType: "FieldsV1",
              fieldsV1: {},
            },
          ],
        },
      },
    );
  }
  if (plan.charts.some((c) => /(^|\/)agentgateway$/.test(c.chart)))
    objects.push({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "agentgateway" },
      spec: { controllerName: "agentgateway.dev/agentgateway" },
    });
  return objects.map(redactLiveObject);
}

function bigip(plan: PlannedState): Record<string, Obj> {
  const of = (type: string) => plan.bigip.filter((r) => r.type === type).map((r) => r.inputs);
  const full = (name: unknown) => ({
    name: String(name).replace(/^\/[^/]+\//, ""),
    partition: "Common",
    fullPath: String(name),
  });
  const attachments = of("f5bigip:ltm/poolAttachment:PoolAttachment");
  const address = new Map(of("f5bigip:ltm/node:Node").map((n) => [String(n["name"]), String(n["address"])]));
  return {
    "ltm-node": {
      items: of("f5bigip:ltm/node:Node").map((n) => ({
        ...full(n["name"]),
        address: n["address"],
        description: n["description"],
      })),
    },
    "ltm-pool": {
      items: of("f5bigip:ltm/pool:Pool").map((p) => ({
        ...full(p["name"]),
        description: p["description"],
        loadBalancingMode: p["loadBalancingMode"],
        allowNat: p["allowNat"],
        allowSnat: p["allowSnat"],
        monitor: `${((p["monitors"] ?? []) as string[]).join(" and ")} `,
        membersReference: {
          isSubcollection: true,
          items: attachments
            .filter((a) => a["pool"] === p["name"])
            .map((a) => String(a["node"]))
            .map((m) => ({
              name: m.replace(/^\/[^/]+\//, ""),
              address: address.get(m.slice(0, m.lastIndexOf(":"))),
            })),
        },
      })),
    },
    "ltm-virtual": {
      items: of("f5bigip:ltm/virtualServer:VirtualServer").map((v) => ({
        ...full(v["name"]),
        description: v["description"],
        destination: `/Common/${String(v["destination"])}:${String(v["port"])}`,
        pool: v["pool"],
        ipProtocol: v["ipProtocol"],
        mask: v["mask"],
        sourceAddressTranslation: { type: v["sourceAddressTranslation"] },
      })),
    },
    "ltm-monitor-tcp": {
      items: of("f5bigip:ltm/monitor:Monitor").map((m) => ({
        ...full(m["name"]),
        defaultsFrom: m["parent"],
        interval: m["interval"],
        timeout: m["timeout"],
      })),
    },
    "ltm-monitor-http": { items: [] },
  };
}

function cloudflare(plan: PlannedState): Record<string, Obj> {
  const tunnel = plan.cloudflare.find((r) => r.type.endsWith(":ZeroTrustTunnelCloudflared"));
  const placeholder =
    tunnel === undefined ? undefined : `${tunnel.urn.slice(tunnel.urn.lastIndexOf("::") + 2)}-id`;
  const records = plan.cloudflare
    .filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord")
    .map((r, i) => ({
      id: `${i}`.padStart(32, "a"),
      name: r.inputs["name"],
      type: r.inputs["type"],
      content:
        placeholder === undefined
          ? r.inputs["content"]
          : String(r.inputs["content"]).replace(placeholder, TUNNEL_ID),
      proxied: r.inputs["proxied"],
      ttl: r.inputs["ttl"],
      comment: r.inputs["comment"],
    }));
  const envelope = (result: unknown[]) => ({
    success: true,
    errors: [],
    messages: [],
    result,
    result_info: {
      page: 1,
      per_page: result.length,
      count: result.length,
      total_count: result.length,
      total_pages: 1,
    },
  });
  return {
    dns_records: envelope(records),
    tunnels: envelope(
      tunnel === undefined
        ? []
        : [
            {
              id: TUNNEL_ID,
              name: tunnel.inputs["name"],
              remote_config: true,
              config_src: "cloudflare",
              status: "healthy",
              deleted_at: null,
            },
          ],
    ),
  };
}

function write(dir: string, file: string, text: string): string {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
  return file;
}

/** Writes the clean control of a plan as a snapshot directory. */
export function writeCleanControl(
  plan: PlannedState,
  talosNodes: readonly TalosNodeRef[],
  dir: string,
): void {
  const objects = kubernetesObjects(plan);
  const kinds = [
    ...new Map(objects.map((o) => [`${String(o["apiVersion"])} ${String(o["kind"])}`, o])).values(),
  ].map((o) => ({ apiVersion: String(o["apiVersion"]), kind: String(o["kind"]) }));
  const files = kinds.map((k) => {
    const group = k.apiVersion.includes("/") ? k.apiVersion.split("/")[0] : "";
    const file = `kubernetes/${pluralOf(k.kind)}${group === "" ? "" : `.${group}`}.json`;
    return write(
      dir,
      file,
      JSON.stringify(
        kubectlList(objects.filter((o) => o["apiVersion"] === k.apiVersion && o["kind"] === k.kind)),
        null,
        4,
      ),
    );
  });
  const sources: SnapshotManifest["sources"] = { kubernetes: { status: "ok", files, seconds: 0 } };
  for (const node of talosNodes) {
    const doc = (spec: unknown) => `node: ${node.address}\n${stringify({ metadata: { id: "x" }, spec })}`;
    sources[`talos/${node.name}`] = {
      status: "ok",
      seconds: 0,
      files: [
        write(dir, `talos/${node.name}/machineconfig.yaml`, doc("version: v1alpha1\n")),
        write(dir, `talos/${node.name}/version.yaml`, doc({ version: "v1.13.9" })),
        write(dir, `talos/${node.name}/extensions.yaml`, doc({ metadata: { name: "iscsi-tools" } })),
      ],
    };
  }
  if (plan.bigip.length > 0)
    sources["bigip"] = {
      status: "ok",
      seconds: 0,
      files: Object.entries(bigip(plan)).map(([f, v]) => write(dir, `bigip/${f}.json`, JSON.stringify(v))),
    };
  if (plan.cloudflare.length > 0)
    sources["cloudflare"] = {
      status: "ok",
      seconds: 0,
      files: Object.entries(cloudflare(plan)).map(([f, v]) =>
        write(dir, `cloudflare/${f}.json`, JSON.stringify(v)),
      ),
    };
  const manifest: SnapshotManifest = {
    stack: plan.stack,
    takenAt: "2026-12-07T00:00:00.000Z",
    sources,
    kubernetes: {
      namespaces: plan.namespaces,
      kinds: kinds.map((k, i) => ({ ...k, served: true, file: files[i]! })),
    },
  };
  write(dir, MANIFEST_FILE, JSON.stringify(manifest));
}
