import * as fs from "fs";
import * as path from "path";
import { schemasDir } from "../../conformance/paths";
import type { PackageSchema, PluginPin } from "./codegen";

/** The schema file `pulumi package get-schema <plugin>@<version>` wrote into the schemas directory. */
export function schemaFile(plugin: string, version: string, dir = schemasDir()): string | undefined {
  return dir === undefined ? undefined : path.join(dir, "providers", `${plugin}-${version}.json`);
}

/** Reads a plugin's package schema and checks it against the pin (package name, download URL). */
export function readPackageSchema(plugin: string, pin: PluginPin): PackageSchema {
  const file = schemaFile(plugin, pin.version);
  if (file === undefined || !fs.existsSync(file)) {
    throw new Error(
      `no ${plugin} ${pin.version} schema${file === undefined ? " (schemas directory not found, set PLATFORM_SCHEMAS_DIR)" : ` at ${file}`}: ` +
        `write it with \`pulumi package get-schema ${plugin}@${pin.version} > <schemas>/providers/${plugin}-${pin.version}.json\``,
    );
  }
  const schema = JSON.parse(fs.readFileSync(file, "utf8")) as PackageSchema;
  if (schema.name !== plugin) throw new Error(`${file} is the schema of ${schema.name}, not ${plugin}`);
  if (schema.pluginDownloadURL !== pin.pluginDownloadURL) {
    throw new Error(
      `${file}: pluginDownloadURL ${String(schema.pluginDownloadURL)} differs from the pin in lib/versions.ts (${String(pin.pluginDownloadURL)})`,
    );
  }
  return schema;
}

/** lib/versions.ts with `plugins.<plugin>.version` set to `version`. */
export function bumpPin(source: string, plugin: string, version: string): string {
  const entry = new RegExp(`(\\n\\s*${plugin}: \\{[^}]*?version: ")[^"]+(")`);
  if (!entry.test(source)) throw new Error(`lib/versions.ts pins no plugin ${plugin}`);
  return source.replace(entry, `$1${version}$2`);
}
