import { strict as assert } from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { rolloutOrder } from "../../../components/cluster/talosRollout";
import { RECORD_ONLY_SCRIPT, UPGRADE_SCRIPT } from "../../../components/cluster/talosScripts";
import { plugins } from "../../../lib/versions";
import { unknownReleaseHint } from "../../../lib/talosReleases";
import type { RecordedResource, Recording } from "../../../recording/runtime";
import { PROJECT_ROOT } from "../../../recording/stackFile";
import type { TalosNodeConfig } from "../../../stacks/schema";
import {
  cilium,
  configIssues,
  gatewayConfig,
  llmConfig,
  longhorn,
  LONGHORN_EXTENSIONS,
  platformConfig,
  rawConfig,
  RawConfig,
  talosCluster,
  talosNode,
  TalosNodeRaw,
} from "../../support/builders";
import { byType, one, recordPlatform } from "../../support/record";
import { talosOn } from "../../support/layers";

const APPLY = "talos:machine/configurationApply:ConfigurationApply";
const COMMAND = "command:local:Command";

/** Every resource a resource waits for, directly or through others. */
function ancestors(rec: Recording, r: RecordedResource): Set<string> {
  const byUrn = new Map(rec.resources.map((x) => [x.urn, x]));
  const seen = new Set<string>();
  const stack = [...r.dependencies];
  while (stack.length > 0) {
    const urn = stack.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    stack.push(...(byUrn.get(urn)?.dependencies ?? []));
  }
  return seen;
}

/** `a` cannot start before `b` has finished. */
const after = (rec: Recording, a: RecordedResource, b: RecordedResource) => ancestors(rec, a).has(b.urn);

type TalosRaw = Parameters<typeof talosCluster>[0];

/** Three control planes (node-11..13) and `workers` workers (node-14, ...). */
const nodeList = (workers: number, edit: (n: TalosNodeRaw, i: number) => TalosNodeRaw = (n) => n) =>
  Array.from({ length: 3 + workers }, (_, i) => edit(talosNode(11 + i, { controller: i < 3 }), i));

/**
 * A Talos cluster with storage, Cilium and an AI gateway with an LLM route, so that the plan has objects
 * outside Talos that must not wait for a rollout step.
 */
function clusterConfig(talos: TalosRaw = {}): RawConfig {
  return rawConfig(
    talosCluster({ extensions: LONGHORN_EXTENSIONS, nodes: nodeList(1), ...talos }),
    cilium(),
    longhorn({ replicaCount: 2 }),
    gatewayConfig(),
    llmConfig(),
  );
}

const recordings = new Map<string, Promise<Recording>>();
/** The whole composition for a cluster config (recordings shared by config). */
function recordCluster(talos: TalosRaw = {}): Promise<Recording> {
  const key = JSON.stringify(talos);
  let r = recordings.get(key);
  if (r === undefined) recordings.set(key, (r = recordPlatform(clusterConfig(talos))));
  return r;
}

const SHAPES: Record<string, TalosRaw> = {
  "three control planes and a worker": {},
  "three control planes": { nodes: nodeList(0) },
};

