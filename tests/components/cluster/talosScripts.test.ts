import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  healthScript,
  KUBERNETES_UPGRADE_SCRIPT,
  RECORD_ONLY_SCRIPT,
  UPGRADE_SCRIPT,
} from "../../../components/cluster/talosScripts";

/*
 * The rollout's shell steps run against a stand-in `talosctl` that answers from a node state file and
 * logs every call, so the tests see which talosctl commands a step issues for a given node state.
 */

interface NodeState {
  stage?: string;
  ready?: boolean;
  unmet?: string[];
  etcd?: boolean;
  version?: string;
  schematic?: string;
  kubelet?: string;
  apiserver?: string;
  /** Version and schematic the node reports after `talosctl upgrade`. */
  upgradesTo?: { version: string; schematic: string };
}

const FAKE_TALOSCTL = `#!/usr/bin/env node
const fs = require("fs");
const dir = process.env.FAKE_DIR;
const state = JSON.parse(fs.readFileSync(dir + "/state.json", "utf8"));
const args = process.argv.slice(2);
const config = process.env.TALOSCONFIG;
fs.appendFileSync(dir + "/calls.log", JSON.stringify({ args, config, configText: fs.readFileSync(config, "utf8") }) + "\\n");
const words = [];
let output;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--nodes" || args[i] === "--endpoints") i++;
  else if (args[i] === "-o") output = args[++i];
  else words.push(args[i]);
}
const say = (text) => process.stdout.write(text + "\\n");
const key = words.join(" ") + (output ? " -o " + output : "");
switch (key) {
  case "get machinestatus -o jsonpath={.spec.stage}": say(state.stage ?? "running"); break;
  case "get machinestatus -o jsonpath={.spec.status.ready}": say(String(state.ready ?? true)); break;
  case "get machinestatus -o jsonpath={.spec.status.unmetConditions[*].name}": for (const u of state.unmet ?? []) say(u); break;
  case "get machinestatus -o yaml": say("spec: {}"); break;
  case "etcd status": process.exit(state.etcd === false ? 1 : 0);
  case "get version -o jsonpath={.spec.version}": say(state.version); break;
  case "get extensions -o yaml": say("spec:\\n    metadata:\\n        name: schematic\\n        version: " + state.schematic); break;
  case "get kubeletspecs -o jsonpath={.spec.image}": say(state.kubelet); break;
  case "get apiserverconfigs -o jsonpath={.spec.image}": say(state.apiserver); break;
  default:
    if (words[0] === "upgrade" && state.upgradesTo) {
      state.version = state.upgradesTo.version;
      state.schematic = state.upgradesTo.schematic;
      fs.writeFileSync(dir + "/state.json", JSON.stringify(state));
    } else if (words[0] !== "upgrade-k8s") {
      process.stderr.write("unexpected talosctl call: " + key + "\\n");
      process.exit(2);
    }
}
`;

const TALOSCONFIG = "context: c\ncontexts: {c: {key: TALOSCONFIG-KEY-MATERIAL}}\n";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Array<{ args: string[]; config: string; configText: string }>;
}

