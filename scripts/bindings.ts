import * as fs from "fs";
import * as path from "path";
import { plugins } from "../lib/versions";
import { PROJECT_ROOT } from "../recording/stackFile";
import { GENERATED_MARK, generateBindings } from "./bindings/codegen";
import { bumpPin, readPackageSchema } from "./bindings/load";
import { BINDINGS } from "./bindings/spec";

/**
 * `npm run bindings`: regenerates the provider bindings of scripts/bindings/spec.ts from the package schemas
 * of the plugins pinned in lib/versions.ts. `npm run bindings -- talos@0.8.2` bumps a plugin: it pins
 * the new version and regenerates from that version's schema.
 */
async function main(argv: string[]): Promise<void> {
  const versionsFile = path.join(PROJECT_ROOT, "lib", "versions.ts");
  const pins: Record<string, { version: string; pluginDownloadURL?: string }> = { ...plugins };
  for (const arg of argv) {
    const [plugin, version] = arg.split("@");
    const spec = BINDINGS.find((b) => b.plugin === plugin);
    if (spec === undefined || version === undefined || version === "") {
      throw new Error(`usage: npm run bindings [-- <${BINDINGS.map((b) => b.plugin).join("|")}>@<version>]`);
    }
    pins[spec.plugin] = { ...pins[spec.plugin], version };
  }
  // Everything is generated before anything is written: a missing schema leaves the project untouched.
  const generated = [];
  for (const spec of BINDINGS) {
    const pin = pins[spec.plugin]!;
    generated.push({ spec, files: await generateBindings(spec, readPackageSchema(spec.plugin, pin), pin) });
  }
  for (const { spec, files } of generated) {
    const dir = path.join(PROJECT_ROOT, spec.dir);
    for (const file of fs.readdirSync(dir)) {
      const full = path.join(dir, file);
      const stale =
        !files.has(path.join(spec.dir, file)) && fs.readFileSync(full, "utf8").startsWith(GENERATED_MARK);
      if (stale) fs.rmSync(full);
    }
    for (const [file, code] of files) fs.writeFileSync(path.join(PROJECT_ROOT, file), code);
    console.log(`${spec.plugin} ${pins[spec.plugin]!.version}: ${[...files.keys()].join(", ")}`);
  }
  let versions = fs.readFileSync(versionsFile, "utf8");
  for (const spec of BINDINGS) versions = bumpPin(versions, spec.plugin, pins[spec.plugin]!.version);
  fs.writeFileSync(versionsFile, versions);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
