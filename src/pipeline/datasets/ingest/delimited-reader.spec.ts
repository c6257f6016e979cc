import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { DelimitedReader, detectLineBreak, type RawRecord, type ReaderOptions } from './delimited-reader';
import { IngestError } from './ingest.error';

const defaults: ReaderOptions = { delimiter: ',', lineBreak: '\n', trim: true, maxRecordChars: 1 << 20, maxFields: 2000, firstLine: 1 };

/** Feeds `text` in pieces cut at `cuts` and returns every record. */
function read(text: string, options: Partial<ReaderOptions> = {}, cuts: number[] = []): RawRecord[] {
  const reader = new DelimitedReader({ ...defaults, ...options });
  const records: RawRecord[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    records.push(...reader.push(text.slice(start, cut), false));
    start = Math.max(start, cut);
  }
  records.push(...reader.push(text.slice(start), true));
  return records;
}

const fields = (text: string, options: Partial<ReaderOptions> = {}, cuts: number[] = []) => read(text, options, cuts).map((r) => r.fields);

function failure(run: () => unknown): IngestError {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected an IngestError');
}

describe(DelimitedReader.name, () => {
  it('splits plain lines, trims blanks around fields and skips blank lines', () => {
    expect(fields('a, b ,c\n\n  \n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('keeps blanks when trim is off', () => {
    expect(fields('a, b \n', { trim: false })).toEqual([['a', ' b ']]);
  });

  it('handles CRLF, and a CR alone inside an LF file as data', () => {
    expect(fields('a,b\r\n1,2\r\n3,x\ry\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', 'x\ry'],
    ]);
  });

  it('reads classic-Mac CR-only files', () => {
    expect(fields('a,b\r1,2\r', { lineBreak: '\r' })).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted delimiters, quoted newlines and doubled quotes', () => {
    const records = read('id,text\n1,"a, b"\n2,"line one\nline two"\n3,"say ""hi"""\n4,""\n5,"x"\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'text'],
      ['1', 'a, b'],
      ['2', 'line one\nline two'],
      ['3', 'say "hi"'],
      ['4', ''],
      ['5', 'x'],
    ]);
    // A record spanning two physical lines pushes the next record's line number by two.
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 7]);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(fields('height,name\n5\'10",bob\n')).toEqual([
      ['height', 'name'],
      ['5\'10"', 'bob'],
    ]);
  });

  it('allows blanks around a quoted field when trimming', () => {
    expect(fields('a,  "b c"  ,d\n')).toEqual([['a', 'b c', 'd']]);
  });

  it('rejects text after a closing quote, naming the line', () => {
    const error = failure(() => read('a,b\n1,"x"y\n'));
    expect(error.code).toBe('DATASET_MALFORMED');
    expect(error.details.line).toBe(2);
  });

  it('reports an unterminated quote with the line where it opened', () => {
    const error = failure(() => read('a,b\n1,2\n3,"never\ncloses\n4,5\n'));
    expect(error.code).toBe('DATASET_UNTERMINATED_QUOTE');
    expect(error.details.line).toBe(3);
  });

  it('splits runs of spaces and tabs in whitespace mode, quotes allowed', () => {
    expect(fields('  A11  6\tA34 \n A12 48 "two words"\n', { delimiter: 'whitespace' })).toEqual([
      ['A11', '6', 'A34'],
      ['A12', '48', 'two words'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c,\n,,,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ]);
  });

  it('fails a record over maxRecordChars as soon as the unfinished part is too long', () => {
    const reader = new DelimitedReader({ ...defaults, maxRecordChars: 100 });
    expect(reader.push('a,b\n', false)).toHaveLength(1);
    reader.push('x'.repeat(60), false);
    const error = failure(() => reader.push('x'.repeat(60), false));
    expect(error.code).toBe('DATASET_RECORD_TOO_LARGE');
    expect(error.details).toMatchObject({ line: 2, limit: 100 });
  });

  it('says where an open quote began when its record grows too large', () => {
    const reader = new DelimitedReader({ ...defaults, maxRecordChars: 100 });
    reader.push('a,b\n1,"open\n', false);
    const error = failure(() => reader.push('y'.repeat(200), false));
    expect(error.code).toBe('DATASET_RECORD_TOO_LARGE');
    expect(error.details).toMatchObject({ line: 2, quoteLine: 2 });
  });

  it('counts fields past maxFields without keeping them', () => {
    const [plain] = read('1,2,3,4,5,6\n', { maxFields: 3 });
    expect(plain).toMatchObject({ fieldCount: 6, fields: ['1', '2', '3', '4'] });
    const [quoted] = read('"1",2,3,4,5,6\n', { maxFields: 3 });
    expect(quoted!.fieldCount).toBe(6);
    expect(quoted!.fields).toHaveLength(4);
    const [spaced] = read('1 2 3 4 5 6\n', { maxFields: 3, delimiter: 'whitespace' });
    expect(spaced!.fieldCount).toBe(6);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = 'id,"quoted, field"\r\n1,"multi\r\nline ""x"""\r\n\r\n2 , plain \r\n3,"end"';
    const whole = read(text);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 8 }), (cuts) => {
        expect(read(text, {}, cuts)).toEqual(whole);
      }),
    );
  });

  describe('agrees with csv-parse', () => {
    const alphabet = fc.constantFrom('a', 'b', 'Z', '1', '.', '-', ' ', ',', ';', '"', '\n', '\r\n', '\t', 'é', '€', '𝄞');
    const value = fc.array(alphabet, { maxLength: 6 }).map((parts) => parts.join(''));
    const table = fc.integer({ min: 2, max: 5 }).chain((width) => fc.array(fc.array(value, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

    const serialize = (rows: string[][], delimiter: string, eol: string) =>
      rows
        .map((row) => row.map((v) => (/[",;\r\n]|^\s|\s$/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v)).join(delimiter))
        .join(eol) + eol;

    it.each([
      [',', '\n', true],
      [';', '\r\n', true],
      ['\t', '\n', false],
      ['|', '\r\n', false],
    ])('delimiter %j, line break %j, trim %s', (delimiter, eol, trim) => {
      fc.assert(
        fc.property(table, fc.array(fc.nat(), { maxLength: 5 }), (rows, cuts) => {
          const text = serialize(rows, delimiter, eol);
          const expected = csvParse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim }) as string[][];
          const lineBreak = detectLineBreak(text, true)!.lineBreak;
          const ours = fields(text, { delimiter: delimiter as ReaderOptions['delimiter'], trim, lineBreak }, cuts.map((c) => c % text.length));
          expect(ours).toEqual(expected);
          expect(ours).toEqual(rows);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe(detectLineBreak.name, () => {
  it('takes the first line break, waiting when a CR ends the text', () => {
    expect(detectLineBreak('a\nb\r\n', false)).toEqual({ lineBreak: '\n', style: 'lf' });
    expect(detectLineBreak('a\r\nb\n', false)).toEqual({ lineBreak: '\n', style: 'crlf' });
    expect(detectLineBreak('a\rb\r', false)).toEqual({ lineBreak: '\r', style: 'cr' });
    expect(detectLineBreak('a\r', false)).toBeUndefined();
    expect(detectLineBreak('a\r', true)).toEqual({ lineBreak: '\r', style: 'cr' });
    expect(detectLineBreak('"quoted\r\n" still', false)).toBeUndefined();
    expect(detectLineBreak('"a\rb","c""\r"\nx', false)).toEqual({ lineBreak: '\n', style: 'lf' });
    expect(detectLineBreak('size 5\'10",x\r\n', false)).toEqual({ lineBreak: '\n', style: 'crlf' });
    expect(detectLineBreak('no break', true)).toEqual({ lineBreak: '\n', style: 'lf' });
  });
});
