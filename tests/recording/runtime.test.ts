import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chartsDocument, manifestFiles, planDocument, treeSummary, writePlan } from "../../recording/plan";
import { redact, secretValue } from "../../recording/redact";
import { recordStack } from "../../recording/runtime";
import { fromStackDocument, listStacks } from "../../recording/stackFile";
import { one, recordedStack, recordProgram } from "../support/record";

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("platform:test:Box", name, {}, opts);
    const first = new k8s.core.v1.ConfigMap(
      `${name}-first`,
      { metadata: { name: "first" }, data: { a: "1" } },
      { parent: this },
    );
    new k8s.core.v1.ConfigMap(
      `${name}-second`,
      { metadata: { name: "second" }, data: { ref: first.metadata.name, token: pulumi.secret("s3cr3t") } },
      { parent: this, dependsOn: [first], protect: true, ignoreChanges: ["data.a"], retainOnDelete: true },
    );
    this.registerOutputs({});
  }
}

describe("recording: wire format", () => {
  it("redacts secrets, keeps paths and sorts keys", () => {
    const { value, secretPaths } = redact({
      b: [1, secretValue("x")],
      a: { "odd key": secretValue({ deep: 1 }) },
    });
    assert.equal(JSON.stringify(value), '{"a":{"odd key":"[secret]"},"b":[1,"[secret]"]}');
    assert.deepEqual(secretPaths, ['a["odd key"]', "b[1]"]);
  });

  it("gives each secret a digest that tells a changed value without showing it", () => {
    const digests = (token: unknown) => redact({ data: { token: secretValue(token) } }).secretDigests;
    const first = digests("PLACEHOLDER-SECRET-aaaa");
    assert.deepEqual(Object.keys(first), ["data.token"]);
    assert.deepEqual(digests("PLACEHOLDER-SECRET-aaaa"), first, "same value, same digest");
    assert.notDeepEqual(digests("Bearer PLACEHOLDER-SECRET-aaaa"), first, "changed value, changed digest");
    assert.doesNotMatch(JSON.stringify(first), /PLACEHOLDER|aaaa/);
  });
});

describe("recording: runtime", () => {
  it("records types, names, parents, providers, dependencies, options and secret paths", async () => {
    const recording = await recordProgram(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      new Box("box", { providers: [provider] });
    });
    const stack = one(recording, "pulumi:pulumi:Stack", "ai-platform-test");
    const provider = one(recording, "pulumi:providers:kubernetes", "k8s");
    const box = one(recording, "platform:test:Box", "box");
    const first = one(recording, "kubernetes:core/v1:ConfigMap", "box-first");
    const second = one(recording, "kubernetes:core/v1:ConfigMap", "box-second");
    assert.equal(box.parent, stack.urn);
    assert.equal(box.custom, false);
    assert.deepEqual(box.providers, { kubernetes: provider.urn });
    assert.equal(first.parent, box.urn);
    assert.equal(first.provider, provider.urn, "provider flows through parentage");
    assert.equal(
      first.urn,
      "urn:pulumi:test::ai-platform::platform:test:Box$kubernetes:core/v1:ConfigMap::box-first",
    );
    assert.deepEqual(second.dependencies, [first.urn]);
    assert.deepEqual(second.propertyDependencies["data"], [first.urn]);
    assert.deepEqual(
      [second.options.protect, second.options.retainOnDelete, second.options.ignoreChanges],
      [true, true, ["data.a"]],
    );
    assert.equal(first.options.protect, false);
    assert.deepEqual(second.inputs["data"], { ref: "first", token: "[secret]" });
    assert.deepEqual(second.secretPaths, ["data.token"]);
    assert.equal(second.options.version, first.options.version);
    assert.match(first.options.version, /^4\.\d+\.\d+$/);
  });

  it("records aliases as the URNs they name: a full URN as given, a spec filled from the resource", async () => {
    const oldParent = "urn:pulumi:test::ai-platform::platform:test:Old";
    const recording = await recordProgram(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      const box = new Box("box", { providers: [provider] });
      new k8s.core.v1.ConfigMap(
        "moved-by-urn",
        { metadata: { name: "a" } },
        { parent: box, aliases: [`${oldParent}$kubernetes:core/v1:ConfigMap::old-a`] },
      );
      new k8s.core.v1.ConfigMap(
        "moved-by-spec",
        { metadata: { name: "b" } },
        { parent: box, aliases: [{ name: "old-b", parent: `${oldParent}::old` }] },
      );
      new k8s.core.v1.ConfigMap(
        "unparented",
        { metadata: { name: "c" } },
        { parent: box, aliases: [{ parent: undefined }] },
      );
    });
    const aliases = (name: string) => one(recording, "kubernetes:core/v1:ConfigMap", name).options.aliases;
    assert.deepEqual(aliases("moved-by-urn"), [`${oldParent}$kubernetes:core/v1:ConfigMap::old-a`]);
    assert.deepEqual(aliases("moved-by-spec"), [`${oldParent}$kubernetes:core/v1:ConfigMap::old-b`]);
    assert.deepEqual(aliases("unparented"), [
      "urn:pulumi:test::ai-platform::kubernetes:core/v1:ConfigMap::unparented",
    ]);
    assert.deepEqual(aliases("box-first"), []);
  });

  it("turns secure: config values into secret placeholders", async () => {
    const file = fromStackDocument("test", { plain: "value", token: { secure: "AAABAJa2ZXhhbXBsZQ==" } });
    assert.deepEqual(file.secretKeys, ["ai-platform:token"]);
    assert.match(file.config["ai-platform:token"]!, /^PLACEHOLDER-SECRET-[0-9a-f]{12}$/);
    const recording = await recordStack("test", {
      stackFile: file,
      program: () => ({
        token: new pulumi.Config().requireSecret("token"),
        plain: new pulumi.Config().require("plain"),
      }),
    });
    assert.deepEqual(recording.outputs, { plain: "value", token: "[secret]" });
    assert.ok(recording.secretValues.includes(file.config["ai-platform:token"]!));
  });
});