for (const [shape, talos] of Object.entries(SHAPES)) {
  describe(`talos rollout: ${shape}`, () => {
    const nodes = talosOn(platformConfig(clusterConfig(talos))).nodes;
    const cps = nodes.filter((n) => n.controller);
    const workers = nodes.filter((n) => !n.controller);
    const apply = (rec: Recording, n: TalosNodeConfig) => one(rec, APPLY, `cluster-talos-${n.name}`);
    const step = (rec: Recording, n: TalosNodeConfig | string, kind: string) =>
      one(rec, COMMAND, `cluster-talos-${typeof n === "string" ? n : n.name}-${kind}`);

    it("chains control-plane applies through each node's health gate, workers after all of them", async () => {
      const rec = await recordCluster(talos);
      cps.forEach((cp, i) => {
        assert.ok(after(rec, step(rec, cp, "health"), apply(rec, cp)), `${cp.name} gate follows its apply`);
        if (i > 0)
          assert.ok(
            apply(rec, cp).dependencies.includes(step(rec, cps[i - 1]!, "health").urn),
            `${cp.name} waits for ${cps[i - 1]!.name}'s health`,
          );
      });
      // No two control-plane applies can run at once.
      for (const a of cps)
        for (const b of cps)
          if (a !== b)
            assert.ok(after(rec, apply(rec, a), apply(rec, b)) || after(rec, apply(rec, b), apply(rec, a)));
      for (const w of workers)
        for (const cp of cps) assert.ok(after(rec, apply(rec, w), step(rec, cp, "health")), w.name);
      for (const n of nodes)
        assert.equal(apply(rec, n).inputs["applyMode"], "no_reboot", `${n.name}: the safe default`);
    });

    it("upgrades one node at a time with the factory installer, then Kubernetes, then applies", async () => {
      const rec = await recordCluster(talos);
      const order = [...cps, ...workers];
      const k8s = step(rec, "kubernetes", "upgrade");
      order.forEach((n, i) => {
        const upgrade = step(rec, n, "upgrade");
        const env = upgrade.inputs["environment"] as Record<string, string>;
        assert.match(env["TARGET_IMAGE"]!, /^factory\.talos\.dev\/metal-installer\/[^:]+:v1\.13\.9$/);
        assert.ok(
          env["TARGET_IMAGE"]!.includes(`/${env["TARGET_SCHEMATIC"]}:`),
          "image of the declared schematic",
        );
        // Creating the step (first run, adoption, a new node) upgrades nothing; a changed target does.
        assert.equal(upgrade.inputs["create"], RECORD_ONLY_SCRIPT);
        assert.equal(upgrade.inputs["update"], UPGRADE_SCRIPT);
        if (i > 0) assert.ok(upgrade.dependencies.includes(step(rec, order[i - 1]!, "upgrade").urn), n.name);
        assert.ok(after(rec, k8s, upgrade), `Kubernetes after ${n.name}'s OS upgrade`);
        assert.ok(after(rec, apply(rec, n), k8s), `${n.name}'s configuration after the Kubernetes upgrade`);
      });
      assert.equal((k8s.inputs["environment"] as Record<string, string>)["TO_VERSION"], "1.36.3");
    });

    it("exports the rollout order in words: upgrades with their installer image, Kubernetes, apply waves", async () => {
      const rec = await recordCluster(talos);
      const plan = rec.outputs["talosRollout"] as string[];
      const image = String(rec.outputs["talosInstaller"]);
      const order = [...cps, ...workers];
      assert.deepEqual(plan, [
        ...order.map((n, i) => `talos ${i + 1}/${order.length}: ${n.name} (${n.address}) to ${image}`),
        `kubernetes: upgrade-k8s to 1.36.3 through ${cps[0]!.name}`,
        ...order.map((n, i) => `apply ${i + 1}/${order.length} (no_reboot): ${n.name}, then health`),
      ]);
    });

    it("pins the command SDK in package.json to the plugin version the steps register with", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      assert.equal(pkg.dependencies["@pulumi/command"], plugins.command.version);
      // The maintained 1.x line: 4.5.0 was published by mistake and is deprecated (pulumi/pulumi-command#183).
      assert.equal(plugins.command.version.split(".")[0], "1");
      const installed = JSON.parse(
        fs.readFileSync(path.join(PROJECT_ROOT, "node_modules/@pulumi/command/package.json"), "utf8"),
      ) as { version: string; pulumi: { version: string } };
      assert.equal(installed.version, plugins.command.version);
      assert.equal(installed.pulumi.version, plugins.command.version);
    });

    it("hands talosctl the talosconfig only as a secret, with the pinned command plugin", async () => {
      const rec = await recordCluster(talos);
      const commands = byType(rec, COMMAND);
      assert.equal(commands.length, nodes.length * 2 + 2);
      for (const c of commands) {
        assert.deepEqual(c.secretPaths, ["stdin"], c.name);
        assert.equal(c.inputs["stdin"], "[secret]", c.name);
        assert.equal(c.options.version, plugins.command.version, c.name);
        assert.ok(!JSON.stringify(c.inputs["environment"]).includes("PLACEHOLDER"), c.name);
      }
    });

    it("gates nothing outside Talos on a rollout step: no health invoke, the kubeconfig waits for a day-1 gate only", async () => {
      const rec = await recordCluster(talos);
      assert.equal(rec.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth").length, 0);
      const kubeconfig = one(rec, "talos:cluster/kubeconfig:Kubeconfig", "cluster-talos-kubeconfig");
      const talosSteps = new Set(
        [...byType(rec, COMMAND), ...byType(rec, APPLY), ...byType(rec, "talos:machine/bootstrap:Bootstrap")]
          .filter((r) => r.name !== "cluster-talos-api-ready")
          .map((r) => r.urn),
      );
      for (const r of rec.resources.filter((x) => !x.type.startsWith("talos:") && x.type !== COMMAND)) {
        const waits = [...ancestors(rec, r)].filter((u) => talosSteps.has(u));
        assert.deepEqual(waits, [], `${r.name} waits for a rollout step`);
      }
      assert.ok(kubeconfig.dependencies.includes(step(rec, "api", "ready").urn));
      assert.deepEqual(
        step(rec, "api", "ready").dependencies.filter((u) => talosSteps.has(u)),
        [],
      );
    });
  });
}

