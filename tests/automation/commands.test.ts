import * as pulumi from "@pulumi/pulumi";
import { DiffKind, EngineEvent, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AutomationStackRunner, localBackendEnv, pulumiOnPath } from "../../automation/automationRunner";
import {
  CommandIO,
  driftCommand,
  main,
  parseCommandLine,
  previewCommand,
  PULUMI_CLI_MISSING,
  runDrift,
  runPreview,
} from "../../automation/commands";
import {
  changedKeys,
  OperationReport,
  reportFromEvents,
  ResourceStep,
  StackRunner,
} from "../../automation/runner";
import {
  DRIFT_CAVEATS,
  driftJson,
  driftMarkdown,
  EXIT,
  previewMarkdown,
  summarizeDrift,
  summarizePreview,
} from "../../automation/summary";
import { listStacks, PROJECT_ROOT } from "../../recording/stackFile";

const URN = "urn:pulumi:rooster::ai-platform::";

function step(op: string, type: string, name: string, extra: Partial<ResourceStep> = {}): ResourceStep {
  return {
    op,
    urn: `${URN}${type}::${name}`,
    type,
    protect: false,
    retainOnDelete: false,
    diffs: [],
    replaceKeys: [],
    gone: false,
    ...extra,
  };
}

function report(steps: ResourceStep[], extra: Partial<OperationReport> = {}): OperationReport {
  return { steps, policies: [], changeSummary: {}, ...extra };
}

const deployment = "kubernetes:apps/v1:Deployment";
const namespace = "kubernetes:core/v1:Namespace";

function preEvent(
  op: OpType,
  type: string,
  name: string,
  meta: Partial<StepEventMetadata> = {},
): EngineEvent {
  return {
    sequence: 0,
    timestamp: 0,
    resourcePreEvent: { metadata: { op, urn: `${URN}${type}::${name}`, type, provider: "", ...meta } },
  };
}

class FakeIO implements CommandIO {
  env: Record<string, string | undefined> = {};
  out = "";
  err = "";
  files = new Map<string, string>();
  stdout(text: string) {
    this.out += text;
  }
  stderr(text: string) {
    this.err += text;
  }
  appendFile(file: string, text: string) {
    this.files.set(file, (this.files.get(file) ?? "") + text);
  }
  writeFile(file: string, text: string) {
    this.files.set(file, text);
  }
}

class FakeRunner implements StackRunner {
  calls: string[] = [];
  constructor(private readonly reports: Record<string, OperationReport | Error>) {}
  private answer(stack: string): Promise<OperationReport> {
    this.calls.push(stack);
    const r = this.reports[stack];
    if (r === undefined) return Promise.reject(new Error(`no report for ${stack}`));
    return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
  }
  preview(stack: string) {
    return this.answer(stack);
  }
  previewRefresh(stack: string) {
    return this.answer(stack);
  }
}

describe("automation: engine events", () => {
  it("collects steps, diffs, protection and policy findings", () => {
    const events: EngineEvent[] = [
      preEvent("create", deployment, "web"),
      preEvent("update", deployment, "api", {
        detailedDiff: { "spec.replicas": { diffKind: DiffKind.update, inputDiff: true } },
      }),
      preEvent("replace", namespace, "apps", { keys: ["metadata"], old: { protect: true } as never }),
      {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          message: "image is not pinned\n",
          color: "",
          policyName: "pinned-images",
          policyPackName: "ai-platform",
          policyPackVersion: "",
          policyPackVersionTag: "",
          enforcementLevel: "mandatory",
          resourceUrn: `${URN}${deployment}::web`,
        },
      },
    ];
    const { steps, policies } = reportFromEvents(events);
    assert.deepEqual(
      steps.map((s) => [s.op, s.type, s.protect, s.diffs, s.replaceKeys]),
      [
        ["create", deployment, false, [], []],
        ["update", deployment, false, ["spec"], []],
        ["replace", namespace, true, [], ["metadata"]],
      ],
    );
    assert.deepEqual(policies, [
      {
        pack: "ai-platform",
        policy: "pinned-images",
        level: "mandatory",
        message: "image is not pinned",
        urn: `${URN}${deployment}::web`,
      },
    ]);
  });

  it("derives refresh drift from read-back inputs and missing resources", () => {
    assert.deepEqual(changedKeys({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 }, d: true }), ["b", "d"]);
    const { steps } = reportFromEvents([
      preEvent("refresh", deployment, "web", {
        old: { inputs: { spec: { replicas: 2 } } } as never,
        new: { inputs: { spec: { replicas: 5 } } } as never,
      }),
      preEvent("refresh", deployment, "gone", { old: { inputs: { spec: {} } } as never }),
      preEvent("refresh", deployment, "same", {
        old: { inputs: { spec: {} } } as never,
        new: { inputs: { spec: {} } } as never,
      }),
    ]);
    assert.deepEqual(
      steps.map((s) => [s.urn.split("::").pop(), s.diffs, s.gone]),
      [
        ["web", ["spec"], false],
        ["gone", ["spec"], true],
        ["same", [], false],
      ],
    );
  });
});

