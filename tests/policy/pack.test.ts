import * as k8s from "@pulumi/kubernetes";
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../../recording/stackFile";
import { ENFORCEMENT_ENV, enforcementLevelFrom, packArgs, platformPolicies } from "../../policy/pack";
import { subjectsOfRecording } from "./recorded";
import { credentialFormat, RESOURCE_RULES, STACK_RULES } from "../../policy/rules";
import { BAD as OTHER_BAD } from "./bad";
import { POD_SECURITY_BAD, podSecurityBad } from "./badPodSecurity";
import { container, context, deployment, HELM_V4, KEYS, namespace, networkPolicy, sc } from "./builders";
import { GOOD as OTHER_GOOD } from "./good";
import { runPack } from "./pack";
import { RBAC_BAD, RBAC_GOOD } from "./rbacFixtures";
import { kagentController, SECRET_BAD, SECRET_GOOD } from "./secretFixtures";
import { WORKLOAD_BAD, WORKLOAD_GOOD } from "./workloadFixtures";
import { recordedStack, recordProgram } from "../support/record";
import { listStacks } from "../../recording/stackFile";

const BAD = [...POD_SECURITY_BAD, ...OTHER_BAD, ...SECRET_BAD, ...RBAC_BAD, ...WORKLOAD_BAD];
const GOOD = [...OTHER_GOOD, ...SECRET_GOOD, ...RBAC_GOOD, ...WORKLOAD_GOOD];

describe("policy: fixtures through the pack (as `pulumi preview --policy-pack` calls it)", () => {
  for (const f of GOOD)
    it(`passes: ${f.name}`, async () => {
      assert.deepEqual(await runPack(f.subjects()), []);
    });
  for (const f of BAD)
    it(`${f.rule} trips: ${f.name}`, async () => {
      const reported = await runPack(f.subjects());
      assert.ok(
        reported.some((r) => r.policy === f.rule),
        `expected ${f.rule}, got ${JSON.stringify(reported.map((r) => `${r.policy}: ${r.message}`))}`,
      );
    });

  it("every rule has a bad fixture", () => {
    const rules = [...RESOURCE_RULES, ...STACK_RULES].map((r) => r.name);
    assert.deepEqual(
      rules.filter((r) => !BAD.some((f) => f.rule === r)),
      [],
    );
  });

  it("each Pod Security control is judged on its own: the good pod with one change trips pod-security alone", async () => {
    for (const [name, mutate] of podSecurityBad.filter(([n]) => n !== "CronJob template")) {
      const reported = await runPack([...context(), deployment(mutate)]);
      assert.deepEqual([...new Set(reported.map((r) => r.policy))], ["pod-security"], name);
    }
  });
});

describe("policy: messages and formats", () => {
  it("a checksum/ digest passes, and a secret in a pod annotation is named by path without its value", async () => {
    const [ns, chart] = SECRET_GOOD[0]!.subjects();
    const reported = await runPack([ns!, chart!, kagentController({ "example.com/api-token": KEYS.slack })]);
    assert.deepEqual(reported, [
      {
        policy: "no-plaintext-secrets",
        urn: kagentController().urn,
        message:
          "Deployment kagent/kagent-controller: spec.template.metadata.annotations.example.com/api-token holds Slack token; use a Secret",
      },
    ]);
  });

  it("names each credential format", () => {
    assert.deepEqual(
      Object.entries(KEYS).map(([k, v]) => [k, credentialFormat(v)]),
      [
        ["openai", "OpenAI API key"],
        ["anthropic", "Anthropic API key"],
        ["xai", "xAI API key"],
        ["github", "GitHub token"],
        ["slack", "Slack token"],
        ["aws", "AWS access key id"],
        ["cloudflare", "Cloudflare API token"],
        ["cloudflareTunnel", "Cloudflare tunnel token"],
        ["jwt", "JWT"],
        ["pem", "PEM private key"],
        ["urlCredentials", "credentials in a URL"],
        ["randomUnderSecretKey", undefined],
      ],
    );
    assert.equal(credentialFormat("https://${USER}:${PASSWORD}@host/"), undefined);
  });

  it("recognises pinned references", async () => {
    const pinnedImages = async (image: string) =>
      (await runPack([...context(), deployment((d) => void (container(d)["image"] = image))])).filter(
        (r) => r.policy === "pinned-images",
      );
    for (const good of [
      "nginx:1.27.0",
      "registry.local:5000/team/app:v2.0.1",
      "docker.io/library/node:22.23.2-alpine",
      "cloudflare/cloudflared:2026.8.2",
      "registry.local/kagent-slackbot:b98cf4d2",
      "x:1.0.0-rc.1+build.5",
      `ghcr.io/x/y@sha256:${"a".repeat(64)}`,
      `python:3@sha256:${"a".repeat(64)}`,
    ])
      assert.deepEqual(await pinnedImages(good), [], good);
    for (const bad of [
      "nginx",
      "nginx:latest",
      "registry.local:5000/team/app",
      "nginx:",
      "x:Main",
      "python:3",
      "node:lts-alpine",
      "python:3.12-slim",
      "registry.local:5000/team/app:v2",
      "x:deadbeef",
      `x@sha256:${"a".repeat(63)}`,
    ])
      assert.equal((await pinnedImages(bad)).length, 1, bad);
  });

  it("reports a pod-security problem with the object and container", async () => {
    const reported = await runPack([...context(), deployment((d) => void (sc(d)["privileged"] = true))]);
    assert.deepEqual(
      reported.map((x) => x.message),
      ["Deployment apps/web container web: must not be privileged"],
    );
  });
});

