import fc from 'fast-check';
import { IBAN_COUNTRY_CODES, ibanCountry } from './iban-registry';
import { ibanMod97, isValidIban } from './iban.recognizer';
import { recognizeValue } from './recognize-value';

const ibans = (text: string) => recognizeValue(text).filter((f) => f.entity === 'IBAN_CODE');

/** ISO 13616-1 check digits for country + BBAN, computed with BigInt (independent of ibanMod97). */
function withCheckDigits(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

describe('IBAN (ISO 13616-1, ISO 7064 MOD 97-10)', () => {
  it('computes MOD 97-10 like the standard example', () => {
    expect(ibanMod97('GB82WEST12345698765432')).toBe(1);
    expect(withCheckDigits('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432');
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('GB83WEST12345698765432')).toBe(false);
  });

  it('has a consistent registry: a BBAN drawn from each country’s format validates', () => {
    const draw = (kind: string, n: number, rnd: () => number) =>
      Array.from({ length: n }, () => {
        const alphabet =
          kind === 'n'
            ? '0123456789'
            : kind === 'a'
              ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
              : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        return alphabet[Math.floor(rnd() * alphabet.length)];
      }).join('');
    fc.assert(
      fc.property(fc.constantFrom(...IBAN_COUNTRY_CODES), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (code, seed) => {
        let s = seed;
        const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
        const country = ibanCountry(code)!;
        const spec = country.bban.source.match(/\[[^\]]+\]\{\d+\}/g) ?? [];
        const bban = spec
          .map((part) => {
            const n = Number(/\{(\d+)\}/.exec(part)![1]);
            return draw(part.startsWith('[0-9]') ? 'n' : part.startsWith('[A-Z]{') ? 'a' : 'c', n, rnd);
          })
          .join('');
        const iban = withCheckDigits(code, bban);
        expect(iban).toHaveLength(country.length);
        expect(isValidIban(iban)).toBe(true);
        expect(ibans(iban.replace(/(.{4})(?=.)/g, '$1 '))).toHaveLength(1);
      }),
    );
  });

  it('rejects a right checksum on a wrong structure', () => {
    expect(isValidIban(withCheckDigits('DE', '37040044053201300A'))).toBe(false); // DE is 18 digits
    expect(isValidIban(withCheckDigits('DE', '3704004405320130001'))).toBe(false); // 23 characters
    expect(isValidIban(withCheckDigits('XX', '370400440532013000'))).toBe(false); // no such country
    expect(isValidIban(withCheckDigits('GB', '1234123456123456AB'))).toBe(false); // GB is 4a6n8n
  });

  it('accepts print format, hyphens and lower case; not slashes, misplaced blanks or mixed case', () => {
    expect(ibans('IBAN: GB82 WEST 1234 5698 7654 32.')).toEqual([
      { entity: 'IBAN_CODE', start: 6, end: 33, score: 0.95 },
    ]);
    expect(ibans('GB82-WEST-1234-5698-7654-32')).toHaveLength(1);
    expect(ibans('gb82west12345698765432')).toHaveLength(1);
    expect(ibans('gb82 west 1234 5698 7654 32')).toHaveLength(1);
    expect(ibans('Gb82West12345698765432')).toEqual([]);
    expect(ibans('GB82/WEST/1234/5698/7654/32')).toEqual([]);
    expect(ibans('GB82 WES T1234 5698 7654 32')).toEqual([]);
    expect(ibans('GB82 WEST-1234 5698 7654 32')).toEqual([]);
    expect(ibans('GB82WEST123456987654321')).toEqual([]);
    expect(ibans('XGB82WEST12345698765432')).toEqual([]);
  });
});