describe("recording: offline plan of every stack", () => {
  it("finds the production stack files among the stacks", () => {
    assert.ok(listStacks().includes("rooster") && listStacks().includes("homeops"), listStacks().join());
  });

  for (const stack of listStacks()) {
    it(`${stack}: plans, and no secret placeholder reaches plan.json, manifests or charts.json`, async () => {
      const recording = await recordedStack(stack);
      assert.equal(recording.stack, stack);
      assert.ok(recording.resources.length > 1, "the program registers resources");
      const texts = [
        JSON.stringify(planDocument(recording)),
        JSON.stringify(chartsDocument(recording)),
        ...manifestFiles(recording).values(),
        treeSummary(recording),
      ].join("\n");
      assert.ok(recording.secretValues.length > 0, "placeholders were handed to the program");
      for (const value of recording.secretValues) assert.ok(!texts.includes(value), `${value} leaked`);
    });

    it(`${stack}: two plans are byte-identical`, async () => {
      const a = await recordStack(stack);
      const b = await recordStack(stack);
      const dirA = writePlan(a, fs.mkdtempSync(path.join(os.tmpdir(), "plan-a-")));
      const dirB = writePlan(b, fs.mkdtempSync(path.join(os.tmpdir(), "plan-b-")));
      const read = (dir: string) =>
        [
          "plan.json",
          "charts.json",
          ...fs.readdirSync(path.join(dir, "manifests")).map((f) => `manifests/${f}`),
        ].map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
      assert.deepEqual(read(dirA), read(dirB));
    });
  }
});

class Thing extends pulumi.CustomResource {
  constructor(name: string, props: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, props, opts);
  }
}

describe("recording: transforms", function () {
  this.timeout(20000);
  it("runs a resource's own transforms, then its ancestors', then the stack's, and records the result", async () => {
    const mark =
      (label: string): pulumi.ResourceTransform =>
      (args) => ({
        props: { ...args.props, trace: [...((args.props["trace"] as string[] | undefined) ?? []), label] },
        opts:
          label === "stack"
            ? { ...args.opts, import: `${args.name}-existing`, retainOnDelete: true }
            : args.opts,
      });
    const rec = await recordProgram(() => {
      pulumi.runtime.registerResourceTransform(mark("stack"));
      const parent = new pulumi.ComponentResource(
        "test:index:Parent",
        "parent",
        {},
        { transforms: [mark("parent")] },
      );
      new Thing("thing", { trace: [] }, { parent, transforms: [mark("own")] });
    });
    const thing = rec.resources.find((r) => r.name === "thing")!;
    assert.deepEqual(thing.inputs["trace"], ["own", "parent", "stack"]);
    assert.equal(thing.options.import, "thing-existing");
    assert.equal(thing.options.retainOnDelete, true);
    const parent = rec.resources.find((r) => r.name === "parent")!;
    assert.deepEqual(parent.inputs["trace"], ["parent", "stack"]);
  });
});
