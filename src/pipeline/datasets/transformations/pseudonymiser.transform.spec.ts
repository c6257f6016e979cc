import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Cell, Table } from '../table';
import { pseudonym, pseudonymisationKeyId, pseudonymiseColumns } from './pseudonymiser.transform';
import { TransformationError } from './transformation.error';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const PSEUDONYM = /^ps_[0-9a-f]{32}$/;

const arbCell = fc.option(
  fc.string({ maxLength: 12 }).filter((s) => !s.startsWith('ps_')),
  { freq: 5 },
);
const arbTable = fc
  .array(fc.tuple(arbCell, arbCell, arbCell), { maxLength: 30 })
  .map((rows): Table => ({ columns: ['email', 'name', 'score'], rows }));
const spec = { type: 'pseudonymise' as const, columns: ['email', 'name'] };

describe('pseudonymiseColumns', () => {
  it('matches HMAC-SHA-256 (RFC 4231 test case 6) truncated to 128 bits, prefixed', () => {
    const key = Buffer.alloc(131, 0xaa);
    expect(pseudonym('Test Using Larger Than Block-Size Key - Hash Key First', key)).toBe('ps_60e431591ee0b67f0d8a26aacbf5b77f');
  });

  it('names the key by the first 8 hex of its SHA-256', () => {
    expect(pseudonymisationKeyId(Buffer.alloc(32))).toBe('66687aad');
  });

  it('hand-worked: replaces present values, keeps missing, leaves other columns, links equal values', () => {
    const table: Table = {
      columns: ['email', 'name', 'score'],
      rows: [
        ['a@x.org', 'Ann', '3'],
        [null, 'a@x.org', '4'],
        ['a@x.org', null, null],
      ],
    };
    const { outputs, details } = pseudonymiseColumns(table, spec, KEY);
    const p = pseudonym('a@x.org', KEY);
    expect(outputs[0]!.table).toEqual({
      columns: ['email', 'name', 'score'],
      rows: [
        [p, pseudonym('Ann', KEY), '3'],
        [null, p, '4'],
        [p, null, null],
      ],
    });
    expect(details).toEqual({
      method: 'HMAC-SHA-256',
      keyId: pseudonymisationKeyId(KEY),
      prefix: 'ps_',
      hexLength: 32,
      columns: ['email', 'name'],
      pseudonymisedCells: 4,
      distinctValues: { email: 1, name: 2 },
    });
  });

  it('is deterministic per key, differs across keys, and lets no raw value survive', () => {
    fc.assert(
      fc.property(arbTable, (table) => {
        const once = pseudonymiseColumns(table, spec, KEY).outputs[0]!.table;
        const twice = pseudonymiseColumns(table, spec, Buffer.from(KEY)).outputs[0]!.table;
        const other = pseudonymiseColumns(table, spec, OTHER_KEY).outputs[0]!.table;
        expect(twice).toEqual(once);
        const raw = new Set(table.rows.flatMap((r) => [r[0], r[1]]).filter((c): c is string => c !== null));
        table.rows.forEach((row, i) => {
          for (const c of [0, 1]) {
            const before = row[c] ?? null;
            const after = once.rows[i]![c] ?? null;
            const afterOther = other.rows[i]![c] ?? null;
            if (before === null) {
              expect(after).toBeNull();
              continue;
            }
            expect(after).toMatch(PSEUDONYM);
            expect(raw.has(after!)).toBe(false);
            expect(after).toBe(pseudonym(before, KEY));
            expect(afterOther).not.toBe(after);
          }
          expect(once.rows[i]![2]).toBe(row[2]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('maps distinct values to distinct pseudonyms', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 50 }), (values) => {
        const table: Table = { columns: ['v'], rows: values.map((v): Cell[] => [v]) };
        const out = pseudonymiseColumns(table, { type: 'pseudonymise', columns: ['v'] }, KEY).outputs[0]!.table;
        expect(new Set(out.rows.map((r) => r[0])).size).toBe(values.length);
      }),
    );
  });

  it('never puts the key in the outputs or the summary', () => {
    const key = randomBytes(32);
    const table: Table = { columns: ['id'], rows: [['1'], ['2']] };
    const result = pseudonymiseColumns(table, { type: 'pseudonymise', columns: ['id'] }, key);
    const text = JSON.stringify(result);
    for (const encoded of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) expect(text).not.toContain(encoded);
  });

  it('refuses a missing or short key', () => {
    const table: Table = { columns: ['id'], rows: [['1']] };
    const only = { type: 'pseudonymise' as const, columns: ['id'] };
    expect(() => pseudonymiseColumns(table, only, undefined)).toThrow(TransformationError);
    expect(() => pseudonymiseColumns(table, only, Buffer.alloc(16))).toThrow('at least 32 bytes');
    expect(() => pseudonymiseColumns(table, only, 'secret' as unknown as Buffer)).toThrow('pseudonymisationKey');
  });
});
