import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, rawConfigOf, readStackFile } from "../../../recording/stackFile";
import { StackFileError } from "../../../recording/yamlFile";
import { crossRules } from "../../../stacks/checks";
import { jsRegExp, rustRegexProblem } from "../../../stacks/checks/guards";
import { invariantIds } from "../../../stacks/checks/refine";
import { labelKeyProblem, labelValueProblem } from "../../../stacks/checks/names";
import { extensionProblem } from "../../../stacks/checks/operations";
import { foreignKeyIssues } from "../../../stacks/configKeys";
import { formatIssue } from "../../../stacks/issues";
import { parsePlatformConfig } from "../../../stacks/load";
import { cidrProblem, ipv4Problem } from "../../../lib/net";
import { applyFixture, loadFixtures } from "../../support/fixtures";

describe("checks: named cross-field rules", () => {
  const fixtures = new Map(loadFixtures().map((f) => [f.file, f]));

  it("and object invariants have unique ids, each with a fixture of that name that expects errors", () => {
    const ids = [...crossRules.map((r) => r.id), ...invariantIds];
    assert.ok(invariantIds.length > 0, "no object invariant registered");
    assert.equal(new Set(ids).size, ids.length, "duplicate rule ids");
    for (const id of ids) {
      const fixture = fixtures.get(`${id}.yaml`);
      assert.ok(fixture !== undefined, `no fixture ${id}.yaml for rule ${id}`);
      assert.ok((fixture.errors ?? []).length > 0, `${id}.yaml expects no error`);
    }
  });
});

describe("checks: guard regexes under Rust regex syntax", () => {
  it("accepts RE2 constructs and leading flags", () => {
    for (const ok of [
      "(?i)ignore (all )?previous",
      "AKIA[0-9A-Z]{16}",
      "[(?=]x",
      "(?P<key>gh[pousr]_)\\w+",
      "a\\.b",
    ])
      assert.equal(rustRegexProblem(ok), undefined, ok);
  });

  it("refuses look-around, back-references, atomic groups and possessive quantifiers", () => {
    assert.match(rustRegexProblem("a(?!b)")!, /look-ahead/);
    assert.match(rustRegexProblem("(?<=a)b")!, /look-behind/);
    assert.match(rustRegexProblem("(a)\\1")!, /back-reference/);
    assert.match(rustRegexProblem("(?<n>a)\\k<n>")!, /named back-references/);
    assert.match(rustRegexProblem("(?>a)")!, /atomic/);
    assert.match(rustRegexProblem("a++")!, /possessive/);
    assert.equal(rustRegexProblem("(unclosed"), "does not compile");
  });

  it("checks samples with Rust's leading flags applied", () => {
    assert.ok(jsRegExp("(?i)forget")!.test("FORGET"));
    assert.ok(!jsRegExp("forget")!.test("FORGET"));
  });
});

describe("checks: Kubernetes forms", () => {
  it("label keys and values", () => {
    assert.equal(labelKeyProblem("topology.kubernetes.io/zone"), undefined);
    assert.equal(labelKeyProblem("app"), undefined);
    assert.match(labelKeyProblem("Example.com/zone")!, /prefix/);
    assert.match(labelKeyProblem(`a/${"x".repeat(64)}`)!, /1-63/);
    assert.equal(labelValueProblem(""), undefined);
    assert.match(labelValueProblem("a b")!, /may use/);
    assert.match(labelValueProblem("x".repeat(64))!, /longer than 63/);
  });

  it("Image Factory extension names", () => {
    assert.equal(extensionProblem("siderolabs/iscsi-tools"), undefined);
    assert.deepEqual(extensionProblem("iscsi-tools"), {
      message: '"iscsi-tools" has no siderolabs/ prefix',
      hint: 'use "siderolabs/iscsi-tools"',
    });
    assert.equal(
      extensionProblem("ghcr.io/siderolabs/iscsi-tools:v0.2.0")?.hint,
      'use the extension name "siderolabs/iscsi-tools"',
    );
  });

  it("addresses and CIDRs say what is wrong", () => {
    assert.equal(ipv4Problem("10.0.0.1"), undefined);
    assert.equal(ipv4Problem("fd00::1"), "fd00::1 is an IPv6 address, but this network is IPv4 only");
    assert.equal(cidrProblem("10.0.0.0/24"), undefined);
    assert.equal(cidrProblem("10.0.0.9/24"), "10.0.0.9/24 has host bits set: its network is 10.0.0.0/24");
    assert.equal(cidrProblem("10.0.0.0/33"), "must be an IPv4 CIDR like 10.0.0.0/24");
  });
});