describe("automation: preview summary and exit codes", () => {
  it("no changes: status no-changes, exit 0", () => {
    const result = summarizePreview(
      "homeops",
      report([step("same", deployment, "web"), step("create", "pulumi:pulumi:Stack", "ai-platform-homeops")]),
    );
    assert.equal(result.status, "no-changes");
    assert.deepEqual(result.counts, { create: 0, update: 0, replace: 0, delete: 0 });
    assert.equal(previewMarkdown([result]).includes("No changes."), true);
  });

  it("changes: counts per type, replace sub-steps counted once, exit 2 through runPreview", async () => {
    const steps = [
      step("create", deployment, "a"),
      step("create", deployment, "b"),
      step("update", "kubernetes:core/v1:Service", "a"),
      step("replace", "talos:machine/configurationApply:ConfigurationApply", "cp-1", {
        replaceKeys: ["node"],
      }),
      step("create-replacement", "talos:machine/configurationApply:ConfigurationApply", "cp-1"),
      step("delete-replaced", "talos:machine/configurationApply:ConfigurationApply", "cp-1"),
      step("delete", "kubernetes:core/v1:ConfigMap", "old"),
    ];
    const result = summarizePreview("rooster", report(steps));
    assert.equal(result.status, "changes");
    assert.deepEqual(result.counts, { create: 2, update: 1, replace: 1, delete: 1 });
    assert.deepEqual(result.byType[deployment], { create: 2, update: 0, replace: 0, delete: 0 });
    assert.deepEqual(result.hazards, []);
    const io = new FakeIO();
    const { exitCode } = await runPreview(new FakeRunner({ rooster: report(steps) }), ["rooster"], io);
    assert.equal(exitCode, EXIT.changes);
    assert.equal(exitCode, 2);
    assert.ok(io.out.includes("| rooster | changes | 2 | 1 | 1 | 1 | 0 |"), io.out);
    assert.ok(io.out.includes("| `kubernetes:apps/v1:Deployment` | 2 | 0 | 0 | 0 |"), io.out);
  });

  it("calls out replaces and deletes of protected or stateful resources", () => {
    const result = summarizePreview(
      "rooster",
      report([
        step("replace", namespace, "apps", { protect: true, replaceKeys: ["metadata"] }),
        step("delete", "kubernetes:core/v1:PersistentVolumeClaim", "data"),
        step("replace", deployment, "web", { replaceKeys: ["spec"] }),
        step("delete", "talos:machine/secrets:Secrets", "secrets", { protect: true }),
      ]),
    );
    assert.deepEqual(
      result.hazards.map((h) => [h.op, h.type, h.reasons]),
      [
        ["replace", namespace, ["protected", "stateful", "replaced because of metadata"]],
        ["delete", "kubernetes:core/v1:PersistentVolumeClaim", ["stateful"]],
        ["delete", "talos:machine/secrets:Secrets", ["protected", "stateful"]],
      ],
    );
    const md = previewMarkdown([result]);
    assert.ok(md.includes("**Replaces or deletes of protected or stateful resources:**"));
    assert.ok(
      md.includes(
        "- **replace** `kubernetes:core/v1:Namespace` `apps` (protected; stateful; replaced because of metadata)",
      ),
    );
  });

  it("policy violations: advisory ones are listed, mandatory ones make the stack an error", () => {
    const advisory = {
      pack: "ai-platform",
      policy: "required-labels",
      level: "advisory",
      message: "missing | labels",
      urn: `${URN}${deployment}::web`,
    };
    const withAdvisory = summarizePreview(
      "rooster",
      report([step("create", deployment, "web")], { policies: [advisory] }),
    );
    assert.equal(withAdvisory.status, "changes");
    const md = previewMarkdown([withAdvisory]);
    assert.ok(md.includes("| advisory | ai-platform/required-labels | web | missing \\| labels |"), md);
    const mandatory = summarizePreview(
      "rooster",
      report([step("create", deployment, "web")], { policies: [{ ...advisory, level: "mandatory" }] }),
    );
    assert.equal(mandatory.status, "error");
    assert.equal(mandatory.error, "1 mandatory policy violation(s)");
  });

  it("errors: a failed preview or a runner that throws is exit 1, and an error wins over changes", async () => {
    const io = new FakeIO();
    io.env["GITHUB_STEP_SUMMARY"] = "/summary.md";
    const runner = new FakeRunner({
      alpha: report([step("create", deployment, "web")]),
      beta: report([], { error: "error: could not get server version" }),
    });
    const { exitCode, results } = await runPreview(runner, ["alpha", "beta"], io, "/preview.json");
    assert.equal(exitCode, EXIT.error);
    assert.deepEqual(
      results.map((r) => r.status),
      ["changes", "error"],
    );
    assert.deepEqual(runner.calls, ["alpha", "beta"]);
    assert.ok(io.out.includes("could not get server version"));
    assert.equal(io.files.get("/summary.md"), `${io.out}\n`);
    assert.deepEqual(
      (JSON.parse(io.files.get("/preview.json")!) as { stacks: Array<{ stack: string }> }).stacks.map(
        (s) => s.stack,
      ),
      ["alpha", "beta"],
    );
    const thrown = await runPreview(
      new FakeRunner({ alpha: new Error("pulumi: command not found") }),
      ["alpha"],
      new FakeIO(),
    );
    assert.equal(thrown.exitCode, 1);
    assert.equal(thrown.results[0]!.error, "pulumi: command not found");
  });

  it("writes no step summary when GITHUB_STEP_SUMMARY is unset", async () => {
    const io = new FakeIO();
    await runPreview(new FakeRunner({ beta: report([]) }), ["beta"], io);
    assert.equal(io.files.size, 0);
    assert.ok(io.out.startsWith("# Pulumi preview\n"));
  });
});

