import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadata from 'libphonenumber-js/metadata.max.json';
import { Decision, DigitPattern } from './digit-pattern';
import { isValidInternationalNumber, phoneValidityStats, resetPhoneValidityCache } from './phone-validity';

/** mulberry32: a small seeded generator, so the numbers are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const library = (digits: string): boolean => parsePhoneNumberFromString(`+${digits}`)?.isValid() === true;

interface Plan {
  0: string;
  2?: string;
  10?: string;
  11?: unknown;
}

describe('international phone number validity (prefix trie over libphonenumber)', () => {
  const r = rng(2024);
  const int = (n: number) => Math.floor(r() * n);
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const json = metadata as unknown as {
    country_calling_codes: Record<string, string[]>;
    countries: Record<string, Plan>;
    nonGeographic: Record<string, Plan>;
  };
  const callingCodes = [...Object.keys(json.country_calling_codes), ...Object.keys(json.nonGeographic)];
  /** Valid mobile numbers of every region, as digits after "+". */
  const seeds = Object.entries(examples as Record<string, string>).flatMap(([country, national]) => {
    const plan = json.countries[country];
    return plan === undefined ? [] : [`${plan[0]}${national}`];
  });

  /** Numbers near real ones (a real prefix, other digits, other lengths) and random ones. */
  function sample(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = int(3);
      let d: string;
      if (kind === 0) {
        const s = seeds[int(seeds.length)]!;
        d = s.slice(0, int(s.length + 1));
        d += digits(Math.max(0, s.length - 2 + int(5) - d.length));
      } else if (kind === 1) {
        d = callingCodes[int(callingCodes.length)]!;
        d += digits(Math.max(0, 8 + int(8) - d.length));
      } else {
        d = String(1 + int(9)) + digits(7 + int(8));
      }
      out.push(d);
    }
    return out;
  }

  beforeEach(() => resetPhoneValidityCache());

  it('gives the library’s answer for every number, first and repeated prefixes alike', () => {
    const numbers = [...seeds, ...sample(12_000)];
    let valid = 0;
    const differences: string[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (const d of numbers) {
        const expected = library(d);
        if (expected) valid++;
        if (isValidInternationalNumber(d) !== expected) differences.push(`+${d} (library: ${expected})`);
      }
    }
    expect(differences).toEqual([]);
    expect(valid).toBeGreaterThan(2_000); // the sample holds plenty of valid numbers too
  });

  it('reads only the digits of a formatted number, after skipping the first ones if asked', () => {
    expect(isValidInternationalNumber('+49 30 1234567')).toBe(library('49301234567'));
    expect(isValidInternationalNumber('+1 (415) 555-0132')).toBe(true);
    expect(isValidInternationalNumber('0049301234567', 2)).toBe(library('49301234567'));
    expect(isValidInternationalNumber('+0 30 1234567')).toBe(false);
    expect(isValidInternationalNumber('')).toBe(false);
  });

  it('asks the library once per deciding prefix, not once per number', () => {
    const berlin = Array.from({ length: 5_000 }, () => `4930${digits(7)}`);
    for (const d of berlin) expect(isValidInternationalNumber(d)).toBe(true);
    expect(phoneValidityStats().libraryCalls).toBeLessThan(20);
    const london = Array.from({ length: 2_000 }, () => `44207${digits(7)}`);
    for (const d of london) isValidInternationalNumber(d);
    expect(phoneValidityStats().libraryCalls).toBeLessThan(40);
  });
});

describe('digit patterns (position automata over libphonenumber metadata)', () => {
  const r = rng(7);
  const int = (n: number) => Math.floor(r() * n);
  const json = metadata as unknown as { countries: Record<string, Plan> };
  const sources = new Set<string>();
  for (const plan of Object.values(json.countries)) {
    if (typeof plan[2] === 'string') sources.add(plan[2]);
    if (typeof plan[10] === 'string') sources.add(plan[10]);
    if (Array.isArray(plan[11])) {
      for (const t of plan[11] as unknown[]) if (Array.isArray(t) && typeof t[0] === 'string') sources.add(t[0]);
    }
  }
  const patterns = [...sources].slice(0, 400);

  /** Every string of `n` digits. */
  function* continuations(n: number): Generator<string> {
    if (n === 0) yield '';
    else for (let i = 0; i < 10 ** n; i++) yield String(i).padStart(n, '0');
  }

  it('decides a full match only when every continuation agrees with RegExp', () => {
    let decided = 0;
    for (const source of patterns) {
      const pattern = DigitPattern.compile(source);
      const full = new RegExp(`^(?:${source})$`);
      for (let k = 0; k < 6; k++) {
        const known = Array.from({ length: int(7) }, () => int(10)).join('');
        const unknown = int(4);
        const decision = pattern.decideFull(known, unknown);
        if (decision === Decision.Open) continue;
        decided++;
        for (const rest of continuations(unknown)) {
          if (full.test(known + rest) !== (decision === Decision.True)) throw new Error(`${source} on ${known}+${rest}`);
        }
      }
    }
    expect(decided).toBeGreaterThan(1_000);
  });

  it('decides a match at the start only when every continuation agrees with String#search', () => {
    let decided = 0;
    for (const source of patterns) {
      const pattern = DigitPattern.compile(source);
      for (let k = 0; k < 6; k++) {
        const known = Array.from({ length: int(5) }, () => int(10)).join('');
        const unknown = int(4);
        const decision = pattern.decidePrefix(known, unknown);
        if (decision === Decision.Open) continue;
        decided++;
        for (const rest of continuations(unknown)) {
          if (((known + rest).search(source) === 0) !== (decision === Decision.True)) {
            throw new Error(`${source} on ${known}+${rest}`);
          }
        }
      }
    }
    expect(decided).toBeGreaterThan(1_000);
  });

  it('compiles the syntax the metadata uses and refuses anything else', () => {
    for (const source of ['\\d{2,}', '(?:1|2)?3*', '[0-3]{2}(5|6)+', '1{0}2']) {
      expect(() => DigitPattern.compile(source)).not.toThrow();
    }
    for (const source of ['a', '\\w', '(?=1)', '1$', '[^1]', '1{2,1}', '(1', '1+?']) {
      expect(() => DigitPattern.compile(source)).toThrow();
    }
    expect(DigitPattern.compile('\\d{2,}').maxLength).toBe(Infinity);
    expect(DigitPattern.compile('1(?:23|4)?5{1,3}').maxLength).toBe(6);
    expect(DigitPattern.compile('0|1(2)').settledWithin('1')).toBe(false);
    expect(DigitPattern.compile('0|1(2)').settledWithin('13')).toBe(true);
  });
});
