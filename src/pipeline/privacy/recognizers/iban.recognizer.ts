import { type ChecksumTally, type Finding } from './entity-types';
import { BBAN_DIGIT, BBAN_LETTER, ibanCountry, ibanCountryByCodes } from './iban-registry';
import { type TextProfile } from './text-profile';

/**
 * International Bank Account Numbers, ISO 13616-1: country code, two check digits, and a BBAN
 * whose length and character classes the country registers; the check digits satisfy ISO 7064
 * MOD 97-10 (the number, rearranged with letters as 10..35, is ≡ 1 mod 97).
 *
 * Accepted spellings: electronic (`DE89370400440532013000`) and print format, i.e. groups of four
 * separated by single spaces (ISO 13616-1 §5.2) — hyphens are tolerated the same way, a slash is
 * not. Letters must be all upper case (the standard form) or all lower case (common in exports).
 */

const START = /(?<![0-9A-Za-z])([A-Z]{2}|[a-z]{2})[0-9]{2}/g;

export const IBAN_SCORE = 0.95;

/** START can only match at a word starting with two letters of one case and two digits. */
export function ibanApplies(p: TextProfile): boolean {
  return p.ibanStart && p.length >= 15;
}

/** ISO 7064 MOD 97-10 over an upper-case electronic-format IBAN. */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rest = (rest * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rest = (rest * 100 + (c - 55)) % 97;
    else return -1;
  }
  return rest;
}

/** Structure (country, length, BBAN format) and MOD 97-10 of an electronic-format IBAN. */
export function isValidIban(electronic: string, tally?: ChecksumTally): boolean {
  const iban = electronic.toUpperCase();
  const country = ibanCountry(iban.slice(0, 2));
  if (country === undefined || iban.length !== country.length) return false;
  if (!/^[0-9]{2}$/.test(iban.slice(2, 4)) || !country.bban.test(iban.slice(4))) return false;
  const ok = ibanMod97(iban) === 1;
  tally?.('IBAN_CODE', ok);
  return ok;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAnyAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * At a START match: reads exactly the country's IBAN length from `start`, allowing one separator
 * (one kind throughout) before each group of four, in one case throughout, ending at a non-
 * alphanumeric; checks the BBAN format and computes MOD 97-10 on the way — what reading the
 * electronic form and then calling isValidIban would do, without building it. Returns the end
 * offset of a valid IBAN, or -1; reports the checksum of a structurally valid one to `tally`.
 */
function readValidIban(text: string, start: number, tally?: ChecksumTally): number {
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  const lower = first >= 97;
  const country = ibanCountryByCodes(lower ? first - 32 : first, lower ? second - 32 : second);
  if (country === undefined) return -1;
  const classes = country.bbanClasses;
  let i = start + 4;
  let separator = 0;
  let rest = 0;
  let structured = true;
  for (let k = 4; k < country.length; k++) {
    if (k % 4 === 0) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 45) {
        if (separator !== 0 && separator !== ch) return -1;
        separator = ch;
        i++;
      }
    }
    const c = text.charCodeAt(i++);
    let upper: number;
    if (isDigit(c)) upper = c;
    else if (lower ? c >= 97 && c <= 122 : c >= 65 && c <= 90) upper = lower ? c - 32 : c;
    else return -1;
    const kind = classes[k - 4];
    if (upper <= 57) {
      if (kind === BBAN_LETTER) structured = false;
      rest = (rest * 10 + (upper - 48)) % 97;
    } else {
      if (kind === BBAN_DIGIT) structured = false;
      rest = (rest * 100 + (upper - 55)) % 97;
    }
  }
  // The account number must end here: "IL15 0120 6900 0000 3111 0120…" is not a truncated IBAN.
  if (i < text.length && isAnyAlnum(text.charCodeAt(i))) return -1;
  if (!structured) return -1;
  // Rearranged: BBAN, then the country code (letters as 10..35), then the check digits.
  rest = (rest * 100 + ((lower ? first - 32 : first) - 55)) % 97;
  rest = (rest * 100 + ((lower ? second - 32 : second) - 55)) % 97;
  rest = (rest * 10 + (text.charCodeAt(start + 2) - 48)) % 97;
  rest = (rest * 10 + (text.charCodeAt(start + 3) - 48)) % 97;
  const ok = rest === 1;
  tally?.('IBAN_CODE', ok);
  return ok ? i : -1;
}

export function findIbans(text: string, out: Finding[], tally?: ChecksumTally): void {
  START.lastIndex = 0;
  for (let m = START.exec(text); m !== null; m = START.exec(text)) {
    const end = readValidIban(text, m.index, tally);
    if (end === -1) continue;
    out.push({ entity: 'IBAN_CODE', start: m.index, end, score: IBAN_SCORE });
    START.lastIndex = end;
  }
}
