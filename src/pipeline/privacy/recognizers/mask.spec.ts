import fc from 'fast-check';
import { ENTITY_TYPES } from './entity-types';
import { maskValue } from './mask';
import { luhnValid } from './payment-card.recognizer';

/** A Luhn-valid 16-digit Visa-range number, optionally grouped 4-4-4-4 with " " or "-". */
const cardArb = fc.tuple(fc.stringMatching(/^4\d{14}$/), fc.constantFrom('', ' ', '-')).map(([body, sep]) => {
  let pan = '';
  for (let d = 0; d <= 9 && pan === ''; d++) if (luhnValid(body + d)) pan = body + d;
  return sep === '' ? pan : pan.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
});

const digitsOf = (s: string) => s.replace(/\D/g, '');

describe('maskValue', () => {
  it.each([
    ['EMAIL_ADDRESS', 'john@example.org', 'j***@e*****.org'],
    ['EMAIL_ADDRESS', 'a@b.co', 'a***@b*****.co'],
    ['PHONE_NUMBER', '(415) 555-0132', '(***) ***-**32'],
    ['PHONE_NUMBER', '+86 138 1234 5678', '+** *** **** **78'],
    ['CREDIT_CARD', '4111 1111 1111 1111', '**** **** **** 1111'],
    ['CREDIT_CARD', '378282246310005', '**** **** **** 0005'],
    ['IBAN_CODE', 'DE89 3704 0044 0532 0130 00', 'DE** **** **** **** **30 00'],
    ['IBAN_CODE', 'de89370400440532013000', 'DE** **** **** **** **30 00'],
    ['IP_ADDRESS', '192.168.10.20', '192.168.*.*'],
    ['IP_ADDRESS', '10.1.2.0/24', '10.1.*.*/24'],
    ['IP_ADDRESS', '2001:db8::8a2e:370:7334', '2001:db8:*:*:*:*:*:*'],
    ['IP_ADDRESS', '::ffff:192.0.2.1', '::ffff:192.0.*.*'],
    ['US_SSN', '123-45-6789', '***-**-6789'],
    ['US_SSN', '536228726', '***-**-8726'],
    ['CN_RESIDENT_ID', '11010519491231002X', '110105********002X'],
    ['MAC_ADDRESS', 'a4:83:e7:0b:7c:11', 'a4:83:e7:**:**:**'],
    ['DATE_OF_BIRTH', '1985-03-12', '1985-**-**'],
    ['DATE_OF_BIRTH', '12.03.1985', '**.**.1985'],
    ['DATE_OF_BIRTH', '19850312', '1985****'],
    ['PERSON', 'Ada Lovelace', 'A*** L***'],
    ['PERSON', '张伟', '张***'],
  ] as const)('%s %s → %s', (type, raw, masked) => {
    expect(maskValue(type, raw)).toBe(masked);
  });

  it('replaces values it cannot read, or that would survive their mask, entirely', () => {
    expect(maskValue('PERSON', 'A')).toBe('***');
    expect(maskValue('CREDIT_CARD', '1234')).toBe('***');
    expect(maskValue('IP_ADDRESS', 'not an ip')).toBe('***');
    expect(maskValue('EMAIL_ADDRESS', '*')).toBe('[masked]');
    expect(maskValue('US_SSN', '   ')).toBe('');
  });

  it('never contains the raw value, for any type and any input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENTITY_TYPES), fc.string({ minLength: 1, maxLength: 40 }), (type, raw) => {
        fc.pre(raw.trim().length > 0);
        const masked = maskValue(type, raw);
        expect(masked.includes(raw)).toBe(false);
        expect(masked.includes(raw.trim())).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never contains the raw value of realistic inputs either', () => {
    const realistic = fc.oneof(
      fc.emailAddress().map((v) => ['EMAIL_ADDRESS', v] as const),
      fc.ipV4().map((v) => ['IP_ADDRESS', v] as const),
      fc.ipV6().map((v) => ['IP_ADDRESS', v] as const),
      cardArb.map((v) => ['CREDIT_CARD', v] as const),
      fc.stringMatching(/^[1-8]\d{16}[\dX]$/).map((v) => ['CN_RESIDENT_ID', v] as const),
      fc.stringMatching(/^\d{3}-\d{2}-\d{4}$/).map((v) => ['US_SSN', v] as const),
      fc.stringMatching(/^\+\d{8,14}$/).map((v) => ['PHONE_NUMBER', v] as const),
      fc.stringMatching(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/).map((v) => ['MAC_ADDRESS', v] as const),
      fc.stringMatching(/^[A-Z][a-z]{0,8} [A-Z][a-z]{0,10}$/).map((v) => ['PERSON', v] as const),
    );
    fc.assert(
      fc.property(realistic, ([type, raw]) => {
        expect(maskValue(type, raw).includes(raw)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('shows at most the last four digits of a card number', () => {
    fc.assert(
      fc.property(cardArb, (pan) => {
        const shown = digitsOf(maskValue('CREDIT_CARD', pan));
        expect(shown.length).toBeLessThanOrEqual(4);
        expect(digitsOf(pan).endsWith(shown)).toBe(true);
      }),
    );
  });

  it('shows at most the last four digits of an SSN and the last two of a phone number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{3}[- ]?\d{2}[- ]?\d{4}$/), (ssn) => {
        const shown = digitsOf(maskValue('US_SSN', ssn));
        expect(shown).toBe(digitsOf(ssn).slice(-4));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\+?\d{1,4}([ -]?\d{2,4}){2,4}$/), (phone) => {
        fc.pre(digitsOf(phone).length >= 7);
        const shown = digitsOf(maskValue('PHONE_NUMBER', phone));
        expect(shown).toBe(digitsOf(phone).slice(-2));
      }),
    );
  });

  it('keeps only the first character of an e-mail local part and hides lengths', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskValue('EMAIL_ADDRESS', email);
        const local = email.slice(0, email.lastIndexOf('@'));
        expect(masked.startsWith(`${local[0]}***@`)).toBe(true);
        expect(masked).toMatch(/^.\*\*\*@.\*\*\*\*\*\.[^.]+$/);
      }),
    );
  });
});
