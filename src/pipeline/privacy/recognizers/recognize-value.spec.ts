import { recognizeValue } from './recognize-value';

const summary = (text: string) => recognizeValue(text).map((f) => [f.entity, text.slice(f.start, f.end)]);

describe('recognizeValue', () => {
  it('returns spans in order, each with its entity and score', () => {
    const text =
      'Mail ada@example.org or call +44 20 7123 4567; IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111.';
    expect(summary(text)).toEqual([
      ['EMAIL_ADDRESS', 'ada@example.org'],
      ['PHONE_NUMBER', '+44 20 7123 4567'],
      ['IBAN_CODE', 'GB82 WEST 1234 5698 7654 32'],
      ['CREDIT_CARD', '4111 1111 1111 1111'],
    ]);
  });

  it('drops spans strictly inside a better span of another type, and duplicates of one type', () => {
    // The BBAN's digit groups are not also a card number or a phone number.
    expect(summary('DE89 3704 0044 0532 0130 00')).toEqual([['IBAN_CODE', 'DE89 3704 0044 0532 0130 00']]);
    // The embedded dotted quad is part of the one IPv6 address.
    expect(summary('::ffff:192.0.2.1')).toEqual([['IP_ADDRESS', '::ffff:192.0.2.1']]);
    // Digits in an e-mail's local part are not a phone number.
    expect(summary('4155550132@example.com')).toEqual([['EMAIL_ADDRESS', '4155550132@example.com']]);
  });

  it('keeps equally placed findings of different types: the value is ambiguous', () => {
    expect(summary('078-051121')).toEqual([
      ['PHONE_NUMBER', '078-051121'],
      ['US_SSN', '078-051121'],
    ]);
  });

  it('does not look into plain quantities', () => {
    expect(recognizeValue('4155550132.5')).toEqual([]);
    expect(recognizeValue('-536228726')).toEqual([]);
    expect(summary('+14155550132')).toEqual([['PHONE_NUMBER', '+14155550132']]);
  });

  it('needs column context for dates of birth, names and 15-digit resident ids', () => {
    expect(recognizeValue('Ada Lovelace')).toEqual([]);
    expect(recognizeValue('1985-03-12')).toEqual([]);
    expect(recognizeValue(' Ada Lovelace ', { context: new Set(['PERSON']) })).toEqual([
      { entity: 'PERSON', start: 1, end: 13, score: 0.6 },
    ]);
    expect(recognizeValue('1985-03-12', { context: new Set(['DATE_OF_BIRTH']) })).toEqual([
      { entity: 'DATE_OF_BIRTH', start: 0, end: 10, score: 0.7 },
    ]);
  });

  it('stays correct (and linear) on long free-text values', () => {
    const phones = '415-555-0132 '.repeat(5000);
    expect(recognizeValue(phones).filter((f) => f.entity === 'PHONE_NUMBER')).toHaveLength(5000);
    const emails = 'user@example.com, '.repeat(5000);
    expect(recognizeValue(emails)).toHaveLength(5000);
    expect(recognizeValue('1 '.repeat(50_000))).toEqual([]);
    expect(recognizeValue(':'.repeat(100_000))).toEqual([]);
    expect(recognizeValue('a@'.repeat(50_000))).toEqual([]);
  });
});
