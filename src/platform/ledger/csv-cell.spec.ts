import { parse } from 'csv-parse/sync';
import { csvRecords, escapeCsvFormula, unescapeCsvFormula } from './csv-cell';

describe(escapeCsvFormula.name, () => {
  it.each([
    ['=', "=cmd|' /C calc'!A0"],
    ['+', '+1'],
    ['-', '-2'],
    ['@', '@SUM(1)'],
    ['tab', '\tx'],
    ['carriage return', '\r=1+1'],
    ['full-width =', '\uFF1D1+1'],
    ['full-width +', '\uFF0B1'],
    ['full-width -', '\uFF0D1'],
    ['full-width @', '\uFF20SUM(1)'],
    ['a lone trigger', '='],
  ])('prefixes a cell beginning with %s with a single quote', (_, value) => {
    expect(escapeCsvFormula(value)).toBe(`'${value}`);
  });

  it.each([
    ['empty', ''],
    ['digits', '12'],
    ['a timestamp', '2025-01-31T12:00:00.000Z'],
    ['JSON', '{"a":"=1"}'],
    ['a trigger after the first character', 'a=1+2'],
    ['a leading space', ' =1'],
    ['a leading newline', '\n=1'],
    ['hex', '0a1b'],
    ['a digest', `sha256:${'0'.repeat(64)}`],
    ['a look-alike that is not full-width', '\u2212minus'],
  ])('leaves %s untouched', (_, value) => {
    expect(escapeCsvFormula(value)).toBe(value);
  });

  it('doubles a leading quote, so that removing one quote always restores the value', () => {
    expect(escapeCsvFormula("'=1")).toBe("''=1");
    expect(escapeCsvFormula("'plain")).toBe("''plain");
    for (const value of ['', 'x', '=1', "'", "''=", "'plain", '\t', '\uFF20a', '-']) {
      expect(unescapeCsvFormula(escapeCsvFormula(value))).toBe(value);
    }
  });

  it('is then quoted per RFC 4180 (csvRecords), and csv-parse reads the escaped values back', () => {
    const values = ['a,b', 'say "hi"', 'line\nbreak', 'cr\rinside', '=1,2', '\r\n=x', '"=1"', 'plain', ''];
    const text = csvRecords([values, ['-1', '2']]);
    expect(text).toBe(`"a,b","say ""hi""","line\nbreak","cr\rinside","'=1,2","'\r\n=x","""=1""",plain,\r\n'-1,2\r\n`);
    const rows = parse(text, { relax_column_count: true }) as string[][];
    expect(rows).toEqual([values.map(escapeCsvFormula), ["'-1", '2']]);
    expect(rows[0]!.map(unescapeCsvFormula)).toEqual(values);
  });
});
