import { strict as assert } from "assert";
import fc from "fast-check";
import { formatCpu, formatMemory, parseQuantity } from "../../lib/quantity";

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

  it("anything but a number with an optional m or binary suffix is refused", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const valid = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/.test(s);
        if (valid) assert.ok(Number.isFinite(parseQuantity(s)));
        else assert.throws(() => parseQuantity(s), /invalid quantity/);
      }),
    );
    for (const bad of ["1G", "1e3", "-1", "1.5.0", "Mi", "1 Mi", "1mi"])
      assert.throws(() => parseQuantity(bad), /invalid quantity/, bad);
  });
});
