import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

/*
 * Loopback stand-ins for the APIs the snapshot reads: the Kubernetes API (discovery and lists), iControl
 * REST and Cloudflare API v4, each on 127.0.0.1, plus a `talosctl` stand-in script. They answer in the
 * upstream formats and count every request, so tests can check what was asked and with which credentials.
 */

type Obj = Record<string, unknown>;

export interface Request {
  method: string;
  url: string;
  authorization?: string;
}

export interface LoopbackServer {
  url: string;
  requests: Request[];
  close(): Promise<void>;
}

export type Handler = (
  req: http.IncomingMessage,
  url: URL,
) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

export async function serve(handler: Handler): Promise<LoopbackServer> {
  const requests: Request[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({
      method: req.method ?? "GET",
      url: `${url.pathname}${url.search}`,
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
    });
    Promise.resolve(handler(req, url)).then(
      ({ status, body }) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      },
      (err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "GatewayClass",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "CiliumLoadBalancerIPPool",
  "CiliumL2AnnouncementPolicy",
]);

/** Groups the kube-apiserver serves itself: their list items omit apiVersion and kind. */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "policy",
  "autoscaling",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
]);

export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("parameters")) return lower;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * A Kubernetes API server over the given objects (apiVersion and kind on each): discovery documents
 * (APIResourceList) per group version and cluster-wide lists whose items, like the API's, carry no kind for
 * built-in groups. Every request must carry the bearer token.
 */
export function kubernetesApi(objects: readonly Obj[], token: string): Handler {
  const byGv = new Map<string, Map<string, Obj[]>>();
  for (const o of objects) {
    const gv = String(o["apiVersion"]);
    const kinds = byGv.get(gv) ?? new Map<string, Obj[]>();
    kinds.set(String(o["kind"]), [...(kinds.get(String(o["kind"])) ?? []), o]);
    byGv.set(gv, kinds);
  }
  return (req, url) => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return { status: 401, body: { kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 } };
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/([^/]+))?$/.exec(url.pathname);
    if (m === null) return { status: 404, body: { kind: "Status", code: 404 } };
    const gv = m[1] ?? `${m[2]}/${m[3]}`;
    const kinds = byGv.get(gv);
    if (kinds === undefined) return { status: 404, body: { kind: "Status", code: 404 } };
    if (m[4] === undefined)
      return {
        status: 200,
        body: {
          kind: "APIResourceList",
          apiVersion: "v1",
          groupVersion: gv,
          resources: [...kinds.keys()].flatMap((kind) => [
            {
              name: pluralOf(kind),
              singularName: kind.toLowerCase(),
              namespaced: !CLUSTER_SCOPED.has(kind),
              kind,
              verbs: ["get", "list"],
            },
            {
              name: `${pluralOf(kind)}/status`,
              singularName: "",
              namespaced: !CLUSTER_SCOPED.has(kind),
              kind,
              verbs: ["get"],
            },
          ]),
        },
      };
    const kind = [...kinds.keys()].find((k) => pluralOf(k) === m[4]);
    if (kind === undefined) return { status: 404, body: { kind: "Status", code: 404 } };
    const builtIn = BUILT_IN_GROUPS.has(gv.includes("/") ? gv.split("/")[0]! : "");
    const items = kinds.get(kind)!.map((o) => {
      if (!builtIn) return o;
      const rest = { ...o };
      delete rest["apiVersion"];
      delete rest["kind"];
      return rest;
    });
    return {
      status: 200,
      body: { kind: `${kind}List`, apiVersion: gv, metadata: { resourceVersion: "4711" }, items },
    };
  };
}

/** A kubeconfig file for a loopback API server with a bearer token. */
export function writeKubeconfig(dir: string, server: string, token: string): string {
  const file = path.join(dir, "kubeconfig");
  fs.writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      // client-node refuses plain HTTP unless TLS verification is off (config.js createAgent).
      "clusters: [{name: loopback, cluster: {server: " + server + ", insecure-skip-tls-verify: true}}]",
      "users: [{name: operator, user: {token: " + token + "}}]",
      "contexts: [{name: loopback, context: {cluster: loopback, user: operator}}]",
      "current-context: loopback",
      "",
    ].join("\n"),
  );
  return file;
}

/** iControl REST over collection answers by path (with query), behind HTTP basic auth. */
export function icontrolApi(collections: Record<string, Obj>, username: string, password: string): Handler {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  return (req, url) => {
    if (req.headers.authorization !== expected)
      return { status: 401, body: { code: 401, message: "Authentication failed." } };
    const answer = collections[`${url.pathname}${url.search}`];
    return answer === undefined
      ? { status: 404, body: { code: 404, message: "not found" } }
      : { status: 200, body: answer };
  };
}

export interface CloudflareAccount {
  zones: Array<{ id: string; name: string }>;
  dnsRecords: Record<string, Obj[]>;
  tunnels: Record<string, Obj[]>;
}

function envelope(result: unknown[], page: number, perPage: number): Obj {
  const slice = result.slice((page - 1) * perPage, page * perPage);
  return {
    success: true,
    errors: [],
    messages: [],
    result: slice,
    result_info: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: result.length,
      total_pages: Math.max(1, Math.ceil(result.length / perPage)),
    },
  };
}

/** Cloudflare API v4 list endpoints (paginated envelopes) behind a bearer token. */
export function cloudflareApi(account: CloudflareAccount, token: string): Handler {
  return (req, url) => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return {
        status: 403,
        body: {
          success: false,
          errors: [{ code: 10000, message: "Authentication error" }],
          messages: [],
          result: null,
        },
      };
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 100);
    if (url.pathname === "/client/v4/zones")
      return {
        status: 200,
        body: envelope(
          account.zones.filter((z) => z.name === url.searchParams.get("name")),
          1,
          50,
        ),
      };
    const records = /^\/client\/v4\/zones\/([^/]+)\/dns_records$/.exec(url.pathname);
    if (records !== null)
      return { status: 200, body: envelope(account.dnsRecords[records[1]!] ?? [], page, perPage) };
    const tunnels = /^\/client\/v4\/accounts\/([^/]+)\/cfd_tunnel$/.exec(url.pathname);
    if (tunnels !== null) {
      const live = (account.tunnels[tunnels[1]!] ?? []).filter(
        (t) => url.searchParams.get("is_deleted") !== "false" || t["deleted_at"] === null,
      );
      return { status: 200, body: envelope(live, page, perPage) };
    }
    return {
      status: 404,
      body: { success: false, errors: [{ code: 7003, message: "No route" }], messages: [], result: null },
    };
  };
}

/**
 * A directory with a `talosctl` stand-in that answers `talosctl -n <address> get <resource> -o yaml` by
 * printing `<outputs>/<address>/<resource>.yaml`, and fails like talosctl for a node it does not know.
 */
export function talosctlStandIn(outputs: string): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "talosctl-"));
  const script = [
    "#!/bin/sh",
    'node=""; resource=""',
    'while [ $# -gt 0 ]; do case "$1" in -n) node="$2"; shift 2;; get) resource="$2"; shift 2;; *) shift;; esac; done',
    `file="${outputs}/$node/$resource.yaml"`,
    'if [ ! -f "$file" ]; then echo "error getting resources: rpc error: code = Unavailable desc = connection error: dial tcp $node:50000: connect: connection refused" >&2; exit 1; fi',
    'cat "$file"',
    "",
  ].join("\n");
  fs.writeFileSync(path.join(bin, "talosctl"), script, { mode: 0o755 });
  return bin;
}
