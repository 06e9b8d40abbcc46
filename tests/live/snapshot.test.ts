import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeConfig } from "@kubernetes/client-node";
import { BIGIP_COLLECTIONS } from "../../live/bigip";
import { plannedState } from "../../live/plan";
import { MANIFEST_FILE, SnapshotManifest, takeSnapshot } from "../../live/snapshot";
import { CONTEXT_KINDS, snapshotTargets, SnapshotTargets } from "../../live/targets";
import { recordedStack } from "../support/record";
import { helmReleaseSecret } from "../support/liveState";
import { stackConfig } from "../support/stacks";
import {
  cloudflareApi,
  Handler,
  icontrolApi,
  kubernetesApi,
  LoopbackServer,
  serve,
  talosctlStandIn,
  writeKubeconfig,
} from "../support/liveServers";

type Obj = Record<string, unknown>;

/** Raw credentials the live systems hold; none may reach a snapshot file. */
const SECRETS = [
  "sk-live-openai",
  "LICENSE-KEY-1",
  "abcdef.0123456789abcdef",
  "dHVubmVsLXNlY3JldA==",
  "bigip-pw",
  "cf-token",
];

const objects: Obj[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ai-system" } },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "openai", namespace: "ai-system" },
    data: { Authorization: Buffer.from(SECRETS[0]!).toString("base64") },
  },
  helmReleaseSecret({
    name: "agentgateway",
    namespace: "ai-system",
    version: 1,
    info: { status: "deployed" },
    chart: { metadata: { name: "kgateway", version: "v2.1.2" } },
    config: { licenseKey: SECRETS[1] },
  }),
];

/**
 * A handler that signals its first request, then answers only once `gate` opened: two such servers gating
 * each other prove their sources are read at the same time.
 */
