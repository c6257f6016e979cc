import fc from 'fast-check';
import {
  cnLegacyResidentIdApplies,
  cnResidentIdApplies,
  findCnResidentIds,
  findLegacyCnResidentIds,
} from './cn-resident-id.recognizer';
import { isBirthDateLike } from './date-of-birth';
import { emailApplies, findEmails } from './email.recognizer';
import { type EntityType, type Finding } from './entity-types';
import { findIbans, ibanApplies } from './iban.recognizer';
import { findIpAddresses, ipAddressApplies } from './ip-address.recognizer';
import { findMacAddresses, macAddressApplies } from './mac-address.recognizer';
import { isEmailMaskOf, maskValue } from './mask';
import { findPaymentCards, paymentCardApplies } from './payment-card.recognizer';
import { findPhoneNumbers, phoneNumberApplies } from './phone-number.recognizer';
import { anyRecognizerApplies, readsClock, recognizeValue } from './recognize-value';
import { profileText } from './text-profile';
import { findUsSsns, usSsnApplies } from './us-ssn.recognizer';

/**
 * The pre-checks and whole-cell fast paths exist for speed only: a pre-check that says "cannot
 * match" must be right every time, and a fast path must give what the general search gives.
 */

const NOW = new Date('2024-06-15T00:00:00Z');
const RUNS = { numRuns: 3000 };

const soup = (alphabet: string, maxLength = 32) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));

/** Text made of the pieces recognisers look for, glued in every order. */
const text = fc.oneof(
  soup('0123456789 +()./-'),
  soup('0123456789 -.X'),
  soup('aZ09._-+@:'),
  soup('DEGBde0123456789 -'),
  soup('0123456789abcdefABCDEF:-.%/'),
  fc
    .array(
      fc.oneof(
        digits(1, 20),
        fc.constantFrom(' ', '-', '.', '/', '(', ')', '+', '+ ', '\u00A0', ',', ':', '@', 'X', 'x', '年', '月', '日', 'é', '\u3000'),
        fc.constantFrom('DE', 'GB', 'de', 'ab', 'Ada', 'user', 'example', 'org', 'xn--p1ai', 'tel', 'ssn', '::', 'fe80'),
        fc.constantFrom('DE89 3704 0044 0532 0130 00', '4111 1111 1111 1111', '+49 30 1234567', '(415) 555-0132'),
        fc.constantFrom('a@b.com', '536-22-8726', '536 22 8726', '536228726', '53622-8726', '536-228726'),
        fc.constantFrom('11010519491231002X', '110105 19491231 002X', '110105491231002', '1985-03-12', '::1'),
        fc.constantFrom('00:1a:2b:3c:4d:5e', '001a.2b3c.4d5e', '192.168.0.1', '4111111111111111', '0049 30 1234567'),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
);

const CONTEXTS: ReadonlySet<EntityType>[] = [
  new Set(),
  new Set(['DATE_OF_BIRTH']),
  new Set(['PERSON']),
  new Set(['CN_RESIDENT_ID']),
  new Set(['US_SSN', 'PHONE_NUMBER']),
];

function found(run: (out: Finding[]) => void): Finding[] {
  const out: Finding[] = [];
  run(out);
  return out;
}

describe('pre-checks are necessary conditions', () => {
  it('a recogniser whose pre-check fails finds nothing and reports no checksum', () => {
    fc.assert(
      fc.property(text, (t) => {
        const p = profileText(t);
        const tallies: string[] = [];
        const tally = (e: EntityType) => tallies.push(e);
        if (!emailApplies(p)) expect(found((o) => findEmails(t, o))).toEqual([]);
        if (!ibanApplies(p)) expect(found((o) => findIbans(t, o, tally))).toEqual([]);
        if (!cnResidentIdApplies(p, t)) expect(found((o) => findCnResidentIds(t, o, { tally, now: NOW }))).toEqual([]);
        if (!cnLegacyResidentIdApplies(p)) expect(found((o) => findLegacyCnResidentIds(t, o, NOW))).toEqual([]);
        if (!paymentCardApplies(p)) expect(found((o) => findPaymentCards(t, o, tally))).toEqual([]);
        if (!usSsnApplies(p, t)) expect(found((o) => findUsSsns(t, o))).toEqual([]);
        if (!phoneNumberApplies(p)) expect(found((o) => findPhoneNumbers(t, o))).toEqual([]);
        if (!ipAddressApplies(p)) expect(found((o) => findIpAddresses(t, o))).toEqual([]);
        if (!macAddressApplies(p)) expect(found((o) => findMacAddresses(t, o))).toEqual([]);
        expect(tallies).toEqual([]);
      }),
      RUNS,
    );
  });

  it('when no recogniser applies, recognition finds nothing; when it does not read the clock, "today" does not matter', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...CONTEXTS), (t, context) => {
        const p = profileText(t);
        const at = (now: Date) => {
          const tallies: string[] = [];
          const findings = recognizeValue(t, { context, now, tally: (e, ok) => tallies.push(`${e}:${ok}`) });
          return { findings, tallies };
        };
        if (!anyRecognizerApplies(p, context)) expect(at(NOW)).toEqual({ findings: [], tallies: [] });
        if (!readsClock(p, t, context)) expect(at(new Date('1901-01-01T00:00:00Z'))).toEqual(at(NOW));
      }),
      RUNS,
    );
  });
});

