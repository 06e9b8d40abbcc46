import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { canonicalSchematic } from "../../lib/talosSchematic";
import { configDifferences } from "../../live/talosConfigDiff";
import {
  DeclaredTalos,
  liveSchematicId,
  liveTalosVersion,
  PlannedTalosNode,
  plannedTalosNodes,
  schematicId,
  talosNodeReports,
  TalosNodeFiles,
} from "../../live/talosNodes";
import { recordStack } from "../../recording/runtime";
import { PROJECT_ROOT, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";

/*
 * The snapshot's talos/<node>/ files of homeops as cluster-template made its nodes (template/config/talos at
 * onedr0p/cluster-template@ae732464, rendered by talhelper): `talosctl -n <ip> get machineconfig|version|
 * extensions -o yaml` output (siderolabs/talos@v1.13.9 cmd/talosctl/cmd/talos/output/yaml.go), secrets hashed
 * as the snapshot writes them.
 */
const FIXTURE = path.join(__dirname, "../fixtures/talos/homeops");
const read = (node: string): TalosNodeFiles =>
  Object.fromEntries(
    (["machineconfig", "version", "extensions"] as const).map((f) => [
      f,
      fs.readFileSync(path.join(FIXTURE, node, `${f}.yaml`), "utf8"),
    ]),
  );

describe("talos nodes: schematic IDs as Image Factory computes them", () => {
  it("matches the factory's own vector and the ID it gives Longhorn's extensions", () => {
    // siderolabs/image-factory@v1.5.0 pkg/schematic/schematic_test.go TestID "empty".
    assert.equal(schematicId([]), "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba");
    assert.equal(
      schematicId(["siderolabs/util-linux-tools", "siderolabs/iscsi-tools"]),
      "613e1592b2da41ae5e265e8789429f22e121aab91cb4deb6bc3c0b6262961245",
    );
    assert.equal(
      schematicId(["siderolabs/intel-ucode", "siderolabs/i915", "siderolabs/i915"]),
      schematicId(["siderolabs/i915", "siderolabs/intel-ucode"]),
    );
    assert.throws(() => canonicalSchematic(["Bad Name: x"]), /not a plain YAML scalar/);
  });

  it("reads the running version and the schematic from talosctl's output", () => {
    const files = read("home-01");
    assert.equal(liveTalosVersion(files.version), "v1.13.9");
    assert.equal(
      liveSchematicId(files.extensions),
      schematicId(["siderolabs/i915", "siderolabs/intel-ucode"]),
    );
    assert.equal(liveSchematicId(""), undefined);
  });
});

describe("talos nodes: the homeops nodes against what the program applies", () => {
  let planned: PlannedTalosNode[];
  let declared: DeclaredTalos;
  before(async function () {
    this.timeout(60_000);
    const config = loadPlatformConfig(rawConfigOf(readStackFile("homeops", PROJECT_ROOT)));
    const talos = config.cluster.talos;
    assert.ok(talos.enabled);
    const recording = await recordStack("homeops", { root: PROJECT_ROOT });
    planned = plannedTalosNodes(recording, talos.nodes);
    declared = {
      talosVersion: talos.talosVersion,
      kubernetesVersion: talos.kubernetesVersion,
      schematicId: schematicId(talos.extensions),
      applyMode: talos.rollout.applyMode,
      allowDowngrade: talos.rollout.allowDowngrade,
    };
  });
  /** The stack without the containerd file cluster-template gives the nodes. */
  const withoutFiles = () =>
    planned.map((n) => ({ ...n, patches: n.patches.filter((p) => !p.includes('"files"')) }));

  it("takes each node's patches from the recording: the role's, then the node's", () => {
    assert.equal(planned.length, 3);
    for (const n of planned) {
      assert.ok(
        n.patches.some((p) => p.includes('"cni":{"name":"none"}')),
        n.name,
      );
      assert.ok(n.patches.at(-1)!.includes("topology.kubernetes.io/zone"), n.name);
      assert.ok(
        n.patches.some((p) => p.includes(`"hostname":"${n.name}"`)),
        n.name,
      );
    }
  });

  it("names cluster-template's .machine.files per node as refused under no_reboot", () => {
    const report = talosNodeReports(withoutFiles(), declared, read);
    assert.deepEqual(report.blockers, []);
    for (const node of report.nodes) {
      const files = node.differences.filter((d) => d.path === "machine.files");
      assert.equal(files.length, 1, node.node);
      assert.equal(files[0]!.effect, "refused under no_reboot");
      assert.equal(files[0]!.change, "removed");
      assert.equal(node.blockers.length, 1, node.blockers.join("\n"));
      assert.match(
        node.blockers[0]!,
        new RegExp(
          `^${node.node} \\(${node.address.replace(/\./g, "\\.")}\\): the no_reboot apply is refused`,
        ),
      );
      assert.match(
        node.blockers[0]!,
        /\.machine\.files: removed .*20-customization\.part.*: refused under no_reboot/,
      );
    }
  });

  it("the homeops stack carries every setting cluster-template gave its nodes: nothing is refused or dropped unseen", () => {
    const report = talosNodeReports(planned, declared, read);
    assert.deepEqual(report.blockers, []);
    for (const node of report.nodes) {
      assert.deepEqual(node.blockers, [], node.node);
      const v1alpha1 = node.differences
        // The install disk is read only at the next install (home-03's stack names it by a selector).
        .filter((d) => d.document === "v1alpha1" && !d.path.startsWith("machine.install."))
        .map((d) => `${d.change} ${d.path}`);
      // Replaced on purpose by the program's TimeSyncConfig and ResolverConfig (see the stack file), and the
      // generator's PodSecurity admission configuration back.
      assert.deepEqual(v1alpha1.sort(), [
        // cluster-template deletes it; the stack cannot (see the stack file).
        "added cluster.apiServer.admissionControl",
        "removed machine.network.disableSearchDomain",
        "removed machine.network.nameservers",
        "removed machine.time.disabled",
        "removed machine.time.servers",
      ]);
    }
  });

  it("the same differences under auto reboot the node, under staged wait for the next reboot", () => {
    const auto = talosNodeReports(withoutFiles(), { ...declared, applyMode: "auto" }, read).nodes[0]!;
    assert.deepEqual(auto.blockers, []);
    assert.equal(
      auto.differences.find((d) => d.path === "machine.files")!.effect,
      "active after the next reboot",
    );
    assert.equal(
      auto.differences.find((d) => d.document === "BondConfig/bond0")!.effect,
      "goes live",
      "documents other than v1alpha1 are never compared, so they go live",
    );
    const staged = talosNodeReports(
      withoutFiles(),
      { ...declared, applyMode: "staged_if_needing_reboot" },
      read,
    );
    assert.ok(staged.nodes[0]!.differences.every((d) => d.effect === "staged"));
  });

  it("a node whose live version differs is reported with the real version: newer is a blocker", () => {
    const files = (node: string): TalosNodeFiles => {
      const f = read(node);
      if (node !== "home-02") return f;
      return { ...f, version: f.version!.replace("version: v1.13.9", "version: v1.14.1") };
    };
    const report = talosNodeReports(planned, declared, files);
    const home02 = report.nodes.find((n) => n.node === "home-02")!;
    assert.equal(home02.live.talosVersion, "v1.14.1");
    assert.ok(
      home02.blockers.some((b) =>
        b.startsWith(
          "home-02 (10.50.0.12) runs Talos v1.14.1, newer than the declared v1.13.9: that is a downgrade",
        ),
      ),
      home02.blockers.join("\n"),
    );
    assert.equal(report.blockers.length, 1);
    assert.match(report.blockers[0]!, /home-02 Talos v1\.14\.1/);
    assert.match(report.blockers[0]!, /home-01, home-03 Talos v1\.13\.9/);
  });

  it("an older node is an upgrade to review, unless the target's installer refuses the step", () => {
    const older = (version: string) => (node: string) => {
      const f = read(node);
      return { ...f, version: f.version!.replace("version: v1.13.9", `version: ${version}`) };
    };
    const upgrade = talosNodeReports(planned, declared, older("v1.12.7")).nodes[0]!;
    assert.ok(
      upgrade.changes.includes(
        "home-01 (10.50.0.11) runs Talos v1.12.7, the stack declares v1.13.9: its upgrade step upgrades it",
      ),
    );
    assert.ok(!upgrade.blockers.some((b) => b.includes("Talos v1.12.7")));
    const tooOld = talosNodeReports(planned, declared, older("v1.10.4")).nodes[0]!;
    assert.ok(
      tooOld.blockers.some((b) =>
        b.includes("runs Talos v1.10.4, which cannot be upgraded to v1.13.9 (needs 1.11.0 or later)"),
      ),
    );
  });

  it("a schematic or Kubernetes difference names both values", () => {
    const report = talosNodeReports(
      planned,
      { ...declared, schematicId: "f".repeat(64), kubernetesVersion: "1.38.0" },
      read,
    );
    const home01 = report.nodes[0]!;
    assert.ok(
      home01.changes.some((c) =>
        c.includes(
          `runs schematic ${declared.schematicId}, the declared extensions are schematic ${"f".repeat(64)}`,
        ),
      ),
    );
    assert.ok(
      home01.blockers.some((b) =>
        b.includes("Kubernetes 1.38.0 is more than one minor version above the running 1.36.3"),
      ),
    );
  });
});

describe("talos nodes: configuration differences", () => {
  const live = [
    {
      machine: { files: [{ path: "/etc/x", op: "create", content: "a" }], sysctls: { "a.b": "1" } },
      cluster: { apiServer: { certSANs: ["10.0.0.10", "127.0.0.1"] } },
    },
    { apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "n1", auto: "off" },
  ];

  it("compares every setting a patch changes and keeps live settings only a patch carries", () => {
    const carried = configDifferences(
      live,
      [{ machine: { files: live[0]!.machine!.files, sysctls: { "a.b": "1" } } }],
      "no_reboot",
      { controlPlane: false },
    );
    assert.deepEqual(carried, []);
    const changed = configDifferences(
      live,
      [{ machine: { files: live[0]!.machine!.files, sysctls: { "a.b": "2" } } }],
      "no_reboot",
      { controlPlane: false },
    );
    assert.deepEqual(
      changed.map((d) => [d.path, d.change, d.effect]),
      [["machine.sysctls.a\\.b", "changed", "goes live"]],
    );
  });

  it("brings back the generator's PodSecurity admission unless a patch deletes it", () => {
    const kept = configDifferences(
      live,
      [{ machine: { files: live[0]!.machine!.files, sysctls: { "a.b": "1" } } }],
      "no_reboot",
      { controlPlane: true },
    );
    assert.deepEqual(
      kept.map((d) => [d.path, d.change]),
      [
        ["cluster.apiServer.admissionControl", "added"],
        ["cluster.apiServer.auditPolicy", "added"],
      ],
    );
    const deleted = configDifferences(
      [{ ...live[0], cluster: { apiServer: { auditPolicy: { kind: "Policy" } } } }],
      [
        {
          machine: { files: live[0]!.machine!.files, sysctls: { "a.b": "1" } },
          cluster: { apiServer: { admissionControl: { $patch: "delete" } } },
        },
      ],
      "no_reboot",
      { controlPlane: true },
    );
    assert.deepEqual(deleted, []);
  });
});