describe("talos rollout: order", () => {
  it("property: every active node once per phase, control planes alone and first, batches full but the last", () => {
    const nodeArb = fc.record({ controller: fc.boolean(), maintenance: fc.boolean() });
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (shapes, batch) => {
        const nodes = shapes.map((x, i) => ({ ...x, name: `n${i}` }) as TalosNodeConfig);
        const order = rolloutOrder(nodes, batch);
        const active = nodes.filter((n) => !n.maintenance);
        const waves = order.applyWaves;
        const names = (ns: ReadonlyArray<{ name: string }>) => ns.map((n) => n.name).sort();
        assert.deepEqual(names(order.upgrades), names(active));
        assert.deepEqual(names(waves.flat()), names(active));
        assert.deepEqual(
          order.skipped,
          nodes.filter((n) => n.maintenance),
        );
        const firstWorker = order.upgrades.findIndex((n) => !n.controller);
        if (firstWorker >= 0) assert.ok(order.upgrades.slice(firstWorker).every((n) => !n.controller));
        waves.forEach((wave, i) => {
          if (wave[0]!.controller) assert.equal(wave.length, 1);
          else {
            assert.ok(wave.every((n) => !n.controller) && wave.length <= batch);
            if (i < waves.length - 1) assert.equal(wave.length, batch);
          }
          if (i > 0 && waves[i - 1]![0]!.controller === false) assert.ok(!wave[0]!.controller);
        });
      }),
    );
  });

  const node = (name: string, controller: boolean, maintenance = false) =>
    ({ name, controller, maintenance }) as TalosNodeConfig;

  it("puts control planes first, one per wave, and workers in batches, skipping nodes under maintenance", () => {
    const nodes = [
      node("w1", false),
      node("cp1", true),
      node("w2", false),
      node("cp2", true, true),
      node("w3", false),
      node("cp3", true),
    ];
    const order = rolloutOrder(nodes, 2);
    const names = (ns: ReadonlyArray<{ name: string }>) => ns.map((n) => n.name);
    assert.deepEqual(names(order.upgrades), ["cp1", "cp3", "w1", "w2", "w3"]);
    assert.deepEqual(order.applyWaves.map(names), [["cp1"], ["cp3"], ["w1", "w2"], ["w3"]]);
    assert.deepEqual(names(order.skipped), ["cp2"]);
    assert.deepEqual(rolloutOrder(nodes, 10).applyWaves.map(names), [["cp1"], ["cp3"], ["w1", "w2", "w3"]]);
  });
});

/** The differences between two recordings: resources whose inputs changed, by name. */
function changed(a: Recording, b: Recording): RecordedResource[] {
  const before = new Map(a.resources.map((r) => [r.urn, r]));
  return b.resources.filter((r) => {
    const old = before.get(r.urn);
    if (old === undefined) return true;
    const keys = new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)]);
    return [...keys].some(
      (k) =>
        !r.options.ignoreChanges.includes(k) && JSON.stringify(old.inputs[k]) !== JSON.stringify(r.inputs[k]),
    );
  });
}

