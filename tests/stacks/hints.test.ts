import { strict as assert } from "assert";
import fc from "fast-check";
import { closest, editDistance, referenceHint } from "../../stacks/hints";

const word = fc.string({ unit: fc.constantFrom(..."abcdefgh-"), minLength: 0, maxLength: 10 });
const names = fc.uniqueArray(
  word.filter((w) => w.length >= 3),
  { minLength: 1, maxLength: 6 },
);

/** `name` with one character replaced, inserted or deleted at `at`. */
function oneEdit(name: string, at: number, kind: number): string {
  const i = at % (name.length + 1);
  if (kind === 0) return name.slice(0, i) + "z" + name.slice(i);
  const j = Math.min(i, name.length - 1);
  return kind === 1 ? name.slice(0, j) + name.slice(j + 1) : name.slice(0, j) + "z" + name.slice(j + 1);
}

describe("stacks/hints: properties", () => {
  it("edit distance is a metric bounded by the longer length and at least the length difference", () => {
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        assert.equal(editDistance(a, a), 0);
        assert.equal(editDistance(a, b), editDistance(b, a));
        assert.ok(editDistance(a, c) <= editDistance(a, b) + editDistance(b, c));
        assert.ok(editDistance(a, b) <= Math.max(a.length, b.length));
        assert.ok(editDistance(a, b) >= Math.abs(a.length - b.length));
        assert.equal(editDistance(a, b) === 0, a === b);
      }),
    );
  });

  it("a one-character slip of a declared name is answered with a nearest declared name", () => {
    fc.assert(
      fc.property(names, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 }), (declared, pick, at, kind) => {
        const meant = declared[pick % declared.length]!;
        const typed = oneEdit(meant, at, kind);
        const suggested = closest(typed, declared);
        assert.ok(suggested !== undefined, `${typed} among ${declared.join(",")}`);
        const best = Math.min(...declared.map((d) => editDistance(typed, d)));
        assert.equal(editDistance(typed, suggested), best);
        assert.match(referenceHint(typed, declared, "thing"), /^did you mean "/);
      }),
    );
  });

  it("suggests a name exactly when it is at most a third of the typed length away (at least 2 edits)", () => {
    const long = fc.string({ unit: fc.constantFrom(..."abcdefgh"), minLength: 3, maxLength: 16 });
    fc.assert(
      fc.property(long, fc.uniqueArray(fc.nat(), { maxLength: 8 }), (meant, positions) => {
        // Substituting k distinct positions with a letter the name lacks puts it exactly k edits away.
        const at = new Set(positions.map((p) => p % meant.length));
        const typed = [...meant].map((ch, i) => (at.has(i) ? "z" : ch)).join("");
        const within = at.size <= Math.max(2, Math.floor(typed.length / 3));
        assert.equal(closest(typed, [meant]), within ? meant : undefined, `${typed} for ${meant}`);
      }),
    );
  });

  it("never suggests a name further than a third of the typed length (at least 2 edits)", () => {
    fc.assert(
      fc.property(word, names, (typed, declared) => {
        const suggested = closest(typed, declared);
        const limit = Math.max(2, Math.floor(typed.length / 3));
        if (suggested !== undefined) assert.ok(editDistance(typed, suggested) <= limit);
        else {
          assert.ok(declared.every((d) => editDistance(typed, d) > limit));
          assert.equal(
            referenceHint(typed, declared, "thing"),
            `declared things: ${[...declared].sort().join(", ")}`,
          );
        }
      }),
    );
    assert.equal(referenceHint("x", [], "secret"), "no secret is declared");
  });
});
