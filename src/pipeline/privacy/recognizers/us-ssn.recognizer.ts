import { type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * US Social Security Numbers, AAA-GG-SSSS, under the SSA's own rules (SSA POMS RM 10201.035 and
 * the 2011 randomisation notice): no area 000, 666 or 900-999 (9xx is the ITIN range), no group
 * 00, no serial 0000; plus numbers the SSA has voided after they were printed in advertising or
 * published as samples (078-05-1120 from the Woolworth wallet insert, 219-09-9999 from an SSA
 * pamphlet, 457-55-5462 from the LifeLock campaign), and the obvious placeholders 123-45-6789 and
 * one digit repeated.
 *
 * Precision for undelimited numbers: any 9-digit id (zip+4 without the dash, order numbers, …)
 * satisfies the area/group/serial rules about 88% of the time, so the digits alone say little.
 * Presidio scores a bare 9-digit match 0.05 and relies on context words; this recogniser does the
 * same (and its stricter validity rules reject more), and the column scanner only counts such
 * weak matches when the column name says the column holds SSNs.
 */

/** AAA-GG-SSSS with one delimiter used twice: the form people write SSNs in. */
const DELIMITED = /(?<![0-9A-Za-z]|[0-9A-Za-z][-.])(\d{3})([- .])(\d{2})\2(\d{4})(?![0-9A-Za-z]|[-.][0-9A-Za-z])/g;
/** Half-delimited (AAA-GGSSSS, AAAGG-SSSS) and undelimited: structurally an SSN, weakly evidenced. */
const WEAK = /(?<![0-9A-Za-z]|[0-9A-Za-z][-.])(?:\d{3}-\d{6}|\d{5}-\d{4}|\d{9})(?![0-9A-Za-z]|[-.][0-9A-Za-z])/g;

export const SSN_DELIMITED_SCORE = 0.55;
export const SSN_WEAK_SCORE = 0.05;

const VOIDED = new Set(['078051120', '219099999', '457555462', '123456789']);

/**
 * Both patterns need, between non-digits, a run of exactly nine digits, or runs of 3 and 6 or of
 * 5 and 4 joined by one hyphen, or runs of 3, 2 and 4 joined by one separator: most digit-bearing
 * cells (phone numbers, card numbers, IBANs) have none of these and skip both regexes.
 */
export function usSsnApplies(p: TextProfile, text: string): boolean {
  return p.maxDigitRun >= 9 && p.maxPlainRun >= 4 && hasSsnShape(text);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hasSsnShape(text: string): boolean {
  // The last two runs of digits: start, length and the separator before them (-1 when none).
  let len1 = 0;
  let end1 = -2;
  let len2 = 0;
  let end2 = -2;
  let sep2 = -1;
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const len = i - start;
    if (len === 9) return true;
    const joined = end1 === start - 1; // one character between the previous run and this one
    const sep = joined ? text.charCodeAt(start - 1) : -1;
    if (joined && sep === 45 && ((len1 === 3 && len === 6) || (len1 === 5 && len === 4))) return true;
    if (joined && len === 4 && len1 === 2 && sep === sep2 && end2 === start - 4 && len2 === 3) {
      if (sep === 45 || sep === 32 || sep === 46) return true;
    }
    len2 = len1;
    end2 = end1;
    sep2 = sep;
    len1 = len;
    end1 = i;
  }
  return false;
}

/** SSA validity of nine digits (no delimiters). */
export function isValidSsnDigits(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  if (VOIDED.has(digits)) return false;
  return !/^(\d)\1{8}$/.test(digits);
}

export function findUsSsns(text: string, out: Finding[]): void {
  DELIMITED.lastIndex = 0;
  for (let m = DELIMITED.exec(text); m !== null; m = DELIMITED.exec(text)) {
    if (!isValidSsnDigits(`${m[1]}${m[3]}${m[4]}`)) continue;
    out.push({ entity: 'US_SSN', start: m.index, end: m.index + m[0].length, score: SSN_DELIMITED_SCORE });
  }
  WEAK.lastIndex = 0;
  for (let m = WEAK.exec(text); m !== null; m = WEAK.exec(text)) {
    if (!isValidSsnDigits(m[0].replace('-', ''))) continue;
    out.push({ entity: 'US_SSN', start: m.index, end: m.index + m[0].length, score: SSN_WEAK_SCORE });
  }
}