describe("talos rollout: version changes", () => {
  const v12: TalosRaw = { talosVersion: "v1.12.7", kubernetesVersion: "1.35.4" };

  it("a Talos bump changes the upgrade steps, chained control planes first, with the new factory installer", async () => {
    const before = await recordCluster(v12);
    const bumped = await recordCluster({ ...v12, talosVersion: "v1.13.9" });
    const upgrades = changed(before, bumped).filter((r) => r.name.endsWith("-upgrade"));
    assert.deepEqual(
      upgrades.map((r) => r.name).sort(),
      ["node-11", "node-12", "node-13", "node-14"].map((n) => `cluster-talos-${n}-upgrade`),
    );
    for (const [i, u] of upgrades.entries()) {
      const env = u.inputs["environment"] as Record<string, string>;
      assert.equal(
        env["TARGET_IMAGE"],
        `factory.talos.dev/metal-installer/${env["TARGET_SCHEMATIC"]}:v1.13.9`,
      );
      // The step reads the node's running version itself and checks it against the target's limits.
      assert.equal(env["MIN_HOST_VERSION"], "v1.11.0");
      assert.equal(env["DOWNGRADE_LIMIT"], "v1.15.0");
      assert.equal(env["ALLOW_DOWNGRADE"], "false");
      if (i > 0) assert.ok(after(bumped, u, upgrades[i - 1]!), `${u.name} after ${upgrades[i - 1]!.name}`);
    }
    assert.ok(!changed(before, bumped).some((r) => r.name === "cluster-talos-kubernetes-upgrade"));
  });

  it("an extension change upgrades every node, in order, to the new schematic's installer", async () => {
    const threeCps = SHAPES["three control planes"]!;
    const base = await recordCluster(threeCps);
    const edited = await recordCluster({
      ...threeCps,
      extensions: [...LONGHORN_EXTENSIONS, "siderolabs/qemu-guest-agent"],
    });
    const upgrades = changed(base, edited).filter((r) => r.name.endsWith("-upgrade"));
    assert.deepEqual(
      upgrades.map((r) => r.name),
      ["node-11", "node-12", "node-13"].map((n) => `cluster-talos-${n}-upgrade`),
    );
    const envOf = (r: RecordedResource) => r.inputs["environment"] as Record<string, string>;
    const oldSchematic = envOf(one(base, COMMAND, "cluster-talos-node-11-upgrade"))["TARGET_SCHEMATIC"];
    for (const [i, u] of upgrades.entries()) {
      assert.notEqual(envOf(u)["TARGET_SCHEMATIC"], oldSchematic);
      assert.equal(
        envOf(u)["TARGET_IMAGE"],
        `factory.talos.dev/metal-installer/${envOf(u)["TARGET_SCHEMATIC"]}:v1.13.9`,
      );
      if (i > 0) assert.ok(after(edited, u, upgrades[i - 1]!));
    }
  });

  it("a Kubernetes bump changes the one Kubernetes upgrade step that every apply waits for", async () => {
    const before = await recordCluster({ kubernetesVersion: "1.35.4" });
    const bumped = await recordCluster({});
    const steps = changed(before, bumped).filter((r) => r.type === COMMAND);
    assert.deepEqual(
      steps.map((r) => r.name),
      ["cluster-talos-kubernetes-upgrade"],
    );
    for (const a of byType(bumped, APPLY)) assert.ok(after(bumped, a, steps[0]!), a.name);
  });

  it("leaves a node under maintenance out of every chain and ignores changes to its steps", async () => {
    const rec = await recordCluster({
      nodes: nodeList(1, (n, i) => (i === 1 ? { ...n, maintenance: true } : n)),
    });
    const mine = [
      one(rec, APPLY, "cluster-talos-node-12"),
      ...["upgrade", "health"].map((k) => one(rec, COMMAND, `cluster-talos-node-12-${k}`)),
    ];
    for (const r of mine) assert.ok(r.options.ignoreChanges.length > 0, r.name);
    assert.ok(mine[0]!.options.ignoreChanges.includes("configPatches"));
    for (const r of rec.resources.filter(
      (x) => !mine.includes(x) && x.type !== "talos:machine/bootstrap:Bootstrap",
    ))
      for (const m of mine) assert.ok(!r.dependencies.includes(m.urn), `${r.name} waits for ${m.name}`);
    // node-13 now follows node-11 directly.
    assert.ok(
      one(rec, APPLY, "cluster-talos-node-13").dependencies.includes(
        one(rec, COMMAND, "cluster-talos-node-11-health").urn,
      ),
    );
  });

  it("a new node adds its own steps and re-runs no other node's", async () => {
    const base = await recordCluster();
    const grown = await recordCluster({ nodes: nodeList(2) });
    const talosChanges = changed(base, grown)
      .filter((r) => r.type.startsWith("talos:") || r.type === COMMAND)
      .map((r) => r.name)
      .sort();
    assert.deepEqual(talosChanges, [
      "cluster-talos-kubernetes-upgrade",
      "cluster-talos-node-15",
      "cluster-talos-node-15-health",
      "cluster-talos-node-15-upgrade",
    ]);
    const newApply = one(grown, APPLY, "cluster-talos-node-15");
    assert.ok(newApply.dependencies.includes(one(grown, COMMAND, "cluster-talos-node-14-health").urn));
  });

  it("a change outside Talos changes no Talos resource or rollout step", async () => {
    const base = await recordCluster();
    const edited = await recordPlatform(
      rawConfig(clusterConfig(), gatewayConfig(undefined, { controller: { replicas: 2 } })),
    );
    const diff = changed(base, edited).filter((r) => r.type !== "pulumi:pulumi:Stack");
    assert.ok(diff.length > 0, "the edit changes something");
    assert.deepEqual(
      diff.filter((r) => r.type.startsWith("talos:") || r.type === COMMAND).map((r) => r.name),
      [],
    );
  });
});

