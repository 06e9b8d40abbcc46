import { strict as assert } from "assert";
import fc from "fast-check";
import {
  cidrProblem,
  cidrRange,
  cidrsOverlap,
  intToIp,
  ipInCidr,
  ipToInt,
  isCidr,
  isIPv4,
} from "../../lib/net";

const address = fc.integer({ min: 0, max: 2 ** 32 - 1 });
/** A network CIDR: an address with its host bits cleared, and its prefix length. */
const cidr = fc.tuple(address, fc.integer({ min: 0, max: 32 })).map(([a, p]) => {
  const network = p === 0 ? 0 : (a >>> (32 - p)) * 2 ** (32 - p);
  return `${intToIp(network)}/${p}`;
});
const prefixOf = (c: string) => Number(c.split("/")[1]);
const networkOf = (c: string) => ipToInt(c.split("/")[0]!);
/** The top `p` bits of an address, computed without the module's masks. */
const top = (value: number, p: number) => (p === 0 ? 0 : Math.floor(value / 2 ** (32 - p)));

describe("lib/net: properties", () => {
  it("addresses round-trip between dotted and integer form", () => {
    fc.assert(
      fc.property(address, (n) => {
        assert.ok(isIPv4(intToIp(n)));
        assert.equal(ipToInt(intToIp(n)), n);
      }),
    );
  });

  it("an address is in a CIDR exactly when it shares the prefix bits", () => {
    fc.assert(
      fc.property(address, cidr, (a, c) => {
        const p = prefixOf(c);
        assert.equal(ipInCidr(intToIp(a), c), top(a, p) === top(networkOf(c), p), `${intToIp(a)} ${c}`);
      }),
    );
  });

  it("a CIDR covers 2^(32-prefix) addresses starting at its network", () => {
    fc.assert(
      fc.property(cidr, (c) => {
        const [first, last] = cidrRange(c);
        assert.equal(first, networkOf(c));
        assert.equal(last - first + 1, 2 ** (32 - prefixOf(c)));
      }),
    );
  });

  it("two CIDRs overlap exactly when one contains the other (symmetric, reflexive)", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        const contains = (outer: string, inner: string) =>
          prefixOf(outer) <= prefixOf(inner) && ipInCidr(intToIp(networkOf(inner)), outer);
        assert.equal(cidrsOverlap(a, b), contains(a, b) || contains(b, a), `${a} ${b}`);
        assert.equal(cidrsOverlap(a, b), cidrsOverlap(b, a));
        assert.ok(cidrsOverlap(a, a));
      }),
    );
  });

  it("network CIDRs are accepted; with host bits set the problem names the network, which is accepted", () => {
    fc.assert(
      fc.property(cidr, address, (c, a) => {
        assert.ok(isCidr(c), c);
        assert.equal(cidrProblem(c), undefined);
        const p = prefixOf(c);
        const withHost = `${intToIp(a)}/${p}`;
        if (isCidr(withHost)) return;
        const network = /its network is (\S+)$/.exec(cidrProblem(withHost) ?? "")?.[1];
        assert.ok(network !== undefined && isCidr(network) && ipInCidr(intToIp(a), network), withHost);
      }),
    );
  });
});
