import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { talosConfigChecks } from "../../live/preflight/talosConfig";
import { TalosNodeSnapshot } from "../../live/preflight/talos";
import { exitCode } from "../../live/preflight/findings";
import { plannedState } from "../../live/plan";
import { Recording, recordStack } from "../../recording/runtime";
import { PROJECT_ROOT, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { loadPlatformConfig } from "../../stacks/load";
import type { PlatformConfig } from "../../stacks/schema";

/*
 * The preflight's per-node Talos section against the homeops snapshot as cluster-template left its nodes
 * (tests/fixtures/talos/homeops: talosctl's output, secrets hashed).
 */
const FIXTURE = path.join(__dirname, "../fixtures/talos/homeops");
const ADDRESSES: Record<string, string> = {
  "home-01": "10.50.0.11",
  "home-02": "10.50.0.12",
  "home-03": "10.50.0.13",
};

function snapshots(
  edit: (node: string, file: string, text: string) => string = (_n, _f, t) => t,
): TalosNodeSnapshot[] {
  return Object.entries(ADDRESSES).map(([name, address]) => ({
    name,
    address,
    source: { status: "ok" },
    files: Object.fromEntries(
      (["machineconfig", "version", "extensions"] as const).map((f) => [
        f,
        edit(name, f, fs.readFileSync(path.join(FIXTURE, name, `${f}.yaml`), "utf8")),
      ]),
    ),
  }));
}

describe("preflight: the Talos nodes of homeops", () => {
  let config: PlatformConfig;
  let recording: Recording;
  before(async function () {
    this.timeout(60_000);
    config = loadPlatformConfig(rawConfigOf(readStackFile("homeops", PROJECT_ROOT)));
    recording = await recordStack("homeops", { root: PROJECT_ROOT });
  });
  const run = (nodes: TalosNodeSnapshot[], rec: Recording = recording) =>
    talosConfigChecks(config, rec).flatMap((check) => check(nodes, plannedState(rec)));

  it("names a node's .machine.files per node as refused under no_reboot when the stack does not carry it", () => {
    // The stack as it was before it carried cluster-template's containerd file.
    const stripped: Recording = {
      ...recording,
      invokes: recording.invokes.map((i) =>
        Array.isArray(i.args["configPatches"])
          ? {
              ...i,
              args: {
                ...i.args,
                configPatches: (i.args["configPatches"] as string[]).filter((p) => !p.includes('"files"')),
              },
            }
          : i,
      ),
    };
    const findings = run(snapshots(), stripped);
    for (const [name, address] of Object.entries(ADDRESSES)) {
      const blockers = findings.filter(
        (f) => f.object === `Talos node ${name} (${address})` && f.severity === "blocker",
      );
      assert.equal(blockers.length, 1, name);
      assert.match(
        blockers[0]!.message,
        /the no_reboot apply is refused .*\.machine\.files: removed .*: refused under no_reboot/,
      );
    }
    assert.equal(exitCode(findings), 1);
  });

  it("a node whose live version differs from the declared one is a blocker with the real version", () => {
    const findings = run(
      snapshots((node, file, text) =>
        node === "home-02" && file === "version" ? text.replace("v1.13.9", "v1.14.1") : text,
      ),
    );
    const blockers = findings.filter((f) => f.severity === "blocker").map((f) => f.message);
    assert.ok(
      blockers.some((b) =>
        b.includes("home-02 (10.50.0.12) runs Talos v1.14.1, newer than the declared v1.13.9"),
      ),
      blockers.join("\n"),
    );
    assert.ok(
      blockers.some((b) => b.includes("home-02 Talos v1.14.1")),
      "the nodes disagree",
    );
  });
});
