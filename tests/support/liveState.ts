import { encodeHelmRelease, HELM_RELEASE_SECRET_TYPE } from "../../live/helmRelease";

/* Live objects in the formats upstream systems store them, for tests. */

type Obj = Record<string, unknown>;

/**
 * A Helm release revision as Helm's secrets driver stores it and the API returns it: Secret
 * `sh.helm.release.v1.<name>.v<revision>`, labels name/owner/status/version, `data.release` the
 * base64 (API) of the base64(gzip(JSON)) Helm writes (helm/helm@v3.20.2 pkg/storage/driver/secrets.go).
 */
export function helmReleaseSecret(release: Obj): Obj {
  const name = String(release["name"]);
  const version = Number(release["version"]);
  const status = String((release["info"] as Obj | undefined)?.["status"] ?? "deployed");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `sh.helm.release.v1.${name}.v${version}`,
      namespace: String(release["namespace"]),
      labels: { name, owner: "helm", status, version: String(version) },
    },
    type: HELM_RELEASE_SECRET_TYPE,
    data: { release: Buffer.from(encodeHelmRelease(release)).toString("base64") },
  };
}
