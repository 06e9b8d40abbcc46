/*
 * Kubernetes resource quantities, read the way the API server reads them
 * (k8s.io/apimachinery@v0.36.3: pkg/api/resource/quantity.go `ParseQuantity`/`parseQuantityString`, suffix.go):
 * an optional sign, a number (`1`, `1.5`, `1.`, `.5`), then a decimal suffix (n, u, m, "", k, M, G, T, P, E),
 * a binary suffix (Ki ... Ei) or a decimal exponent (`e3`, `E-2`). The parser is a little looser than the
 * grammar in its comment (a lone suffix such as `Mi` reads as 0) and stricter in one place (an exponent is a
 * whole number), and this follows the parser, which is what decides.
 */

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = "eEinumkKMGTP";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** The value of a quantity, or undefined where the API server answers "quantities must match ...". */
export function quantityValue(str: string): number | undefined {
  if (str === "") return undefined;
  let pos = 0;
  let positive = true;
  if (str[0] === "-" || str[0] === "+") {
    positive = str[0] === "+";
    pos++;
  }
  const digitsFrom = (from: number): number => {
    let i = from;
    while (isDigit(str[i])) i++;
    return i;
  };
  const numEnd = digitsFrom(pos);
  const num = str.slice(pos, numEnd);
  pos = numEnd;
  let denom = "";
  if (str[pos] === ".") {
    const end = digitsFrom(pos + 1);
    denom = str.slice(pos + 1, end);
    pos = end;
  }
  const suffixStart = pos;
  while (pos < str.length && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (str[pos] === "-" || str[pos] === "+") pos++;
  pos = digitsFrom(pos);
  if (pos < str.length) return undefined;
  const suffix = str.slice(suffixStart);
  const mantissa = Number(`${num === "" ? "0" : num}.${denom === "" ? "0" : denom}`);
  const sign = positive ? 1 : -1;
  if (suffix in DECIMAL) return sign * mantissa * 10 ** DECIMAL[suffix]!;
  if (suffix in BINARY) return sign * mantissa * 2 ** BINARY[suffix]!;
  // A decimal exponent: strconv.ParseInt of what follows the e (suffix.go `interpret`).
  const exponent = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  return exponent === null ? undefined : sign * mantissa * 10 ** Number(exponent[1]);
}

/** `500m` -> 0.5, `2` -> 2, `128Mi` -> 134217728, `16G` -> 1.6e10. Throws on what the API server refuses. */
export function parseQuantity(q: string): number {
  const value = quantityValue(q);
  if (value === undefined) throw new Error(`invalid quantity "${q}"`);
  return value;
}

/** Formats CPU cores (`1.5` -> `1500m`) and memory bytes (`3.25 * 2^30` -> `3328Mi`) for messages. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatMemory(bytes: number): string {
  for (const [suffix, size] of [
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return bytes >= 2 ** 20 ? `${Math.ceil(bytes / 2 ** 20)}Mi` : String(bytes);
}
