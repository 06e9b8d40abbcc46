import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeConfig } from "@kubernetes/client-node";
import { BIGIP_COLLECTIONS, bigipBaseUrl, readBigip } from "../../live/bigip";
import { readCloudflare } from "../../live/cloudflare";
import { releaseOfSecret } from "../../live/helmRelease";
import { kubectlList, readKubernetes } from "../../live/kubernetes";
import { redactedHash } from "../../live/redact";
import { readTalosNode, redactTalosOutput } from "../../live/talos";
import { helmReleaseSecret } from "../support/liveState";
import {
  cloudflareApi,
  icontrolApi,
  kubernetesApi,
  LoopbackServer,
  serve,
  talosctlStandIn,
  writeKubeconfig,
} from "../support/liveServers";

type Obj = Record<string, unknown>;

const TOKEN = "operator-token";

const objects: Obj[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ai-system" } },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "agentgateway", namespace: "ai-system" },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "coredns", namespace: "kube-system" },
    spec: {},
  },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "openai-api-key", namespace: "ai-system" },
    data: { Authorization: Buffer.from("sk-live-1").toString("base64") },
  },
  helmReleaseSecret({
    name: "agentgateway",
    namespace: "ai-system",
    version: 2,
    info: { status: "deployed" },
    chart: { metadata: { name: "kgateway", version: "v2.1.2" } },
    config: { controller: { replicaCount: 2 }, license: { key: "LICENSE-SECRET" } },
  }),
  {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: { name: "agentgateway" },
    spec: { controllerName: "kgateway.dev/agentgateway" },
  },
];

function kubeconfigFor(server: LoopbackServer, dir: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(writeKubeconfig(dir, server.url, TOKEN));
  return kc;
}

