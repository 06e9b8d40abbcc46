import type Ajv from "ajv";
import type { Format, ValidateFunction } from "ajv";
import { fullFormats } from "ajv-formats/dist/formats";
import * as crypto from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";
import { PROJECT_ROOT } from "../recording/stackFile";

/*
 * Compiling the CRD schemas with ajv takes most of a plan's conformance time (the agentgateway and kagent CRDs
 * are up to 1 MB of YAML each), so each compiled validator is kept on disk as ajv standalone code, and each
 * parsed CRD file as JSON, under a key that changes with the schema, the code that closes it and the ajv
 * version. A stale or damaged entry is never read: its key no longer matches, or loading it fails and the
 * schema is compiled again. Beside each validator, V8's code cache of it (written at exit, once the validator
 * has run) spares compiling its megabytes of code on the next run; V8 rejects a cache of another V8 version.
 */

/** Environment variable naming the cache directory (default `node_modules/.cache/ai-platform-conformance`). */
export const CACHE_ENV = "PLATFORM_CONFORMANCE_CACHE";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION = (require("ajv/package.json") as { version: string }).version;

/**
 * CRD patterns are Go RE2 expressions. A leading case-insensitive flag `(?i)` becomes the JS `i` flag; a
 * pattern JS still cannot compile is not evaluated (accepted), as with CEL rules.
 */
function goRegExp(pattern: string, flags: string): { test: (s: string) => boolean } {
  try {
    if (!/^\^?\(\?i\)/.test(pattern)) return new RegExp(pattern, flags);
    return new RegExp(pattern.replace("(?i)", ""), `${flags}i`);
  } catch {
    return { test: () => true };
  }
}

/** Every format a CRD may name: ajv-formats' full set plus the OpenAPI integer formats. */
const FORMATS: Record<string, Format> = {
  ...fullFormats,
  // The integer type already constrains these enough for conformance.
  int32: {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  },
  int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
};

/** What the standalone validators reach at run time: the functions ajv cannot write out as code. */
const RUNTIME = Symbol.for("ai-platform.conformance.runtime");
(globalThis as Record<symbol, unknown>)[RUNTIME] = { formats: FORMATS, regExp: goRegExp };
goRegExp.code = `globalThis[Symbol.for("ai-platform.conformance.runtime")].regExp`;

/** ajv is loaded only to compile a schema the cache does not hold. */
function newAjv(): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass, _ } = require("ajv") as typeof import("ajv");
  const ajv = new AjvClass({
    strict: false,
    allErrors: true,
    logger: false,
    validateSchema: false,
    code: {
      source: true,
      regExp: goRegExp,
      formats: _`globalThis[Symbol.for("ai-platform.conformance.runtime")].formats`,
    },
  });
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

function cacheDir(): string {
  const configured = process.env[CACHE_ENV];
  return configured !== undefined && configured !== ""
    ? path.resolve(configured)
    : path.join(PROJECT_ROOT, "node_modules", ".cache", "ai-platform-conformance");
}

function sha256(...parts: string[]): string {
  const hash = crypto.createHash("sha256");
  for (const p of parts) hash.update(p).update("\0");
  return hash.digest("hex");
}

/** Writes a cache entry atomically, so that a concurrent reader sees the whole file or none. */
function writeEntry(file: string, content: string | Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

/** What a key's inputs include besides the schema: the code that shapes the compiled result. */
const CODE_KEY = sha256(AJV_VERSION, goRegExp.toString(), Object.keys(FORMATS).join(","));

let ajv: Ajv | undefined;

/** Scripts loaded without a usable code cache; their caches are written at exit, after they have run. */
const uncached: Array<{ script: vm.Script; file: string }> = [];
let exitHook = false;

/** Loads a standalone validator module, with V8's code cache of it when there is one. */
function loadValidator(file: string): ValidateFunction | undefined {
  const codeCacheFile = `${file}.v8cache`;
  const cachedData = fs.existsSync(codeCacheFile) ? fs.readFileSync(codeCacheFile) : undefined;
  const source = `(function (module, exports, require) {${fs.readFileSync(file, "utf8")}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (m: unknown, e: unknown, r: NodeRequire) => void)(
    module,
    module.exports,
    createRequire(file),
  );
  if (cachedData === undefined || script.cachedDataRejected === true) {
    uncached.push({ script, file: codeCacheFile });
    if (!exitHook) {
      exitHook = true;
      process.once("exit", () => uncached.forEach((u) => writeEntry(u.file, u.script.createCachedData())));
    }
  }
  return typeof module.exports === "function" ? (module.exports as ValidateFunction) : undefined;
}

/**
 * The ajv validator of a schema: loaded from the cache when compiled before, else compiled and cached. The
 * schema must be the closed one the caller validates with (see `closeSchema`).
 */
export function cachedValidator(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  const file = path.join(cacheDir(), `validator-${sha256(CODE_KEY, text)}.js`);
  if (fs.existsSync(file)) {
    try {
      const loaded = loadValidator(file);
      if (loaded !== undefined) return loaded;
    } catch {
      // Compiled again below.
    }
  }
  ajv ??= newAjv();
  const validate = ajv.compile(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
  writeEntry(file, standaloneCode(ajv, validate));
  return validate;
}

/** The value `parse` makes of a file's text, cached as JSON under the text's digest and `kind`. */
export function cachedParse<T>(kind: string, text: string, parse: (text: string) => T): T {
  const file = path.join(cacheDir(), `${kind}-${sha256(kind, text)}.json`);
  if (fs.existsSync(file)) {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    } catch {
      // Parsed again below.
    }
  }
  const value = parse(text);
  writeEntry(file, JSON.stringify(value));
  return value;
}
