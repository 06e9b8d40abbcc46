import { strict as assert } from "assert";
import * as zlib from "zlib";
import {
  currentReleases,
  decodeHelmRelease,
  encodeHelmRelease,
  redactHelmReleaseSecret,
  releaseOfSecret,
} from "../../live/helmRelease";
import { redactedHash } from "../../live/redact";
import { helmReleaseSecret } from "../support/liveState";

describe("live/helmRelease: Helm's secrets storage driver", () => {
  const release = {
    name: "cilium",
    namespace: "kube-system",
    version: 3,
    info: { status: "deployed" },
    chart: { metadata: { name: "cilium", version: "1.18.4" } },
    config: { k8sServiceHost: "127.0.0.1", hubble: { tls: { server: { key: "PRIVATE" } } } },
    manifest:
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: hubble-server-certs\ndata:\n  tls.key: UFJJVkFURQ==\n",
  };

  it("encodes as helm/helm pkg/storage/driver/util.go does: gzip (magic 1f 8b 08) then base64", () => {
    const bytes = Buffer.from(encodeHelmRelease(release), "base64");
    assert.deepEqual([...bytes.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
    assert.deepEqual(JSON.parse(zlib.gunzipSync(bytes).toString()), release);
    assert.deepEqual(decodeHelmRelease(encodeHelmRelease(release)), release);
  });

  it("decodes a release stored before compression (no gzip magic) as Helm does", () => {
    const legacy = Buffer.from(JSON.stringify(release)).toString("base64");
    assert.deepEqual(decodeHelmRelease(legacy), release);
  });

  it("reads the release of a Secret as the API returns it (data base64 once more)", () => {
    const secret = helmReleaseSecret(release);
    assert.equal((secret["metadata"] as { name: string }).name, "sh.helm.release.v1.cilium.v3");
    assert.deepEqual(releaseOfSecret(secret), release);
  });

  it("hashes secret values and rendered Secrets inside the release and keeps it decodable", () => {
    const redacted = redactHelmReleaseSecret(helmReleaseSecret(release));
    const decoded = releaseOfSecret(redacted);
    const text = JSON.stringify(decoded);
    assert.ok(!text.includes("PRIVATE") && !text.includes("UFJJVkFURQ=="), text);
    assert.equal(
      (decoded["config"] as { hubble: { tls: { server: { key: string } } } }).hubble.tls.server.key,
      redactedHash("PRIVATE"),
    );
    assert.equal((decoded["config"] as { k8sServiceHost: string }).k8sServiceHost, "127.0.0.1");
  });

  it("hashes the value paths the program marks secret", () => {
    const withDsn = { ...release, config: { database: { url: "postgres://user:pw@db" } } };
    const decoded = releaseOfSecret(
      redactHelmReleaseSecret(helmReleaseSecret(withDsn), new Set(["database.url"])),
    );
    assert.ok(!JSON.stringify(decoded).includes("pw@db"));
  });

  it("takes the highest revision of each release as current, with its status", () => {
    const secrets = [
      helmReleaseSecret({ ...release, version: 1 }),
      helmReleaseSecret({ ...release, version: 4, info: { status: "pending-upgrade" } }),
      helmReleaseSecret({ ...release, version: 2 }),
      helmReleaseSecret({ ...release, name: "longhorn", namespace: "longhorn-system", version: 1 }),
    ];
    const current = currentReleases(secrets);
    assert.deepEqual(
      current.map((r) => `${r.namespace}/${r.name} v${r.version} ${r.status} ${r.chart.version}`),
      ["kube-system/cilium v4 pending-upgrade 1.18.4", "longhorn-system/longhorn v1 deployed 1.18.4"],
    );
  });
});
