/*
 * Runs verification checks with a deadline each and one for the whole run, reports progress as each ends,
 * and renders the results as a Markdown table. Every reason passes through the redactor before it is shown.
 */

export const GROUPS = [
  "objects",
  "gateways",
  "llm",
  "mcp",
  "kagent",
  "langfuse",
  "bigip",
  "cloudflare",
] as const;
export type Group = (typeof GROUPS)[number];

export type Status = "pass" | "fail" | "skip";

export interface Outcome {
  status: Status;
  reason: string;
}

export interface Check {
  group: Group;
  name: string;
  /** Overrides the per-check deadline (a trace takes its time to arrive). */
  timeoutMs?: number;
  run(signal: AbortSignal): Promise<Outcome>;
}

export interface Result extends Outcome {
  group: Group;
  name: string;
  ms: number;
}

export interface RunOptions {
  perCheckMs: number;
  totalMs: number;
  /** Checks running at once. */
  concurrency: number;
  progress: (line: string) => void;
  redact: (text: string) => string;
}

export const pass = (reason: string): Outcome => ({ status: "pass", reason });
export const fail = (reason: string): Outcome => ({ status: "fail", reason });
export const skip = (reason: string): Outcome => ({ status: "skip", reason });

export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && !err.message.includes(cause.message)
    ? `${err.message}: ${cause.message}`
    : err.message;
}

/** One check under its deadline: a check still running then fails, and its signal aborts its requests. */
async function runOne(check: Check, limitMs: number): Promise<Outcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(fail(`no result within ${Math.round(limitMs / 1000)} s`));
    }, limitMs);
  });
  try {
    return await Promise.race([check.run(controller.signal).catch((err) => fail(errorText(err))), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Less time than this left for the run: a check is not started at all. */
const MIN_CHECK_MS = 100;

export async function runChecks(checks: readonly Check[], options: RunOptions): Promise<Result[]> {
  const started = Date.now();
  const results: Result[] = new Array(checks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      const check = checks[i]!;
      const left = options.totalMs - (Date.now() - started);
      const t0 = Date.now();
      const outcome =
        left < MIN_CHECK_MS
          ? fail(`not run: the whole verification's ${Math.round(options.totalMs / 1000)} s were used up`)
          : await runOne(check, Math.min(check.timeoutMs ?? options.perCheckMs, left));
      const result = {
        group: check.group,
        name: check.name,
        status: outcome.status,
        reason: options.redact(outcome.reason),
        ms: Date.now() - t0,
      };
      results[i] = result;
      done++;
      options.progress(
        `[${done}/${checks.length}] ${result.status.padEnd(4)} ${result.group}: ${result.name}` +
          (result.status === "pass" ? "" : ` (${result.reason})`),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return results;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const MARK: Record<Status, string> = { pass: "✅ pass", fail: "❌ fail", skip: "➖ skip" };

/** The results as a Markdown table (for a pull request or a status page), failures first. */
export function markdownTable(stack: string, results: readonly Result[]): string {
  const order: Record<Status, number> = { fail: 0, skip: 1, pass: 2 };
  const rows = [...results].sort((a, b) => order[a.status] - order[b.status]);
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  return [
    `### Verification of \`${stack}\`: ${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`,
    "",
    "| check | group | result | reason |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${cell(r.name)} | ${r.group} | ${MARK[r.status]} | ${cell(r.reason)} |`),
    "",
  ].join("\n");
}

/** Replaces every occurrence of a secret value (and its Basic/Bearer forms) with `[secret]`. */
export function secretRedactor(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) {
      if (s.length < 4) continue;
      out = out.split(s).join("[secret]");
    }
    return out;
  };
}