describe("automation: drift report and exit codes", () => {
  it("clean: exit 0, caveats printed", async () => {
    const io = new FakeIO();
    const { exitCode, results } = await runDrift(
      new FakeRunner({
        alpha: report([step("refresh", deployment, "web"), step("same", namespace, "apps")]),
      }),
      ["alpha"],
      io,
      "/drift.json",
    );
    assert.equal(exitCode, EXIT.clean);
    assert.equal(results[0]!.status, "clean");
    assert.ok(io.out.includes("No drift."));
    for (const caveat of DRIFT_CAVEATS) assert.ok(io.out.includes(caveat));
    const json = JSON.parse(io.files.get("/drift.json")!) as { drift: boolean; caveats: string[] };
    assert.equal(json.drift, false);
    assert.equal(json.caveats.length, DRIFT_CAVEATS.length);
  });

  it("drift: changed and deleted resources, exit 2 even though expect-no-changes failed the CLI", async () => {
    const steps = [
      step("refresh", deployment, "web", { diffs: ["spec"] }),
      step("refresh", "kubernetes:core/v1:Secret", "token", { gone: true, diffs: ["stringData"] }),
      step("refresh", "pulumi:providers:kubernetes", "k8s", { diffs: ["kubeconfig"] }),
      step("refresh", namespace, "apps"),
    ];
    const io = new FakeIO();
    const { exitCode, results } = await runDrift(
      new FakeRunner({
        alpha: report(steps, { error: "error: no changes were expected but changes occurred" }),
      }),
      ["alpha"],
      io,
      "/d.json",
    );
    assert.equal(exitCode, 2);
    assert.equal(results[0]!.status, "drift");
    assert.deepEqual(results[0]!.drifted, [
      {
        urn: `${URN}${deployment}::web`,
        type: deployment,
        name: "web",
        change: "changed",
        properties: ["spec"],
      },
      {
        urn: `${URN}kubernetes:core/v1:Secret::token`,
        type: "kubernetes:core/v1:Secret",
        name: "token",
        change: "deleted",
        properties: [],
      },
    ]);
    assert.ok(io.out.includes("| changed | `kubernetes:apps/v1:Deployment` | web | spec |"), io.out);
    const json = JSON.parse(io.files.get("/d.json")!) as {
      drift: boolean;
      stacks: Array<{ drifted: unknown[] }>;
    };
    assert.equal(json.drift, true);
    assert.equal(json.stacks[0]!.drifted.length, 2);
  });

  it("counts engine-reported changes without a resource event as drift", () => {
    const result = summarizeDrift("homeops", report([], { changeSummary: { same: 10, update: 1 } }));
    assert.equal(result.status, "drift");
    assert.equal(result.unattributed, 1);
    assert.ok(driftMarkdown([result]).includes("1 further change(s) counted by the engine"));
  });

  it("error: a failure without drift is exit 1, and an error wins over drift in another stack", async () => {
    const runner = new FakeRunner({
      alpha: report([step("refresh", deployment, "web", { diffs: ["spec"] })]),
      beta: report([], { error: "error: Kubernetes cluster is unreachable" }),
    });
    const { exitCode, results } = await runDrift(runner, ["alpha", "beta"], new FakeIO());
    assert.deepEqual(
      results.map((r) => r.status),
      ["drift", "error"],
    );
    assert.equal(exitCode, EXIT.error);
    const json = driftJson(results);
    assert.equal(json["drift"], true);
    assert.equal(json["error"], "drift check failed for stack(s) beta");
  });

  it("a report whose stacks errored says the drift is unknown (null), never false, and exits 1", async () => {
    const io = new FakeIO();
    const { exitCode } = await runDrift(
      new FakeRunner({
        alpha: report([], { error: "error: Kubernetes cluster is unreachable" }),
        beta: report([step("refresh", deployment, "web")]),
      }),
      ["alpha", "beta"],
      io,
      "/d.json",
    );
    assert.equal(exitCode, EXIT.error);
    const json = JSON.parse(io.files.get("/d.json")!) as { drift: unknown; error?: string };
    assert.equal(json.drift, null);
    assert.equal(json.error, "drift check failed for stack(s) alpha");
    assert.deepEqual(driftJson([summarizeDrift("rooster", report([]))]), {
      drift: false,
      stacks: [summarizeDrift("rooster", report([]))],
      caveats: DRIFT_CAVEATS,
    });
  });
});

