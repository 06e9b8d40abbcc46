import { isKubernetesObject, manifestOf } from "../../recording/manifests";
import type { RecordedResource, Recording } from "../../recording/runtime";

/*
 * The platform as a plan declares it, read from the recorded objects themselves (not from the config that
 * produced them), so the picture shows what would reach the clusters and the edge: the edge's VIPs and DNS
 * names, the Gateways they reach (by NodePort, tunnel origin or LoadBalancer address), HTTPRoutes and their
 * backends, and the agents with the model and MCP routes they call. A link that does not resolve (a pool
 * member on a NodePort no Service has) is shown as such instead of being guessed.
 */

type Json = Record<string, unknown>;

/** The platform layer of a resource: the layer token of its outermost `platform:<layer>:<Type>` component. */
export function layerOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string {
  let layer = resource.type.startsWith("platform:") ? resource.type.split(":")[1]! : "stack";
  for (let p = byUrn.get(resource.parent); p !== undefined; p = byUrn.get(p.parent))
    if (p.type.startsWith("platform:")) layer = p.type.split(":")[1]!;
  return layer;
}

export interface GatewayNode {
  name: string;
  namespace: string;
  layer: string;
  listeners: Array<{ name: string; port: number; protocol: string }>;
  service: { type: string; nodePorts: Record<number, number>; address?: string };
}

export interface RouteNode {
  name: string;
  namespace: string;
  layer: string;
  gateways: string[];
  paths: string[];
  backends: string[];
}

export interface BackendNode {
  name: string;
  layer: string;
  /** What the backend reaches: `LLM openai gpt-4o`, `MCP service mcp-slack`, `static host:port`. */
  describes: string[];
}

export interface AgentNode {
  name: string;
  layer: string;
  /** The model URL (from its ModelConfig) and the MCP server URLs it calls. */
  calls: Array<{ kind: "model" | "tool" | "agent"; name: string; url?: string }>;
}

export interface ExposureRow {
  hostname: string;
  address: string;
  via: string;
  gateway: string;
  nodePort: string;
  backend: string;
}

export interface PlatformGraph {
  gateways: GatewayNode[];
  routes: RouteNode[];
  backends: BackendNode[];
  agents: AgentNode[];
  exposures: ExposureRow[];
}

const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : String(v));
const obj = (v: unknown): Json =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function backendDescription(spec: Json): string[] {
  const ai = obj(spec["ai"]);
  const describeProvider = (p: Json) => {
    const kind = Object.keys(p).find((k) => !["name", "policies", "host", "port", "path"].includes(k));
    const model = kind === undefined ? "" : text(obj(p[kind])["model"]);
    return `LLM ${kind ?? "?"}${model ? ` ${model}` : ""}${p["host"] ? ` at ${text(p["host"])}` : ""}`;
  };
  if (ai["provider"] !== undefined) return [describeProvider(obj(ai["provider"]))];
  if (ai["groups"] !== undefined)
    return list(ai["groups"]).flatMap((g, i) =>
      list(obj(g)["providers"]).map((p) => `priority ${i + 1}: ${describeProvider(obj(p))}`),
    );
  const mcp = obj(spec["mcp"]);
  if (mcp["targets"] !== undefined)
    return list(mcp["targets"]).map((t) => {
      const target = obj(t);
      const services = obj(obj(obj(target["selector"])["services"])["matchLabels"]);
      const stat = obj(target["static"]);
      if (stat["host"] !== undefined)
        return `MCP ${text(stat["host"])}:${text(stat["port"])}${text(stat["path"])}`;
      const name = text(services["app.kubernetes.io/name"] ?? services["app.kubernetes.io/instance"]);
      return `MCP service ${name || JSON.stringify(services)}`;
    });
  const stat = obj(spec["static"]);
  if (stat["host"] !== undefined) return [`static ${text(stat["host"])}:${text(stat["port"])}`];
  return ["(unrecognised backend)"];
}

