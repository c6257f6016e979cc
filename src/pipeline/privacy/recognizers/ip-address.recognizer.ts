import { type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * IP addresses.
 * - IPv4 (RFC 791 dotted quad): four decimal octets 0-255 without leading zeros — "010" is octal
 *   to some parsers and decimal to others (RFC 6943 §3.1.1), so it is not accepted as an address.
 * - IPv6 (RFC 4291 §2.2): eight 16-bit groups, at most one "::", an optional embedded dotted quad
 *   in the last 32 bits (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), an optional zone
 *   (RFC 4007 §11, "fe80::1%eth0").
 * - An optional CIDR prefix length (RFC 4632): "/0".."/32", "/0".."/128"; an out-of-range prefix is
 *   left out of the span rather than discarding the address.
 * The unspecified address "::" (with any prefix) identifies nobody: it is reported with a token
 * score so that redaction tools still see it but a column scan does not count it.
 */

const IPV4 = /(?<![0-9A-Za-z.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?(?![0-9A-Za-z])/g;

const IPV6 = new RegExp(
  '(?<![0-9A-Za-z:.])' +
    '(' +
    '(?:[0-9A-Fa-f]{0,4}:){2,7}\\d{1,3}(?:\\.\\d{1,3}){3}' +
    '|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}' +
    ')' +
    '(%[0-9A-Za-z]+(?:[._-][0-9A-Za-z]+)*)?' +
    '(?:/(\\d{1,3}))?' +
    // Not glued to more address characters; "2001:db8::256.1.1.1" must not yield "2001:db8::256".
    '(?![0-9A-Za-z:]|\\.\\d)',
  'g',
);

export const IP_SCORE = 0.75;
export const UNSPECIFIED_IP_SCORE = 0.1;

export function ipAddressApplies(p: TextProfile): boolean {
  return (p.dots >= 3 && p.digits >= 4) || p.colons >= 2;
}

/** A decimal octet 0-255 written without leading zeros; -1 when it is not one. */
function octet(text: string): number {
  if (text.length === 0 || text.length > 3 || (text.length > 1 && text.startsWith('0'))) return -1;
  const n = Number(text);
  return Number.isInteger(n) && n <= 255 ? n : -1;
}

/** The four octets of a strict dotted quad, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map(octet);
  return octets.every((o) => o >= 0) ? octets : undefined;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (no zone, no prefix), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0)];
    // "::1.2.3.4" keeps its "::"; "::ffff:1.2.3.4" drops the colon before the dotted quad.
    const before = text.slice(0, lastColon + 1);
    head = before.endsWith('::') ? before : before.slice(0, -1);
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== -1 && head.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!HEX_GROUP.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (doubleColon === -1) {
    const all = groups(head);
    if (all === undefined || all.length + tail.length !== 8) return undefined;
    return [...all, ...tail];
  }
  const left = groups(head.slice(0, doubleColon));
  const right = groups(head.slice(doubleColon + 2));
  if (left === undefined || right === undefined) return undefined;
  const zeros = 8 - left.length - right.length - tail.length;
  // "::" stands for at least one group of zeros (RFC 4291 §2.2, item 2).
  if (zeros < 1) return undefined;
  return [...left, ...new Array<number>(zeros).fill(0), ...right, ...tail];
}

export function findIpAddresses(text: string, out: Finding[]): void {
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    const octets = [m[1], m[2], m[3], m[4]].map((o) => octet(o ?? ''));
    if (octets.some((o) => o < 0)) continue;
    let end = m.index + m[0].length;
    const prefix = m[5];
    if (prefix !== undefined && (Number(prefix) > 32 || (prefix.length > 1 && prefix.startsWith('0')))) {
      end -= prefix.length + 1;
    }
    out.push({ entity: 'IP_ADDRESS', start: m.index, end, score: IP_SCORE });
  }

  IPV6.lastIndex = 0;
  for (let m = IPV6.exec(text); m !== null; m = IPV6.exec(text)) {
    const address = m[1] ?? '';
    const groups = parseIpv6(address);
    if (groups === undefined) continue;
    let end = m.index + m[0].length;
    const prefix = m[3];
    if (prefix !== undefined && Number(prefix) > 128) end -= prefix.length + 1;
    const unspecified = groups.every((g) => g === 0);
    out.push({ entity: 'IP_ADDRESS', start: m.index, end, score: unspecified ? UNSPECIFIED_IP_SCORE : IP_SCORE });
  }
}