describe("talos rollout: validation", () => {
  const errors = (talos: TalosRaw) => configIssues(talosCluster({ nodes: nodeList(1), ...talos }));
  const rollout = (r: Record<string, unknown>) => ({ rollout: r }) as TalosRaw;

  it("the base config is valid", () => {
    assert.deepEqual(errors({}), []);
  });

  it("rejects an unknown apply mode and a zero batch with their paths", () => {
    const found = errors(rollout({ applyMode: "try", workerBatchSize: 0 }));
    assert.ok(
      found.some((e) => e.startsWith("ai-platform:cluster.talos.rollout.applyMode: must be one of")),
      found.join("\n"),
    );
    assert.ok(found.some((e) => e.startsWith("ai-platform:cluster.talos.rollout.workerBatchSize:")));
  });

  it("rejects a settle time no health gate could wait out", () => {
    assert.deepEqual(errors(rollout({ healthTimeout: "15m", settleTime: "20m" })), [
      "ai-platform:cluster.talos.rollout.settleTime: 20m is not shorter than rollout.healthTimeout 15m (hint: a node must stay healthy for settleTime within healthTimeout, so no health gate could pass)",
    ]);
  });

  it("rejects a Kubernetes version the Talos release does not support", () => {
    assert.deepEqual(errors({ kubernetesVersion: "1.37.0" }), [
      "ai-platform:cluster.talos.kubernetesVersion: Talos v1.13.9 supports Kubernetes 1.31 to 1.36.x, not 1.37.0 (hint: pick a Kubernetes version the Talos release supports)",
    ]);
  });

  it("rejects a Talos minor the provider does not know, saying what to change", () => {
    assert.deepEqual(errors({ talosVersion: "v1.14.0", kubernetesVersion: "1.36.3" }), [
      `ai-platform:cluster.talos.talosVersion: Talos 1.14 is not a release this program knows (1.8, 1.9, 1.10, 1.11, 1.12, 1.13) (hint: ${unknownReleaseHint("1.14")})`,
    ]);
    assert.match(unknownReleaseHint("1.14"), /plugins\.talos/);
    assert.match(unknownReleaseHint("1.14"), /npm run bindings/);
  });

  it("no longer reads hand-kept running versions: cluster.talos.current is refused", () => {
    const found = errors({ current: { talosVersion: "v1.13.9", kubernetesVersion: "1.36.3" } } as TalosRaw);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /cluster\.talos/);
    assert.match(found[0]!, /current/);
  });

  it("rejects maintenance on every control plane", () => {
    const all = errors({ nodes: nodeList(0, (n) => ({ ...n, maintenance: true })) });
    assert.equal(all.filter((e) => e.includes("every control-plane node is under maintenance")).length, 3);
    const workerOff = nodeList(1, (n, i) => (i === 3 ? { ...n, maintenance: true } : n));
    assert.deepEqual(errors({ nodes: workerOff }), []);
  });
});
