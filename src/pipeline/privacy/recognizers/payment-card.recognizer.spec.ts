import fc from 'fast-check';
import { cardScheme, isValidCardNumber, luhnValid } from './payment-card.recognizer';
import { recognizeValue } from './recognize-value';

const cards = (text: string) => recognizeValue(text).filter((f) => f.entity === 'CREDIT_CARD');

/** Appends the Luhn check digit (ISO/IEC 7812-1 Annex B) to `body`. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('Luhn (ISO/IEC 7812-1 Annex B)', () => {
  it('matches the textbook vectors', () => {
    expect(luhnValid('79927398713')).toBe(true);
    for (const last of '012456789') expect(luhnValid(`7992739871${last}`)).toBe(false);
    expect(luhnValid('0')).toBe(true);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111x11111111111')).toBe(false);
  });

  it('catches every single-digit error and every adjacent transposition except 09/90', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^4\d{14}$/),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 9 }),
        (body, at, delta) => {
          const pan = withLuhn(body);
          const changed = pan.slice(0, at) + String((Number(pan[at]) + delta) % 10) + pan.slice(at + 1);
          expect(luhnValid(changed)).toBe(false);
          const a = pan[at]!;
          const b = pan[at + 1];
          if (b !== undefined && a !== b && `${a}${b}` !== '09' && `${a}${b}` !== '90') {
            expect(luhnValid(pan.slice(0, at) + b + a + pan.slice(at + 2))).toBe(false);
          }
        },
      ),
    );
  });
});

describe('issuer identification numbers and lengths', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['4222222222222', 'Visa'],
    ['5555555555554444', 'Mastercard'],
    ['2223003122003222', 'Mastercard'],
    ['2720992593319364', 'Mastercard'],
    ['378282246310005', 'American Express'],
    ['371449635398431', 'American Express'],
    ['6011111111111117', 'Discover'],
    ['6445644564456445', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['30569309025904', 'Diners Club'],
    ['38520000023237', 'Diners Club'],
    ['6200000000000005', 'UnionPay'],
    ['6759649826438453', 'Maestro'],
    ['5019717010103742', 'Dankort'],
    ['2200000000000004', 'Mir'],
    ['122000000000003', 'UATP'],
  ])('%s is a valid %s number', (pan, scheme) => {
    expect(cardScheme(pan)).toBe(scheme);
    expect(isValidCardNumber(pan)).toBe(true);
    expect(cards(pan)).toHaveLength(1);
  });

  it('rejects Luhn-valid numbers outside every issuer range or length', () => {
    for (const body of ['999999999999999', '000000000000000', '700000000000000', '8200000000000']) {
      const pan = withLuhn(body);
      expect(luhnValid(pan)).toBe(true);
      expect(isValidCardNumber(pan)).toBe(false);
    }
    expect(isValidCardNumber(withLuhn('41111111111111'))).toBe(false); // Visa, 15 digits
    expect(isValidCardNumber(withLuhn('371449635398431'))).toBe(false); // Amex, 16 digits
    expect(isValidCardNumber(withLuhn('222000000000000'))).toBe(false); // 2220 is below the 2-series
    expect(isValidCardNumber(withLuhn('272100000000000'))).toBe(false); // 2721 is above it
    expect(isValidCardNumber('1748503543012')).toBe(false); // Luhn-valid, 13 digits with MII 1
  });
});

describe('card numbers in text', () => {
  it('accepts contiguous and embossed groupings with one separator', () => {
    const text = 'a 4111111111111111, b 4111 1111 1111 1111, c 4111-1111-1111-1111, d 3782 822463 10005.';
    expect(cards(text).map((f) => text.slice(f.start, f.end))).toEqual([
      '4111111111111111',
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '3782 822463 10005',
    ]);
    expect(cards('4111 1111 1111 1111').map((f) => f.score)).toEqual([0.9]);
    expect(cards('4111111111111111').map((f) => f.score)).toEqual([0.85]);
    expect(cards('card number 4111111111111111').map((f) => f.score)).toEqual([0.99]);
  });

  it('rejects mixed separators, double blanks and glued tokens', () => {
    for (const text of [
      '4111 1111-1111 1111',
      '4111  1111 1111 1111',
      'x4111111111111111',
      '41111111111111112',
      '0.4111111111111111',
      '4111111111111111.5',
      '3f2a9c4e-1b2d-4c3e-9f8a-4111111111111111',
      '4111/1111/1111/1111',
    ]) {
      expect(cards(text)).toEqual([]);
    }
  });
});