function run(script: string, state: NodeState, env: Record<string, string>): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "talosctl-"));
  try {
    fs.writeFileSync(path.join(dir, "talosctl"), FAKE_TALOSCTL, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
    const result = spawnSync("/bin/sh", ["-c", script], {
      input: TALOSCONFIG,
      encoding: "utf8",
      env: {
        PATH: `${dir}:${process.env["PATH"]}`,
        FAKE_DIR: dir,
        NODE: "10.0.0.11",
        NODE_NAME: "cp-1",
        ROLE: "controlplane",
        HEALTH_TIMEOUT_SECONDS: "0",
        SETTLE_SECONDS: "0",
        ...env,
      },
    });
    const log = path.join(dir, "calls.log");
    const calls = fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
      : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const words = (r: Run) => r.calls.map((c) => c.args.join(" "));

const UPGRADE_ENV = {
  CURRENT_VERSION: "v1.12.7",
  TARGET_VERSION: "v1.13.9",
  TARGET_SCHEMATIC: "abc123",
  TARGET_IMAGE: "factory.talos.dev/metal-installer/abc123:v1.13.9",
  UPGRADE_TIMEOUT: "30m",
};

describe("talos rollout scripts", () => {
  it("hand talosctl the talosconfig through a private file that is gone afterwards, never on its command line", () => {
    const r = run(healthScript("full"), {}, {});
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.calls.length > 0);
    for (const c of r.calls) {
      assert.equal(c.configText, TALOSCONFIG);
      assert.ok(!c.args.join(" ").includes("TALOSCONFIG-KEY-MATERIAL"));
      assert.ok(!fs.existsSync(c.config), "temporary talosconfig removed");
    }
    assert.ok(
      !r.stdout.includes("TALOSCONFIG-KEY-MATERIAL") && !r.stderr.includes("TALOSCONFIG-KEY-MATERIAL"),
    );
    for (const c of r.calls)
      assert.deepEqual(c.args.slice(0, 4), ["--nodes", "10.0.0.11", "--endpoints", "10.0.0.11"]);
  });

  it("health: a changed node must be fully ready with its etcd member answering; a new node may wait for the CNI", () => {
    const noCni: NodeState = { ready: false, unmet: ["nodeReady"] };
    assert.equal(run(healthScript("talos"), noCni, {}).status, 0);
    assert.equal(run(healthScript("full"), noCni, {}).status, 1);
    assert.equal(
      run(healthScript("talos"), { ready: false, unmet: ["nodeReady", "services"] }, {}).status,
      1,
    );
    assert.equal(run(healthScript("full"), { etcd: false }, {}).status, 1);
    assert.equal(run(healthScript("full"), { etcd: false }, { ROLE: "worker" }).status, 0);
    assert.equal(run(healthScript("full"), { stage: "rebooting" }, {}).status, 1);
  });

  it("upgrade: a node already on the target is only health-checked", () => {
    const r = run(UPGRADE_SCRIPT, { version: "v1.13.9", schematic: "abc123" }, UPGRADE_ENV);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!words(r).some((w) => w.includes(" upgrade ")), words(r).join("\n"));
    assert.match(r.stdout, /already runs factory\.talos\.dev\/metal-installer\/abc123:v1\.13\.9/);
  });

  it("upgrade: a node on the current release is upgraded with the factory installer and verified", () => {
    const r = run(
      UPGRADE_SCRIPT,
      { version: "v1.12.7", schematic: "abc123", upgradesTo: { version: "v1.13.9", schematic: "abc123" } },
      UPGRADE_ENV,
    );
    assert.equal(r.status, 0, r.stderr);
    const upgrades = words(r).filter((w) => w.includes(" upgrade "));
    assert.deepEqual(upgrades, [
      "--nodes 10.0.0.11 --endpoints 10.0.0.11 upgrade --image factory.talos.dev/metal-installer/abc123:v1.13.9 --wait --timeout 30m",
    ]);
  });

  it("upgrade: a new schematic on the same release is an upgrade too", () => {
    const r = run(
      UPGRADE_SCRIPT,
      { version: "v1.13.9", schematic: "old", upgradesTo: { version: "v1.13.9", schematic: "abc123" } },
      UPGRADE_ENV,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(words(r).filter((w) => w.includes(" upgrade ")).length, 1);
  });

  it("upgrade: stops on a node that runs neither the current nor the target release, or ends up elsewhere", () => {
    const stray = run(UPGRADE_SCRIPT, { version: "v1.11.2", schematic: "abc123" }, UPGRADE_ENV);
    assert.equal(stray.status, 1);
    assert.match(
      stray.stderr,
      /runs Talos v1\.11\.2, but cluster\.talos\.current\.talosVersion is v1\.12\.7/,
    );
    assert.ok(!words(stray).some((w) => w.includes(" upgrade ")));
    const failed = run(
      UPGRADE_SCRIPT,
      { version: "v1.12.7", schematic: "abc123", upgradesTo: { version: "v1.12.7", schematic: "abc123" } },
      UPGRADE_ENV,
    );
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /runs v1\.12\.7 after the upgrade/);
  });

  it("upgrade: never upgrades a node that is not healthy first", () => {
    const r = run(UPGRADE_SCRIPT, { version: "v1.12.7", schematic: "abc123", ready: false }, UPGRADE_ENV);
    assert.equal(r.status, 1);
    assert.ok(!words(r).some((w) => w.includes(" upgrade ")));
  });

  it("kubernetes: runs upgrade-k8s once unless every kubelet and API server already runs the target", () => {
    const env = { TO_VERSION: "1.36.3", NODES: "10.0.0.11,10.0.0.12", CONTROL_PLANES: "10.0.0.11" };
    const done = run(
      KUBERNETES_UPGRADE_SCRIPT,
      { kubelet: "ghcr.io/siderolabs/kubelet:v1.36.3", apiserver: "registry.k8s.io/kube-apiserver:v1.36.3" },
      env,
    );
    assert.equal(done.status, 0, done.stderr);
    assert.ok(!words(done).some((w) => w.includes("upgrade-k8s")));
    const behind = run(
      KUBERNETES_UPGRADE_SCRIPT,
      { kubelet: "ghcr.io/siderolabs/kubelet:v1.35.4", apiserver: "registry.k8s.io/kube-apiserver:v1.36.3" },
      env,
    );
    assert.equal(behind.status, 0, behind.stderr);
    assert.deepEqual(
      words(behind).filter((w) => w.includes("upgrade-k8s")),
      [
        "--nodes 10.0.0.11 --endpoints 10.0.0.11 upgrade-k8s --to 1.36.3 --with-docs=false --with-examples=false",
      ],
    );
  });

  it("creating an upgrade step contacts no node", () => {
    const r = run(RECORD_ONLY_SCRIPT, {}, UPGRADE_ENV);
    assert.equal(r.status, 0);
    assert.deepEqual(r.calls, []);
  });
});
