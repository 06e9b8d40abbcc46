import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
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
 * logs every call, so the tests see which talosctl commands a step issues for a given node state. Its etcd
 * answers are fixtures in the format talosctl prints them: text/tabwriter tables with padding 3
 * (siderolabs/talos@v1.13.9 cmd/talosctl/cmd/talos/etcd.go etcdStatusCmd, etcdMemberListCmd, displayAlarms;
 * member IDs as etcdresource.FormatMemberID, sizes as go-humanize Bytes), and both exit 0 whatever the
 * table says.
 */

const FIXTURES = path.join(__dirname, "../../fixtures/talosctl");

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
  /** Fixture files (tests/fixtures/talosctl) printed by `etcd status`, `etcd members`, `etcd alarm list`. */
  etcdStatus?: string;
  etcdMembers?: string;
  etcdAlarms?: string;
  /** Seconds `get machinestatus` takes to answer (to cancel a step while talosctl runs). */
  slow?: number;
}

const FAKE_TALOSCTL = `#!/usr/bin/env node
const fs = require("fs");
const dir = process.env.FAKE_DIR;
const state = JSON.parse(fs.readFileSync(dir + "/state.json", "utf8"));
const args = process.argv.slice(2);
const config = args[args.indexOf("--talosconfig") + 1];
fs.appendFileSync(dir + "/calls.log", JSON.stringify({ args, config, configText: fs.readFileSync(config, "utf8") }) + "\\n");
const words = [];
let output;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--nodes" || args[i] === "--endpoints" || args[i] === "--talosconfig") i++;
  else if (args[i] === "-o") output = args[++i];
  else words.push(args[i]);
}
const say = (text) => process.stdout.write(text + "\\n");
const print = (fixture) => process.stdout.write(fs.readFileSync(process.env.FIXTURES + "/" + fixture, "utf8"));
if (state.slow && words[0] === "get") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, state.slow * 1000);
const key = words.join(" ") + (output ? " -o " + output : "");
switch (key) {
  case "get machinestatus -o jsonpath={.spec.stage}": say(state.stage ?? "running"); break;
  case "get machinestatus -o jsonpath={.spec.status.ready}": say(String(state.ready ?? true)); break;
  case "get machinestatus -o jsonpath={.spec.status.unmetConditions[*].name}": for (const u of state.unmet ?? []) say(u); break;
  case "get machinestatus -o yaml": say("spec: {}"); break;
  case "etcd status": if (state.etcd === false) process.exit(1); print(state.etcdStatus ?? "etcd-status.txt"); break;
  case "etcd members": print(state.etcdMembers ?? "etcd-members.txt"); break;
  case "etcd alarm list": if (state.etcdAlarms) print(state.etcdAlarms); break;
  case "get version -o jsonpath={.spec.version}": say(state.version); break;
  case "get extensions -o yaml": say("spec:\\n    metadata:\\n        name: schematic\\n        version: " + state.schematic); break;
  case "get kubeletspecs -o jsonpath={.spec.image}": say(state.kubelet); break;
  case "get apiserverconfigs -o jsonpath={.spec.image}": say(state.apiserver); break;
  default:
    if (words[0] === "upgrade") process.stderr.write("watching nodes: [" + process.env.NODE + "]\\n");
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
  /** Files left in the step's TMPDIR. */
  leftBehind: string[];
}

/** A stand-in talosctl on PATH, the node state, and an empty TMPDIR, for one step. */
function sandbox(state: NodeState) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "talosctl-"));
  const tmp = path.join(dir, "tmp");
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(dir, "talosctl"), FAKE_TALOSCTL, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
  const env = (extra: Record<string, string>) => ({
    PATH: `${dir}:${process.env["PATH"]}`,
    TMPDIR: tmp,
    FAKE_DIR: dir,
    FIXTURES,
    NODE: "10.0.0.11",
    NODE_NAME: "cp-1",
    ROLE: "controlplane",
    ETCD_MEMBERS_MIN: "1",
    ETCD_MEMBERS_MAX: "3",
    HEALTH_TIMEOUT_SECONDS: "0",
    SETTLE_SECONDS: "0",
    ...extra,
  });
  const result = (status: number | null, stdout: string, stderr: string): Run => {
    const log = path.join(dir, "calls.log");
    const calls = fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
      : [];
    return { status, stdout, stderr, calls, leftBehind: fs.readdirSync(tmp) };
  };
  return { env, result, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function run(script: string, state: NodeState, env: Record<string, string>): Run {
  const box = sandbox(state);
  try {
    const r = spawnSync("/bin/sh", ["-c", script], {
      input: TALOSCONFIG,
      encoding: "utf8",
      env: box.env(env),
    });
    return box.result(r.status, r.stdout, r.stderr);
  } finally {
    box.remove();
  }
}

/** Runs a step and kills it with SIGKILL, as the command provider cancels one, while talosctl answers. */
async function runCancelled(script: string, state: NodeState): Promise<Run> {
  const box = sandbox(state);
  try {
    const child = spawn("/bin/sh", ["-c", script], { env: box.env({}), stdio: ["pipe", "ignore", "ignore"] });
    child.stdin.end(TALOSCONFIG);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGKILL");
    const status = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return box.result(status, "", "");
  } finally {
    box.remove();
  }
}

const words = (r: Run) => r.calls.map((c) => c.args.join(" "));
const upgrades = (r: Run) => words(r).filter((w) => / upgrade /.test(` ${w} `));

const UPGRADE_ENV = {
  TARGET_VERSION: "v1.13.9",
  TARGET_SCHEMATIC: "abc123",
  TARGET_IMAGE: "factory.talos.dev/metal-installer/abc123:v1.13.9",
  UPGRADE_TIMEOUT: "30m",
  MIN_HOST_VERSION: "v1.11.0",
  DOWNGRADE_LIMIT: "v1.15.0",
  ALLOW_DOWNGRADE: "false",
};

describe("talos rollout scripts", () => {
  it("hand talosctl the talosconfig through a pipe, never a file or its command line", () => {
    const r = run(healthScript("full"), {}, {});
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.calls.length > 0);
    for (const c of r.calls) {
      assert.equal(c.config, "/dev/stdin");
      assert.equal(c.configText, TALOSCONFIG);
      assert.ok(!c.args.slice(2).join(" ").includes("TALOSCONFIG-KEY-MATERIAL"));
      assert.deepEqual(c.args.slice(0, 6), [
        "--talosconfig",
        "/dev/stdin",
        "--nodes",
        "10.0.0.11",
        "--endpoints",
        "10.0.0.11",
      ]);
    }
    assert.deepEqual(r.leftBehind, []);
    assert.ok(
      !r.stdout.includes("TALOSCONFIG-KEY-MATERIAL") && !r.stderr.includes("TALOSCONFIG-KEY-MATERIAL"),
    );
  });

  it("a step killed with SIGKILL while talosctl runs leaves no talosconfig behind", async () => {
    const r = await runCancelled(healthScript("full"), { slow: 5 });
    assert.equal(r.status, null, "killed");
    assert.ok(r.calls.length > 0, "talosctl was running");
    assert.deepEqual(r.leftBehind, []);
  });

  it("health: a changed node must be fully ready with a sound etcd; a new node may wait for the CNI", () => {
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

  it("etcd gate: reads the tables talosctl prints, not its exit code", () => {
    const healthy = run(healthScript("full"), {}, {});
    assert.equal(healthy.status, 0, healthy.stderr);
    assert.deepEqual(
      words(healthy)
        .filter((w) => w.includes(" etcd "))
        .map((w) => w.replace(/^.* etcd /, "etcd ")),
      ["etcd status", "etcd alarm list", "etcd members"],
    );

    const errors = run(healthScript("full"), { etcdStatus: "etcd-status-errors.txt" }, {});
    assert.equal(errors.status, 1);
    assert.match(
      errors.stderr,
      /cp-1 \(10\.0\.0\.11\): not healthy within 0 s: etcd member errors: memberID:6540516497342534050 alarm:NOSPACE/,
    );

    const alarm = run(healthScript("full"), { etcdAlarms: "etcd-alarm-list-nospace.txt" }, {});
    assert.equal(alarm.status, 1);
    assert.match(alarm.stderr, /etcd alarms: .*NOSPACE/);

    const learner = run(healthScript("talos"), { etcdMembers: "etcd-members-learner.txt" }, {});
    assert.equal(learner.status, 1);
    assert.match(learner.stderr, /etcd has a learner member/);

    const stale = run(healthScript("full"), { etcdMembers: "etcd-members-four.txt" }, {});
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /etcd has 4 members, expected 1 to 3/);

    const missing = run(healthScript("full"), {}, { ETCD_MEMBERS_MIN: "4", ETCD_MEMBERS_MAX: "4" });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /etcd has 3 members, expected 4 to 4/);

    assert.equal(
      run(healthScript("full"), { etcdStatus: "etcd-status-errors.txt" }, { ROLE: "worker" }).status,
      0,
    );
  });

  it("upgrade: a node already on the target is only health-checked", () => {
    const r = run(UPGRADE_SCRIPT, { version: "v1.13.9", schematic: "abc123" }, UPGRADE_ENV);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(upgrades(r), []);
    assert.match(r.stdout, /already runs factory\.talos\.dev\/metal-installer\/abc123:v1\.13\.9/);
  });

  it("upgrade: a node on an older release is upgraded with the factory installer and verified, its progress on stdout", () => {
    const r = run(
      UPGRADE_SCRIPT,
      { version: "v1.12.7", schematic: "abc123", upgradesTo: { version: "v1.13.9", schematic: "abc123" } },
      UPGRADE_ENV,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(upgrades(r), [
      "--talosconfig /dev/stdin --nodes 10.0.0.11 --endpoints 10.0.0.11 upgrade --image factory.talos.dev/metal-installer/abc123:v1.13.9 --wait --timeout 30m",
    ]);
    assert.match(r.stdout, /watching nodes: \[10\.0\.0\.11\]/);
    assert.equal(r.stderr, "");
  });

  it("upgrade: a new schematic on the same release is an upgrade too", () => {
    const r = run(
      UPGRADE_SCRIPT,
      { version: "v1.13.9", schematic: "old", upgradesTo: { version: "v1.13.9", schematic: "abc123" } },
      UPGRADE_ENV,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(upgrades(r).length, 1);
  });

  it("upgrade: refuses a downgrade before it touches the node, unless the stack allows it", () => {
    const typo = {
      ...UPGRADE_ENV,
      TARGET_VERSION: "v1.12.6",
      TARGET_IMAGE: "factory.talos.dev/metal-installer/abc123:v1.12.6",
    };
    const refused = run(
      UPGRADE_SCRIPT,
      { version: "v1.13.9", schematic: "abc123", upgradesTo: { version: "v1.12.6", schematic: "abc123" } },
      typo,
    );
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /cp-1 \(10\.0\.0\.11\): runs Talos v1\.13\.9, newer than the declared v1\.12\.6: refusing to downgrade; correct cluster\.talos\.talosVersion, or set cluster\.talos\.rollout\.allowDowngrade: true/,
    );
    assert.deepEqual(upgrades(refused), []);
    const allowed = run(
      UPGRADE_SCRIPT,
      { version: "v1.13.9", schematic: "abc123", upgradesTo: { version: "v1.12.6", schematic: "abc123" } },
      { ...typo, ALLOW_DOWNGRADE: "true", MIN_HOST_VERSION: "v1.10.0", DOWNGRADE_LIMIT: "v1.14.0" },
    );
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.equal(upgrades(allowed).length, 1);
    const tooFar = run(
      UPGRADE_SCRIPT,
      { version: "v1.14.1", schematic: "abc123" },
      { ...typo, ALLOW_DOWNGRADE: "true", DOWNGRADE_LIMIT: "v1.14.0" },
    );
    assert.equal(tooFar.status, 1);
    assert.match(tooFar.stderr, /cannot be downgraded to v1\.12\.6/);
  });

  it("upgrade: stops on a node too old for the target's installer, or one that ends up elsewhere", () => {
    const stray = run(UPGRADE_SCRIPT, { version: "v1.10.2", schematic: "abc123" }, UPGRADE_ENV);
    assert.equal(stray.status, 1);
    assert.match(
      stray.stderr,
      /runs Talos v1\.10\.2, which cannot be upgraded to v1\.13\.9 \(needs v1\.11\.0 or later\)/,
    );
    assert.deepEqual(upgrades(stray), []);
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
    assert.deepEqual(upgrades(r), []);
  });

  it("kubernetes: runs upgrade-k8s once unless every kubelet and API server already runs the target", () => {
    const env = {
      TO_VERSION: "1.36.3",
      NODES: "10.0.0.11,10.0.0.12",
      CONTROL_PLANES: "10.0.0.11",
      MAINTENANCE_NODES: "",
    };
    const done = run(
      KUBERNETES_UPGRADE_SCRIPT,
      { kubelet: "ghcr.io/siderolabs/kubelet:v1.36.3", apiserver: "registry.k8s.io/kube-apiserver:v1.36.3" },
      env,
    );
    assert.equal(done.status, 0, done.stderr);
    assert.ok(!words(done).some((w) => w.includes("upgrade-k8s")));
    const behindState = {
      kubelet: "ghcr.io/siderolabs/kubelet:v1.35.4",
      apiserver: "registry.k8s.io/kube-apiserver:v1.36.3",
    };
    const behind = run(KUBERNETES_UPGRADE_SCRIPT, behindState, env);
    assert.equal(behind.status, 0, behind.stderr);
    assert.deepEqual(
      words(behind).filter((w) => w.includes("upgrade-k8s")),
      [
        "--talosconfig /dev/stdin --nodes 10.0.0.11 --endpoints 10.0.0.11 upgrade-k8s --to 1.36.3 --with-docs=false --with-examples=false",
      ],
    );
    const maintenance = run(KUBERNETES_UPGRADE_SCRIPT, behindState, { ...env, MAINTENANCE_NODES: "node-14" });
    assert.equal(maintenance.status, 1);
    assert.match(
      maintenance.stderr,
      /nodes under maintenance \(node-14\) while Kubernetes changes to 1\.36\.3/,
    );
    assert.ok(!words(maintenance).some((w) => w.includes("upgrade-k8s")));
  });

  it("creating an upgrade step contacts no node", () => {
    const r = run(RECORD_ONLY_SCRIPT, {}, UPGRADE_ENV);
    assert.equal(r.status, 0);
    assert.deepEqual(r.calls, []);
  });
});
