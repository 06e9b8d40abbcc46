import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KubeConfig } from "@kubernetes/client-node";
import { PreflightReport, runPreflight } from "../../live/preflight";
import type { Finding } from "../../live/preflight/findings";
import { loadSnapshot } from "../../live/preflight/liveState";
import { jsonReport, markdownReport } from "../../live/preflight/report";
import { plannedState } from "../../live/plan";
import { takeSnapshot } from "../../live/snapshot";
import { snapshotTargets } from "../../live/targets";
import type { Recording } from "../../recording/runtime";
import { adoptionOn } from "../support/adoption";
import { writeCleanControl } from "../support/cleanControl";
import { runNpm } from "../support/commands";
import { helmReleaseSecret } from "../support/liveState";
import {
  cloudflareApi,
  kubernetesApi,
  serve,
  talosctlStandIn,
  writeKubeconfig,
} from "../support/liveServers";
import { recordedStack, recordVariant } from "../support/record";
import { stackConfig } from "../support/stacks";

/*
 * The preflight against the live state of both clusters as their current systems left it (tests/fixtures/live),
 * against a clean control that matches the plan, and end to end from loopback servers.
 */

type Obj = Record<string, unknown>;

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "live");

function preflight(
  stack: "rooster" | "homeops",
  recording: Recording,
  snapshot: string,
  adoptionRun = false,
): PreflightReport {
  return runPreflight({
    plan: plannedState(recording),
    live: loadSnapshot(snapshot),
    talosNodes: snapshotTargets(plannedState(recording), stackConfig(stack)).talosNodes,
    adoptionRun,
  });
}

const blockers = (r: PreflightReport) => r.findings.filter((f) => f.severity === "blocker");
const find = (r: PreflightReport, area: string, object: string): Finding[] =>
  r.findings.filter((f) => f.area === area && f.object === object);

