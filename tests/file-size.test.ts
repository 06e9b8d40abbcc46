import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../recording/stackFile";
import { GENERATED_MARK } from "../scripts/bindings/codegen";

/** Hand-written files stay small enough to read in one sitting; a growing module splits into cohesive ones. */
const MAX_LINES = 400;

/** Build output, dependencies and the tests themselves are not program source. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", "tests"]);

/** Every TypeScript file of the program outside tests/, relative to the project root. */
function sourceFiles(dir = ""): string[] {
  return fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith(".") || SKIPPED_DIRS.has(rel) ? [] : sourceFiles(rel);
    return entry.name.endsWith(".ts") ? [rel] : [];
  });
}

const lineCount = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

describe("source files: size", () => {
  const files = sourceFiles().map((file) => ({
    file,
    text: fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"),
  }));
  const handWritten = files.filter((f) => !f.text.startsWith(GENERATED_MARK));

  it("covers the program and leaves out only the generated provider bindings", () => {
    const names = handWritten.map((f) => f.file);
    for (const file of ["index.ts", "platform.ts", path.join("stacks", "schema.ts")])
      assert.ok(names.includes(file), file);
    assert.ok(!names.some((f) => f.startsWith(`tests${path.sep}`)));
    assert.ok(files.length - handWritten.length > 0, "the generated bindings are recognised by their header");
  });

  it(`no hand-written file exceeds ${MAX_LINES} lines`, () => {
    const tooLong = handWritten
      .map((f) => ({ file: f.file, lines: lineCount(f.text) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(tooLong, [], `split these into cohesive modules of at most ${MAX_LINES} lines`);
  });
});
