import { strict as assert } from "assert";
import fc from "fast-check";
import { pathText, plannedLeaves, sameValue, secretLeaves } from "../../../live/preflight/fieldDiff";
import { redactedHash } from "../../../live/redact";

const changed = (planned: unknown, live: unknown) =>
  plannedLeaves(planned, live)
    .filter((l) => l.equal === false)
    .map((l) => pathText(l.segments));

/** JSON objects without placeholders, the shape of a Kubernetes object's fields. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    tie("object"),
    tie("list"),
  ),
  object: fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,6}$/), tie("value"), { maxKeys: 4 }),
  list: fc.array(tie("value"), { maxLength: 3 }),
})).object;

describe("preflight/fieldDiff", () => {
  it("compares only what the program sets: live-only fields are not changes", () => {
    assert.deepEqual(
      changed({ spec: { replicas: 2 } }, { spec: { replicas: 2, paused: false }, status: {} }),
      [],
    );
    assert.deepEqual(changed({ spec: { replicas: 3 } }, { spec: { replicas: 2 } }), ["spec.replicas"]);
    assert.deepEqual(changed({ spec: { x: "a" } }, {}), ["spec.x"]);
  });

  it("matches named list items by name, whatever their order", () => {
    const planned = {
      containers: [
        { name: "a", image: "a:2" },
        { name: "b", image: "b:1" },
      ],
    };
    const live = {
      containers: [
        { name: "b", image: "b:1", imagePullPolicy: "IfNotPresent" },
        { name: "a", image: "a:1" },
      ],
    };
    assert.deepEqual(changed(planned, live), ["containers[name=a].image"]);
  });

  it("compares a list without names as a whole when its length differs", () => {
    assert.deepEqual(changed({ args: ["a", "b"] }, { args: ["a"] }), ["args"]);
    assert.deepEqual(changed({ args: ["a", "b"] }, { args: ["a", "c"] }), ["args[1]"]);
  });

  it("compares quantities and int-or-string as the API server keeps them", () => {
    assert.ok(sameValue("500m", "0.5"));
    assert.ok(sameValue("1Gi", "1024Mi"));
    assert.ok(sameValue(8080, "8080"));
    assert.ok(!sameValue("100m", "200m"));
    assert.ok(!sameValue("abc", "abd"));
  });

  it("never calls a value known only at run time a change", () => {
    const leaves = plannedLeaves({ token: "[secret]", host: "[unknown]" }, { token: "x", host: "y" });
    assert.deepEqual(
      leaves.map((l) => l.equal),
      [undefined, undefined],
    );
  });

  it("compares a Secret's planned stringData and data with the live data hashes", () => {
    const live = { data: { a: redactedHash("one"), b: redactedHash("two"), c: redactedHash("x") } };
    const leaves = secretLeaves(
      { stringData: { a: "one", b: "other", c: "[secret]", d: "[secret]" }, data: {} },
      live,
    );
    assert.deepEqual(
      leaves.map((l) => [pathText(l.segments), l.equal]),
      [
        ["data.a", true],
        ["data.b", false],
        ["data.c", undefined],
        ["data.d", false],
      ],
    );
    assert.ok(!JSON.stringify(leaves).includes('"other"'), "a plain planned value is shown by its hash");
  });

  it("finds nothing to change between an object and itself, and exactly the field changed", () => {
    fc.assert(
      fc.property(json, (obj) => {
        if (changed(obj, obj).length > 0) return false;
        const paths = plannedLeaves(obj, obj).filter(
          (l) => l.segments.length > 0 && typeof l.planned === "string",
        );
        if (paths.length === 0) return true;
        const target = paths[0]!;
        const copy = structuredClone(obj) as Record<string, unknown>;
        let node: unknown = copy;
        for (const s of target.segments.slice(0, -1))
          node = "field" in s ? (node as Record<string, unknown>)[s.field] : (node as unknown[])[s.index];
        const last = target.segments[target.segments.length - 1]!;
        if ("field" in last)
          (node as Record<string, unknown>)[last.field] = `${String(target.planned)}-changed`;
        else (node as unknown[])[last.index] = `${String(target.planned)}-changed`;
        return changed(obj, copy).includes(pathText(target.segments));
      }),
    );
  });
});