describe("live readers against loopback servers", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "readers-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("Kubernetes", () => {
    let api: LoopbackServer;
    beforeEach(async () => (api = await serve(kubernetesApi(objects, TOKEN))));
    afterEach(() => api.close());

    const kinds = [
      { group: "apps", version: "v1", kind: "Deployment" },
      { group: "", version: "v1", kind: "Secret" },
      { group: "", version: "v1", kind: "Namespace" },
      { group: "gateway.networking.k8s.io", version: "v1", kind: "GatewayClass" },
      { group: "argoproj.io", version: "v1alpha1", kind: "Application" },
    ];

    it("makes one discovery call per group version and one list call per kind, with the kubeconfig's token", async () => {
      await readKubernetes(kubeconfigFor(api, dir), kinds);
      const lists = api.requests.filter((r) =>
        /\/(deployments|secrets|namespaces|gatewayclasses)$/.test(r.url),
      );
      assert.deepEqual(lists.map((r) => r.url).sort(), [
        "/api/v1/namespaces",
        "/api/v1/secrets",
        "/apis/apps/v1/deployments",
        "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
      ]);
      assert.equal(api.requests.length, lists.length + 4, "plus one discovery per group version");
      assert.ok(api.requests.every((r) => r.method === "GET" && r.authorization === `Bearer ${TOKEN}`));
    });

    it("reports a kind the cluster does not serve and gives every item its apiVersion and kind", async () => {
      const listings = await readKubernetes(kubeconfigFor(api, dir), kinds);
      const app = listings.find((l) => l.kind.kind === "Application")!;
      assert.equal(app.served, false);
      const deployments = listings.find((l) => l.kind.kind === "Deployment")!;
      assert.equal(deployments.resource, "deployments");
      assert.ok(deployments.items.every((i) => i["apiVersion"] === "apps/v1" && i["kind"] === "Deployment"));
      assert.deepEqual(
        (deployments.items[0] as { status: unknown }).status,
        { readyReplicas: 2 },
        "status is kept",
      );
    });

    it("keeps only what the filter keeps and hashes Secret values, Helm release values included", async () => {
      const listings = await readKubernetes(kubeconfigFor(api, dir), kinds, {
        keep: (item, _kind, namespaced) =>
          !namespaced || (item["metadata"] as Obj)["namespace"] === "ai-system",
      });
      const all = listings.flatMap((l) => l.items);
      assert.ok(!all.some((i) => (i["metadata"] as Obj)["name"] === "coredns"));
      const text = JSON.stringify(all);
      assert.ok(!text.includes(Buffer.from("sk-live-1").toString("base64")) && !text.includes("sk-live-1"));
      const release = releaseOfSecret(all.find((i) => i["type"] === "helm.sh/release.v1")!);
      assert.deepEqual((release["config"] as Obj)["license"], { key: redactedHash("LICENSE-SECRET") });
      assert.deepEqual((release["config"] as Obj)["controller"], { replicaCount: 2 });
    });

    it("writes lists as kubectl prints them: a v1 List", () => {
      assert.deepEqual(kubectlList([]), {
        apiVersion: "v1",
        items: [],
        kind: "List",
        metadata: { resourceVersion: "" },
      });
    });

    it("fails on a refused token", async () => {
      const kc = new KubeConfig();
      kc.loadFromFile(writeKubeconfig(dir, api.url, "wrong"));
      await assert.rejects(readKubernetes(kc, kinds), /HTTP 401/);
    });
  });

  describe("BIG-IP", () => {
    const collections: Record<string, Obj> = {
      [BIGIP_COLLECTIONS["ltm-node"]]: {
        kind: "tm:ltm:node:nodecollectionstate",
        items: [{ name: "172.16.10.130", fullPath: "/Common/172.16.10.130", address: "172.16.10.130" }],
      },
      [BIGIP_COLLECTIONS["ltm-pool"]]: { kind: "tm:ltm:pool:poolcollectionstate", items: [] },
      [BIGIP_COLLECTIONS["ltm-virtual"]]: { kind: "tm:ltm:virtual:virtualcollectionstate", items: [] },
      [BIGIP_COLLECTIONS["ltm-monitor-tcp"]]: { kind: "tm:ltm:monitor:tcp:tcpcollectionstate", items: [] },
      [BIGIP_COLLECTIONS["ltm-monitor-http"]]: {
        kind: "tm:ltm:monitor:http:httpcollectionstate",
        items: [
          {
            name: "app",
            password: "monitor-pass",
            send: "GET / HTTP/1.1\\r\\nAuthorization: Basic dXNlcjpwYXNz\\r\\n",
          },
        ],
      },
    };

    it("GETs each collection once with basic auth and hashes monitor credentials", async () => {
      const server = await serve(icontrolApi(collections, "admin", "pw"));
      try {
        const answers = await readBigip({
          host: server.url,
          username: "admin",
          password: "pw",
          verifyCertificate: true,
        });
        assert.equal(server.requests.length, 5);
        assert.ok(server.requests.some((r) => r.url === "/mgmt/tm/ltm/pool?expandSubcollections=true"));
        assert.deepEqual(answers["ltm-node"], collections[BIGIP_COLLECTIONS["ltm-node"]]);
        const text = JSON.stringify(answers["ltm-monitor-http"]);
        assert.ok(!text.includes("monitor-pass") && !text.includes("dXNlcjpwYXNz"), text);
      } finally {
        await server.close();
      }
    });

    it("takes the management address as go-bigip does: a bare host is HTTPS", () => {
      assert.equal(bigipBaseUrl({ host: "172.16.10.10" }), "https://172.16.10.10");
      assert.equal(bigipBaseUrl({ host: "172.16.10.10", port: "8443" }), "https://172.16.10.10:8443");
      assert.equal(bigipBaseUrl({ host: "http://127.0.0.1:1234/" }), "http://127.0.0.1:1234");
    });
  });

  describe("Cloudflare", () => {
    it("finds the zone, then lists records (every page) and live tunnels, hashing tunnel secrets", async () => {
      const records = Array.from({ length: 1500 }, (_, i) => ({
        id: `r${i}`,
        name: `h${i}.sklab.dev`,
        type: "A",
        content: "10.0.0.1",
      }));
      const server = await serve(
        cloudflareApi(
          {
            zones: [{ id: "zone1", name: "sklab.dev" }],
            dnsRecords: { zone1: records },
            tunnels: {
              acct: [
                { id: "t1", name: "kubernetes", deleted_at: null, tunnel_secret: "c2VjcmV0" },
                { id: "t0", name: "old", deleted_at: "2026-01-01T00:00:00Z" },
              ],
            },
          },
          "cf-token",
        ),
      );
      try {
        const answers = await readCloudflare(
          { apiToken: "cf-token", accountId: "acct", baseUrl: `${server.url}/client/v4` },
          "sklab.dev",
        );
        assert.equal((answers.dns_records["result"] as unknown[]).length, 1500);
        assert.deepEqual(
          (answers.tunnels["result"] as Obj[]).map((t) => t["name"]),
          ["kubernetes"],
        );
        assert.ok(!JSON.stringify(answers).includes("c2VjcmV0"));
        assert.deepEqual(server.requests.map((r) => r.url.split("?")[0]).sort(), [
          "/client/v4/accounts/acct/cfd_tunnel",
          "/client/v4/zones",
          "/client/v4/zones/zone1/dns_records",
          "/client/v4/zones/zone1/dns_records",
        ]);
        await assert.rejects(
          readCloudflare(
            { apiToken: "bad", accountId: "acct", baseUrl: `${server.url}/client/v4` },
            "sklab.dev",
          ),
          /HTTP 403/,
        );
      } finally {
        await server.close();
      }
    });
  });

  describe("Talos", () => {
    const machineconfig = [
      "node: 10.50.0.11",
      "metadata:",
      "    namespace: config",
      "    type: MachineConfigs.config.talos.dev",
      "    id: v1alpha1",
      "    version: 5",
      "    phase: running",
      "spec: |",
      "    version: v1alpha1",
      "    machine:",
      "      type: controlplane",
      "      token: abcdef.0123456789abcdef",
      "      ca:",
      "        crt: LS0tLS1CRUdJTi1DRVJU",
      "        key: LS0tLS1CRUdJTi1LRVk=",
      "    cluster:",
      "      clusterName: homeops",
      "      secretboxEncryptionSecret: c2VjcmV0Ym94",
      "    ---",
      "    apiVersion: v1alpha1",
      "    kind: HostnameConfig",
      "    hostname: home-01",
      "",
    ].join("\n");

    it("runs talosctl get per resource for the node's address and hashes keys, certificates and tokens", async () => {
      const outputs = fs.mkdtempSync(path.join(os.tmpdir(), "talos-out-"));
      fs.mkdirSync(path.join(outputs, "10.50.0.11"));
      fs.writeFileSync(path.join(outputs, "10.50.0.11", "machineconfig.yaml"), machineconfig);
      fs.writeFileSync(
        path.join(outputs, "10.50.0.11", "version.yaml"),
        "node: 10.50.0.11\nmetadata: {id: version}\nspec: {version: v1.13.9}\n",
      );
      fs.writeFileSync(
        path.join(outputs, "10.50.0.11", "extensions.yaml"),
        "node: 10.50.0.11\nmetadata: {id: '0'}\nspec: {metadata: {name: i915}}\n",
      );
      const bin = talosctlStandIn(outputs);
      try {
        const read = await readTalosNode(
          { name: "home-01", address: "10.50.0.11" },
          { talosctl: path.join(bin, "talosctl") },
        );
        for (const secret of [
          "abcdef.0123456789abcdef",
          "LS0tLS1CRUdJTi1DRVJU",
          "LS0tLS1CRUdJTi1LRVk=",
          "c2VjcmV0Ym94",
        ])
          assert.ok(!read.machineconfig.includes(secret), secret);
        assert.ok(read.machineconfig.includes(redactedHash("abcdef.0123456789abcdef")));
        assert.ok(
          read.machineconfig.includes("hostname: home-01"),
          "every document of the configuration is kept",
        );
        assert.ok(read.machineconfig.startsWith("node: 10.50.0.11\n"));
        assert.ok(read.version.includes("v1.13.9"));
        await assert.rejects(
          readTalosNode({ name: "home-02", address: "10.50.0.12" }, { talosctl: path.join(bin, "talosctl") }),
          /connection refused/,
        );
      } finally {
        fs.rmSync(outputs, { recursive: true, force: true });
        fs.rmSync(bin, { recursive: true, force: true });
      }
    });

    it("keeps a MachineConfig spec as one text, as talosctl prints it", () => {
      const out = redactTalosOutput(machineconfig);
      assert.match(out, /^spec: \|/m);
    });
  });
});
