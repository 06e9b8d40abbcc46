import * as fs from "fs";
import * as path from "path";
import { parse, YAMLParseError } from "yaml";

/** A stack file that is not valid YAML: `file:line:col: what is wrong`, for people, without a stack trace. */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = "StackFileError";
  }
}

const REASONS: Record<string, string> = {
  DUPLICATE_KEY: "this key is already set above in the same mapping; remove one of them",
  BAD_INDENT: "the indentation does not line up with the lines above",
  TAB_AS_INDENT: "tabs cannot indent YAML; use spaces",
};

/** Parses a YAML file, turning a syntax error into a StackFileError with its line and column. */
export function parseYamlFile(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const [start] = err.linePos ?? [];
    const detail = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    const reason = REASONS[err.code] ? `${REASONS[err.code]} (${detail})` : detail;
    throw new StackFileError(
      path.relative(process.cwd(), file) || file,
      start?.line ?? 1,
      start?.col ?? 1,
      reason,
    );
  }
}
