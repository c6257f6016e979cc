import { type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * E-mail addresses: RFC 5322 dot-atom local part, RFC 1035 host labels (1-63 chars, no leading or
 * trailing hyphen) and a top-level domain that is alphabetic or an IDNA A-label (`xn--…`, RFC 5890).
 * Quoted local parts and raw Unicode (EAI, RFC 6531) addresses are not recognised: both are rare in
 * tabular data and widen the pattern enough to catch ordinary prose.
 */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-";
const EMAIL = new RegExp(
  `(?<![${ATEXT}.])` +
    `[${ATEXT}]+(?:\\.[${ATEXT}]+)*` +
    '@' +
    '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+' +
    '(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})' +
    // Not followed by more host characters: "info@presidio.site1" is not an address ending in .site.
    '(?![A-Za-z0-9-]|\\.[A-Za-z0-9])',
  'g',
);

/** RFC 5321 §4.5.3.1: local part at most 64 octets, a path at most 256 (so an address ≤ 254). */
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;

export const EMAIL_SCORE = 0.9;

export function emailApplies(p: TextProfile): boolean {
  return p.at > 0 && p.dots > 0 && p.length >= 6;
}

export function findEmails(text: string, out: Finding[]): void {
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
    const value = m[0];
    const at = value.lastIndexOf('@');
    if (at > MAX_LOCAL || value.length > MAX_ADDRESS) continue;
    out.push({ entity: 'EMAIL_ADDRESS', start: m.index, end: m.index + value.length, score: EMAIL_SCORE });
  }
}
