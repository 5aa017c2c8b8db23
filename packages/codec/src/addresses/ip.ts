/**
 * IP address text: validation and the canonical form used to compare peers.
 *
 * Owns: `isIPv4`, `isIPv6`, `normalizeIp`. Written here rather than taken from `node:net` because
 * the codec never imports from `node:` (it runs in browsers, Deno and Bun too).
 *
 * Decisions, with the reason for each:
 * - IPv4 is dotted-decimal with exactly four parts, each 0–255 without leading zeros. `010.0.0.1`
 *   is refused because inet_aton() reads a leading zero as octal (010 = 8): two programs would see
 *   two different hosts in one string, which is how address-check bypasses are made. Node's
 *   `net.isIPv4` refuses the same forms. Shorthands (`127.1`, a bare 32-bit number) are refused.
 * - IPv6 follows RFC 4291 §2.2: eight groups of 1–4 hex digits, one `::` standing for one or more
 *   zero groups, and an optional dotted IPv4 suffix in the last 32 bits.
 * - Zone ids (`fe80::1%eth0`, RFC 4007 §11) are refused: a zone names an interface of the host that
 *   wrote it, so it means nothing to the peer in EPRT, and the peer addresses Node reports for
 *   accepted sockets carry none.
 * - `normalizeIp` gives IPv6 in RFC 5952 §4 form (lower case, no leading zeros, the longest run of
 *   two or more zero groups as `::`, the first such run on a tie) and IPv4-mapped addresses
 *   (`::ffff:0:0/96`, RFC 4291 §2.5.5.2) as plain IPv4: a dual-stack socket reports an IPv4 peer
 *   as `::ffff:127.0.0.1`, and the data connection's peer must compare equal to the control
 *   connection's peer however each was reported. Other embedded-IPv4 forms (NAT64 `64:ff9b::/96`,
 *   the deprecated IPv4-compatible `::a.b.c.d`) are written in hex: they are different hosts from
 *   the IPv4 address they embed, and one canonical spelling is all a comparison needs.
 */

import { addressError, preview } from './numbers.js';

/** Longest IPv6 text without a zone: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
const MAX_IPV6_LENGTH = 45;
const MAX_IPV4_LENGTH = 15;

function readOctet(text: string): number | undefined {
  const length = text.length;
  if (length < 1 || length > 3) return undefined;
  if (length > 1 && text.charCodeAt(0) === 0x30) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value <= 255 ? value : undefined;
}

/** The four octets of a strict dotted-decimal IPv4 address, or `undefined`. */
export function parseIPv4Octets(text: string): number[] | undefined {
  if (text.length > MAX_IPV4_LENGTH) return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    const octet = readOctet(part);
    if (octet === undefined) return undefined;
    octets.push(octet);
  }
  return octets;
}

function readHexGroup(text: string): number | undefined {
  const length = text.length;
  if (length < 1 || length > 4) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) digit = c - 0x41 + 10;
    else return undefined;
    value = value * 16 + digit;
  }
  return value;
}

/** Colon-separated hex groups; the last one may be a dotted IPv4 address (two groups). */
function readGroups(text: string, ipv4Last: boolean): number[] | undefined {
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (ipv4Last && i === parts.length - 1 && part.includes('.')) {
      const octets = parseIPv4Octets(part);
      if (octets === undefined) return undefined;
      groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    } else {
      const group = readHexGroup(part);
      if (group === undefined) return undefined;
      groups.push(group);
    }
  }
  return groups;
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2), or `undefined`. */
export function parseIPv6Groups(text: string): number[] | undefined {
  if (text.length < 2 || text.length > MAX_IPV6_LENGTH) return undefined;
  const gap = text.indexOf('::');
  if (gap === -1) {
    const groups = readGroups(text, true);
    return groups !== undefined && groups.length === 8 ? groups : undefined;
  }
  // A second `::` (which includes `:::`) would make the length of each zero run ambiguous.
  if (text.indexOf('::', gap + 1) !== -1) return undefined;
  const headText = text.slice(0, gap);
  const tailText = text.slice(gap + 2);
  const head = headText === '' ? [] : readGroups(headText, false);
  const tail = tailText === '' ? [] : readGroups(tailText, true);
  if (head === undefined || tail === undefined) return undefined;
  // `::` stands for at least one group (RFC 4291 §2.2 item 2), so at most seven are written.
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** True for strict dotted-decimal IPv4: four parts 0–255, no leading zeros, nothing else. */
export function isIPv4(text: string): boolean {
  return typeof text === 'string' && parseIPv4Octets(text) !== undefined;
}

/** True for an RFC 4291 §2.2 IPv6 address (full, `::`-compressed or with an IPv4 suffix), no zone id. */
export function isIPv6(text: string): boolean {
  return typeof text === 'string' && parseIPv6Groups(text) !== undefined;
}

/** RFC 5952 §4 text of eight groups. */
export function formatIPv6Groups(groups: readonly number[]): string {
  // §4.2.1–4.2.3: compress the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  // §4.3: lower-case hex; §4.1: no leading zeros.
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * The canonical text of an IP address, for comparing peers: IPv4 as given (it is validated to be
 * canonical already), IPv4-mapped IPv6 as its IPv4 address, any other IPv6 in RFC 5952 form.
 * Throws `CodecError` ADDRESS for anything that is not an IP address.
 */
export function normalizeIp(text: string): string {
  if (typeof text !== 'string') throw addressError('an IP address must be a string');
  if (parseIPv4Octets(text) !== undefined) return text;
  const groups = parseIPv6Groups(text);
  if (groups === undefined) throw addressError(`not an IPv4 or IPv6 address: ${preview(text)}`);
  const isMapped = groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0;
  if (isMapped && groups[4] === 0 && groups[5] === 0xffff) {
    const high = groups[6]!;
    const low = groups[7]!;
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return formatIPv6Groups(groups);
}
