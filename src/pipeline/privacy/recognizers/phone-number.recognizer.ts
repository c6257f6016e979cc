import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { type Finding } from './entity-types';
import { isValidInternationalNumber } from './phone-validity';
import { type TextProfile } from './text-profile';

/**
 * Telephone numbers.
 * - International (ITU-T E.164): "+" or the "00" international prefix, a country calling code and
 *   at most 15 digits in all; validated against the numbering plan of that country with
 *   libphonenumber-js (full metadata), which knows every country's number ranges. The library's
 *   answer is reused for numbers sharing a prefix that provably decides it (phone-validity.ts):
 *   a column of a million "+49 30 …" numbers costs a handful of parses, not a million.
 * - North American national formats (ITU-T E.164 country code 1, NANP): (NPA) NXX-XXXX,
 *   NPA-NXX-XXXX, NPA.NXX.XXXX, 1-NPA-NXX-XXXX or ten bare digits, validated by the NANP
 *   numbering-plan rules (ATIS-0300115: NPA and NXX start with 2-9, an NPA's middle digit is not
 *   9, neither is an N11 service code) and by the area code being in service according to
 *   libphonenumber's NANP metadata. The area code is asked once per NPA (memoised) rather than
 *   parsing every value: a library parse costs 15-25 µs and a 200 MB upload can hold millions of
 *   ten-digit cells. On random ten-digit ids this accepts ~37% (a full parse: ~36%).
 * - Chinese mobile numbers (MIIT number blocks 13x-19x): 11 digits 1[3-9]…, optionally +86 / 86,
 *   validated as CN mobile by libphonenumber-js.
 * - Other national formats when written like a phone number: a leading trunk prefix "0" and
 *   separators ("09-7625400", "090-1234-5678", "030 1234567"), valid in one of the regions listed
 *   below; or a country calling code written without "+" as its own group ("91-415-555-0132").
 * Like libphonenumber's VALID leniency, a number glued to Latin letters ("is415-555-0132") is not
 * a match; Chinese and Japanese text puts numbers right after characters ("手机13812345678").
 * Dates, decimals, thousands-grouped amounts, dotted quads and the SSN layout AAA-GG-SSSS are not
 * candidates.
 */

/**
 * A run of digits and parenthesised groups with single separators between them; not continuing
 * a preceding number, nor the digit groups after an alphanumeric code ("BE71 0961 2345 6760",
 * a mistyped IBAN, holds no phone number starting at "0961" or "2345").
 */
const CANDIDATE =
  /(?<![\p{Script=Latin}\p{N}_+]|\d[-./]|(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?:[ \u00A0]\d+){0,6}[ \u00A0])(?:\+ ?)?(?:\(\d{1,5}\)|\d)(?:[ \u00A0./-]?(?:\(\d{1,5}\)|\d)){5,24}(?![\p{Script=Latin}\p{N}_]|[-./]\d)/gu;

/** Regions tried for trunk-prefixed national numbers (national significant numbers start with 0). */
const TRUNK_REGIONS: readonly CountryCode[] = ['GB', 'DE', 'FR', 'IT', 'NL', 'IL', 'IN', 'JP', 'KR', 'AU', 'BR', 'CN'];

export const PHONE_INTERNATIONAL_SCORE = 0.75;
export const PHONE_IDD_SCORE = 0.6;
export const PHONE_NATIONAL_FORMATTED_SCORE = 0.65;
export const PHONE_CN_MOBILE_BARE_SCORE = 0.5;
export const PHONE_OTHER_NATIONAL_SCORE = 0.5;
export const PHONE_CALLING_CODE_WITHOUT_PLUS_SCORE = 0.45;
/** Ten bare digits: a NANP-valid number or any ten-digit id (Presidio scores these 0.05-0.4). */
export const PHONE_BARE_NANP_SCORE = 0.3;

