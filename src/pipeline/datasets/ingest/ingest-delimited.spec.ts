import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Row } from '../table';
import { ingestDelimited, readTable } from './ingest-delimited';
import { IngestError, type IngestErrorCode } from './ingest.error';
import type { IngestOptions } from './ingest-options';
import { TableWriter } from './table-writer';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function* slices(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** An async iterable over a generator's chunks: not a stream, so nothing is read ahead. */
function lazily(chunks: Generator<Buffer>): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve(chunks.next()),
      return: () => Promise.resolve(chunks.return(undefined)),
    }),
  };
}

const chunked = (bytes: Buffer, size: number) => lazily(slices(bytes, size));

async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected the ingest to fail');
}

async function failsWith(input: Buffer | string, code: IngestErrorCode, options: IngestOptions = {}): Promise<IngestError> {
  const error = await rejection(readTable(input, options));
  expect(error.code).toBe(code);
  return error;
}

const csv = 'id,name,score\n1,Ann,3.5\n2,Bob,-1\n3,"Lee, Jr.",2e2\n';

describe(ingestDelimited.name, () => {
  describe('reads', () => {
    it('a plain CSV, hashing the raw bytes and the canonical table', async () => {
      const result = await readTable(csv);
      expect(result.table).toEqual({
        columns: ['id', 'name', 'score'],
        rows: [
          ['1', 'Ann', '3.5'],
          ['2', 'Bob', '-1'],
          ['3', 'Lee, Jr.', '2e2'],
        ],
      });
      expect(result.sha256).toBe(sha256(Buffer.from(csv)));
      expect(result.byteCount).toBe(Buffer.byteLength(csv));
      const canonical = TableWriter.serialize(result.table);
      expect(result.tableSha256).toBe(sha256(canonical));
      expect(result.tableByteCount).toBe(canonical.length);
      expect(result.format).toMatchObject({ compression: 'none', encoding: 'utf-8', bom: false, delimiter: ',', lineBreak: 'lf' });
    });

    it('a UTF-8 BOM, dropping it from the first column name', async () => {
      const result = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
      expect(result.columns[0]).toBe('id');
      expect(result.format.bom).toBe(true);
      expect(result.tableSha256).toBe((await readTable(csv)).tableSha256);
    });

    it('quoted delimiters, quoted newlines and doubled quotes', async () => {
      const { table } = await readTable('a,b\n"x, y","line 1\nline 2"\n"say ""hi""",""\n');
      expect(table.rows).toEqual([
        ['x, y', 'line 1\nline 2'],
        ['say "hi"', null],
      ]);
    });

    it('Latin-1 when declared (é as 0xE9), and refuses the same bytes as UTF-8 naming the line', async () => {
      const bytes = Buffer.from('name,city\nRen\xe9,Montr\xe9al\n', 'latin1');
      expect((await readTable(bytes, { encoding: 'latin1' })).table.rows).toEqual([['René', 'Montréal']]);
      const error = await failsWith(bytes, 'DATASET_ENCODING_INVALID');
      expect(error.details).toMatchObject({ line: 2, byteOffset: 13 });
    });

    it('UTF-8 split across chunks at every byte', async () => {
      const text = 'ville,note\nMontréal,€5\nZürich,𝄞\n';
      const result = await ingestDelimited(chunked(Buffer.from(text), 1));
      expect(result.tableSha256).toBe((await readTable(text)).tableSha256);
    });

    it('Adult-style ", " separators, a banner line and labels ending in a dot', async () => {
      const adult = '|1x3 Cross validator\n25, Private, 11th, Male, <=50K.\n38, ?, HS-grad, Female, >50K.\n\n';
      const result = await readTable(adult, { header: false, skipLines: 1, columns: ['age', 'workclass', 'education', 'sex', 'income'] });
      expect(result.table.rows).toEqual([
        ['25', 'Private', '11th', 'Male', '<=50K.'],
        ['38', null, 'HS-grad', 'Female', '>50K.'],
      ]);
      expect(result.format.delimiter).toBe(',');
    });

    it('whitespace-separated files without a header, naming columns c1…cN', async () => {
      const result = await readTable('A11  6 A34\nA12 48\tA32\n', { header: false });
      expect(result.format.delimiter).toBe('whitespace');
      expect(result.table).toEqual({
        columns: ['c1', 'c2', 'c3'],
        rows: [
          ['A11', '6', 'A34'],
          ['A12', '48', 'A32'],
        ],
      });
    });

    it('gzip, hashing the compressed bytes and giving the same table', async () => {
      const gz = gzipSync(Buffer.from(csv));
      const result = await ingestDelimited(chunked(gz, 7));
      expect(result.format.compression).toBe('gzip');
      expect(result.sha256).toBe(sha256(gz));
      expect(result.byteCount).toBe(gz.length);
      expect(result.contentByteCount).toBe(Buffer.byteLength(csv));
      expect(result.tableSha256).toBe((await readTable(csv)).tableSha256);
    });

    it('custom missing markers, and fields untrimmed when asked', async () => {
      const { table } = await readTable('a,b\n-, x \nNA,?\n', { missingMarkers: ['-'], trimFields: false });
      expect(table.rows).toEqual([
        [null, ' x '],
        ['NA', '?'],
      ]);
    });
  });

  describe('hashes', () => {
    it('the same bytes the same way however they are chunked', async () => {
      const bytes = Buffer.from(csv.repeat(50).replace(/\nid,name,score/g, ''));
      const results = await Promise.all([1, 3, 64, 100_000].map((size) => ingestDelimited(chunked(bytes, size))));
      for (const result of results) {
        expect(result.sha256).toBe(results[0]!.sha256);
        expect(result.tableSha256).toBe(results[0]!.tableSha256);
        expect(result.profile).toEqual(results[0]!.profile);
      }
    });

    it('different line endings of one table to different raw digests but one table digest', async () => {
      const lf = await readTable(csv);
      const crlf = await readTable(csv.replace(/\n/g, '\r\n'));
      const cr = await readTable(csv.replace(/\n/g, '\r'));
      expect(new Set([lf.sha256, crlf.sha256, cr.sha256]).size).toBe(3);
      expect(crlf.tableSha256).toBe(lf.tableSha256);
      expect(cr.tableSha256).toBe(lf.tableSha256);
      expect([lf.format.lineBreak, crlf.format.lineBreak, cr.format.lineBreak]).toEqual(['lf', 'crlf', 'cr']);
    });

    it('quoting and padding that do not change the values to the same table digest', async () => {
      const plain = await readTable('a,b\n1,x\n');
      const quoted = await readTable('"a" , "b"\n 1 ,"x"\n');
      expect(quoted.tableSha256).toBe(plain.tableSha256);
    });
  });

  describe('infers', () => {
    it('numeric, boolean, date and categorical columns', async () => {
      const { profile } = await readTable(
        'n,flag,yn,bit,day,kind\n-1.5,true,yes,0,2020-01-31,a\n2e3,false,no,1,2021-02-28T10:00:00Z,b\n.25,TRUE,NA,1,,a\n',
      );
      expect(profile.columns.map((c) => [c.name, c.type])).toEqual([
        ['n', 'numeric'],
        ['flag', 'boolean'],
        ['yn', 'boolean'],
        ['bit', 'boolean'],
        ['day', 'date'],
        ['kind', 'categorical'],
      ]);
      expect(profile.columns[0]).toMatchObject({ min: -1.5, max: 2000, count: 3, missing: 0 });
      expect(profile.columns[2]).toMatchObject({ count: 2, missing: 1 });
      expect(profile.columns[4]).toMatchObject({ min: '2020-01-31', max: '2021-02-28T10:00:00Z', missing: 1 });
      expect(profile.columns[5]).toMatchObject({ topValues: [{ value: 'a', count: 2 }, { value: 'b', count: 1 }] });
      expect(profile).toMatchObject({ rowCount: 3, skippedRowCount: 0 });
    });
  });

  describe('streams', () => {
    it('raw chunks, columns, rows with their lines and canonical chunks, awaiting each', async () => {
      const bytes = Buffer.from('h1,h2\n1,"a\nb"\n\n2,c\n');
      const raw: Buffer[] = [];
      const tableChunks: Buffer[] = [];
      const events: string[] = [];
      const result = await ingestDelimited(chunked(bytes, 4), {
        onRawChunk: (chunk) => {
          raw.push(Buffer.from(chunk));
        },
        onColumns: async (columns) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          events.push(`columns ${columns.join('|')}`);
        },
        onRow: async (row: Row, line) => {
          await new Promise((resolve) => setImmediate(resolve));
          events.push(`row ${line} ${JSON.stringify(row)}`);
        },
        onTableChunk: (chunk) => {
          tableChunks.push(chunk);
        },
      });
      expect(Buffer.concat(raw).equals(bytes)).toBe(true);
      expect(events).toEqual(['columns h1|h2', 'row 2 ["1","a\\nb"]', 'row 5 ["2","c"]']);
      expect(sha256(Buffer.concat(tableChunks))).toBe(result.tableSha256);
      expect(Buffer.concat(tableChunks).toString()).toBe('["h1","h2"]\n["1","a\\nb"]\n["2","c"]\n');
    });

    it('passes a callback error through unchanged', async () => {
      const storageFull = new Error('disk full');
      await expect(
        ingestDelimited(chunked(Buffer.from(csv), 8), {
          onRawChunk: () => Promise.reject(storageFull),
        }),
      ).rejects.toBe(storageFull);
    });
  });

  describe('columns', () => {
    it('renames duplicated header names and reports the renames', async () => {
      const result = await readTable('id,score,score,,id\n1,2,3,4,5\n');
      expect(result.columns).toEqual(['id', 'score', 'score_2', 'c4', 'id_2']);
      expect(result.renamedColumns).toEqual([
        { index: 2, from: 'score', to: 'score_2' },
        { index: 3, from: '', to: 'c4' },
        { index: 4, from: 'id', to: 'id_2' },
      ]);
    });

    it('fails on duplicated names when duplicateColumns is error', async () => {
      const error = await failsWith('id,score,score\n1,2,3\n', 'DATASET_DUPLICATE_COLUMNS', { duplicateColumns: 'error' });
      expect(error.details.columns).toEqual(['score']);
    });

    it('fails a header wider than maxColumns', async () => {
      const error = await failsWith('a,b,c,d\n1,2,3,4\n', 'DATASET_TOO_MANY_COLUMNS', { maxColumns: 3 });
      expect(error.details).toMatchObject({ found: 4, limit: 3, line: 1 });
    });
  });

  describe('refuses', () => {
    it('an empty upload', async () => {
      expect((await failsWith('', 'DATASET_EMPTY')).details.reason).toBe('no-bytes');
    });

    it('blank lines only', async () => {
      expect((await failsWith('\n \r\n\n', 'DATASET_EMPTY')).details.reason).toBe('no-records');
    });

    it('a header without rows', async () => {
      expect((await failsWith('a,b,c\n', 'DATASET_EMPTY')).details.reason).toBe('no-rows');
    });

    it('binary content: a PNG, random bytes, a NUL after the first KiB, UTF-16', async () => {
      const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
      await failsWith(png, 'DATASET_BINARY');
      const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      await failsWith(random, 'DATASET_BINARY');
      const late = Buffer.concat([Buffer.from(`a,b\n${'1,2\n'.repeat(1000)}`), Buffer.from([0]), Buffer.from('\n')]);
      expect((await failsWith(late, 'DATASET_BINARY')).details.byteOffset).toBe(late.length - 2);
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
      expect((await failsWith(utf16, 'DATASET_ENCODING_INVALID')).details.reason).toBe('utf-16');
    });

    it('invalid UTF-8: a stray byte, an overlong form, a truncated sequence', async () => {
      expect((await failsWith(Buffer.from('a,b\n1,2\n3,\xff\n', 'latin1'), 'DATASET_ENCODING_INVALID')).details.line).toBe(3);
      await failsWith(Buffer.concat([Buffer.from('a\n'), Buffer.from([0xc0, 0x80]), Buffer.from('\n')]), 'DATASET_ENCODING_INVALID');
      const truncated = await failsWith(Buffer.concat([Buffer.from('a\nb'), Buffer.from([0xe2, 0x82])]), 'DATASET_ENCODING_INVALID');
      expect(truncated.details.reason).toBe('truncated');
    });

    it('a ragged row, naming its line (after a multi-line record)', async () => {
      const error = await failsWith('a,b\n1,"x\ny"\n2,3\n4\n5,6\n', 'DATASET_RAGGED_ROW');
      expect(error.details).toEqual({ line: 5, expected: 2, found: 1 });
      expect(error.message).toContain('Line 5');
    });

    it('an unterminated quote, naming the line where it opened', async () => {
      const error = await failsWith('a,b\n1,2\n3,"open\n4,5\n6,7\n', 'DATASET_UNTERMINATED_QUOTE');
      expect(error.details.line).toBe(3);
    });

    it('corrupt and truncated gzip', async () => {
      const gz = gzipSync(Buffer.from(csv.repeat(100)));
      const corrupt = Buffer.from(gz);
      corrupt.fill(0x55, 20, 40);
      expect((await failsWith(corrupt, 'DATASET_ENCODING_INVALID')).details.reason).toBe('gzip');
      expect((await failsWith(gz.subarray(0, gz.length - 30), 'DATASET_ENCODING_INVALID')).details.reason).toBe('gzip');
    });

    it('prose, when the delimiter is to be sniffed', async () => {
      await failsWith('Dear committee,\nplease find attached my thoughts on the matter\n', 'DATASET_DELIMITER_UNDETECTED');
    });

    it('invalid options, before reading, and destroys the stream it was handed', async () => {
      const source = Readable.from([Buffer.from(csv)]);
      const error = await rejection(ingestDelimited(source, { delimiter: 'x' as ',' }));
      expect(error).toMatchObject({ code: 'DATASET_OPTIONS_INVALID', details: { option: 'delimiter' } });
      expect(source.destroyed).toBe(true);
      await failsWith(csv, 'DATASET_OPTIONS_INVALID', { header: true, columns: ['a', 'b', 'c'] });
      await failsWith(csv, 'DATASET_OPTIONS_INVALID', { maxBytes: -1 });
    });
  });

  describe('ragged rows in skip mode', () => {
    it('drops and counts them, reporting their lines', async () => {
      const result = await readTable('a,b\n1,2\n3\n4,5,6\n7,8\n', { onRaggedRow: 'skip' });
      expect(result.table.rows).toEqual([
        ['1', '2'],
        ['7', '8'],
      ]);
      expect(result.profile).toMatchObject({ rowCount: 2, skippedRowCount: 2 });
      expect(result.skippedLines).toEqual([3, 4]);
    });

    it('still refuses a table whose rows were all skipped', async () => {
      const error = await failsWith('a,b\n1\n2\n', 'DATASET_EMPTY', { onRaggedRow: 'skip' });
      expect(error.details).toMatchObject({ reason: 'all-rows-skipped', found: 2 });
    });

    it('checks supplied column names against the rows', async () => {
      const error = await failsWith('1,2,3\n', 'DATASET_RAGGED_ROW', { header: false, columns: ['a', 'b'] });
      expect(error.details).toEqual({ line: 1, expected: 2, found: 3 });
    });
  });
});