describe("automation: commands without the Pulumi CLI", () => {
  const emptyPath = () => fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
  const noRunner = () => {
    throw new Error("no runner may be built without the CLI");
  };

  for (const [name, command] of [
    ["preview", previewCommand],
    ["drift", driftCommand],
  ] as const) {
    it(`${name}: one line saying the CLI is missing and how to install it, exit 1, no stack touched`, async () => {
      const io = new FakeIO();
      io.env = { PATH: emptyPath() };
      const code = await command(["rooster"], io, noRunner);
      assert.equal(code, EXIT.error);
      assert.equal(io.err, `${PULUMI_CLI_MISSING}\n`);
      assert.match(io.err, /Pulumi CLI .*not on PATH.*https:\/\/get\.pulumi\.com/);
      assert.equal(io.out, "");
    });
  }

  it("drift --json still writes a report saying nothing was checked", async () => {
    const io = new FakeIO();
    io.env = { PATH: emptyPath() };
    assert.equal(await driftCommand(["--json", "/d.json"], io, noRunner), EXIT.error);
    const json = JSON.parse(io.files.get("/d.json")!) as { drift: unknown; error: string; stacks: unknown[] };
    assert.equal(json.drift, null);
    assert.equal(json.error, PULUMI_CLI_MISSING);
    assert.deepEqual(json.stacks, []);
  });

  it("with a pulumi executable on PATH the stacks are run", async () => {
    const bin = emptyPath();
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    const io = new FakeIO();
    io.env = { PATH: bin };
    const runner = new FakeRunner({ rooster: report([step("create", deployment, "web")]) });
    assert.equal(await previewCommand(["rooster", "--no-policy"], io, () => runner), EXIT.changes);
    assert.deepEqual(runner.calls, ["rooster"]);
    assert.equal(io.err, "");
  });
});

