import * as crypto from "crypto";

/*
 * Secret values never reach a snapshot or a report: each is replaced by `[redacted:sha256:<first 12 hex>]` of
 * its bytes, so that a changed value still shows as a different hash and an unchanged one compares equal.
 */

const REDACTED = /^\[redacted:sha256:([0-9a-f]{12})\]$/;

/** The stand-in for a secret value: the first 12 hex digits of the SHA-256 of its bytes. */
export function redactedHash(value: string | Buffer): string {
  const digest = crypto.createHash("sha256").update(value).digest("hex");
  return `[redacted:sha256:${digest.slice(0, 12)}]`;
}

export function isRedacted(value: unknown): value is string {
  return typeof value === "string" && REDACTED.test(value);
}

/**
 * Leaf keys whose values are credentials wherever they appear (Helm values, Talos machine configuration,
 * BIG-IP monitors, Cloudflare tunnels): keys, certificates, tokens, secrets, passwords.
 */
const SECRET_KEY =
  /^(crt|cert|certificate|auth|identitytoken)$|(key|token|secret|password|passwd|credentials?|privatekey|apikey)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-_]/g, ""));
}

/** PEM blocks carry keys and certificates whatever the key they sit under. */
function isPem(value: string): boolean {
  return value.includes("-----BEGIN ");
}

/**
 * Replaces every string or number under a credential-like key, and every PEM block, by its hash; `extraPaths`
 * (dotted paths, e.g. the values a program marks secret) are redacted too. Returns a new value.
 */
export function redactSecretLeaves(value: unknown, extraPaths: ReadonlySet<string> = new Set()): unknown {
  const walk = (v: unknown, key: string, path: string): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => walk(item, key, `${path}[${i}]`));
    if (v !== null && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v).map(([k, child]) => [k, walk(child, k, path === "" ? k : `${path}.${k}`)]),
      );
    if (typeof v === "string" && isRedacted(v)) return v;
    if (typeof v === "string" && (isPem(v) || isSecretKey(key) || extraPaths.has(path)))
      return redactedHash(v);
    if (typeof v === "number" && (isSecretKey(key) || extraPaths.has(path))) return redactedHash(String(v));
    return v;
  };
  return walk(value, "", "");
}

type Obj = Record<string, unknown>;

function asObject(value: unknown): Obj | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** Every value of a Secret's `data` (base64) and `stringData` by the hash of its decoded bytes. */
function redactSecretData(secret: Obj): Obj {
  const out: Obj = { ...secret };
  const data = asObject(secret["data"]);
  if (data !== undefined)
    out["data"] = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [
        k,
        isRedacted(v) ? v : redactedHash(Buffer.from(String(v), "base64")),
      ]),
    );
  const stringData = asObject(secret["stringData"]);
  if (stringData !== undefined)
    out["stringData"] = Object.fromEntries(
      Object.entries(stringData).map(([k, v]) => [k, isRedacted(v) ? v : redactedHash(String(v))]),
    );
  const metadata = asObject(secret["metadata"]);
  const annotations = asObject(metadata?.["annotations"]);
  const lastApplied = "kubectl.kubernetes.io/last-applied-configuration";
  // kubectl's client-side apply keeps the whole applied Secret, data included, in this annotation.
  if (annotations !== undefined && typeof annotations[lastApplied] === "string")
    out["metadata"] = {
      ...metadata,
      annotations: { ...annotations, [lastApplied]: redactedHash(annotations[lastApplied]) },
    };
  return out;
}

/** Literal `env[].value`s of containers whose variable name reads like a credential. */
function redactContainerEnv(podSpec: Obj): Obj {
  const redactContainers = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c) => {
          const container = asObject(c);
          if (container === undefined || !Array.isArray(container["env"])) return c;
          return {
            ...container,
            env: (container["env"] as unknown[]).map((e) => {
              const entry = asObject(e);
              if (entry === undefined || typeof entry["value"] !== "string") return e;
              if (!isSecretKey(String(entry["name"] ?? "")) && !isPem(entry["value"])) return e;
              return isRedacted(entry["value"]) ? e : { ...entry, value: redactedHash(entry["value"]) };
            }),
          };
        })
      : list;
  const out: Obj = { ...podSpec };
  for (const field of ["containers", "initContainers", "ephemeralContainers"])
    if (field in podSpec) out[field] = redactContainers(podSpec[field]);
  return out;
}

/** The pod spec inside a Pod, a workload's template or a CronJob's job template. */
function podSpecPath(kind: string): string[] | undefined {
  if (kind === "Pod") return ["spec"];
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(kind))
    return ["spec", "template", "spec"];
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "spec"];
  return undefined;
}

function updateAt(root: Obj, path: string[], update: (value: Obj) => Obj): Obj {
  const [head, ...rest] = path;
  const child = asObject(root[head!]);
  if (child === undefined) return root;
  return { ...root, [head!]: rest.length === 0 ? update(child) : updateAt(child, rest, update) };
}

/**
 * A Kubernetes object as a snapshot may hold it: Secret values, credential-named container env literals and
 * the Helm values of GitOps objects (Flux HelmRelease `spec.values`, ArgoCD Application Helm values) hashed.
 * Helm release Secrets are handled by ./helmRelease.ts, which keeps them decodable.
 */
export function redactKubernetesObject(obj: Obj): Obj {
  const kind = String(obj["kind"] ?? "");
  if (kind === "Secret") return redactSecretData(obj);
  const podPath = podSpecPath(kind);
  if (podPath !== undefined) return updateAt(obj, podPath, redactContainerEnv);
  if (kind === "HelmRelease") return updateAt(obj, ["spec"], (spec) => redactSecretLeaves(spec) as Obj);
  if (kind === "Application")
    return updateAt(obj, ["spec"], (spec) => {
      const helmValues = (source: unknown) => {
        const s = asObject(source);
        const helm = asObject(s?.["helm"]);
        if (s === undefined || helm === undefined) return source;
        const redacted = redactSecretLeaves(helm) as Obj;
        // Inline values text cannot be walked key by key: kept only as its hash.
        if (typeof helm["values"] === "string") redacted["values"] = redactedHash(helm["values"]);
        return { ...s, helm: redacted };
      };
      const out: Obj = { ...spec, source: helmValues(spec["source"]) };
      if (Array.isArray(spec["sources"])) out["sources"] = spec["sources"].map(helmValues);
      if (spec["source"] === undefined) delete out["source"];
      return out;
    });
  return obj;
}
