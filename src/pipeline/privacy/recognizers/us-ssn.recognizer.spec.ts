import { ColumnPiiScanner } from './column-pii-scanner';
import { recognizeValue } from './recognize-value';
import { isValidSsnDigits } from './us-ssn.recognizer';

const ssns = (text: string) => recognizeValue(text).filter((f) => f.entity === 'US_SSN');

describe('US SSN (SSA rules)', () => {
  it('accepts AAA-GG-SSSS with one delimiter, at the medium score', () => {
    for (const text of ['536-22-8726', '536 22 8726', '536.22.8726']) {
      expect(ssns(text)).toEqual([{ entity: 'US_SSN', start: 0, end: 11, score: 0.55 }]);
    }
    expect(ssns('536-22.8726')).toEqual([]);
    expect(ssns('536-22-87261')).toEqual([]);
    expect(ssns('1536-22-8726')).toEqual([]);
    expect(ssns('x-536-22-8726')).toEqual([]);
  });

  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['900-12-3456', 'area 900 (ITIN range)'],
    ['999-12-3456', 'area 999'],
    ['536-00-8726', 'group 00'],
    ['536-22-0000', 'serial 0000'],
    ['078-05-1120', 'Woolworth wallet insert'],
    ['219-09-9999', 'SSA pamphlet sample'],
    ['457-55-5462', 'LifeLock advertisement'],
    ['123-45-6789', 'placeholder'],
    ['111-11-1111', 'one digit repeated'],
  ])('rejects %s (%s)', (ssn) => {
    expect(isValidSsnDigits(ssn.replace(/-/g, ''))).toBe(false);
    expect(ssns(ssn)).toEqual([]);
    expect(ssns(ssn.replace(/-/g, ''))).toEqual([]);
  });

  it('accepts the edges of the valid ranges', () => {
    for (const ok of ['001-01-0001', '665-99-9999', '667-01-0001', '899-99-9999'])
      expect(isValidSsnDigits(ok.replace(/-/g, ''))).toBe(true);
  });

  it('scores undelimited and half-delimited numbers as very weak unless an SSN word precedes them', () => {
    expect(ssns('536228726').map((f) => f.score)).toEqual([0.05]);
    expect(ssns('536-228726 53622-8726').map((f) => f.score)).toEqual([0.05, 0.05]);
    expect(ssns('SSN: 536228726').map((f) => f.score)).toEqual([0.4]);
    expect(ssns('social security number 536228726').map((f) => f.score)).toEqual([0.4]);
    expect(ssns('order 1536228726')).toEqual([]);
  });

  it('counts undelimited nine-digit values only in a column named for SSNs', () => {
    const values = ['536228726', '412345678', '287654321', '601234567'];
    const ids = new ColumnPiiScanner('order_id');
    const ssnColumn = new ColumnPiiScanner('SSN');
    for (const v of values) {
      ids.add(v);
      ssnColumn.add(v);
    }
    expect(ids.result().find((r) => r.entityType === 'US_SSN')).toBeUndefined();
    const found = ssnColumn.result().find((r) => r.entityType === 'US_SSN');
    expect(found).toMatchObject({
      matchingValues: 4,
      share: 1,
      nameContext: true,
      maskedExamples: ['***-**-8726', '***-**-5678', '***-**-4321'],
    });
    expect(found!.confidence).toBeGreaterThan(0.5);
  });
});
