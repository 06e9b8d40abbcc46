import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { plannedAction } from "../recording/plan";
import { canonical } from "../recording/redact";
import type { RecordedResource, Recording } from "../recording/runtime";
import { listStacks, PROJECT_ROOT } from "../recording/stackFile";
import { recordedStack } from "./support/record";

/*
 * One golden plan per production stack: every resource's URN, provider, parent, options and a short digest of
 * its inputs, so that any change to what `pulumi up` would do to a running stack shows up in review as a diff
 * of tests/golden/<stack>.plan.txt. Update after an intended change with `npm run golden`.
 */

const GOLDEN_DIR = path.join(PROJECT_ROOT, "tests", "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const UPDATE_HINT = "if the change is intended, run `npm run golden` and commit tests/golden/";

const digest = (value: unknown) =>
  createHash("sha256")
    .update(JSON.stringify(canonical(value)))
    .digest("hex")
    .slice(0, 12);

/** `type::name` of a URN (its own type, without the parents' types), or "-" for none. */
const short = (urn: string) => {
  if (urn === "") return "-";
  const [, , type, name] = urn.split("::");
  return `${type!.split("$").pop()}::${name}`;
};

/** The lines describing one resource; the first is its URN, the rest are indented `key: value` pairs. */
function describeResource(r: RecordedResource): string[] {
  const o = r.options;
  const fields: Array<[string, string | undefined]> = [
    ["action", plannedAction(r) ?? undefined],
    ["parent", short(r.parent)],
    ["provider", r.provider === "" ? undefined : short(r.provider)],
    ["providers", Object.keys(r.providers).length ? JSON.stringify(r.providers, null, 0) : undefined],
    ["dependencies", r.dependencies.length ? r.dependencies.map(short).join(", ") : undefined],
    ["protect", o.protect ? "true" : undefined],
    ["retainOnDelete", o.retainOnDelete ? "true" : undefined],
    ["deleteBeforeReplace", o.deleteBeforeReplace ? "true" : undefined],
    ["ignoreChanges", o.ignoreChanges.length ? o.ignoreChanges.join(", ") : undefined],
    ["replaceOnChanges", o.replaceOnChanges.length ? o.replaceOnChanges.join(", ") : undefined],
    ["import", o.import || undefined],
    ["aliases", o.aliases.length ? o.aliases.join(", ") : undefined],
    ["version", o.version || undefined],
    ["secrets", r.secretPaths.length ? r.secretPaths.join(", ") : undefined],
    ["inputs", digest(r.inputs)],
  ];
  return [
    r.urn,
    ...fields.filter(([, v]) => v !== undefined).map(([k, v]) => `    ${k}: ${v!.replace(/\n/g, " ")}`),
  ];
}

/** The golden plan text of a recording: resources in URN order, then the stack outputs' digest. */
export function goldenPlan(recording: Recording): string {
  const providersShort = (r: RecordedResource) =>
    Object.fromEntries(Object.entries(r.providers).map(([k, v]) => [k, short(v)]));
  const blocks = recording.resources.map((r) =>
    describeResource({ ...r, providers: providersShort(r) }).join("\n"),
  );
  const outputs = `outputs: ${Object.keys(recording.outputs).sort().join(", ")} (${digest(recording.outputs)})`;
  const invokes = `invokes: ${recording.invokes.length} (${digest(recording.invokes)})`;
  return [
    `# Golden plan of stack ${recording.stack}; regenerate with \`npm run golden\`.`,
    `# ${recording.resources.length} resources; dependencies: dependsOn and input dependencies; inputs: sha256 (12 hex) of the redacted inputs.`,
    ...blocks,
    invokes,
    outputs,
    "",
  ].join("\n");
}

/** The resources of a golden text by URN, each with its field lines. */
function parseGolden(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("urn:")) out.set(line, (current = []));
    else if (line.startsWith("    ") && current) current.push(line.trim());
    else current = undefined;
  }
  return out;
}

/** What changed between two golden texts, one line per resource (added, removed, or which fields changed). */
export function goldenDiff(expected: string, actual: string): string[] {
  const before = parseGolden(expected);
  const after = parseGolden(actual);
  const lines: string[] = [];
  for (const [urn, fields] of after) {
    const old = before.get(urn);
    if (old === undefined) lines.push(`+ ${urn}`);
    else {
      const key = (f: string) => f.slice(0, f.indexOf(":"));
      const changed = [
        ...new Set([...fields, ...old].filter((f) => !fields.includes(f) || !old.includes(f))),
      ];
      if (changed.length) lines.push(`~ ${urn} (${[...new Set(changed.map(key))].join(", ")})`);
    }
  }
  for (const urn of before.keys()) if (!after.has(urn)) lines.push(`- ${urn}`);
  const tail = (t: string) => t.split("\n").filter((l) => /^(invokes|outputs):/.test(l));
  for (const [a, b] of tail(expected).map((l, i) => [l, tail(actual)[i]]))
    if (a !== b) lines.push(`~ ${a} -> ${b}`);
  return lines;
}

describe("golden plan of each production stack", function () {
  this.timeout(120_000);
  for (const stack of listStacks()) {
    it(`${stack} records the committed plan (tests/golden/${stack}.plan.txt)`, async () => {
      const file = path.join(GOLDEN_DIR, `${stack}.plan.txt`);
      const actual = goldenPlan(await recordedStack(stack));
      if (UPDATE) {
        fs.mkdirSync(GOLDEN_DIR, { recursive: true });
        fs.writeFileSync(file, actual);
        return;
      }
      assert.ok(fs.existsSync(file), `${file} is missing; ${UPDATE_HINT}`);
      const expected = fs.readFileSync(file, "utf8");
      if (expected === actual) return;
      const changes = goldenDiff(expected, actual);
      assert.fail(
        `the ${stack} plan differs from tests/golden/${stack}.plan.txt in ${changes.length} place(s):\n` +
          `${changes.slice(0, 40).join("\n")}${changes.length > 40 ? "\n..." : ""}\n${UPDATE_HINT}`,
      );
    });
  }

  it("a changed, added or removed resource is reported by URN with the fields that changed", () => {
    const text = (lines: string[]) => lines.join("\n");
    const before = text(["urn:a", "    inputs: 1", "urn:b", "    protect: true", "    inputs: 2"]);
    const after = text(["urn:a", "    inputs: 9", "urn:c", "    inputs: 3"]);
    assert.deepEqual(goldenDiff(before, after), ["~ urn:a (inputs)", "+ urn:c", "- urn:b"]);
  });
});