describe('whole-cell fast paths give what the search gives', () => {
  it('e-mail addresses', () => {
    const address = fc
      .tuple(soup('ab1.-_+\'', 12), soup('ab1.-', 16), fc.constantFrom('org', 'c', 'de1', 'xn--p1ai', 'xn--', 'museum', ''))
      .map(([local, host, tld]) => `${local}@${host}.${tld}`);
    fc.assert(
      fc.property(fc.oneof(address, text, fc.emailAddress()), (t) => {
        expect(found((o) => findEmails(t, o, profileText(t)))).toEqual(found((o) => findEmails(t, o)));
      }),
      RUNS,
    );
  });

  it('phone numbers', () => {
    const number = fc.oneof(
      soup('0123456789 ()-+./', 30),
      fc.tuple(fc.constantFrom('+', '+ ', '', '00'), soup('0123456789 -', 22)).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.oneof(number, text), (t) => {
        expect(found((o) => findPhoneNumbers(t, o, profileText(t)))).toEqual(found((o) => findPhoneNumbers(t, o)));
      }),
      RUNS,
    );
  });

  it('e-mail masks recognised without building them', () => {
    const span = fc.oneof(
      fc.emailAddress(),
      fc.tuple(soup('ab*@. \u00A0', 6), soup('ab.*@', 8), soup('ab.', 4)).map(([a, b, c]) => `${a}@${b}.${c}`),
      soup('ab@.* ', 14),
    );
    let recognised = 0;
    fc.assert(
      fc.property(span, span, (a, b) => {
        const masked = maskValue('EMAIL_ADDRESS', b);
        if (isEmailMaskOf(masked, a)) {
          recognised++;
          expect(maskValue('EMAIL_ADDRESS', a)).toBe(masked);
        }
        if (isEmailMaskOf(maskValue('EMAIL_ADDRESS', a), a)) recognised++;
      }),
      RUNS,
    );
    expect(recognised).toBeGreaterThan(RUNS.numRuns / 10); // not vacuous
  });

  it('dates written year first', () => {
    const date = fc
      .tuple(digits(4, 4), fc.constantFrom('-', '/', '.', ''), digits(1, 2), fc.constantFrom('-', '/', '.'), digits(1, 3))
      .map(([y, a, m, b, d]) => `${y}${a}${m}${b}${d}`);
    const reference = (v: string): boolean => {
      const m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(v);
      if (m === null) return isBirthDateLike(v, NOW); // not this form: nothing to compare
      const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
      const t = Date.UTC(year, month - 1, day);
      const real = new Date(t).getUTCMonth() === month - 1 && new Date(t).getUTCDate() === day;
      return year >= 1880 && real && t <= NOW.getTime() + 86_400_000;
    };
    fc.assert(
      fc.property(date, (v) => expect(isBirthDateLike(v, NOW)).toBe(reference(v))),
      RUNS,
    );
  });
});
