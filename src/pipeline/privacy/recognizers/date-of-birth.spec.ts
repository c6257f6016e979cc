import { isBirthDateLike } from './date-of-birth';

const NOW = new Date('2024-06-15T00:00:00Z');

describe('birth-date values', () => {
  it.each([
    '1985-03-12',
    '1985-03-12T00:00:00Z',
    '1985-03-12 00:00:00',
    '19850312',
    '1985/3/12',
    '12.03.1985',
    '03/12/1985',
    '31/12/1985',
    '12-03-85',
    '1985年3月12日',
    '12 March 1985',
    'Mar 12, 1985',
    '12-Mar-1985',
    '2024-06-15',
  ])('accepts %s', (v) => {
    expect(isBirthDateLike(v, NOW)).toBe(true);
  });

  it.each([
    '1985-02-30',
    '1900-02-29',
    '2099-01-01',
    '2024-06-17',
    '1850-01-01',
    '1985-13-01',
    '32/01/1985',
    '12345678',
    '1985',
    'yesterday',
    '12 Foo 1985',
    '',
  ])('rejects %s', (v) => {
    expect(isBirthDateLike(v, NOW)).toBe(false);
  });

  it('reads two-digit years as the latest past century', () => {
    expect(isBirthDateLike('01/02/23', NOW)).toBe(true); // 2023
    expect(isBirthDateLike('01/02/99', NOW)).toBe(true); // 1999
  });
});