describe("automation: command line", () => {
  it("defaults to every stack file and the project's policy pack", () => {
    const options = parseCommandLine([], {});
    assert.deepEqual(options.stacks, listStacks());
    assert.ok(options.stacks.includes("rooster") && options.stacks.includes("homeops"));
    assert.equal(options.runner.workDir, PROJECT_ROOT);
    assert.deepEqual(options.runner.policyPacks, [path.join(PROJECT_ROOT, "policy")]);
    assert.equal(options.runner.envVars, undefined);
  });

  it("takes stacks, a local backend, policy options and a JSON path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backend-"));
    const options = parseCommandLine(
      ["rooster", "--local-backend", dir, "--no-policy", "--json", "out.json"],
      {},
    );
    assert.deepEqual(options.stacks, ["rooster"]);
    assert.deepEqual(options.runner.envVars, {
      PULUMI_BACKEND_URL: `file://${dir}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    });
    assert.deepEqual(options.runner.policyPacks, []);
    assert.equal(options.json, "out.json");
    const fromEnv = parseCommandLine(["homeops", "--policy-config", "levels.json"], {
      PLATFORM_LOCAL_BACKEND: dir,
    });
    assert.equal(fromEnv.runner.envVars?.["PULUMI_BACKEND_URL"], `file://${dir}`);
    assert.deepEqual(fromEnv.runner.policyPackConfigs, [path.resolve("levels.json")]);
  });

  it("rejects an unknown stack with exit 1 and the reason on stderr", async () => {
    const io = new FakeIO();
    const code = await main(async () => {
      parseCommandLine(["staging"], {});
      return { exitCode: 0 };
    }, io);
    assert.equal(code, 1);
    assert.ok(io.err.startsWith("unknown stack(s) staging: no Pulumi.<stack>.yaml in "), io.err);
    assert.ok(io.err.trimEnd().endsWith(`(have: ${listStacks().join(", ")})`), io.err);
  });
});

const pulumiBinary = pulumiOnPath();

describe("automation: Automation API against a local backend", function () {
  this.timeout(240000);
  if (pulumiBinary === undefined) {
    it("needs the pulumi CLI", function () {
      console.warn(
        "automation integration test skipped: no `pulumi` binary on PATH (install the Pulumi CLI to run it)",
      );
      this.skip();
    });
    return;
  }

  it("previews changes, then nothing after an update, and finds no drift", async () => {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
    const envVars = { ...localBackendEnv(backend), PULUMI_CONFIG_PASSPHRASE: "integration-test" };
    const program = async () => {
      new pulumi.ComponentResource("platform:test:Thing", "thing");
      return { ok: true };
    };
    const runner = new AutomationStackRunner({ program, projectName: "automation-it", envVars });
    const first = await runPreview(runner, ["dev"], new FakeIO());
    assert.equal(first.exitCode, EXIT.changes, JSON.stringify(first.results));
    assert.equal(first.results[0]!.counts.create, 1);
    await (await runner.stack("dev")).up();
    const second = await runPreview(runner, ["dev"], new FakeIO());
    assert.equal(second.exitCode, EXIT.clean, JSON.stringify(second.results));
    const drift = await runDrift(runner, ["dev"], new FakeIO());
    assert.equal(drift.exitCode, EXIT.clean, JSON.stringify(drift.results));
    const broken = new AutomationStackRunner({
      program: async () => {
        throw new Error("program failed on purpose");
      },
      projectName: "automation-it",
      envVars,
    });
    const failed = await runPreview(broken, ["dev"], new FakeIO());
    assert.equal(failed.exitCode, EXIT.error);
    assert.match(failed.results[0]!.error ?? "", /program failed on purpose/);
  });
});
