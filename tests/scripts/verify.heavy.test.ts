import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStack, LoadedStack } from "../../live/stack";
import { PROJECT_ROOT } from "../../recording/stackFile";
import { controllerStatuses, Manifest, policyStatus, gatewayStatus } from "../support/controllerStatus";
import {
  cloudflareApi,
  gateway,
  icontrol,
  kubernetesApi,
  langfuse,
  listen,
  StandIn,
} from "../support/standIns";

/*
 * `npm run verify -- rooster` end to end against loopback stand-ins of the Kubernetes API, the gateways (every
 * VIP resolved to one stand-in), an MCP server, Langfuse and iControl REST: a broken platform fails with each
 * reason, a healthy one passes, and with nothing listening the command says in one line what it could not reach.
 */

type Obj = Record<string, unknown>;

const SECRETS = {
  BIGIP_USER: "admin",
  BIGIP_PASSWORD: "bigip-password-7f3a9c",
  LANGFUSE_PUBLIC_KEY: "pk-lf-0a1b2c3d",
  LANGFUSE_SECRET_KEY: "sk-lf-9e8d7c6b5a",
};
const HIDDEN_TOOL = "debug-shell";

function run(args: string[], env: Obj): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, "build", "verify.js"), ...args],
      { env: { PATH: "/usr/bin:/bin", HOME: os.tmpdir(), ...env } as NodeJS.ProcessEnv, timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
    );
  });
}

function build(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      path.join(PROJECT_ROOT, "node_modules", ".bin", "esbuild"),
      [
        "scripts/verify.ts",
        "--bundle",
        "--platform=node",
        "--packages=external",
        "--target=node20",
        "--outfile=build/verify.js",
        "--log-level=warning",
      ],
      { cwd: PROJECT_ROOT },
      (err) => (err === null ? resolve() : reject(err)),
    ),
  );
}

function kubeconfigFor(server: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-")), "kubeconfig");
  fs.writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      "users: [{name: u, user: {token: operator-token}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}]",
      "current-context: x",
    ].join("\n"),
  );
  return file;
}

/** The cluster as `pulumi up` leaves it: every planned object, accepted, plus the proxies' Services. */
function clusterState(stack: LoadedStack, broken: boolean): Obj[] {
  const all = stack.plan.objects.map((o) => o.manifest as unknown as Manifest);
  const objects = all.map((m): Obj => {
    const metadata = { ...m.metadata, generation: 1, uid: `uid-${String(m.metadata["name"])}` };
    if (m.kind === "Deployment")
      return {
        ...m,
        metadata,
        status: { conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }] },
      };
    try {
      return { ...m, metadata, status: controllerStatuses(m, all, {}).accepted };
    } catch {
      return { ...m, metadata };
    }
  });
  if (broken) {
    const policy = objects.find((o) => o["kind"] === "AgentgatewayPolicy")!;
    policy["status"] = policyStatus.invalid(["agentgateway-proxy"], "agentgateway-system");
    const gw = objects.find(
      (o) => o["kind"] === "Gateway" && (o["metadata"] as Obj)["name"] === "mcp-gateway-proxy",
    )!;
    gw["status"] = gatewayStatus.noAddress({ listeners: ["http"], address: "" });
  }
  for (const g of stack.config.agentgateway.gateways)
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: g.name, namespace: stack.config.agentgateway.namespace },
      spec: {
        type: "NodePort",
        ports: g.listeners.map((l) => ({ port: l.port, nodePort: 30000 + (l.port % 1000) })),
      },
    });
  return objects;
}

