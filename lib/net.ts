/** Pure IPv4 helpers used by config validation and the gateway's egress rules. */

export function isIPv4(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split("/");
  if (
    rest.length > 0 ||
    ip === undefined ||
    bits === undefined ||
    !isIPv4(ip) ||
    !/^[0-9]{1,2}$/.test(bits)
  ) {
    return false;
  }
  const prefix = Number(bits);
  if (prefix > 32) return false;
  // The address part must be the network address, so "10.0.0.1/24" is rejected.
  return (ipToInt(ip) & ~maskBits(prefix)) >>> 0 === 0;
}

function maskBits(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** Inclusive [first, last] integer range covered by a CIDR. */
export function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split("/");
  const mask = maskBits(Number(bits));
  const network = (ipToInt(ip!) & mask) >>> 0;
  return [network, (network | (~mask >>> 0)) >>> 0];
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const [first, last] = cidrRange(cidr);
  const value = ipToInt(ip);
  return value >= first && value <= last;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [a1, a2] = cidrRange(a);
  const [b1, b2] = cidrRange(b);
  return a1 <= b2 && b1 <= a2;
}

export function ipInRange(ip: string, start: string, stop: string): boolean {
  const value = ipToInt(ip);
  return value >= ipToInt(start) && value <= ipToInt(stop);
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** A loose IPv6 literal check: enough to tell a user that IPv6 is the problem, not the address. */
export function looksLikeIPv6(value: string): boolean {
  return value.includes(":") && /^[0-9a-fA-F:.]+(\/[0-9]{1,3})?$/.test(value);
}

/** Why a string is not a usable IPv4 address, or undefined when it is one. */
export function ipv4Problem(value: string): string | undefined {
  if (isIPv4(value)) return undefined;
  if (looksLikeIPv6(value)) return `${value} is an IPv6 address, but this network is IPv4 only`;
  return "must be an IPv4 address like 10.0.0.1";
}

/** Why a string is not an IPv4 network CIDR, or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  if (isCidr(value)) return undefined;
  if (looksLikeIPv6(value)) return `${value} is an IPv6 CIDR, but this network is IPv4 only`;
  const [ip, bits] = value.split("/");
  if (
    ip !== undefined &&
    isIPv4(ip) &&
    bits !== undefined &&
    /^[0-9]{1,2}$/.test(bits) &&
    Number(bits) <= 32
  ) {
    const network = intToIp(cidrRange(`${ip}/${bits}`)[0]);
    return `${value} has host bits set: its network is ${network}/${bits}`;
  }
  return "must be an IPv4 CIDR like 10.0.0.0/24";
}
