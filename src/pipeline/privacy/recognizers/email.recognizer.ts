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

export function findEmails(text: string, out: Finding[], p?: TextProfile): void {
  // Most cells of an e-mail column are one address and nothing else: check that by hand. When
  // the whole text is an address, the search below finds exactly that one span (it cannot end
  // earlier: a host character or ".x" would follow).
  if (p !== undefined && p.at === 1 && p.blanks === 0 && isWholeAddress(text)) {
    if (text.lastIndexOf('@') <= MAX_LOCAL && text.length <= MAX_ADDRESS) {
      out.push({ entity: 'EMAIL_ADDRESS', start: 0, end: text.length, score: EMAIL_SCORE });
    }
    return;
  }
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
    const value = m[0];
    const at = value.lastIndexOf('@');
    if (at > MAX_LOCAL || value.length > MAX_ADDRESS) continue;
    out.push({ entity: 'EMAIL_ADDRESS', start: m.index, end: m.index + value.length, score: EMAIL_SCORE });
  }
}

/** Per ASCII code: 1 letter, 2 digit, 3 other atext, 4 '-' (atext and host character). */
const KIND = new Uint8Array(128);
for (let c = 65; c <= 90; c++) KIND[c] = 1;
for (let c = 97; c <= 122; c++) KIND[c] = 1;
for (let c = 48; c <= 57; c++) KIND[c] = 2;
for (const ch of "!#$%&'*+/=?^_`{|}~") KIND[ch.charCodeAt(0)] = 3;
KIND[45] = 4;

function kind(c: number): number {
  return c < 128 ? (KIND[c] as number) : 0;
}

/** Whether all of `text` is in EMAIL's language: dot-atom "@" host labels "." top-level domain. */
function isWholeAddress(text: string): boolean {
  const n = text.length;
  let i = 0;
  // Local part: atext runs separated by single dots.
  for (;;) {
    const start = i;
    while (i < n && kind(text.charCodeAt(i)) !== 0) i++;
    if (i === start || i >= n) return false;
    const c = text.charCodeAt(i);
    if (c === 64) break;
    if (c !== 46) return false;
    i++;
  }
  i++; // '@'
  // Host labels, each followed by '.', then the top-level domain.
  let labels = 0;
  for (;;) {
    const start = i;
    while (i < n) {
      const k = kind(text.charCodeAt(i));
      if (k !== 1 && k !== 2 && k !== 4) break;
      i++;
    }
    if (i === n) return labels > 0 && isTopLevelDomain(text, start, n);
    if (text.charCodeAt(i) !== 46 || !isHostLabel(text, start, i)) return false;
    labels++;
    i++;
  }
}

function isHostLabel(text: string, start: number, end: number): boolean {
  const len = end - start;
  return len >= 1 && len <= 63 && kind(text.charCodeAt(start)) !== 4 && kind(text.charCodeAt(end - 1)) !== 4;
}

function isTopLevelDomain(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (text.startsWith('xn--', start)) return len >= 6 && len <= 63;
  if (len < 2 || len > 63) return false;
  for (let i = start; i < end; i++) if (kind(text.charCodeAt(i)) !== 1) return false;
  return true;
}
