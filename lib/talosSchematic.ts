/*
 * Image Factory schematic IDs, computed offline exactly as the factory does: the ID is the SHA-256 of the
 * schematic re-marshalled from its Go struct with go.yaml.in/yaml/v4 (4-space indent, sequences indented under
 * their key, fields in struct order, empty fields omitted, an empty customization as `{}`), whatever form it
 * was posted in (siderolabs/image-factory@v1.5.0 pkg/schematic/schematic.go Marshal, ID;
 * internal/schematic/schematic.go Put). The factory keeps the extensions in the order given, so the program
 * sorts them (components/cluster/talosPatches.ts schematicYaml) and so does this.
 */

/** Official extensions the program puts in its schematic: de-duplicated and sorted. */
function schematicExtensions(extensions: readonly string[]): string[] {
  return [...new Set(extensions)].sort();
}

/** A plain YAML scalar that go-yaml writes unquoted (extension names such as `siderolabs/iscsi-tools`). */
const PLAIN = /^[a-z0-9][a-z0-9._/-]*$/;

/** The factory's canonical text of a schematic with these official extensions (only). */
export function canonicalSchematic(extensions: readonly string[]): string {
  const names = schematicExtensions(extensions);
  if (names.length === 0) return "customization: {}\n";
  for (const name of names)
    if (!PLAIN.test(name) || /^[0-9._-]+$/.test(name))
      throw new Error(`extension name ${JSON.stringify(name)} is not a plain YAML scalar`);
  return [
    "customization:",
    "    systemExtensions:",
    "        officialExtensions:",
    ...names.map((n) => `            - ${n}`),
    "",
  ].join("\n");
}
