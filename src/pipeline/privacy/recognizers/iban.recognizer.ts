import { type ChecksumTally, type Finding } from './entity-types';
import { ibanCountry } from './iban-registry';
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

export function ibanApplies(p: TextProfile): boolean {
  return p.letters >= 2 && p.digits >= 2 && p.length >= 15;
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

const isAlnum = (c: number, lower: boolean): boolean =>
  (c >= 48 && c <= 57) || (lower ? c >= 97 && c <= 122 : c >= 65 && c <= 90);
const isAnyAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Reads exactly the country's IBAN length from `start`, allowing one separator before each group
 * of four; returns the end offset and electronic form, or undefined when the text does not fit.
 */
function readIban(
  text: string,
  start: number,
  length: number,
  lower: boolean,
): { end: number; iban: string } | undefined {
  let iban = text.slice(start, start + 4);
  let i = start + 4;
  let separator = '';
  while (iban.length < length) {
    if (iban.length % 4 === 0) {
      const ch = text[i];
      if (ch === ' ' || ch === '-') {
        if (separator !== '' && separator !== ch) return undefined;
        separator = ch;
        i++;
      }
    }
    const c = text.charCodeAt(i);
    if (!isAlnum(c, lower)) return undefined;
    iban += text[i];
    i++;
  }
  // The account number must end here: "IL15 0120 6900 0000 3111 0120…" is not a truncated IBAN.
  if (i < text.length && isAnyAlnum(text.charCodeAt(i))) return undefined;
  return { end: i, iban };
}

export function findIbans(text: string, out: Finding[], tally?: ChecksumTally): void {
  START.lastIndex = 0;
  for (let m = START.exec(text); m !== null; m = START.exec(text)) {
    const code = m[1] ?? '';
    const country = ibanCountry(code.toUpperCase());
    if (country === undefined) continue;
    const lower = code !== code.toUpperCase();
    const read = readIban(text, m.index, country.length, lower);
    if (read === undefined || !isValidIban(read.iban, tally)) continue;
    out.push({ entity: 'IBAN_CODE', start: m.index, end: read.end, score: IBAN_SCORE });
    START.lastIndex = read.end;
  }
}
