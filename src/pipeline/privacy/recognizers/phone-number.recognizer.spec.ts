import { isNanpNumber } from './phone-number.recognizer';
import { recognizeValue } from './recognize-value';

const phones = (text: string) =>
  recognizeValue(text)
    .filter((f) => f.entity === 'PHONE_NUMBER')
    .map((f) => text.slice(f.start, f.end));

describe('phone numbers', () => {
  it('finds US national formats and E.164 numbers', () => {
    const text = 'call (415) 555-0132, 415-555-0132, 415.555.0132, 1-415-555-0132 or +1 415 555 0132 / +14155550132';
    expect(phones(text)).toEqual([
      '(415) 555-0132',
      '415-555-0132',
      '415.555.0132',
      '1-415-555-0132',
      '+1 415 555 0132',
      '+14155550132',
    ]);
  });

  it('applies NANP rules to national numbers', () => {
    expect(isNanpNumber('4155550132')).toBe(true);
    for (const bad of [
      '1155550132',
      '0155550132',
      '4955550132',
      '4115550132',
      '4151550132',
      '4155110132',
      '2222222222',
    ]) {
      expect(isNanpNumber(bad)).toBe(false);
    }
    expect(phones('(123) 456-7890')).toEqual([]);
  });

  it('finds Chinese mobile numbers, bare, grouped, with +86 or 86', () => {
    expect(phones('手机13812345678，或 +86 138 1234 5678，或 86-138-1234-5678')).toEqual([
      '13812345678',
      '+86 138 1234 5678',
      '86-138-1234-5678',
    ]);
    // 12x is not a mobile block (and 1-291-… is not NANP: an NPA's middle digit is never 9).
    expect(phones('12912345678')).toEqual([]);
  });

  it('finds other national formats only when written like a phone number', () => {
    expect(phones('IL 09-7625400, JP 090-1234-5678, DE 030 1234567')).toEqual([
      '09-7625400',
      '090-1234-5678',
      '030 1234567',
    ]);
    expect(phones('0307625400')).toEqual([]); // bare, and not NANP / CN
  });

  it('does not read dates, decimals, amounts, dotted quads, SSN layouts or glued digits as phones', () => {
    for (const text of [
      '2023-01-15',
      '15.01.2023',
      '01/15/2023',
      '3.1415926535',
      '1,234,567,890',
      '192.168.100.200',
      '536-22-8726',
      'is415-555-0132',
      'ab4155550132',
    ]) {
      expect(phones(text)).toEqual([]);
    }
  });

  it('splits blank-separated lists of numbers', () => {
    expect(phones('415-555-0132 415-555-0199')).toEqual(['415-555-0132', '415-555-0199']);
    expect(phones('415-555-0132 415-555-0199 212-555-0100 +1 646 555 0123')).toEqual([
      '415-555-0132',
      '415-555-0199',
      '212-555-0100',
      '+1 646 555 0123',
    ]);
  });

  it('does not read the digit groups after an alphanumeric code as a phone number', () => {
    expect(phones('BA39 1290 0794 0102 8495')).toEqual([]); // a mistyped IBAN
    expect(phones('ref A7 0794 0102 8495')).toEqual([]);
  });

  it('scores bare ten-digit numbers weakly and formatted or international ones higher', () => {
    const score = (t: string) => recognizeValue(t).find((f) => f.entity === 'PHONE_NUMBER')?.score;
    expect(score('4155550132')).toBe(0.3);
    expect(score('phone: 4155550132')).toBeCloseTo(0.65);
    expect(score('(415) 555-0132')).toBe(0.65);
    expect(score('+44 20 7123 4567')).toBe(0.75);
  });
});
