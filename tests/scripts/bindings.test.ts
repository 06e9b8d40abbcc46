import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { plugins } from "../../lib/versions";
import { PROJECT_ROOT } from "../../recording/stackFile";
import { GENERATED_MARK, generateBindings } from "../../scripts/bindings/codegen";
import { bumpPin, readPackageSchema } from "../../scripts/bindings/load";
import { BINDINGS } from "../../scripts/bindings/spec";
import { describeWithSchemas } from "../support/schemas";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");

/** Files of a binding folder that carry the generated header. */
function generatedFilesIn(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, dir))
    .map((f) => path.join(dir, f))
    .filter((f) => read(f).startsWith(GENERATED_MARK))
    .sort();
}

describeWithSchemas("provider bindings: generated from the package schemas", () => {
  for (const spec of BINDINGS) {
    it(`${spec.dir} is exactly what ${spec.plugin} ${plugins[spec.plugin].version} generates`, async function () {
      this.timeout(60_000);
      const files = await generateBindings(
        spec,
        readPackageSchema(spec.plugin, plugins[spec.plugin]),
        plugins[spec.plugin],
      );
      assert.deepEqual(generatedFilesIn(spec.dir), [...files.keys()].sort(), "no stale or missing file");
      for (const [file, code] of files) {
        assert.ok(read(file) === code, `${file} differs from its generated form: run \`npm run bindings\``);
      }
    });
  }
});

describe("provider bindings: generated files", () => {
  const generated = BINDINGS.flatMap((b) => generatedFilesIn(b.dir)).sort();

  it("exist for every binding, each with the do-not-edit header", () => {
    for (const spec of BINDINGS) assert.ok(generatedFilesIn(spec.dir).length > 0, spec.dir);
    for (const file of generated) assert.match(read(file).split("\n")[0]!, /DO NOT EDIT/, file);
  });

  it("are exactly the files eslint ignores as generated", () => {
    const config = read("eslint.config.mjs");
    const list = /const generatedBindings = \[([^\]]*)\]/.exec(config)?.[1] ?? "";
    const ignored = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!).sort();
    assert.deepEqual(ignored, generated);
  });
});

describe("provider bindings: bumping a plugin", () => {
  it("changes only that plugin's pinned version", () => {
    const source = read("lib/versions.ts");
    const bumped = bumpPin(source, "talos", "0.9.0");
    const changed = bumped.split("\n").filter((line, i) => line !== source.split("\n")[i]);
    assert.equal(changed.length, 1);
    assert.match(
      changed[0]!,
      /talos: \{ version: "0\.9\.0", pluginDownloadURL: "github:\/\/api\.github\.com\/pulumiverse" \}/,
    );
    assert.equal(bumpPin(bumpPin(source, "f5bigip", "3.25.0"), "f5bigip", plugins.f5bigip.version), source);
    assert.throws(() => bumpPin(source, "nosuch", "1.0.0"), /pins no plugin nosuch/);
  });
});
