/**
 * CIDR ranges as an allow-list reads them: which addresses a range admits, whether it is written from its first
 * address, and whether a list admits every address of a family (the allow-list is then no filter at all).
 */
import { isIPv4, isIPv6 } from "node:net";

type Family = "IPv4" | "IPv6";

const BITS: Record<Family, number> = { IPv4: 32, IPv6: 128 };

interface Range {
  family: Family;
  /** The first and last address the range admits. */
  first: bigint;
  last: bigint;
  prefix: number;
  /** The address as written, as a number. */
  address: bigint;
}

function ipv4Number(address: string): bigint {
  return address.split(".").reduce((sum, octet) => (sum << 8n) | BigInt(Number(octet)), 0n);
}

/** "2001:db8::1" → its 128 bits; an embedded IPv4 tail ("::ffff:1.2.3.4") counts as its two groups. */
function ipv6Number(address: string): bigint {
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  const text =
    tail === undefined
      ? address
      : address.slice(0, -tail.length) +
        [ipv4Number(tail) >> 16n, ipv4Number(tail) & 0xffffn].map((group) => group.toString(16)).join(":");
  const [head, rest] = text.split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const missing = 8 - groups(head).length - groups(rest).length;
  const all =
    rest === undefined
      ? groups(head)
      : [...groups(head), ...Array<string>(missing).fill("0"), ...groups(rest)];
  return all.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** The canonical text of an IPv6 address (RFC 5952: lower case, the longest run of zero groups as "::"). */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) =>
    Number((value >> BigInt(112 - 16 * index)) & 0xffffn),
  );
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/** The range a CIDR such as "198.51.100.0/24" admits; undefined when it is not one. */
function parseRange(cidr: string): Range | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (match === null) return undefined;
  const [, address, prefixText] = match;
  const family: Family | undefined = isIPv4(address) ? "IPv4" : isIPv6(address) ? "IPv6" : undefined;
  const prefix = Number(prefixText);
  if (family === undefined || prefix > BITS[family]) return undefined;
  const value = family === "IPv4" ? ipv4Number(address) : ipv6Number(address);
  const hostBits = BigInt(BITS[family] - prefix);
  const first = (value >> hostBits) << hostBits;
  return { family, first, last: first + (1n << hostBits) - 1n, prefix, address: value };
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function format(family: Family, value: bigint): string {
  return family === "IPv4" ? formatIpv4(value) : formatIpv6(value);
}

/**
 * A CIDR whose address is not the first of its range ("198.51.100.7/24"): what it means is unclear (the range, or
 * that one address), so the problem names both ways to write it. Undefined for a CIDR written from its first
 * address, and for text that is no CIDR at all (another rule reports that).
 */
export function hostBitsProblem(cidr: string): string | undefined {
  const range = parseRange(cidr);
  if (range === undefined || range.address === range.first) return undefined;
  const { family, prefix } = range;
  const network = `${format(family, range.first)}/${prefix}`;
  const single = `${format(family, range.address)}/${BITS[family]}`;
  return (
    `${JSON.stringify(cidr)} has host bits set, so it does not say which range is meant. Fix: use ` +
    `${JSON.stringify(network)} (the range), or ${JSON.stringify(single)} (that one address).`
  );
}

export interface OpenFamily {
  family: Family;
  /** The entries that together admit every address of the family. */
  cidrs: string[];
}

/**
 * The address families whose every address `cidrs` admit, each with the entries that do it: "0.0.0.0/0", "::/0",
 * or ranges that add up to the whole space ("0.0.0.0/1" and "128.0.0.0/1"). Entries that are no CIDR are skipped.
 */
export function openFamilies(cidrs: readonly string[]): OpenFamily[] {
  return (["IPv4", "IPv6"] as const).flatMap((family) => {
    const ranges = cidrs
      .map((cidr) => ({ cidr, range: parseRange(cidr) }))
      .filter((entry): entry is { cidr: string; range: Range } => entry.range?.family === family)
      // By first address, the wider of two ranges that start together first, so no entry is named needlessly.
      .sort((a, b) => compare(a.range.first, b.range.first) || compare(b.range.last, a.range.last));
    const end = (1n << BigInt(BITS[family])) - 1n;
    // Walk the ranges in order; the space is covered when they leave no gap from the first address to the last.
    let next = 0n;
    const used: string[] = [];
    for (const { cidr, range } of ranges) {
      if (range.first > next) break;
      if (range.last < next) continue;
      used.push(cidr);
      next = range.last + 1n;
      if (next > end) return [{ family, cidrs: used }];
    }
    return [];
  });
}