describe("preflight: homeops against its live state (Flux, kgateway, helmfile's Cilium, external-dns)", function () {
  this.timeout(120_000);
  let report: PreflightReport;
  before(
    async () =>
      (report = preflight("homeops", await recordedStack("homeops"), path.join(FIXTURES, "homeops"))),
  );

  it("is blocked", () => assert.equal(report.exitCode, 1));

  it("names the GatewayClass owner", () => {
    const [f] = find(report, "controllers", "GatewayClass agentgateway");
    assert.equal(f!.severity, "blocker");
    assert.match(
      f!.message,
      /owned by kgateway\.dev\/agentgateway \(installed by Helm release ai-system\/agentgateway, HelmRelease ai-system\/agentgateway \(reconciling\)\)/,
    );
  });

  it("names every Cilium value the run would drop, and the chart version change", () => {
    const f = find(report, "helm", "release kube-system/cilium").find((x) => x.changes !== undefined)!;
    const dropped = f.changes!.filter((c) => c.note?.startsWith("dropped")).map((c) => c.path);
    for (const value of [
      "values.loadBalancer.mode",
      "values.routingMode",
      "values.ipv4NativeRoutingCIDR",
      "values.bpf.masquerade",
      "values.autoDirectNodeRoutes",
    ])
      assert.ok(dropped.includes(value), value);
    assert.deepEqual(
      f.changes!.find((c) => c.path === "chart"),
      {
        path: "chart",
        live: "cilium 1.18.4",
        planned: "cilium 1.20.1",
        note: "the chart moves to the pinned version",
      },
    );
    assert.ok(
      find(report, "helm", "release kube-system/cilium").some((x) =>
        /HelmRelease kube-system\/cilium \(reconciling\)/.test(x.message),
      ),
    );
  });

  it("names the DNS record external-dns made, its id to import and its ownership record", () => {
    const f = find(report, "cloudflare", "DNS record ai.sklab.dev (CNAME)");
    assert.ok(
      f.some((x) => x.severity === "blocker" && /id 8d1b4c2a9e3f4a6b7c5d0e1f2a3b4c5d/.test(x.message)),
    );
    assert.ok(
      f.some(
        (x) => x.severity === "blocker" && /external-dns owns it \(TXT cname-ai\.sklab\.dev/.test(x.message),
      ),
    );
  });

  it("cuts off no workload of the shared network namespace", () => {
    assert.deepEqual(
      report.findings.filter((f) => f.area === "network-policy"),
      [],
    );
  });

  it("names the network workloads a namespace-wide default-deny would cut off, had the namespace not been declared shared", async () => {
    const unshared = preflight(
      "homeops",
      await recordVariant({ base: "homeops", delete: ["cluster.sharedNamespaces"] }),
      path.join(FIXTURES, "homeops"),
    );
    const cut = unshared.findings.filter((f) => f.area === "network-policy").map((f) => f.object);
    for (const workload of [
      "Deployment network/cloudflare-dns",
      "Deployment network/cloudflare-tunnel",
      "Deployment network/k8s-gateway",
    ])
      assert.ok(cut.includes(workload), workload);
  });
});

describe("preflight: rooster against its live state (ArgoCD, talhelper, Terraform's BIG-IP objects)", function () {
  this.timeout(120_000);

  it("as the stack stands: names the unmapped VIP collisions, the pool member missing behind one, and the objects ArgoCD re-applies", async () => {
    const report = preflight("rooster", await recordedStack("rooster"), path.join(FIXTURES, "rooster"));
    assert.equal(report.exitCode, 1);
    const vip = find(report, "bigip", "BIG-IP virtual server /Common/maniak-rooster-xai-8081-vs")[0]!;
    assert.match(vip.message, /VIP 172\.16\.20\.122:8081 is served by \/Common\/tf_xai-8081_vs/);
    assert.match(
      vip.message,
      // The block's node mapping holds with the run off: the node keeps the name Terraform gave it.
      /172\.16\.10\.136:31990 \(node \/Common\/172\.16\.10\.136\) is not in \/Common\/tf_xai-8081_pool/,
    );
    const gateway = find(report, "kubernetes", "Gateway agentgateway-system/agentgateway-proxy")[0]!;
    assert.match(
      gateway.message,
      /Application argocd\/llm-gateways \(automated sync, selfHeal; argocd\.argoproj\.io\/tracking-id: llm-gateways:/,
    );
  });

  it("on the adoption run: blocks on the missing pool member, the VIP listed as new that BIG-IP serves, and ArgoCD's objects", async () => {
    const edits = adoptionOn("rooster");
    const vips = { ...(edits.set["adoption.bigip.vips"] as Obj) };
    delete vips["github-8092"];
    edits.set["adoption.bigip.vips"] = vips;
    edits.set["adoption.bigip.create"] = ["vip/github-8092"];
    const report = preflight("rooster", await recordVariant(edits), path.join(FIXTURES, "rooster"), true);
    assert.equal(report.exitCode, 1);
    const member = find(
      report,
      "bigip",
      "BIG-IP pool member /Common/172.16.10.136:31990 in /Common/tf_xai-8081_pool",
    )[0]!;
    assert.deepEqual([member.action, member.severity], ["blocked", "blocker"]);
    assert.match(
      find(report, "bigip", "BIG-IP virtual server /Common/maniak-rooster-github-8092-vs")[0]!.message,
      /served by \/Common\/tf_github-8092_vs/,
    );
    const argo = blockers(report).filter(
      (f) => f.area === "kubernetes" && /Application argocd\/[a-z-]+ \(automated sync/.test(f.message),
    );
    const apps = new Set(argo.map((f) => /Application argocd\/([a-z-]+)/.exec(f.message)![1]));
    for (const app of [
      "llm-gateways",
      "xai-gateway",
      "mcp-servers",
      "kagent-agents",
      "kagent-tool-servers",
      "kagent-slack-bot",
    ])
      assert.ok(apps.has(app), app);
    const slack = find(report, "kubernetes", "Deployment agentgateway-system/mcp-slack")[0]!;
    assert.match(slack.message, /spec\.selector \(immutable\)/);
    const cilium = find(report, "helm", "release kube-system/cilium")[0]!;
    assert.equal(cilium.action, "take-over-with-changes");
    assert.ok(
      cilium.changes!.some((c) => c.path === "values.externalIPs.enabled" && c.note?.startsWith("dropped")),
    );
  });
});

describe("preflight: the clean control (the live state the plan leaves)", function () {
  this.timeout(120_000);
  for (const stack of ["homeops", "rooster"] as const)
    it(`${stack}: nothing to do, no blocker`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `clean-${stack}-`));
      try {
        const recording = await recordedStack(stack);
        writeCleanControl(
          plannedState(recording),
          snapshotTargets(plannedState(recording), stackConfig(stack)).talosNodes,
          dir,
        );
        const report = preflight(stack, recording, dir);
        const notClean = report.findings.filter((f) => f.severity !== "info");
        assert.deepEqual(
          notClean.map((f) => `${f.area} ${f.object}: ${f.message}`),
          [],
        );
        assert.equal(report.exitCode, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe("`npm run preflight`", function () {
  this.timeout(180_000);
  for (const [stack, expected] of [
    ["homeops", /BLOCKER controllers GatewayClass agentgateway: is owned by kgateway\.dev\/agentgateway/],
    ["rooster", /BLOCKER bigip BIG-IP virtual server \/Common\/maniak-rooster-solo-8080-vs/],
  ] as const)
    it(`${stack} --snapshot <fixture>: exit 1, the blockers printed, the Markdown and JSON reports written`, async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-out-"));
      try {
        const run = await runNpm(["preflight", "--", stack, "--snapshot", path.join(FIXTURES, stack)], {
          ...process.env,
          PLAN_OUT_DIR: out,
        });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stdout, expected);
        const md = fs.readFileSync(path.join(out, stack, "preflight.md"), "utf8");
        assert.ok(
          md.indexOf("## Blockers") < md.indexOf("## Actions") &&
            md.indexOf("## Actions") < md.indexOf("## Changes"),
        );
        const json = JSON.parse(fs.readFileSync(path.join(out, stack, "preflight.json"), "utf8")) as Obj;
        assert.equal(json["exitCode"], 1);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
});

describe("preflight end to end from loopback servers: no secret in the snapshot or the report", function () {
  this.timeout(120_000);

  it("hashes every secret the live systems hold on its way to the report", async () => {
    const raw = {
      openai: "sk-live-RAW-openai",
      helm: "RAW-helm-password",
      token: "RAW.talostoken000",
      tunnel: "UkFXLXR1bm5lbC1zZWNyZXQ=",
    };
    const fixture = (file: string) =>
      JSON.parse(fs.readFileSync(path.join(FIXTURES, "homeops", file), "utf8")) as {
        items?: Obj[];
        result?: Obj[];
      };
    const objects = fs
      .readdirSync(path.join(FIXTURES, "homeops", "kubernetes"))
      .flatMap((f) => fixture(`kubernetes/${f}`).items ?? [])
      .filter((o) => o["kind"] !== "Secret");
    objects.push(
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "openai-api-key", namespace: "ai-system" },
        data: { Authorization: Buffer.from(raw.openai).toString("base64") },
      },
      helmReleaseSecret({
        name: "cilium",
        namespace: "kube-system",
        version: 5,
        info: { status: "deployed" },
        chart: { metadata: { name: "cilium", version: "1.18.4" } },
        config: { clustermesh: { apiserver: { tls: { password: raw.helm } } } },
      }),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-"));
    const kube = await serve(kubernetesApi(objects, "tok"));
    const cloudflare = await serve(
      cloudflareApi(
        {
          zones: [{ id: "z", name: "sklab.dev" }],
          dnsRecords: { z: fixture("cloudflare/dns_records.json").result! },
          tunnels: { acct: [{ id: "t", name: "kubernetes", deleted_at: null, tunnel_secret: raw.tunnel }] },
        },
        "cf",
      ),
    );
    const outputs = path.join(dir, "talos");
    for (const [node, address] of [
      ["home-01", "10.50.0.11"],
      ["home-02", "10.50.0.12"],
      ["home-03", "10.50.0.13"],
    ]) {
      fs.mkdirSync(path.join(outputs, address!), { recursive: true });
      for (const r of ["version", "extensions"])
        fs.copyFileSync(
          path.join(FIXTURES, "homeops", "talos", node!, `${r}.yaml`),
          path.join(outputs, address!, `${r}.yaml`),
        );
      fs.writeFileSync(
        path.join(outputs, address!, "machineconfig.yaml"),
        `node: ${address}\nmetadata: {id: v1alpha1}\nspec: |\n    machine:\n      token: ${raw.token}\n`,
      );
    }
    const bin = talosctlStandIn(outputs);
    try {
      const recording = await recordedStack("homeops");
      const plan = plannedState(recording);
      const targets = snapshotTargets(plan, stackConfig("homeops"));
      const snap = path.join(dir, "snap");
      await takeSnapshot(targets, snap, {
        kubeconfig: () => {
          const kc = new KubeConfig();
          kc.loadFromFile(writeKubeconfig(dir, kube.url, "tok"));
          return kc;
        },
        talos: { talosctl: path.join(bin, "talosctl") },
        env: {
          CLOUDFLARE_API_TOKEN: "cf",
          CLOUDFLARE_ACCOUNT_ID: "acct",
          CLOUDFLARE_BASE_URL: `${cloudflare.url}/client/v4`,
        },
        op: () => Promise.reject(new Error("no 1Password here")),
        log: () => undefined,
      });
      const report = runPreflight({
        plan,
        live: loadSnapshot(snap),
        talosNodes: targets.talosNodes,
        adoptionRun: false,
      });
      assert.equal(report.exitCode, 1);
      const texts = [
        ...fs
          .readdirSync(snap, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8")),
        markdownReport(report),
        JSON.stringify(jsonReport(report)),
      ];
      for (const secret of [
        ...Object.values(raw),
        Buffer.from(raw.openai).toString("base64"),
        ...recording.secretValues,
      ])
        assert.ok(
          texts.every((t) => !t.includes(secret)),
          secret,
        );
    } finally {
      await kube.close();
      await cloudflare.close();
      fs.rmSync(bin, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
