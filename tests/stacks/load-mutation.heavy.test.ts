import { strict as assert } from "assert";
import fc from "fast-check";
import { recordStack } from "../../recording/runtime";
import { fromStackDocument, listStacks, rawConfigOf, readStackFile } from "../../recording/stackFile";
import { ConfigValidationError } from "../../stacks/issues";
import { parsePlatformConfig } from "../../stacks/load";
import { conformanceProblems, isUnshippedCrd, schemasDir } from "../../conformance";

/*
 * Mutation property: take a valid stack, change one value anywhere in it (a typo, a wrong type, a number out of
 * range, a URL for a host, an empty list, a removed field), and plan. Either the config is refused with every
 * issue located by a config path, or the program registers only objects the upstream schemas (and CRD CEL
 * rules) accept: never a crash half-way, never an object the cluster would refuse.
 */

type Path = Array<string | number>;

/** Every path to a value in the stack document (the first segment is the config key). */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function stackDocument(stack: string): Record<string, unknown> {
  const raw = rawConfigOf(readStackFile(stack));
  return structuredClone(raw.values);
}

const REMOVE = Symbol("remove");

function mutate(doc: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const replacement = fc.oneof(
  fc.constant(REMOVE),
  fc.constantFrom(
    "",
    "Bad_Name",
    "1starts-with-digit",
    "http://example.com:8080/x",
    "10.0.0.0",
    "fd00::1",
    "x".repeat(70),
    "512m",
    "(?<=a)b",
    "kube-system",
    -1,
    0,
    1.5,
    70000,
    true,
    null,
    [],
    {},
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 40000 }),
);

const KEYS = new Set([
  "secrets",
  "cluster",
  "cilium",
  "longhorn",
  "agentgateway",
  "llm",
  "policies",
  "mcp",
  "kagent",
  "observability",
  "exposures",
  "bigip",
  "cloudflare",
  "tenants",
  "adoption",
]);

describe("config: mutated stacks are refused with a path or plan conformant objects", function () {
  this.timeout(300_000);
  for (const stack of listStacks()) {
    it(`${stack}: one mutation anywhere`, async () => {
      const doc = stackDocument(stack);
      const all = paths(doc);
      const checkConformance = schemasDir() !== undefined;
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: all.length - 1 }), replacement, async (i, value) => {
          const mutated = mutate(doc, all[i]!, value);
          const stackFile = fromStackDocument(`${stack}-mutated`, mutated);
          const { issues } = parsePlatformConfig(rawConfigOf(stackFile));
          for (const issue of issues) {
            const key = /^[^.[]+/.exec(issue.path)?.[0] ?? "";
            assert.ok(KEYS.has(key), `issue without a config path: ${JSON.stringify(issue)}`);
          }
          try {
            const recording = await recordStack(stack, { stackFile });
            assert.deepEqual(issues, [], "a config with issues registered resources");
            if (checkConformance)
              assert.deepEqual(
                conformanceProblems(recording).filter((p) => !isUnshippedCrd(p)),
                [],
              );
          } catch (err) {
            if (err instanceof ConfigValidationError && issues.length > 0) return;
            throw err;
          }
        }),
        {
          numRuns: Number(process.env["MUTATION_RUNS"] ?? 60),
          seed: Number(process.env["MUTATION_SEED"] ?? 13),
          endOnFailure: true,
        },
      );
    });
  }
});
