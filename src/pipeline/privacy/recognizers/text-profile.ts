/**
 * One cheap pass over a value that lets the recognisers skip regexes that cannot match: a cell
 * without '@' has no e-mail address, one without a run of 12 digits has no card number. On a
 * 200 MB upload most cells fail every pre-check, so this pass dominates the cost.
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
  /** Any code unit above U+007F (CJK names, accented letters, full-width digits…). */
  nonAscii: boolean;
  /**
   * Most digits in one run where digits are separated by at most three of ` -./()+`: the most
   * digits any one card number, SSN, phone number or resident id in the value can have.
   */
  maxDigitRun: number;
  /** The whole value is a plain decimal number ("-12.5", "3.14159", "42"): no PII in it. */
  plainNumber: boolean;
}

/**
 * Decimal fractions and negative integers are quantities. Unsigned integers are not listed: a
 * bare digit string can be a phone number, card number or SSN.
 */
const PLAIN_NUMBER = /^(?:[+-]?\d+\.\d+|-\d+)$/;

const SEPARATOR = new Uint8Array(128);
for (const ch of ' -./()+') SEPARATOR[ch.charCodeAt(0)] = 1;

export function profileText(text: string): TextProfile {
  let digits = 0;
  let letters = 0;
  let at = 0;
  let colons = 0;
  let dots = 0;
  let dashes = 0;
  let nonAscii = false;
  let run = 0;
  let gap = 0;
  let maxDigitRun = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      run = gap <= 3 ? run + 1 : 1;
      gap = 0;
      if (run > maxDigitRun) maxDigitRun = run;
      continue;
    }
    if (c < 128 && SEPARATOR[c] === 1) gap++;
    else if (c === 160) gap++;
    else gap = 4;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letters++;
    else if (c === 64) at++;
    else if (c === 58) colons++;
    else if (c === 46) dots++;
    else if (c === 45) dashes++;
    else if (c > 127) nonAscii = true;
  }
  const plainNumber = letters === 0 && !nonAscii && digits > 0 && digits >= text.length - 2 && PLAIN_NUMBER.test(text);
  return { length: text.length, digits, letters, at, colons, dots, dashes, nonAscii, maxDigitRun, plainNumber };
}

/** True when the cell has no non-blank character. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 160 && c !== 0x3000) return false;
  }
  return true;
}
