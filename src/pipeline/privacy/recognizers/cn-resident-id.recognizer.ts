import { latestDateKey, dateKey, isRealDate } from './calendar';
import { type ChecksumTally, type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * Citizen identity numbers of the People's Republic of China, GB 11643-1999: a six-digit
 * administrative division code (GB/T 2260), the birth date YYYYMMDD, a three-digit sequence
 * (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X for 10).
 *
 * Validation: the division code must start with a province-level code, the birth date must be a
 * real calendar day from 1850 on and not in the future, and the check character must match.
 * Residence permits for Hong Kong, Macao and Taiwan residents (codes 81, 82, 83) use the same
 * scheme and are accepted. Lower-case "x" is accepted (common in exports), with the same score.
 *
 * Legacy 15-digit numbers (GB 11643-1989: division code, YYMMDD, sequence, no check digit) were
 * withdrawn in 2013. Without a check digit any 15-digit number with a date in the middle fits, so
 * they are recognised only when the column name says the column holds resident ids.
 */

/** GB/T 2260 province-level codes (first two digits of the division code). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

const ID18 =
  /(?<![0-9A-Za-z]|[0-9A-Za-z][-.])([1-8]\d{5})( ?)((?:18|19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\2(\d{3}[0-9Xx])(?![0-9A-Za-z]|[-.][0-9A-Za-z])/g;
const ID15 =
  /(?<![0-9A-Za-z]|[0-9A-Za-z][-.])([1-8]\d{5})(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\d{3})(?![0-9A-Za-z]|[-.][0-9A-Za-z])/g;

export const CN_ID_SCORE = 0.95;
export const CN_LEGACY_ID_SCORE = 0.5;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function cnIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] ?? '';
}

function plausibleBirth(year: number, month: number, day: number, now?: Date): boolean {
  return year >= 1850 && isRealDate(year, month, day) && dateKey(year, month, day) <= latestDateKey(now);
}

export interface CnIdCheck {
  tally?: ChecksumTally;
  now?: Date;
}

/** Full validation of an 18-character id without separators. */
export function isValidCnResidentId(id: string, check: CnIdCheck = {}): boolean {
  if (!/^[1-8]\d{16}[0-9Xx]$/.test(id)) return false;
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return false;
  if (!plausibleBirth(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)), check.now))
    return false;
  const ok = cnIdCheckCharacter(id) === id.charAt(17).toUpperCase();
  check.tally?.('CN_RESIDENT_ID', ok);
  return ok;
}

/** Legacy 15-digit id: division code and a real 19YY birth date; there is no check digit. */
export function isPlausibleLegacyCnResidentId(id: string, now?: Date): boolean {
  if (!/^[1-8]\d{14}$/.test(id) || !PROVINCES.has(Number(id.slice(0, 2)))) return false;
  return plausibleBirth(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)), now);
}

/**
 * ID18 needs, between non-digits, a run of 18 digits, a run of 17 followed by X, or runs of 6, 8
 * and 4 (or 3 followed by X) joined by single spaces.
 */
export function cnResidentIdApplies(p: TextProfile, text: string): boolean {
  if (p.maxDigitRun < 17 || (p.maxPlainRun < 17 && (p.maxPlainRun < 8 || p.blanks < 2))) return false;
  return hasId18Shape(text);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hasId18Shape(text: string): boolean {
  let len1 = 0;
  let end1 = -2;
  let len2 = 0;
  let end2 = -2;
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const len = i - start;
    const x = i < n && (text.charCodeAt(i) | 0x20) === 120; // followed by X or x
    if (len === 18 || (len === 17 && x)) return true;
    if ((len === 4 || (len === 3 && x)) && len1 === 8 && len2 === 6 && end1 === start - 1 && end2 === start - 10) {
      if (text.charCodeAt(start - 1) === 32 && text.charCodeAt(start - 10) === 32) return true;
    }
    len2 = len1;
    end2 = end1;
    len1 = len;
    end1 = i;
  }
  return false;
}

/** ID15 needs a run of exactly 15 consecutive digits. */
export function cnLegacyResidentIdApplies(p: TextProfile): boolean {
  return p.maxPlainRun >= 15;
}

export function findCnResidentIds(text: string, out: Finding[], check: CnIdCheck = {}): void {
  ID18.lastIndex = 0;
  for (let m = ID18.exec(text); m !== null; m = ID18.exec(text)) {
    const id = `${m[1]}${m[3]}${m[4]}${m[5]}${m[6]}`;
    if (!isValidCnResidentId(id, check)) continue;
    out.push({ entity: 'CN_RESIDENT_ID', start: m.index, end: m.index + m[0].length, score: CN_ID_SCORE });
  }
}

export function findLegacyCnResidentIds(text: string, out: Finding[], now?: Date): void {
  ID15.lastIndex = 0;
  for (let m = ID15.exec(text); m !== null; m = ID15.exec(text)) {
    if (!isPlausibleLegacyCnResidentId(m[0], now)) continue;
    out.push({ entity: 'CN_RESIDENT_ID', start: m.index, end: m.index + m[0].length, score: CN_LEGACY_ID_SCORE });
  }
}
