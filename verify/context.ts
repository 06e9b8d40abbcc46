import type { KubeConfig } from "@kubernetes/client-node";
import { credential, CredentialSource, OpReader } from "../live/credentials";
import * as http from "http";
import * as https from "https";
import { getJson, GetOptions, HttpError } from "../live/http";
import { kubernetesRequestOptions } from "../live/kubernetes";
import type { LoadedStack } from "../live/stack";

/*
 * What the checks reach the platform with: the operator's kubeconfig, HTTP with per-request deadlines and
 * `--resolve` (like curl's: `<host>:<port>=<address>:<port>` sends a request for that host and port to another
 * address, keeping the Host header), and secrets from the environment or the stack's `op://` references,
 * each remembered so that no output shows it.
 */

export interface VerifyContext {
  stack: LoadedStack;
  kubeconfig: KubeConfig;
  env: NodeJS.ProcessEnv;
  /** `fetch` with the resolve map applied and the caller's abort signal. */
  fetch: typeof fetch;
  /** A GET (or, with a body, a JSON POST) of the Kubernetes API (path from the server root), parsed as JSON. */
  kube(path: string, signal: AbortSignal, body?: unknown): Promise<unknown>;
  secret(source: CredentialSource): Promise<string>;
  /** Every secret value read so far. */
  secretsSeen(): string[];
  /** Whether checks may call LLM providers (each call is billed). */
  providerCalls: boolean;
}

export type ResolveMap = ReadonlyMap<string, string>;

/** `--resolve host:port=addr:port` entries. */
export function parseResolve(entries: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of entries) {
    const [from, to] = e.split("=");
    if (from === undefined || to === undefined || !from.includes(":") || !to.includes(":"))
      throw new Error(`--resolve takes <host>:<port>=<address>:<port>, got ${e}`);
    map.set(from, to);
  }
  return map;
}

const defaultPort = (u: URL) => u.port || (u.protocol === "https:" ? "443" : "80");

/** A URL with its host and port replaced as the resolve map says, and the Host header to send. */
export function resolved(url: string, map: ResolveMap): { url: string; host?: string } {
  const u = new URL(url);
  const to = map.get(`${u.hostname}:${defaultPort(u)}`);
  if (to === undefined) return { url };
  const host = u.host;
  const [address, port] = [to.slice(0, to.lastIndexOf(":")), to.slice(to.lastIndexOf(":") + 1)];
  u.hostname = address;
  u.port = port;
  return { url: u.toString(), host };
}

export function resolvingFetch(map: ResolveMap): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = resolved(url, map);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (target.host !== undefined) headers.set("host", target.host);
    const base = input instanceof Request ? new Request(target.url, input) : target.url;
    return fetch(base, { ...init, headers });
  };
}

export function makeContext(opts: {
  stack: LoadedStack;
  kubeconfig: KubeConfig;
  env: NodeJS.ProcessEnv;
  op: OpReader;
  resolve: ResolveMap;
  providerCalls: boolean;
}): VerifyContext {
  const seen = new Set<string>();
  const cache = new Map<string, Promise<string>>();
  return {
    stack: opts.stack,
    kubeconfig: opts.kubeconfig,
    env: opts.env,
    fetch: resolvingFetch(opts.resolve),
    providerCalls: opts.providerCalls,
    async kube(path, signal, body) {
      const { server, options } = await kubernetesRequestOptions(opts.kubeconfig);
      const url = `${server}${path}`;
      const request =
        body === undefined ? getJson(url, { ...options, timeoutMs: 30_000 }) : postJson(url, options, body);
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(new Error(`${url}: aborted`));
        signal.addEventListener("abort", onAbort, { once: true });
        request.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
    },
    secret(source) {
      const key = `${source.env}|${source.ref ?? ""}`;
      let value = cache.get(key);
      if (value === undefined) {
        value = credential(source, opts.env, opts.op).then((v) => {
          seen.add(v);
          return v;
        });
        cache.set(key, value);
      }
      return value;
    },
    secretsSeen: () => [...seen],
  };
}

/** A JSON POST through the kubeconfig's agent (its client certificate and CA live on the agent). */
function postJson(url: string, options: GetOptions, body: unknown): Promise<unknown> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...options.headers, "content-type": "application/json", accept: "application/json" },
        agent: options.agent,
        timeout: 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(new HttpError(status, url, text));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`POST ${url}: the answer is not JSON`));
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`POST ${url}: no answer in time`)));
    request.on("error", reject);
    request.end(payload);
  });
}