/** `http://<gateway>.<namespace>.svc.cluster.local:<port><path>` -> its parts, else undefined. */
export function gatewayUrl(
  url: string,
): { gateway: string; namespace: string; port: number; path: string } | undefined {
  const m = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?(\/[^?#]*)?/.exec(
    url,
  );
  if (m === null) return undefined;
  return {
    gateway: m[1]!,
    namespace: m[2]!,
    port: Number(m[3] ?? (url.startsWith("https") ? 443 : 80)),
    path: m[4] ?? "/",
  };
}

/** The platform graph of a recording. */
export function platformGraph(recording: Recording): PlatformGraph {
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const objects = recording.resources
    .filter(isKubernetesObject)
    .map((r) => ({ m: manifestOf(r), layer: layerOf(r, byUrn) }));
  const ofKind = (kind: string) => objects.filter((o) => o.m["kind"] === kind);
  const meta = (m: Json) => obj(m["metadata"]);
  const params = new Map(
    ofKind("AgentgatewayParameters").map((o) => [text(meta(o.m)["name"]), obj(o.m["spec"])]),
  );

  const gateways: GatewayNode[] = ofKind("Gateway").map(({ m, layer }) => {
    const spec = obj(m["spec"]);
    const ref = obj(obj(spec["infrastructure"])["parametersRef"]);
    const service = obj(obj(params.get(text(ref["name"])) ?? {})["service"]);
    const serviceSpec = obj(service["spec"]);
    const nodePorts: Record<number, number> = {};
    for (const p of list(serviceSpec["ports"]).map(obj))
      if (typeof p["nodePort"] === "number") nodePorts[Number(p["port"])] = p["nodePort"];
    const annotations = obj(obj(service["metadata"])["annotations"]);
    const address = text(annotations["lbipam.cilium.io/ips"] ?? serviceSpec["loadBalancerIP"]) || undefined;
    return {
      name: text(meta(m)["name"]),
      namespace: text(meta(m)["namespace"]),
      layer,
      listeners: list(spec["listeners"]).map((l) => ({
        name: text(obj(l)["name"]),
        port: Number(obj(l)["port"]),
        protocol: text(obj(l)["protocol"]),
      })),
      service: { type: text(serviceSpec["type"]) || "ClusterIP", nodePorts, ...(address ? { address } : {}) },
    };
  });

  const routes: RouteNode[] = ofKind("HTTPRoute").map(({ m, layer }) => {
    const spec = obj(m["spec"]);
    const rules = list(spec["rules"]).map(obj);
    return {
      name: text(meta(m)["name"]),
      namespace: text(meta(m)["namespace"]),
      layer,
      gateways: list(spec["parentRefs"]).map((p) => text(obj(p)["name"])),
      paths: rules.flatMap((r) => list(r["matches"]).map((x) => text(obj(obj(x)["path"])["value"]) || "/")),
      backends: rules.flatMap((r) => list(r["backendRefs"]).map((b) => text(obj(b)["name"]))),
    };
  });

  const backends: BackendNode[] = ofKind("AgentgatewayBackend").map(({ m, layer }) => ({
    name: text(meta(m)["name"]),
    layer,
    describes: backendDescription(obj(m["spec"])),
  }));

  const modelUrls = new Map(
    ofKind("ModelConfig").map(({ m }) => {
      const spec = obj(m["spec"]);
      const provider = Object.values(spec)
        .map(obj)
        .find((v) => typeof v["baseUrl"] === "string");
      return [text(meta(m)["name"]), provider === undefined ? undefined : text(provider["baseUrl"])];
    }),
  );
  const mcpUrls = new Map(
    ofKind("RemoteMCPServer").map(({ m }) => [
      text(meta(m)["name"]),
      text(obj(m["spec"])["url"]) || undefined,
    ]),
  );
  const agents: AgentNode[] = ofKind("Agent").map(({ m, layer }) => {
    const declarative = obj(obj(m["spec"])["declarative"]);
    const model = text(declarative["modelConfig"]);
    const calls: AgentNode["calls"] = model
      ? [{ kind: "model", name: model, url: modelUrls.get(model) }]
      : [];
    for (const t of list(declarative["tools"]).map(obj)) {
      const server = obj(t["mcpServer"]);
      const agent = obj(t["agent"]);
      if (server["name"] !== undefined)
        calls.push({ kind: "tool", name: text(server["name"]), url: mcpUrls.get(text(server["name"])) });
      else if (agent["name"] !== undefined) calls.push({ kind: "agent", name: text(agent["name"]) });
    }
    return { name: text(meta(m)["name"]), layer, calls };
  });

  return { gateways, routes, backends, agents, exposures: exposureRows(recording, gateways) };
}

function exposureRows(recording: Recording, gateways: GatewayNode[]): ExposureRow[] {
  const inputsOf = (type: string) => recording.resources.filter((r) => r.type === type).map((r) => r.inputs);
  const vipHostnames = new Map(
    list(recording.outputs["vipTable"]).map((row) => [text(obj(row)["vip"]), text(obj(row)["hostname"])]),
  );
  const byNodePort = new Map<number, GatewayNode>();
  for (const g of gateways) for (const np of Object.values(g.service.nodePorts)) byNodePort.set(np, g);
  const rows: ExposureRow[] = [];
  const attachments = inputsOf("f5bigip:ltm/poolAttachment:PoolAttachment");
  for (const vs of inputsOf("f5bigip:ltm/virtualServer:VirtualServer")) {
    const vip = `${text(vs["destination"])}:${text(vs["port"])}`;
    const ports = [
      ...new Set(
        attachments
          .filter((a) => a["pool"] === vs["pool"])
          .map((a) => Number(/:(\d+)$/.exec(text(a["node"]))?.[1] ?? NaN)),
      ),
    ];
    const gateway = ports.length === 1 ? byNodePort.get(ports[0]!) : undefined;
    rows.push({
      hostname: vipHostnames.get(vip) || "—",
      address: vip,
      via: "BIG-IP",
      gateway:
        gateway?.name ??
        (ports.length === 0 ? "no pool members" : `no Service on NodePort ${ports.join(", ")}`),
      nodePort: ports.join(", ") || "—",
      backend: gateway ? `${gateway.namespace}/${gateway.name}` : "—",
    });
  }
  const ingress = inputsOf(
    "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
  ).flatMap((c) => list(obj(c["config"])["ingresses"]).map(obj));
  for (const record of inputsOf("cloudflare:index/dnsRecord:DnsRecord")) {
    const name = text(record["name"]);
    const content = text(record["content"]);
    if (content.endsWith(".cfargotunnel.com")) {
      const origin = text(ingress.find((i) => i["hostname"] === name)?.["service"]);
      const target = gatewayUrl(origin);
      rows.push({
        hostname: name,
        address: `${text(record["type"])} ${content}`,
        via: "Cloudflare tunnel",
        gateway: target?.gateway ?? (origin ? `origin ${origin}` : "no tunnel ingress rule"),
        nodePort: "—",
        backend: target ? `${target.namespace}/${target.gateway}:${target.port}` : "—",
      });
    } else {
      const gateway = gateways.find((g) => g.service.address === content);
      rows.push({
        hostname: name,
        address: `${text(record["type"])} ${content}`,
        via: gateway ? "Cloudflare DNS → LoadBalancer" : "Cloudflare DNS",
        gateway: gateway?.name ?? "—",
        nodePort: "—",
        backend: gateway ? `${gateway.namespace}/${gateway.name}` : "—",
      });
    }
  }
  for (const g of gateways.filter((x) => x.service.type === "LoadBalancer"))
    rows.push({
      hostname: "—",
      address: `${g.service.address ?? "(pool address)"}:${g.listeners.map((l) => l.port).join(",")}`,
      via: "LoadBalancer",
      gateway: g.name,
      nodePort: "—",
      backend: `${g.namespace}/${g.name}`,
    });
  return rows;
}