describe("npm run verify -- rooster against loopback stand-ins", function () {
  this.timeout(300_000);
  let stack: LoadedStack;
  const servers: StandIn[] = [];
  const start = async (h: Parameters<typeof listen>[0]) => {
    const s = await listen(h);
    servers.push(s);
    return s;
  };

  before(async () => {
    await build();
    stack = await loadStack("rooster", PROJECT_ROOT);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function platform(broken: boolean) {
    const traces = new Set<string>();
    const kube = await start(
      kubernetesApi({
        objects: clusterState(stack, broken) as never,
        agents: stack.config.kagent.agents.map((a) => a.name),
      }),
    );
    // A server the stack declares no tools for lists its own (the Excalidraw app's one tool).
    const mcpTools = Object.fromEntries(
      stack.config.mcp.servers.map((s) => [
        `/${s.name}`,
        [
          ...(s.tools.length > 0 ? s.tools : ["create_view"]),
          ...(broken && s.name === "everything" ? [HIDDEN_TOOL] : []),
        ],
      ]),
    );
    const gw = await start(
      gateway({
        rejects: [/ignore (all )?previous instructions/i],
        mcpTools,
        onTrace: (id) => !broken && traces.add(id),
      }),
    );
    const lf = await start(langfuse(traces, `${SECRETS.LANGFUSE_PUBLIC_KEY}:${SECRETS.LANGFUSE_SECRET_KEY}`));
    const pools = stack.plan.bigip
      .filter((r) => r.type === "f5bigip:ltm/pool:Pool")
      .map((r) => ({
        fullPath: String(r.inputs["name"]),
        members: [{ name: "/Common/172.16.10.130:31572", state: "up" }],
      }));
    const bigip = await start(icontrol(pools));
    const resolve = [
      ...stack.config.exposures
        .filter((e) => e.enabled)
        .flatMap((e) => (e.bigip?.ports ?? []).map((p) => `${e.bigip!.vip}:${p.port}`)),
    ].flatMap((vip) => ["--resolve", `${vip}=127.0.0.1:${gw.port}`]);
    const langfuseHost = new URL(stack.config.observability.langfuse!.endpoint);
    resolve.push("--resolve", `${langfuseHost.hostname}:${langfuseHost.port}=127.0.0.1:${lf.port}`);
    const env = { KUBECONFIG: kubeconfigFor(kube.url), BIGIP_HOST: bigip.url, ...SECRETS };
    return {
      args: [
        "rooster",
        ...resolve,
        "--check-timeout",
        "20",
        "--trace-timeout",
        "4",
        "--total-timeout",
        "120",
      ],
      env,
    };
  }

  it("reports a rejected policy, a Gateway without an address, a hidden MCP tool and a missing trace, and exits 1", async () => {
    const { args, env } = await platform(true);
    const { code, stdout, stderr } = await run(args, env);
    assert.equal(code, 1, stderr);
    const failed = stdout.split("\n").filter((l) => l.includes("❌ fail"));
    const has = (text: RegExp) =>
      assert.ok(
        failed.some((l) => text.test(l)),
        `${text} not in:\n${failed.join("\n")}`,
      );
    has(/AgentgatewayPolicy .*invalid regex in promptGuard/);
    has(/Gateway mcp-gateway-proxy has its address .*no address in status/);
    has(new RegExp(`MCP everything .*should be hidden: ${HIDDEN_TOOL}`));
    has(/arrives in Langfuse .*did not arrive/);
    assert.equal(failed.length, 5, failed.join("\n")); // the Gateway also fails its own readiness wait
    assert.match(stderr, /\[\d+\/\d+\] /);
    for (const secret of Object.values(SECRETS).slice(1)) assert.ok(!`${stdout}${stderr}`.includes(secret));
  });

  it("passes against a healthy platform and exits 0", async () => {
    const { args, env } = await platform(false);
    const { code, stdout, stderr } = await run(args, env);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /\| check \| group \| result \| reason \|/);
    assert.ok(!stdout.includes("❌"));
    assert.match(stdout, /pool \/Common\/\S+ has its members up \| bigip \| ✅ pass/);
    assert.match(
      stdout,
      /agent team-lead answers over A2A \| kagent \| ✅ pass \| answered \(task completed\)/,
    );
  });

  it("runs only the groups asked for", async () => {
    const { args, env } = await platform(true);
    const { code, stdout } = await run([...args, "--only", "mcp"], env);
    assert.equal(code, 1);
    const rows = stdout.split("\n").filter((l) => /^\| (?!check|---)/.test(l));
    assert.ok(rows.length > 0 && rows.every((l) => l.includes("| mcp |")), rows.join("\n"));
  });

  it("exits 3 with one line naming what it could not reach when nothing answers", async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const { code, stdout, stderr } = await run(["rooster"], { KUBECONFIG: kubeconfigFor(closed.url) });
    assert.equal(code, 3);
    assert.equal(stdout, "");
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, new RegExp(`could not reach the Kubernetes API at ${closed.url}`));
  });

  it("homeops: reports the Cloudflare tunnel's health from the Cloudflare API", async () => {
    const homeops = await loadStack("homeops", PROJECT_ROOT);
    const tunnel = homeops.plan.cloudflare.find((r) => r.type.endsWith(":ZeroTrustTunnelCloudflared"))!;
    const name = String(tunnel.inputs["name"]);
    const kube = await start(kubernetesApi({ objects: [], agents: [] }));
    const env = {
      KUBECONFIG: kubeconfigFor(kube.url),
      CLOUDFLARE_API_TOKEN: "cf-token-5b6c7d8e",
      CLOUDFLARE_ACCOUNT_ID: "acc-1",
    };
    for (const [status, code] of [
      ["healthy", 0],
      ["down", 1],
    ] as const) {
      const cf = await start(
        cloudflareApi(String(homeops.config.cloudflare!.zone), [
          { id: "t-1", name, status, connections: [] },
        ]),
      );
      const result = await run(["homeops", "--only", "cloudflare"], { ...env, CLOUDFLARE_BASE_URL: cf.url });
      assert.equal(result.code, code, result.stdout + result.stderr);
      assert.match(
        result.stdout,
        new RegExp(
          `tunnel ${name} is healthy \\| cloudflare \\| ${code === 0 ? "✅ pass" : "❌ fail \\| status down"}`,
        ),
      );
      assert.ok(!`${result.stdout}${result.stderr}`.includes("cf-token-5b6c7d8e"));
    }
  });
});