function gated(handler: Handler, arrived: () => void, gate: Promise<void>): Handler {
  return async (req, url) => {
    arrived();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("sources are read one after the other")), 5000),
    );
    await Promise.race([gate, timeout]);
    return handler(req, url);
  };
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe("live/snapshot", () => {
  let dir: string;
  let servers: LoopbackServer[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function snapshotWithFailingBigip(): Promise<{
    manifest: SnapshotManifest;
    lines: string[];
    out: string;
  }> {
    let kubernetesAsked!: () => void;
    let cloudflareAsked!: () => void;
    const kubernetesGate = new Promise<void>((r) => (kubernetesAsked = r));
    const cloudflareGate = new Promise<void>((r) => (cloudflareAsked = r));
    const k8s = kubernetesApi(objects, "k8s-token");
    const kube = await serve(gated(k8s, kubernetesAsked, cloudflareGate));
    const cf = cloudflareApi(
      {
        zones: [{ id: "z", name: "sklab.dev" }],
        dnsRecords: { z: [] },
        tunnels: { acct: [{ id: "t", name: "kubernetes", deleted_at: null, tunnel_secret: SECRETS[3] }] },
      },
      SECRETS[5]!,
    );
    const cloudflare = await serve(gated(cf, cloudflareAsked, kubernetesGate));
    const bigip = await serve(
      icontrolApi(
        Object.fromEntries(Object.values(BIGIP_COLLECTIONS).map((p) => [p, { items: [] }])),
        "admin",
        "right-password",
      ),
    );
    servers.push(kube, cloudflare, bigip);

    const outputs = path.join(dir, "talos-outputs");
    fs.mkdirSync(path.join(outputs, "10.50.0.11"), { recursive: true });
    for (const resource of ["machineconfig", "version", "extensions"])
      fs.writeFileSync(
        path.join(outputs, "10.50.0.11", `${resource}.yaml`),
        `node: 10.50.0.11\nmetadata: {id: x}\nspec: |\n    machine:\n      token: ${SECRETS[2]}\n`,
      );
    const bin = talosctlStandIn(outputs);

    const kubeconfig = writeKubeconfig(dir, kube.url, "k8s-token");
    const targets: SnapshotTargets = {
      stack: "homeops",
      kinds: [...CONTEXT_KINDS],
      namespaces: ["ai-system"],
      talosNodes: [
        { name: "home-01", address: "10.50.0.11" },
        { name: "home-02", address: "10.50.0.12" },
      ],
      bigip: {
        host: { env: "BIGIP_HOST" },
        port: { env: "BIGIP_PORT" },
        username: { env: "BIGIP_USER" },
        password: { env: "BIGIP_PASSWORD", ref: "op://rooster/bigip/password" },
        verifyCertificate: true,
      },
      cloudflare: {
        zone: "sklab.dev",
        apiToken: { env: "CLOUDFLARE_API_TOKEN" },
        accountId: { env: "CLOUDFLARE_ACCOUNT_ID" },
      },
      helmSecretValuePaths: new Map(),
    };
    const lines: string[] = [];
    const out = path.join(dir, "snap");
    const manifest = await takeSnapshot(targets, out, {
      kubeconfig: () => {
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfig);
        return kc;
      },
      talos: { talosctl: path.join(bin, "talosctl") },
      env: {
        BIGIP_HOST: bigip.url,
        BIGIP_USER: "admin",
        CLOUDFLARE_API_TOKEN: SECRETS[5],
        CLOUDFLARE_ACCOUNT_ID: "acct",
        CLOUDFLARE_BASE_URL: `${cloudflare.url}/client/v4`,
      },
      // The 1Password CLI hands out a wrong password: the BIG-IP source fails, the others do not.
      op: async (ref) =>
        ref === "op://rooster/bigip/password" ? SECRETS[4]! : Promise.reject(new Error("no such item")),
      log: (line) => lines.push(line),
    });
    fs.rmSync(bin, { recursive: true, force: true });
    fs.rmSync(outputs, { recursive: true, force: true });
    return { manifest, lines, out };
  }

  it("reads sources in parallel, records a failing source and still writes the others", async () => {
    const { manifest, lines, out } = await snapshotWithFailingBigip();
    const status = Object.fromEntries(Object.entries(manifest.sources).map(([n, s]) => [n, s.status]));
    assert.deepEqual(status, {
      kubernetes: "ok",
      "talos/home-01": "ok",
      "talos/home-02": "failed",
      bigip: "failed",
      cloudflare: "ok",
    });
    assert.match(manifest.sources["bigip"]!.error!, /HTTP 401/);
    assert.match(manifest.sources["talos/home-02"]!.error!, /connection refused/);
    assert.equal(lines.length, 5, "one progress line per source");
    assert.ok(lines.some((l) => /^bigip: FAILED: /.test(l)));
    for (const file of [
      "kubernetes/secrets.json",
      "kubernetes/namespaces.json",
      "talos/home-01/machineconfig.yaml",
      "cloudflare/dns_records.json",
      "cloudflare/tunnels.json",
    ])
      assert.ok(fs.existsSync(path.join(out, file)), file);
    assert.ok(!fs.existsSync(path.join(out, "bigip")));
    const recorded = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), "utf8")) as SnapshotManifest;
    assert.deepEqual(recorded.sources, manifest.sources);
    assert.ok(recorded.kubernetes!.kinds.some((k) => k.kind === "Application" && !k.served));
  });

  it("writes no secret value anywhere in the snapshot", async () => {
    const { out } = await snapshotWithFailingBigip();
    for (const file of filesUnder(out)) {
      const text = fs.readFileSync(file, "utf8");
      for (const secret of [...SECRETS, Buffer.from(SECRETS[0]!).toString("base64")])
        assert.ok(!text.includes(secret), `${path.relative(out, file)} holds ${secret}`);
    }
  });

  it("refuses to write into a directory that holds something other than a snapshot", async () => {
    fs.writeFileSync(path.join(dir, "notes.txt"), "keep me");
    const targets: SnapshotTargets = {
      stack: "x",
      kinds: [],
      namespaces: [],
      talosNodes: [],
      helmSecretValuePaths: new Map(),
    };
    await assert.rejects(
      takeSnapshot(targets, dir, {
        kubeconfig: () => new KubeConfig(),
        env: {},
        op: async () => "",
        log: () => undefined,
      }),
      /not empty/,
    );
    assert.ok(fs.existsSync(path.join(dir, "notes.txt")));
  });

  it("reads what a stack acts on: its kinds, the context kinds, its Talos nodes and its edge accounts", async () => {
    const targets = snapshotTargets(plannedState(await recordedStack("homeops")), stackConfig("homeops"));
    const kinds = targets.kinds.map((k) => `${k.group}/${k.kind}`);
    for (const k of [
      "gateway.networking.k8s.io/Gateway",
      "agentgateway.dev/AgentgatewayBackend",
      "gateway.networking.k8s.io/GatewayClass",
      "/Secret",
      "/Pod",
      "helm.toolkit.fluxcd.io/HelmRelease",
    ])
      assert.ok(kinds.includes(k), k);
    assert.equal(new Set(kinds).size, kinds.length, "one list call per kind");
    assert.ok(targets.namespaces.includes("network") && targets.namespaces.includes("kube-system"));
    assert.deepEqual(
      targets.talosNodes.map((n) => n.name),
      ["home-01", "home-02", "home-03"],
    );
    assert.equal(targets.bigip, undefined);
    assert.equal(targets.cloudflare?.zone, "sklab.dev");
    assert.equal(targets.cloudflare?.apiToken.ref, "op://Homelab/cloudflare/api-token");
  });
});
