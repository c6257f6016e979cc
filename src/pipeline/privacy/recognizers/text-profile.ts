/**
 * One cheap pass over a value that lets the recognisers skip regexes that cannot match: a cell
 * without '@' has no e-mail address, one without a run of 12 digits has no card number. On a
 * 200 MB upload most cells fail every pre-check, so this pass dominates the cost.
 *
 * Every pre-check built on it is a necessary condition for its recogniser to find anything:
 * skipping a recogniser never changes a result, it only saves the work of finding nothing.
 */
export interface TextProfile {
  length: number;
  digits: number;
  /** ASCII letters A-Z / a-z. */
  letters: number;
  at: number;
  colons: number;
  dots: number;
  dashes: number;
  /** Spaces, tabs, line breaks and no-break spaces. */
  blanks: number;
  /** Any code unit above U+007F (CJK names, accented letters, full-width digits…). */
  nonAscii: boolean;
  /**
   * Most digits in one run where digits are separated by at most three of ` -./()+`: the most
   * digits any one card number, SSN, phone number or resident id in the value can have.
   */
  maxDigitRun: number;
  /** Most digits in one run of consecutive digits (no separators at all). */
  maxPlainRun: number;
  /** The whole value is a plain decimal number ("-12.5", "3.14159", "42"): no PII in it. */
  plainNumber: boolean;
  /**
   * Some word starts with two ASCII letters of the same case followed by two digits ("DE89",
   * "gb82"): the only way an IBAN can start.
   */
  ibanStart: boolean;
}

/**
 * Decimal fractions and negative integers are quantities. Unsigned integers are not listed: a
 * bare digit string can be a phone number, card number or SSN. By hand, /^(?:[+-]?\d+\.\d+|-\d+)$/.
 */
function isPlainNumber(text: string): boolean {
  const n = text.length;
  const first = text.charCodeAt(0);
  let i = first === 43 || first === 45 ? 1 : 0;
  const intStart = i;
  while (i < n && isAsciiDigit(text.charCodeAt(i))) i++;
  if (i === intStart) return false;
  if (i === n) return first === 45;
  if (text.charCodeAt(i) !== 46) return false;
  const fracStart = ++i;
  while (i < n && isAsciiDigit(text.charCodeAt(i))) i++;
  return i > fracStart && i === n;
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const DIGIT = 1;
const UPPER = 2;
const LOWER = 3;
/** Separators a digit run may span (card groups, phone layouts…). */
const SEPARATOR = 4;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = LOWER;
for (const ch of ' -./()+') CLASS[ch.charCodeAt(0)] = SEPARATOR;

export function emptyProfile(): TextProfile {
  return {
    length: 0,
    digits: 0,
    letters: 0,
    at: 0,
    colons: 0,
    dots: 0,
    dashes: 0,
    blanks: 0,
    nonAscii: false,
    maxDigitRun: 0,
    maxPlainRun: 0,
    plainNumber: false,
    ibanStart: false,
  };
}

export function profileText(text: string): TextProfile {
  return profileInto(text, emptyProfile());
}

function isIbanStart(text: string, i: number, letterClass: number): boolean {
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  const d = text.charCodeAt(i + 3);
  return b < 128 && CLASS[b] === letterClass && c >= 48 && c <= 57 && d >= 48 && d <= 57;
}

/** Fills `p` with the profile of `text` (no allocation) and returns it. */
export function profileInto(text: string, p: TextProfile): TextProfile {
  let digits = 0;
  let letters = 0;
  let at = 0;
  let colons = 0;
  let dots = 0;
  let dashes = 0;
  let blanks = 0;
  let nonAscii = false;
  let run = 0;
  let gap = 0;
  let maxDigitRun = 0;
  let plain = 0;
  let maxPlainRun = 0;
  let ibanStart = false;
  /** Whether the previous code unit is an ASCII letter or digit. */
  let afterAlnum = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c - 48) >>> 0 < 10) {
      digits++;
      run = gap <= 3 ? run + 1 : 1;
      gap = 0;
      if (run > maxDigitRun) maxDigitRun = run;
      if (++plain > maxPlainRun) maxPlainRun = plain;
      afterAlnum = true;
      continue;
    }
    plain = 0;
    if (((c | 32) - 97) >>> 0 < 26) {
      letters++;
      if (!afterAlnum && !ibanStart) ibanStart = isIbanStart(text, i, c < 97 ? UPPER : LOWER);
      afterAlnum = true;
      gap = 4;
      continue;
    }
    afterAlnum = false;
    if (c < 128 && CLASS[c] === SEPARATOR) {
      gap++;
      if (c === 46) dots++;
      else if (c === 45) dashes++;
      else if (c === 32) blanks++;
      continue;
    }
    gap = c === 160 ? gap + 1 : 4;
    if (c === 64) at++;
    else if (c === 58) colons++;
    else if (c > 127) nonAscii = true;
    if (c === 9 || c === 10 || c === 13 || c === 160) blanks++;
  }
  p.length = n;
  p.digits = digits;
  p.letters = letters;
  p.at = at;
  p.colons = colons;
  p.dots = dots;
  p.dashes = dashes;
  p.blanks = blanks;
  p.nonAscii = nonAscii;
  p.maxDigitRun = maxDigitRun;
  p.maxPlainRun = maxPlainRun;
  p.ibanStart = ibanStart;
  p.plainNumber = letters === 0 && !nonAscii && digits > 0 && digits >= n - 2 && isPlainNumber(text);
  return p;
}

/** True when the cell has no non-blank character. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 160 && c !== 0x3000) return false;
  }
  return true;
}
