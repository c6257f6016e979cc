import { type ChecksumTally, type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * Payment card numbers (PANs): ISO/IEC 7812 numbers whose issuer identification number (IIN)
 * belongs to a card scheme, with a length that scheme issues, and a valid Luhn check digit
 * (ISO/IEC 7812-1 Annex B). Luhn alone passes one random number in ten, so the IIN/length table
 * is what keeps order numbers and database ids out.
 */

interface Scheme {
  name: string;
  /** Inclusive IIN ranges, compared on the leading `lo.length` digits. */
  ranges: ReadonlyArray<readonly [string, string]>;
  lengths: readonly number[];
}

const range = (lo: string, hi: string = lo): readonly [string, string] => [lo, hi];
const span = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** IIN ranges as published by the schemes (and summarised in ISO/IEC 7812 registration lists). */
export const CARD_SCHEMES: readonly Scheme[] = [
  { name: 'Visa', ranges: [range('4')], lengths: [13, 16, 19] },
  // Mastercard: 51-55 and, since 2017, the 2-series 2221-2720.
  { name: 'Mastercard', ranges: [range('51', '55'), range('2221', '2720')], lengths: [16] },
  { name: 'American Express', ranges: [range('34'), range('37')], lengths: [15] },
  {
    name: 'Discover',
    ranges: [range('6011'), range('644', '649'), range('65'), range('622126', '622925')],
    lengths: span(16, 19),
  },
  { name: 'JCB', ranges: [range('3528', '3589')], lengths: span(16, 19) },
  {
    name: 'Diners Club',
    ranges: [range('300', '305'), range('3095'), range('36'), range('38', '39')],
    lengths: span(14, 19),
  },
  { name: 'UnionPay', ranges: [range('62'), range('81')], lengths: span(16, 19) },
  {
    name: 'Maestro',
    ranges: [
      range('5018'),
      range('5020'),
      range('5038'),
      range('5893'),
      range('6304'),
      range('6759'),
      range('6761', '6763'),
    ],
    lengths: span(12, 19),
  },
  { name: 'Dankort', ranges: [range('5019')], lengths: [16] },
  { name: 'Mir', ranges: [range('2200', '2204')], lengths: span(16, 19) },
  // UATP (airline cards): ISO/IEC 7812 major industry identifier 1, always 15 digits.
  { name: 'UATP', ranges: [range('1')], lengths: [15] },
];

/**
 * Per PAN length, the IIN ranges as intervals of 6-digit prefixes (every range is at most six
 * digits wide), in scheme order: the first interval holding a number's first six digits names its
 * scheme, as comparing `lo`/`hi` with the number's first digits as text would.
 */
const IIN_WIDTH = 6;
const BY_LENGTH: Array<Array<{ lo: number; hi: number; name: string }> | undefined> = [];
for (const scheme of CARD_SCHEMES) {
  for (const length of scheme.lengths) {
    const list = (BY_LENGTH[length] ??= []);
    for (const [lo, hi] of scheme.ranges) {
      const scale = 10 ** (IIN_WIDTH - lo.length);
      list.push({ lo: Number(lo) * scale, hi: (Number(hi) + 1) * scale - 1, name: scheme.name });
    }
  }
}

function schemeOf(length: number, prefix6: number): string | undefined {
  const list = BY_LENGTH[length];
  if (list === undefined) return undefined;
  for (const range of list) if (prefix6 >= range.lo && prefix6 <= range.hi) return range.name;
  return undefined;
}

/** The number formed by the first `n` characters of `digits` (all digits). */
function leadingNumber(digits: string, n: number): number {
  let value = 0;
  for (let i = 0; i < n; i++) value = value * 10 + (digits.charCodeAt(i) - 48);
  return value;
}

/** The scheme whose IIN range and length table admit `digits`, if any. */
export function cardScheme(digits: string): string | undefined {
  if (digits.length < IIN_WIDTH || !/^\d*$/.test(digits)) return cardSchemeByText(digits);
  return schemeOf(digits.length, leadingNumber(digits, IIN_WIDTH));
}

/** cardScheme for short or non-digit text (not reached by the recogniser): compared as text. */
function cardSchemeByText(digits: string): string | undefined {
  for (const scheme of CARD_SCHEMES) {
    if (!scheme.lengths.includes(digits.length)) continue;
    for (const [lo, hi] of scheme.ranges) {
      const prefix = digits.slice(0, lo.length);
      if (prefix >= lo && prefix <= hi) return scheme.name;
    }
  }
  return undefined;
}

/** ISO/IEC 7812-1 Annex B (Luhn, "mod 10"): doubling every second digit from the right. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A PAN printed contiguously, or in the groupings cards are embossed with (4-4-4-4[-3],
 * Amex 4-6-5, Diners 4-6-4, 4-4-4-1..3), with one consistent separator (space or hyphen).
 * Not glued to letters, digits or a decimal point on either side, nor hyphenated or dotted onto
 * another token (the last group of a UUID can be twelve digits).
 */
const CARD = new RegExp(
  '(?<![0-9A-Za-z_]|[0-9A-Za-z][-.]|\\d,)' +
    '(?:' +
    '\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?' +
    '|\\d{4}([ -])\\d{6}\\2\\d{4,5}' +
    '|\\d{4}([ -])\\d{4}\\3\\d{4}\\3\\d{1,3}' +
    '|\\d{12,19}' +
    ')' +
    '(?![0-9A-Za-z_]|[-.,][0-9A-Za-z])',
  'g',
);

export const CARD_SCORE = 0.85;
/** Embossed grouping is a format cue on top of the checksum. */
export const CARD_GROUPED_SCORE = 0.9;

export function paymentCardApplies(p: TextProfile): boolean {
  return p.maxDigitRun >= 12;
}

/** Validates a candidate already stripped to digits; reports the Luhn outcome to `tally`. */
export function isValidCardNumber(digits: string, tally?: ChecksumTally): boolean {
  if (digits.length < 12 || digits.length > 19) return false;
  if (cardScheme(digits) === undefined) return false;
  const ok = luhnValid(digits);
  tally?.('CREDIT_CARD', ok);
  return ok;
}

export function findPaymentCards(text: string, out: Finding[], tally?: ChecksumTally): void {
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
    const value = m[0];
    // isValidCardNumber on the digits of `value` (digits and one kind of separator), read in one
    // pass: how many, the first six, and both Luhn sums (which digits are doubled depends on
    // the count, known only at the end).
    let count = 0;
    let prefix6 = 0;
    let sumEven = 0; // digits at even positions doubled
    let sumOdd = 0; // digits at odd positions doubled
    for (let i = 0; i < value.length; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) continue;
      if (count < IIN_WIDTH) prefix6 = prefix6 * 10 + d;
      const doubled = d < 5 ? 2 * d : 2 * d - 9;
      if (count % 2 === 0) {
        sumEven += doubled;
        sumOdd += d;
      } else {
        sumEven += d;
        sumOdd += doubled;
      }
      count++;
    }
    if (count < 12 || count > 19 || schemeOf(count, prefix6) === undefined) continue;
    // Luhn doubles every second digit from the right: those at positions of the count's parity.
    const ok = (count % 2 === 0 ? sumEven : sumOdd) % 10 === 0;
    tally?.('CREDIT_CARD', ok);
    if (!ok) continue;
    out.push({
      entity: 'CREDIT_CARD',
      start: m.index,
      end: m.index + value.length,
      score: count !== value.length ? CARD_GROUPED_SCORE : CARD_SCORE,
    });
  }
}
