import { strict as assert } from "assert";
import { parseResolve, resolved } from "../../verify/context";
import { Check, fail, markdownTable, pass, runChecks, secretRedactor } from "../../verify/run";

const options = (lines: string[] = []) => ({
  perCheckMs: 200,
  totalMs: 5_000,
  concurrency: 2,
  progress: (l: string) => lines.push(l),
  redact: secretRedactor(() => ["s3cr3t-value"]),
});

describe("verify: running checks", () => {
  it("bounds each check, reports progress per check, and redacts secrets from reasons", async () => {
    const lines: string[] = [];
    const checks: Check[] = [
      { group: "objects", name: "quick", run: async () => pass("ok") },
      { group: "llm", name: "hangs", run: () => new Promise(() => undefined) },
      { group: "langfuse", name: "leaks", run: async () => fail("token s3cr3t-value refused") },
      { group: "mcp", name: "throws", run: async () => Promise.reject(new Error("boom")) },
    ];
    const results = await runChecks(checks, options(lines));
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ["quick", "pass"],
        ["hangs", "fail"],
        ["leaks", "fail"],
        ["throws", "fail"],
      ],
    );
    assert.match(results[1]!.reason, /no result within/);
    assert.equal(results[2]!.reason, "token [secret] refused");
    assert.equal(results[3]!.reason, "boom");
    assert.equal(lines.length, 4);
    assert.ok(lines.every((l) => /^\[\d\/4\] /.test(l)));
  });

  it("does not start checks once the whole run's time is used up", async () => {
    const slow: Check = {
      group: "objects",
      name: "slow",
      run: () => new Promise((r) => setTimeout(() => r(pass("")), 150)),
    };
    const results = await runChecks([slow, { ...slow, name: "late" }], {
      ...options(),
      concurrency: 1,
      totalMs: 100,
    });
    assert.equal(results[1]!.status, "fail");
    assert.match(results[1]!.reason, /not run/);
  });

  it("renders a Markdown table, failures first, with pipes escaped", () => {
    const table = markdownTable("rooster", [
      { group: "objects", name: "a", status: "pass", reason: "fine", ms: 1 },
      { group: "mcp", name: "b", status: "fail", reason: "x | y\nz", ms: 1 },
    ]);
    const rows = table
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| check") && !l.startsWith("| ---"));
    assert.deepEqual(rows, ["| b | mcp | ❌ fail | x \\| y z |", "| a | objects | ✅ pass | fine |"]);
    assert.match(table, /1 passed, 1 failed, 0 skipped/);
  });

  it("resolves a host and port to another address, keeping the Host header", () => {
    const map = parseResolve(["172.16.20.120:8080=127.0.0.1:4567", "ai.sklab.dev:443=127.0.0.1:9"]);
    assert.deepEqual(resolved("http://172.16.20.120:8080/openai", map), {
      url: "http://127.0.0.1:4567/openai",
      host: "172.16.20.120:8080",
    });
    assert.deepEqual(resolved("https://ai.sklab.dev/x", map), {
      url: "https://127.0.0.1:9/x",
      host: "ai.sklab.dev",
    });
    assert.deepEqual(resolved("http://172.16.20.121:8080/", map), { url: "http://172.16.20.121:8080/" });
    assert.throws(() => parseResolve(["172.16.20.120=127.0.0.1"]));
  });
});
