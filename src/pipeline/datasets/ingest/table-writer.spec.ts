import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import type { Row } from '../table';
import { TableWriter, tableSha256 } from './table-writer';

describe(TableWriter.name, () => {
  it('writes one JSON array per line, header first, each line ending in \\n', () => {
    const bytes = TableWriter.serialize({ columns: ['name', 'note'], rows: [['Zoë', null], ['say "hi"', 'a\nb']] });
    expect(bytes.toString('utf8')).toBe('["name","note"]\n["Zoë",null]\n["say \\"hi\\"","a\\nb"]\n');
    expect(tableSha256({ columns: ['name', 'note'], rows: [['Zoë', null], ['say "hi"', 'a\nb']] })).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('writes each line in RFC 8785 canonical form', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null })), (cells) => {
        expect(JSON.stringify(cells)).toBe(canonicalize(cells));
      }),
    );
  });

  it('hands out chunks that add up to the serialized table, and digests exactly them', () => {
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => [String(i), i % 7 === 0 ? null : `value ${i} ${'x'.repeat(i % 50)}`]);
    const writer = new TableWriter(['id', 'v']);
    const chunks: Buffer[] = [];
    for (const row of rows) {
      const chunk = writer.write(row);
      if (chunk) chunks.push(chunk);
    }
    chunks.push(writer.end());
    expect(chunks.length).toBeGreaterThan(2);
    const whole = Buffer.concat(chunks);
    expect(whole.equals(TableWriter.serialize({ columns: ['id', 'v'], rows }))).toBe(true);
    expect(writer.digest()).toEqual({ sha256: createHash('sha256').update(whole).digest('hex'), byteCount: whole.length, rowCount: 5000 });
  });

  it('refuses rows of the wrong width', () => {
    expect(() => new TableWriter(['a', 'b']).write(['1'])).toThrow(RangeError);
  });
});
