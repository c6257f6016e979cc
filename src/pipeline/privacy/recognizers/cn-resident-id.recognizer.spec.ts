import { ColumnPiiScanner } from './column-pii-scanner';
import { cnIdCheckCharacter, isPlausibleLegacyCnResidentId, isValidCnResidentId } from './cn-resident-id.recognizer';
import { maskValue } from './mask';
import { recognizeValue } from './recognize-value';

/**
 * GB 11643-1999 §8.2, written out independently of the implementation: with a_i the character at
 * position i counted from the right (the check character is a_1) and W_i = 2^(i-1) mod 11, the
 * check character makes Σ a_i·W_i ≡ 1 (mod 11); the value 10 is written "X".
 */
function gb11643(region: string, birth: string, sequence: string): string {
  const body = `${region}${birth}${sequence}`;
  expect(body).toMatch(/^\d{17}$/);
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(body[k]) * (2 ** (17 - k) % 11);
  const a1 = (12 - (sum % 11)) % 11;
  return body + (a1 === 10 ? 'X' : String(a1));
}

const NOW = new Date('2024-06-15T12:00:00Z');
const cnIds = (text: string, context?: Set<'CN_RESIDENT_ID'>) =>
  recognizeValue(text, { now: NOW, context }).filter((f) => f.entity === 'CN_RESIDENT_ID');

describe('CN resident identity number (GB 11643-1999)', () => {
  it('accepts the well-known sample 11010519491231002X', () => {
    expect(isValidCnResidentId('11010519491231002X', { now: NOW })).toBe(true);
    expect(cnIds('11010519491231002X')).toEqual([{ entity: 'CN_RESIDENT_ID', start: 0, end: 18, score: 0.95 }]);
  });

  it.each([
    ['440305', '19900307', '123'], // Shenzhen Nanshan
    ['310115', '20000229', '456'], // Shanghai Pudong, a leap day
    ['650102', '19800101', '001'], // Urumqi Tianshan
    ['810000', '19971201', '018'], // Hong Kong residence permit
    ['542621', '19620815', '999'], // Nyingchi, Tibet
  ])('accepts computed ids for region %s, born %s, sequence %s', (region, birth, seq) => {
    const id = gb11643(region, birth, seq);
    expect(cnIdCheckCharacter(id.slice(0, 17))).toBe(id[17]);
    expect(isValidCnResidentId(id, { now: NOW })).toBe(true);
    expect(cnIds(`公民身份号码：${id}。`)).toHaveLength(1);
  });

  it('computes an X check character and accepts it in lower case', () => {
    // Search a sequence whose check character is X so the X branch is exercised on computed data.
    const id = Array.from({ length: 1000 }, (_, s) => gb11643('320102', '19751024', String(s).padStart(3, '0'))).find(
      (x) => x.endsWith('X'),
    )!;
    expect(isValidCnResidentId(id, { now: NOW })).toBe(true);
    expect(isValidCnResidentId(id.toLowerCase(), { now: NOW })).toBe(true);
  });

  it('rejects every wrong check character', () => {
    const id = gb11643('440305', '19900307', '123');
    for (const c of '0123456789X') {
      if (c === id[17]) continue;
      expect(isValidCnResidentId(id.slice(0, 17) + c, { now: NOW })).toBe(false);
    }
    expect(isValidCnResidentId('11010519491231002Y', { now: NOW })).toBe(false);
    expect(cnIds('110105194912310021')).toEqual([]);
  });

  it('rejects dates that are not calendar days even when the checksum is right', () => {
    for (const birth of ['19900230', '19000229', '20010229', '19901301', '19900431', '19900000']) {
      const id = gb11643('440305', birth, '123');
      expect(isValidCnResidentId(id, { now: NOW })).toBe(false);
    }
  });

  it('rejects birth dates in the future and before 1850', () => {
    expect(isValidCnResidentId(gb11643('440305', '20991231', '123'), { now: NOW })).toBe(false);
    expect(isValidCnResidentId(gb11643('440305', '20240720', '123'), { now: NOW })).toBe(false);
    expect(isValidCnResidentId(gb11643('440305', '20240614', '123'), { now: NOW })).toBe(true);
    expect(isValidCnResidentId(gb11643('440305', '18491231', '123'), { now: NOW })).toBe(false);
  });

  it('rejects implausible division codes', () => {
    for (const region of ['000000', '990000', '910000', '160000', '720000', '840000']) {
      expect(isValidCnResidentId(gb11643(region, '19900307', '123'), { now: NOW })).toBe(false);
    }
  });

  it('finds ids in text, and in the 6-8-4 spaced form, but not inside longer digit runs', () => {
    const id = gb11643('440305', '19900307', '123');
    const text = `身份证 ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)} 已核验`;
    expect(cnIds(text)).toEqual([{ entity: 'CN_RESIDENT_ID', start: 4, end: 24, score: 0.95 }]);
    expect(cnIds(`9${id}`)).toEqual([]);
    expect(cnIds(`${id}7`)).toEqual([]);
    expect(cnIds(`ab-${id}`)).toEqual([]);
  });

  describe('legacy 15-digit numbers (GB 11643-1989, no check digit, withdrawn 2013)', () => {
    // Decision: without a check digit any 15-digit number with a date in the middle fits, so they
    // count only where the column name says the column holds resident ids.
    it('are not recognised in free text', () => {
      expect(isPlausibleLegacyCnResidentId('110105491231002', NOW)).toBe(true);
      expect(cnIds('110105491231002')).toEqual([]);
    });

    it('are recognised, with a lower score, under resident-id column context', () => {
      expect(cnIds('110105491231002', new Set(['CN_RESIDENT_ID']))).toEqual([
        { entity: 'CN_RESIDENT_ID', start: 0, end: 15, score: 0.5 },
      ]);
      expect(cnIds('110105490230002', new Set(['CN_RESIDENT_ID']))).toEqual([]); // 30 February 1949
      expect(cnIds('990105491231002', new Set(['CN_RESIDENT_ID']))).toEqual([]); // no province 99
    });

    it('show up in a 身份证号 column scan, masked', () => {
      const scanner = new ColumnPiiScanner('身份证号', { now: NOW });
      scanner.add('110105491231002');
      scanner.add(gb11643('440305', '19900307', '123'));
      const [finding] = scanner.result();
      expect(finding).toMatchObject({ entityType: 'CN_RESIDENT_ID', matchingValues: 2, nameContext: true });
      expect(finding?.maskedExamples).toEqual([
        '110105*****1002',
        '440305********' + gb11643('440305', '19900307', '123').slice(14),
      ]);
    });
  });

  it('masks as division code + ******** + last four', () => {
    expect(maskValue('CN_RESIDENT_ID', '11010519491231002X')).toBe('110105********002X');
  });
});
