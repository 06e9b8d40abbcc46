import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { checkPulumiVersion, SUPPORTED_PULUMI_VERSION } from "../../recording/internals";
import { fromStackDocument, PROJECT_ROOT, rawConfigOf } from "../../recording/stackFile";
import { readStackConfig } from "../../stacks/load";
import { recordProgram } from "../support/record";

describe("recording: Pulumi internals", () => {
  it("runs only on the @pulumi/pulumi release it was written for", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies["@pulumi/pulumi"], SUPPORTED_PULUMI_VERSION, "package.json pins it");
    assert.doesNotThrow(() => checkPulumiVersion(SUPPORTED_PULUMI_VERSION));
    assert.throws(
      () => checkPulumiVersion("3.249.0"),
      /written for @pulumi\/pulumi 3\.248\.0 internals, but 3\.249\.0 is installed.*recording\/internals\.ts/,
    );
  });

  it("keeps every use of runtime internals in recording/internals.ts", () => {
    const internal =
      /@pulumi\/pulumi\/(runtime|proto)|google-protobuf|pulumi\.runtime\.|getStore\(|setMockOptions/;
    const offenders = fs
      .readdirSync(path.join(PROJECT_ROOT, "recording"))
      .filter((f) => f.endsWith(".ts") && f !== "internals.ts")
      .filter((f) => internal.test(fs.readFileSync(path.join(PROJECT_ROOT, "recording", f), "utf8")));
    assert.deepEqual(offenders, []);
  });

  it("formats none of the SDK's stack traces the recording never reads, and the program's own in full", async () => {
    const formatted: string[] = [];
    const previous = Error.prepareStackTrace;
    const counting = (error: Error, frames: NodeJS.CallSite[]) => {
      formatted.push(frames[0]?.getFunctionName() ?? "");
      return previous === undefined ? String(error) : previous(error, frames);
    };
    Error.prepareStackTrace = counting;
    let programTrace: string | undefined;
    try {
      await recordProgram(function programOfTest() {
        new pulumi.ComponentResource("test:index:Box", "box");
        programTrace = new Error("from the program").stack;
      });
      assert.equal(Error.prepareStackTrace, counting, "restored after the recording");
    } finally {
      Error.prepareStackTrace = previous;
    }
    assert.match(programTrace ?? "", /from the program/);
    assert.ok(formatted.includes("programOfTest"), formatted.join());
    assert.deepEqual(
      formatted.filter((f) => f === "debuggablePromise" || f === "callsites"),
      [],
    );
  });
});

describe("stack config decoding", () => {
  it("decodes a stack file offline exactly as the running program reads its config", async () => {
    const doc = {
      cluster: { name: "c", nodes: [1, 2] },
      list: ["a"],
      plain: "  text  ",
      broken: "[not json",
      token: { secure: "AAABAJa2ZXhhbXBsZQ==" },
      "other:key": "foreign",
    };
    let inProgram: ReturnType<typeof readStackConfig> | undefined;
    await recordProgram(() => void (inProgram = readStackConfig()), doc, "decode");
    const offline = rawConfigOf(fromStackDocument("decode", doc));
    assert.equal(offline.values["broken"], "[not json");
    assert.deepEqual([...offline.secretKeys], ["token"]);
    assert.deepEqual(inProgram, offline);
  });
});
