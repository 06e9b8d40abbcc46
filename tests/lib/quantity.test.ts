import { strict as assert } from "assert";
import fc from "fast-check";
import { formatCpu, formatMemory, parseQuantity, quantityValue } from "../../lib/quantity";
import { quantity } from "../../stacks/fields";

const KI = 2 ** 10;
const MI = 2 ** 20;

describe("lib/quantity: properties", () => {
  it("millicores round-trip through formatCpu and parseQuantity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (milli) => {
        const text = formatCpu(milli / 1000);
        assert.equal(Math.round(parseQuantity(text) * 1000), milli, text);
      }),
    );
  });

  it("formatMemory never understates: it reads back as at least the bytes and at most one Mi more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 44 }), (bytes) => {
        const back = parseQuantity(formatMemory(bytes));
        assert.ok(back >= bytes && back < bytes + MI, `${bytes} -> ${formatMemory(bytes)}`);
        if (bytes % KI === 0 || bytes < MI) assert.equal(back, bytes, formatMemory(bytes));
      }),
    );
  });

  it("binary suffixes scale by 1024 and m by 1/1000, so comparisons agree with the units", () => {
    const suffixes = ["Ki", "Mi", "Gi", "Ti"];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 2 }), (n, i) => {
        assert.equal(parseQuantity(`${n}${suffixes[i + 1]}`), parseQuantity(`${n * 1024}${suffixes[i]}`));
        assert.equal(Math.round(parseQuantity(`${n}m`) * 1000), n);
        assert.ok(parseQuantity(`${n + 1}m`) > parseQuantity(`${n}m`));
      }),
    );
  });

  // The grammar of k8s.io/apimachinery@v0.36.3 pkg/api/resource/quantity.go, with the exponent a whole number
  // (its parser reads the exponent with strconv.ParseInt) and n/u among the decimal suffixes (suffix.go).
  const digits = fc.stringMatching(/^[0-9]{1,6}$/);
  const number = fc.oneof(
    digits,
    fc.tuple(digits, digits).map(([a, b]) => `${a}.${b}`),
    digits.map((a) => `${a}.`),
    digits.map((b) => `.${b}`),
  );
  const suffix = fc.oneof(
    fc.constantFrom("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"),
    fc.constantFrom("n", "u", "m", "", "k", "M", "G", "T", "P", "E"),
    fc
      .tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 12 }))
      .map(([e, sign, n]) => `${e}${sign}${n}`),
  );
  const grammarQuantity = fc.tuple(fc.constantFrom("", "+"), number, suffix).map((p) => p.join(""));

  it("every non-negative quantity of the Kubernetes grammar is accepted by the config", () => {
    fc.assert(
      fc.property(grammarQuantity, (q) => {
        const value = quantityValue(q);
        assert.ok(value !== undefined && value >= 0, q);
        assert.deepEqual(quantity.safeParse(q).error?.issues ?? [], [], q);
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts exactly the strings the API server's parser takes (alphabet of the grammar)", () => {
    // What parseQuantityString + suffixHandler.interpret accept, written as one expression.
    const parsed = /^[+-]?[0-9]*(?:\.[0-9]*)?(?:[numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$/;
    fc.assert(
      fc.property(fc.stringMatching(/^[-+.0-9numkKMGTPEei ]{0,8}$/), (s) => {
        assert.equal(quantityValue(s) !== undefined, s !== "" && parsed.test(s), JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("reads decimal SI, binary SI and exponents at their value", () => {
    const cases: Array<[string, number]> = [
      ["16G", 16e9],
      ["512M", 512e6],
      ["1Ki", 1024],
      ["1e3", 1000],
      ["1E-3", 0.001],
      [".5", 0.5],
      ["1.", 1],
      ["250u", 0.00025],
      ["2", 2],
    ];
    for (const [q, value] of cases) assert.ok(Math.abs(parseQuantity(q) - value) < 1e-12 * value, q);
    for (const bad of ["", "1 Mi", "1mi", "1.5.0", "1e", "1e1.5", "1GB", "0x10", "1k5"])
      assert.throws(() => parseQuantity(bad), /invalid quantity/, bad);
    assert.equal(quantity.safeParse("-1").error?.issues[0]?.message, "must not be negative");
  });
});