describe("policy: the @pulumi/policy pack", () => {
  it("loads secretlint (ESM) through CommonJS require, as the pack's compiled code does under Node >= 20.19", () => {
    const script = [
      'const { lintSource } = require("@secretlint/core");',
      'const { creator } = require("@secretlint/secretlint-rule-preset-recommend");',
      'if (typeof lintSource !== "function" || creator.meta.type !== "preset") process.exit(3);',
    ].join("\n");
    const run = spawnSync(process.execPath, ["-e", script], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, "", "no warning on the way");
  });

  it("registers one policy per rule with unique names", () => {
    const names = platformPolicies().map((p) => p.name);
    assert.deepEqual(names, [...RESOURCE_RULES.map((r) => r.name), ...STACK_RULES.map((r) => r.name)]);
    assert.equal(new Set(names).size, names.length);
  });

  it("required-labels reads its configuration (--policy-pack-config)", () => {
    const policy = platformPolicies().find((p) => p.name === "required-labels") as ResourceValidationPolicy;
    const d = deployment();
    const reported: string[] = [];
    const args = {
      ...d,
      opts: { protect: false },
      getConfig: () => ({ requiredLabels: ["team"], requiredPodLabels: [] }),
    } as unknown as ResourceValidationArgs;
    void (policy.validateResource as ResourceValidation)(args, (message) => reported.push(message));
    assert.deepEqual(reported, ["Deployment apps/web: missing labels team"]);
  });

  it("stack policies report against the offending resource", async () => {
    const d = deployment();
    assert.deepEqual(await runPack([namespace(), networkPolicy(), d]), [
      {
        policy: "replicated-workload-pdb",
        urn: d.urn,
        message: "Deployment apps/web: 2 replicas but no PodDisruptionBudget selects its pods",
      },
    ]);
  });

  it("takes its enforcement level from the environment", async () => {
    assert.equal(enforcementLevelFrom({}), "mandatory");
    assert.equal(enforcementLevelFrom({ [ENFORCEMENT_ENV]: "advisory" }), "advisory");
    assert.throws(
      () => enforcementLevelFrom({ [ENFORCEMENT_ENV]: "strict" }),
      /PLATFORM_POLICY_ENFORCEMENT must be one of advisory, mandatory, disabled/,
    );
    assert.deepEqual(
      await runPack([namespace("x", "privileged")], packArgs({ [ENFORCEMENT_ENV]: "disabled" })),
      [],
    );
  });
});

describe("policy: recorded stacks", () => {
  it("judges what the recording runtime records (protect, manifests, chart components)", async () => {
    const rec = await recordProgram(() => {
      const d = deployment((x) => void (container(x)["image"] = "ghcr.io/example/web"));
      new k8s.apps.v1.Deployment("web", d.props as unknown as k8s.apps.v1.DeploymentArgs);
      new k8s.core.v1.PersistentVolumeClaim(
        "data",
        {
          metadata: { name: "data", namespace: "apps" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
        // Protected, as the policy demands of storage.
        { protect: true },
      );
      new k8s.helm.v4.Chart("app", {
        chart: "app",
        version: "1.0.0",
        namespace: "apps",
        values: { image: { repository: "x", tag: "latest" } },
      });
    });
    const subjects = subjectsOfRecording(rec);
    assert.deepEqual(
      subjects
        .map((s) => s.type)
        .filter((t) => t.startsWith("kubernetes:"))
        .sort(),
      ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:PersistentVolumeClaim", HELM_V4],
    );
    assert.deepEqual(
      (await runPack(subjects)).map((v) => v.policy),
      ["pinned-images", "pinned-images", "network-isolation", "replicated-workload-pdb"],
    );
  });

  for (const stack of listStacks()) {
    it(`${stack}: every object, chart and provider resource passes the pack`, async () => {
      const reported = await runPack(subjectsOfRecording(await recordedStack(stack)));
      assert.deepEqual(
        reported.map((v) => `${v.policy}: ${v.message}`),
        [],
      );
    });
  }
});