describe("config: keys outside the project namespace", () => {
  it("accepts the providers' and Pulumi's namespaces and names the closest for others", () => {
    assert.deepEqual(
      foreignKeyIssues([
        "kubernetes:context",
        "pulumi:tags",
        "onepassword:url",
        "talos:x",
        "f5bigip:y",
        "cloudflare:z",
      ]),
      [],
    );
    assert.deepEqual(foreignKeyIssues(["cloudflar:apiToken", "aws:region"]).map(formatIssue), [
      'cloudflar:apiToken: unknown config namespace "cloudflar": nothing reads this key (hint: did you mean "cloudflare:apiToken"?)',
      'aws:region: unknown config namespace "aws": nothing reads this key (hint: namespaces: ai-platform, kubernetes, cloudflare, onepassword, talos, f5bigip, pulumi)',
    ]);
  });
});

describe("config: stack files that are not valid YAML", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: ai-platform\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(dir, "Pulumi.dup.yaml"),
      "config:\n  ai-platform:llm:\n    enabled: true\n    enabled: false\n",
    );
    fs.writeFileSync(
      path.join(dir, "Pulumi.indent.yaml"),
      "config:\n  ai-platform:llm:\n    enabled: true\n   routes: []\n",
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("name the file, line and column of a duplicate key or a bad indentation", () => {
    assert.throws(
      () => readStackFile("dup", dir),
      (err: unknown) =>
        err instanceof StackFileError &&
        err.line === 4 &&
        err.col === 5 &&
        err.message.endsWith(
          "Pulumi.dup.yaml:4:5: this key is already set above in the same mapping; remove one of them (Map keys must be unique)",
        ),
    );
    assert.throws(
      () => readStackFile("indent", dir),
      (err: unknown) => err instanceof StackFileError && err.line === 4,
    );
  });

  it("make the plan exit 1 with that location and no stack trace", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "plan.ts"), "dup"],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PLAN_STACK_ROOT: dir, PLAN_OUT_DIR: path.join(dir, "out") },
        encoding: "utf8",
      },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /dup: .*Pulumi\.dup\.yaml:4:5: this key is already set above/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.ok(!fs.existsSync(path.join(dir, "out", "dup")));
  });
});

describe("config: layers that are off", () => {
  it("need nothing but enabled: false, and a layer left out is off", () => {
    const raw = rawConfigOf(
      applyFixture({
        file: "inline.yaml",
        description: "layers switched off",
        base: "rooster",
        set: {
          longhorn: { enabled: false },
          bigip: { enabled: false },
          observability: { enabled: false },
          policies: { enabled: false },
          mcp: { enabled: false },
          kagent: { enabled: false },
          exposures: [],
        },
        delete: ["cilium"],
      }),
    );
    const { config, issues } = parsePlatformConfig(raw);
    assert.deepEqual(issues.map(formatIssue), []);
    assert.equal(config?.cilium.enabled, false);
    assert.equal(config?.bigip?.enabled, false);
  });

  it("still check the fields they are given", () => {
    const raw = rawConfigOf(
      applyFixture({
        file: "inline.yaml",
        description: "a switched-off layer with a typo",
        base: "rooster",
        set: { longhorn: { enabled: false, replicaCont: 2 } },
      }),
    );
    assert.deepEqual(parsePlatformConfig(raw).issues.map(formatIssue), [
      'ai-platform:longhorn.replicaCont: unknown field (hint: did you mean "replicaCount"?)',
    ]);
  });
});
