import * as zlib from "zlib";
import { parseAllDocuments, stringify } from "yaml";
import { redactedHash, redactKubernetesObject, redactSecretLeaves } from "./redact";

/*
 * Helm 3 stores each revision of a release as a Secret of type `helm.sh/release.v1` named
 * `sh.helm.release.v1.<release>.v<revision>`, labelled name/owner=helm/status/version, whose `release` key is
 * base64(gzip(JSON of the release)) (helm/helm@v3.20.2 pkg/storage/driver/secrets.go newSecretsObject,
 * util.go encodeRelease/decodeRelease; pulumi-kubernetes 4.34 embeds helm.sh/helm/v3 v3.20.2). Read from the
 * Kubernetes API, Secret data is base64 once more.
 */

export const HELM_RELEASE_SECRET_TYPE = "helm.sh/release.v1";

type Obj = Record<string, unknown>;

/** The parts of a decoded release the preflight reads (helm/helm@v3.20.2 pkg/release/release.go). */
export interface HelmRelease {
  name: string;
  namespace: string;
  /** The release revision. */
  version: number;
  status: string;
  chart: { name: string; version: string; appVersion?: string };
  /** The values given at install/upgrade (`helm get values`), not the chart defaults. */
  config: Obj;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Helm's decodeRelease: base64, gunzip when the gzip magic is there, JSON. */
export function decodeHelmRelease(encoded: string): Obj {
  let bytes = Buffer.from(encoded, "base64");
  if (bytes.length > 3 && bytes.subarray(0, 3).equals(GZIP_MAGIC)) bytes = zlib.gunzipSync(bytes);
  return JSON.parse(bytes.toString("utf8")) as Obj;
}

/** Helm's encodeRelease: JSON, gzip at best compression, base64. */
export function encodeHelmRelease(release: Obj): string {
  return zlib.gzipSync(JSON.stringify(release), { level: 9 }).toString("base64");
}

export function isHelmReleaseSecret(obj: Obj): boolean {
  return obj["kind"] === "Secret" && obj["type"] === HELM_RELEASE_SECRET_TYPE;
}

/** The release a `helm.sh/release.v1` Secret holds, as read from the API (data base64-encoded). */
export function releaseOfSecret(secret: Obj): Obj {
  const data = (secret["data"] ?? {}) as Obj;
  return decodeHelmRelease(Buffer.from(String(data["release"] ?? ""), "base64").toString("utf8"));
}

/** Rendered manifests with every Secret's values hashed (a chart may render credentials from its values). */
function redactManifest(manifest: string): string {
  return parseAllDocuments(manifest)
    .map((doc) => {
      const obj = doc.toJS() as Obj | null;
      if (obj === null || typeof obj !== "object") return doc.toString();
      return stringify(redactKubernetesObject(obj), { lineWidth: 0 });
    })
    .join("---\n");
}

/**
 * A release Secret with every secret value inside the release hashed and the release encoded again as Helm
 * does, so the snapshot file still decodes with Helm's own code. `secretValuePaths` are value paths the
 * program marks secret (dotted), hashed in addition to the credential-named ones.
 */
export function redactHelmReleaseSecret(secret: Obj, secretValuePaths: ReadonlySet<string> = new Set()): Obj {
  let release: Obj;
  try {
    release = releaseOfSecret(secret);
  } catch {
    // Not decodable: nothing of it can be shown safely.
    const data = (secret["data"] ?? {}) as Obj;
    return { ...secret, data: { release: redactedHash(String(data["release"] ?? "")) } };
  }
  const redacted: Obj = { ...release, config: redactSecretLeaves(release["config"] ?? {}, secretValuePaths) };
  if (typeof release["manifest"] === "string") redacted["manifest"] = redactManifest(release["manifest"]);
  if (Array.isArray(release["hooks"]))
    redacted["hooks"] = release["hooks"].map((hook) => {
      const h = hook as Obj;
      return typeof h["manifest"] === "string" ? { ...h, manifest: redactManifest(h["manifest"]) } : h;
    });
  const encoded = Buffer.from(encodeHelmRelease(redacted), "utf8").toString("base64");
  return { ...secret, data: { release: encoded } };
}

function summary(release: Obj, secret: Obj): HelmRelease {
  const labels = ((secret["metadata"] as Obj | undefined)?.["labels"] ?? {}) as Record<string, string>;
  const info = (release["info"] ?? {}) as Obj;
  const metadata = ((release["chart"] as Obj | undefined)?.["metadata"] ?? {}) as Obj;
  return {
    name: String(release["name"] ?? labels["name"] ?? ""),
    namespace: String(release["namespace"] ?? (secret["metadata"] as Obj | undefined)?.["namespace"] ?? ""),
    version: Number(release["version"] ?? labels["version"] ?? 0),
    status: String(info["status"] ?? labels["status"] ?? "unknown"),
    chart: {
      name: String(metadata["name"] ?? ""),
      version: String(metadata["version"] ?? ""),
      ...(metadata["appVersion"] !== undefined ? { appVersion: String(metadata["appVersion"]) } : {}),
    },
    config: (release["config"] ?? {}) as Obj,
  };
}

/**
 * The current revision of every release among the given Secrets: the highest revision, as `helm list`
 * shows it, with its status (a `pending-*` status means another operation holds the release).
 */
export function currentReleases(objects: readonly Obj[]): HelmRelease[] {
  const latest = new Map<string, HelmRelease>();
  for (const secret of objects.filter(isHelmReleaseSecret)) {
    let release: HelmRelease;
    try {
      release = summary(releaseOfSecret(secret), secret);
    } catch {
      continue;
    }
    const key = `${release.namespace}/${release.name}`;
    const seen = latest.get(key);
    if (seen === undefined || release.version > seen.version) latest.set(key, release);
  }
  return [...latest.values()].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}