const DATE_LIKE = /^(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2(?:\d{2}|\d{4}))$/;
const DECIMAL = /^\d+\.\d+$/;
const GROUPED_AMOUNT = /^\d{1,3}(?:([,. '\u00A0])\d{3})(?:\1\d{3})+$/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** AAA-GG-SSSS is how SSNs are written; no numbering plan groups telephone numbers 3-2-4. */
const SSN_LAYOUT = /^\d{3}([- .])\d{2}\1\d{4}$/;
const SEPARATOR = /[ \u00A0./()-]/;

export function phoneNumberApplies(p: TextProfile): boolean {
  return p.maxDigitRun >= 7;
}

/** NANP rules for a 10-digit national number (see the module comment). */
export function isNanpNumber(d: string): boolean {
  return isNanpShaped(d) && npaInService(d.slice(0, 3));
}

function isNanpShaped(d: string): boolean {
  if (d.length !== 10) return false;
  const a = d.charCodeAt(0) - 48;
  const b = d.charCodeAt(1) - 48;
  const c = d.charCodeAt(2) - 48;
  const n = d.charCodeAt(3) - 48;
  const x = d.charCodeAt(4) - 48;
  const y = d.charCodeAt(5) - 48;
  if (a < 2 || b === 9 || (b === 1 && c === 1)) return false;
  if (n < 2 || (x === 1 && y === 1)) return false;
  return !/^(\d)\1{9}$/.test(d);
}

const npaMemo = new Map<string, boolean>();
/** Central-office codes to probe an area code with: NANP patterns admit [2-9]XX, some only a few. */
const PROBE_EXCHANGES = ['234', '345', '456', '567', '678', '789', '890', '901'];

/** Whether libphonenumber knows any number in this NANP area code; at most 800 probes ever. */
function npaInService(npa: string): boolean {
  let known = npaMemo.get(npa);
  if (known === undefined) {
    known = PROBE_EXCHANGES.some((nxx) => parsePhoneNumberFromString(`+1${npa}${nxx}4567`)?.isValid() === true);
    npaMemo.set(npa, known);
  }
  return known;
}

/**
 * Small bounded memo for the national formats (trunk prefix, bare Chinese mobiles): phone columns
 * repeat numbers (call logs, contacts), parses are costly.
 */
const memo = new Map<string, boolean>();
const MEMO_LIMIT = 4096;

function libValid(text: string, region?: CountryCode, mobileOnly = false): boolean {
  const key = `${region ?? '+'}${mobileOnly ? 'm' : ''}|${text}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const parsed = parsePhoneNumberFromString(
    text,
    region === undefined ? undefined : { defaultCountry: region, extract: false },
  );
  let ok = parsed !== undefined && parsed.isValid();
  if (ok && mobileOnly) {
    const type = parsed?.getType();
    ok = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, ok);
  return ok;
}

function digitsIn(s: string): string {
  return s.replace(/\D/g, '');
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Whether the first two digits of `s` are zeros (the "00" international prefix). */
function startsWithTwoZeros(s: string): boolean {
  let zeros = 0;
  for (let i = 0; i < s.length && zeros < 2; i++) {
    const c = s.charCodeAt(i);
    if (c === 48) zeros++;
    else if (c >= 49 && c <= 57) return false;
  }
  return zeros === 2;
}

/** Score of a candidate as a phone number, 0 when it is not one. */
export function scorePhoneCandidate(candidate: string): number {
  const count = countDigits(candidate);
  if (candidate.charCodeAt(0) === 43 /* + */) {
    if (count < 8 || count > 15) return 0;
    return isValidInternationalNumber(candidate) ? PHONE_INTERNATIONAL_SCORE : 0;
  }
  if (count < 7 || count > 17) return 0;
  // Below, only "00" + a number of at most 15 digits may have more than 15 digits in all.
  if (count > 15 && !startsWithTwoZeros(candidate)) return 0;
  if (
    DATE_LIKE.test(candidate) ||
    DECIMAL.test(candidate) ||
    GROUPED_AMOUNT.test(candidate) ||
    DOTTED_QUAD.test(candidate) ||
    SSN_LAYOUT.test(candidate)
  ) {
    return 0;
  }
  const digits = digitsIn(candidate);
  const formatted = SEPARATOR.test(candidate);
  if (digits.startsWith('00') && digits.length >= 10 && digits.charCodeAt(2) !== 48) {
    return isValidInternationalNumber(digits, 2) ? PHONE_IDD_SCORE : 0;
  }
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  if (national.length === 10 && isNanpNumber(national))
    return formatted ? PHONE_NATIONAL_FORMATTED_SCORE : PHONE_BARE_NANP_SCORE;
  if (/^1[3-9]\d{9}$/.test(digits) && libValid(digits, 'CN', true)) {
    return formatted ? PHONE_NATIONAL_FORMATTED_SCORE : PHONE_CN_MOBILE_BARE_SCORE;
  }
  if (!formatted) return 0;
  if (digits.startsWith('0')) {
    if (digits.length > 13 || /^0+$/.test(digits)) return 0;
    for (const region of TRUNK_REGIONS) if (libValid(candidate, region)) return PHONE_OTHER_NATIONAL_SCORE;
    return 0;
  }
  // A country calling code written without "+" as the first group: "91-415-555-0132".
  const firstGroup = /^\d{1,3}(?=[ \u00A0.-])/.exec(candidate);
  if (firstGroup !== null && digits.length >= 10 && digits.length <= 15 && isValidInternationalNumber(digits)) {
    return PHONE_CALLING_CODE_WITHOUT_PLUS_SCORE;
  }
  return 0;
}

/** Trailing separators are not part of a number ("(415) 555-0132." ends at the 2). */
function trimEnd(text: string, start: number, end: number): number {
  for (; end > start; end--) {
    const c = text.charCodeAt(end - 1);
    if ((c >= 48 && c <= 57) || c === 41) break;
  }
  return end;
}

/**
 * When a run of digit groups is not one number, it may be several numbers separated by blanks
 * ("415-555-0132 415-555-0133", "+1 415 555 0132 2024"). Try each blank-separated block on its
 * own, and runs of blocks only when they open like an international or area-coded number ("+",
 * "("): without that cue, "0102 0000" inside "TRAJ 0102 0000 0012 1002" is a slice of a code.
 */
function findInner(text: string, start: number, end: number, out: Finding[]): void {
  if (!innerMayMatch(text, start, end)) return;
  const blocks: Array<[number, number]> = [];
  const re = /\S+/g;
  const slice = text.slice(start, end);
  for (let m = re.exec(slice); m !== null; m = re.exec(slice))
    blocks.push([start + m.index, start + m.index + m[0].length]);
  if (blocks.length < 2 || blocks.length > 12) return;
  let i = 0;
  while (i < blocks.length) {
    let found = false;
    const s = blocks[i]?.[0] ?? 0;
    const cue = text[s] === '+' || text[s] === '(';
    for (let j = cue ? Math.min(blocks.length - 1, i + 6) : i; j >= i; j--) {
      if (i === 0 && j === blocks.length - 1) continue;
      const e = blocks[j]?.[1] ?? 0;
      const score = scorePhoneCandidate(text.slice(s, e));
      if (score > 0) {
        out.push({ entity: 'PHONE_NUMBER', start: s, end: e, score });
        i = j + 1;
        found = true;
        break;
      }
    }
    if (!found) i++;
  }
}

/**
 * Without a block opening with "+" or "(", findInner tries blocks one at a time, and a block
 * needs seven digits to score: the common case of card-like groups ("4111 1111 1111 1111") is
 * settled by counting. (Candidates hold no white space but ' ' and U+00A0.)
 */
function innerMayMatch(text: string, start: number, end: number): boolean {
  let inBlock = false;
  let digits = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 160) {
      if (inBlock && digits >= 7) return true;
      inBlock = false;
      continue;
    }
    if (!inBlock) {
      if (c === 43 || c === 40) return true;
      inBlock = true;
      digits = 0;
    }
    if (c >= 48 && c <= 57) digits++;
  }
  return inBlock && digits >= 7;
}

export function findPhoneNumbers(text: string, out: Finding[], p?: TextProfile): void {
  // Most cells of a phone column are one number and nothing else. When the whole cell is one
  // candidate (no letters, only digits, parenthesised groups and single separators), the search
  // below would find exactly that candidate at 0: nothing precedes it for the look-behind to
  // reject, nothing follows it for the look-ahead to, and the repetition is greedy.
  if (p !== undefined && p.letters === 0 && !p.nonAscii && isWholeCandidate(text)) {
    // Its only possible white space is ' ', counted in the profile.
    scoreCandidate(text, 0, text.length, p.blanks > 0, out);
    return;
  }
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    scoreCandidate(text, m.index, trimEnd(text, m.index, m.index + m[0].length), /\s/.test(m[0]), out);
  }
}

function scoreCandidate(text: string, start: number, end: number, spaced: boolean, out: Finding[]): void {
  const score = scorePhoneCandidate(text.slice(start, end));
  if (score > 0) out.push({ entity: 'PHONE_NUMBER', start, end, score });
  else if (spaced) findInner(text, start, end, out);
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether all of `text` (ASCII) is one CANDIDATE: an optional "+" or "+ ", then 6-25 units — a
 * digit or 1-5 digits in parentheses — with at most one of ` ./-` between units.
 */
function isWholeCandidate(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (text.charCodeAt(0) === 43) i = text.charCodeAt(1) === 32 ? 2 : 1;
  let units = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isAsciiDigit(c)) {
      i++;
    } else if (c === 40) {
      const open = ++i;
      while (i < n && isAsciiDigit(text.charCodeAt(i))) i++;
      if (i === open || i - open > 5 || text.charCodeAt(i) !== 41) return false;
      i++;
    } else {
      return false;
    }
    if (++units > 25) return false;
    if (i === n) return units >= 6;
    const sep = text.charCodeAt(i);
    if (sep === 32 || sep === 46 || sep === 47 || sep === 45) i++;
  }
}
