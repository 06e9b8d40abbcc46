import type * as https from "https";
import type { KubeConfig } from "@kubernetes/client-node";
import { getJson, GetOptions, HttpError } from "./http";
import { isHelmReleaseSecret, redactHelmReleaseSecret } from "./helmRelease";
import { redactKubernetesObject } from "./redact";

/*
 * Kubernetes reader: one discovery GET per API group version and one cluster-wide list GET per kind, with
 * the credentials of the operator's kubeconfig (@kubernetes/client-node resolves tokens, client certificates
 * and exec plugins). Lists are kept as the API returns them, not deserialized into client models, so that
 * every field (status, managedFields) survives, and are written as `kubectl get <kind> -A -o json
 * --show-managed-fields` prints them: a `v1` `List` whose items carry apiVersion and kind
 * (kubernetes/kubectl@v0.36.3 pkg/cmd/get/get.go, the `corev1.List` built for the printer).
 */

type Obj = Record<string, unknown>;

/** A kind by API group (`""` for core), version and kind. */
export interface KindRef {
  group: string;
  version: string;
  kind: string;
}

export function apiVersionOf(kind: Pick<KindRef, "group" | "version">): string {
  return kind.group === "" ? kind.version : `${kind.group}/${kind.version}`;
}

export function kindKey(kind: Pick<KindRef, "group" | "kind">): string {
  return kind.group === "" ? kind.kind : `${kind.kind}.${kind.group}`;
}

/** What one kind's list call found. */
export interface KindListing {
  kind: KindRef;
  /** False when the cluster does not serve the kind (its CRD is not installed). */
  served: boolean;
  /** The resource (plural) name, as `kubectl get <resource>.<group>` takes it. */
  resource?: string;
  namespaced?: boolean;
  items: Obj[];
}

export interface KubernetesReadOptions {
  /** Keeps an item (e.g. only namespaces the plan touches); all items by default. */
  keep?: (item: Obj, kind: KindRef, namespaced: boolean) => boolean;
  /** Redaction applied to every item; by default Secret values and credential-like values are hashed. */
  redact?: (item: Obj) => Obj;
}

/** The standard redaction of a live object: Helm release Secrets stay decodable, other secrets hashed. */
export function redactLiveObject(item: Obj): Obj {
  return isHelmReleaseSecret(item) ? redactHelmReleaseSecret(item) : redactKubernetesObject(item);
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** The API server URL and the kubeconfig's credentials as GET options, for reads of other API paths. */
export async function kubernetesRequestOptions(
  kc: KubeConfig,
): Promise<{ server: string; options: GetOptions }> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig has no current cluster");
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers = Object.fromEntries(
    Object.entries(opts.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]),
  );
  if (opts.auth) headers["Authorization"] = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
  return {
    server: cluster.server.replace(/\/+$/, ""),
    options: { headers, agent: opts.agent as GetOptions["agent"] },
  };
}

function groupVersionPath(kind: Pick<KindRef, "group" | "version">): string {
  return kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

/** The resources a group version serves, or undefined when the cluster does not serve it. */
async function discover(server: string, options: GetOptions, gv: string): Promise<ApiResource[] | undefined> {
  try {
    const list = (await getJson(`${server}${gv}`, options)) as { resources?: ApiResource[] };
    return (list.resources ?? []).filter((r) => !r.name.includes("/"));
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * Lists every given kind across all namespaces. A kind the cluster does not serve is reported with
 * `served: false`; any other failure rejects (the caller records the source as failed).
 */
export async function readKubernetes(
  kc: KubeConfig,
  kinds: readonly KindRef[],
  options: KubernetesReadOptions = {},
): Promise<KindListing[]> {
  const { server, options: get } = await kubernetesRequestOptions(kc);
  const redact = options.redact ?? redactLiveObject;
  const groupVersions = [...new Set(kinds.map(groupVersionPath))];
  const discovered = new Map(
    await Promise.all(groupVersions.map(async (gv) => [gv, await discover(server, get, gv)] as const)),
  );
  return Promise.all(
    kinds.map(async (kind): Promise<KindListing> => {
      const gv = groupVersionPath(kind);
      const resource = discovered.get(gv)?.find((r) => r.kind === kind.kind);
      if (resource === undefined) return { kind, served: false, items: [] };
      const list = (await getJson(`${server}${gv}/${resource.name}`, get)) as { items?: Obj[] };
      const items = (list.items ?? [])
        .map((item) => ({ apiVersion: apiVersionOf(kind), kind: kind.kind, ...item }))
        .filter((item) => options.keep?.(item, kind, resource.namespaced) ?? true)
        .map(redact);
      return { kind, served: true, resource: resource.name, namespaced: resource.namespaced, items };
    }),
  );
}

/** A listing as `kubectl get -o json` prints a list: a `v1` `List`. */
export function kubectlList(items: readonly Obj[]): Obj {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}
