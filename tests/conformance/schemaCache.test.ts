import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_ENV, cachedParse, cachedValidator } from "../../conformance/schemaCache";

describe("conformance: compiled schema cache", () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[CACHE_ENV];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-cache-"));
    process.env[CACHE_ENV] = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CACHE_ENV];
    else process.env[CACHE_ENV] = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // A schema with what the standalone code must reach at run time: a format function, a (?i) pattern and a
  // pattern JS cannot compile (accepted, as the checker accepts what it cannot evaluate).
  const schema = {
    type: "object",
    properties: {
      port: { type: "integer", format: "int32" },
      host: { type: "string", pattern: "(?i)^[a-z]+$" },
      go: { type: "string", pattern: "^(?P<x>a)$" },
      when: { type: "string", format: "date-time" },
    },
    additionalProperties: false,
  };
  const cases: Array<[unknown, boolean]> = [
    [{ port: 80, host: "ABC", go: "zzz", when: "2024-01-01T00:00:00Z" }, true],
    [{ port: 2 ** 31 }, false],
    [{ host: "a-b" }, false],
    [{ when: "yesterday" }, false],
    [{ extra: 1 }, false],
  ];
  const verdicts = (validate: (v: unknown) => boolean) => cases.map(([value]) => validate(value));

  it("a validator loaded from the cache judges as the freshly compiled one did", () => {
    const compiled = cachedValidator(schema);
    assert.deepEqual(
      verdicts(compiled),
      cases.map(([, ok]) => ok),
    );
    const files = fs.readdirSync(dir).filter((f) => f.startsWith("validator-") && f.endsWith(".js"));
    assert.equal(files.length, 1, "one standalone validator written");
    const loaded = cachedValidator(schema);
    assert.notEqual(loaded, compiled, "second call loads the cached module");
    assert.deepEqual(verdicts(loaded), verdicts(compiled));
    loaded({ extra: 1 });
    assert.equal(loaded.errors?.[0]?.keyword, "additionalProperties");
  });

  it("a damaged cache entry is compiled again, not trusted", () => {
    cachedValidator(schema);
    const file = fs.readdirSync(dir).find((f) => f.startsWith("validator-") && f.endsWith(".js"))!;
    fs.writeFileSync(path.join(dir, file), "module.exports = 42;");
    assert.deepEqual(
      verdicts(cachedValidator(schema)),
      cases.map(([, ok]) => ok),
    );
  });

  it("a changed schema gets its own entry", () => {
    cachedValidator(schema);
    const other = cachedValidator({ ...schema, additionalProperties: true });
    assert.equal(other({ extra: 1 }), true);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".js")).length, 2);
  });

  it("parsed files are keyed by their text", () => {
    let parses = 0;
    const parse = (t: string) => {
      parses++;
      return t.split(",");
    };
    assert.deepEqual(cachedParse("list", "a,b", parse), ["a", "b"]);
    assert.deepEqual(cachedParse("list", "a,b", parse), ["a", "b"]);
    assert.deepEqual(cachedParse("list", "a,c", parse), ["a", "c"]);
    assert.equal(parses, 2);
  });
});
