import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
  fromStackDocument,
  PROJECT_ROOT,
  rawConfigOf,
  readStackFile,
  StackFileConfig,
} from "../../recording/stackFile";

/** A config fixture: a base stack file, edits by config path, and the exact errors expected (none for a valid twin). */
export interface ConfigFixture {
  file: string;
  description: string;
  base: string;
  set?: Record<string, unknown>;
  delete?: string[];
  rename?: Record<string, string>;
  append?: Record<string, unknown>;
  errors?: string[];
}

export const FIXTURE_DIR = path.join(PROJECT_ROOT, "tests", "fixtures", "config", "invalid");
/** Valid twins: the same edit made right, which must plan without an error (same file name as the invalid one). */
export const VALID_FIXTURE_DIR = path.join(PROJECT_ROOT, "tests", "fixtures", "config", "valid");

export function loadFixtures(dir = FIXTURE_DIR): ConfigFixture[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => ({
      file,
      ...(parse(fs.readFileSync(path.join(dir, file), "utf8")) as Omit<ConfigFixture, "file">),
    }));
}

type Segment = string | number;

/** `a.b[0].c` -> ["a", "b", 0, "c"]; the first segment is the config key. */
export function parsePath(p: string): Segment[] {
  const out: Segment[] = [];
  for (const part of p.split(".")) {
    const m = /^([^[\]]+)((\[\d+\])*)$/.exec(part);
    if (m === null) throw new Error(`bad fixture path ${p}`);
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function container(
  root: Record<string, unknown>,
  segments: Segment[],
  create: boolean,
): Record<string | number, unknown> {
  let node: Record<string | number, unknown> = root;
  for (const [i, seg] of segments.slice(0, -1).entries()) {
    if (node[seg] === undefined) {
      if (!create) throw new Error(`fixture path ${segments.join(".")} does not exist`);
      node[seg] = typeof segments[i + 1] === "number" ? [] : {};
    }
    node = node[seg] as Record<string | number, unknown>;
  }
  return node;
}

/** The stack file of the fixture's base stack with its edits applied. */
export function applyFixture(fixture: ConfigFixture): StackFileConfig {
  const doc: Record<string, unknown> = { ...rawConfigOf(readStackFile(fixture.base)).values };
  for (const [p, value] of Object.entries(fixture.set ?? {})) {
    const segs = parsePath(p);
    container(doc, segs, true)[segs[segs.length - 1]!] = value;
  }
  for (const p of fixture.delete ?? []) {
    const segs = parsePath(p);
    delete container(doc, segs, false)[segs[segs.length - 1]!];
  }
  for (const [from, to] of Object.entries(fixture.rename ?? {})) {
    const a = parsePath(from);
    const b = parsePath(to);
    const source = container(doc, a, false);
    const value = source[a[a.length - 1]!];
    delete source[a[a.length - 1]!];
    container(doc, b, true)[b[b.length - 1]!] = value;
  }
  for (const [p, value] of Object.entries(fixture.append ?? {})) {
    const segs = parsePath(p);
    const list = container(doc, segs, false)[segs[segs.length - 1]!] as unknown[];
    list.push(value);
  }
  return fromStackDocument(`${fixture.base}-${path.basename(fixture.file, ".yaml")}`, doc);
}
