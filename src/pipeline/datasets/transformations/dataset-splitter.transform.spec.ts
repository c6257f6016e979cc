import fc from 'fast-check';
import type { Cell, Table } from '../table';
import { splitDataset } from './dataset-splitter.transform';
import type { SplitSpec } from './transformation-spec';

/** A table whose first column is the row number, so membership can be read back. */
function numbered(labels: readonly Cell[]): Table {
  return {
    columns: ['row', 'label'],
    rows: labels.map((label, i) => [String(i), label]),
  };
}

function membership(table: Table, spec: SplitSpec): Record<string, number[]> {
  const { outputs } = splitDataset(table, spec);
  return Object.fromEntries(outputs.map(({ role, table: t }) => [role, t.rows.map((r) => Number(r[0]))]));
}

const arbRatios = fc
  .array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 5 })
  .map((weights) => {
    const sum = weights.reduce((a, b) => a + b, 0);
    return Object.fromEntries(weights.map((w, i) => [`out${i}`, w / sum]));
  })
  .filter((ratios) => Math.abs(Object.values(ratios).reduce((a, b) => a + b, 0) - 1) <= 1e-9);
const arbLabels = fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { freq: 6 }), { maxLength: 300 });
const arbSeed = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer());

describe('splitDataset', () => {
  it('partitions the rows exactly: none lost, none duplicated, order kept within an output', () => {
    fc.assert(
      fc.property(arbLabels, arbRatios, arbSeed, fc.boolean(), (labels, ratios, seed, stratify) => {
        const table = numbered(labels);
        const spec: SplitSpec = stratify ? { type: 'split', ratios, seed, stratifyBy: 'label' } : { type: 'split', ratios, seed };
        const { outputs } = splitDataset(table, spec);
        expect(outputs.map((o) => o.role)).toEqual(Object.keys(ratios));
        const all = outputs.flatMap((o) => o.table.rows.map((r) => Number(r[0])));
        expect([...all].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
        for (const { table: t } of outputs) {
          expect(t.columns).toEqual(table.columns);
          const ids = t.rows.map((r) => Number(r[0]));
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
          for (const row of t.rows) expect(row).toEqual(table.rows[Number(row[0])]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sizes each output within one row of its share; stratified, within one row per stratum per output', () => {
    fc.assert(
      fc.property(arbLabels, arbRatios, arbSeed, (labels, ratios, seed) => {
        const table = numbered(labels);
        const plain = splitDataset(table, { type: 'split', ratios, seed });
        for (const { role, table: t } of plain.outputs) {
          expect(Math.abs(t.rows.length - (ratios[role] as number) * labels.length)).toBeLessThan(1 + 1e-9);
        }
        const stratified = splitDataset(table, {
          type: 'split',
          ratios,
          seed,
          stratifyBy: 'label',
        });
        const strata = new Map<Cell, number>();
        for (const label of labels) strata.set(label, (strata.get(label) ?? 0) + 1);
        for (const { role, table: t } of stratified.outputs) {
          for (const [label, size] of strata) {
            const count = t.rows.filter((r) => r[1] === label).length;
            expect(Math.abs(count - (ratios[role] as number) * size)).toBeLessThan(1 + 1e-9);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic by seed, and independent of the ratios key order', () => {
    fc.assert(
      fc.property(arbLabels, arbRatios, arbSeed, fc.boolean(), (labels, ratios, seed, stratify) => {
        const table = numbered(labels);
        const extra = stratify ? { stratifyBy: 'label' } : {};
        const reversed = Object.fromEntries(Object.entries(ratios).reverse());
        const first = membership(table, {
          type: 'split',
          ratios,
          seed,
          ...extra,
        });
        expect(membership(table, { type: 'split', ratios, seed, ...extra })).toEqual(first);
        expect(
          membership(table, {
            type: 'split',
            ratios: reversed,
            seed,
            ...extra,
          }),
        ).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it('splits differently under different seeds', () => {
    // With 60 rows in halves there are C(60, 30) ≈ 1.2e17 splits: a coincidence here is a bug.
    fc.assert(
      fc.property(arbSeed, arbSeed, fc.boolean(), (a, b, stratify) => {
        fc.pre(String(a) !== String(b));
        const table = numbered(Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'x' : 'y')));
        const extra = stratify ? { stratifyBy: 'label' } : {};
        const ratios = { left: 0.5, right: 0.5 };
        expect(membership(table, { type: 'split', ratios, seed: a, ...extra })).not.toEqual(
          membership(table, { type: 'split', ratios, seed: b, ...extra }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('uses a numeric seed through its decimal text', () => {
    const table = numbered(Array.from({ length: 30 }, () => 'x'));
    const ratios = { train: 0.8, test: 0.2 };
    expect(membership(table, { type: 'split', ratios, seed: 42 })).toEqual(membership(table, { type: 'split', ratios, seed: '42' }));
  });

  it('hand-worked: 10 rows at 0.7/0.15/0.15 give 7 + 2 + 1 or 7 + 1 + 2 (quotas 7, 1.5, 1.5)', () => {
    const table = numbered(Array.from({ length: 10 }, () => 'x'));
    const { outputs, details } = splitDataset(table, {
      type: 'split',
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      seed: 's',
    });
    const sizes = outputs.map((o) => o.table.rows.length);
    expect(sizes[0]).toBe(7);
    expect([...sizes.slice(1)].sort()).toEqual([1, 2]);
    expect(details).toEqual({
      seed: 's',
      rowsPerOutput: { train: 7, validation: sizes[1], test: sizes[2] },
    });
  });

  it('hand-worked: stratified 8 × a, 4 × b, 2 missing at 0.5/0.5 puts 4 a, 2 b, 1 missing in each', () => {
    const labels: Cell[] = [...Array<Cell>(8).fill('a'), ...Array<Cell>(4).fill('b'), null, null];
    const { outputs, details } = splitDataset(numbered(labels), {
      type: 'split',
      ratios: { x: 0.5, y: 0.5 },
      seed: 1,
      stratifyBy: 'label',
    });
    for (const { table: t } of outputs) {
      expect(t.rows.map((r) => r[1]).sort()).toEqual(['a', 'a', 'a', 'a', 'b', 'b', null]);
    }
    expect(details.strata).toEqual([
      { value: null, rows: 2, counts: { x: 1, y: 1 } },
      { value: 'a', rows: 8, counts: { x: 4, y: 4 } },
      { value: 'b', rows: 4, counts: { x: 2, y: 2 } },
    ]);
  });

  it('handles an empty table', () => {
    const { outputs } = splitDataset({ columns: ['a'], rows: [] }, { type: 'split', ratios: { a: 0.5, b: 0.5 }, seed: 0 });
    expect(outputs.map((o) => o.table)).toEqual([
      { columns: ['a'], rows: [] },
      { columns: ['a'], rows: [] },
    ]);
  });

  it('replays a recorded split exactly (algorithm pinned: assay.split/v1)', () => {
    // If this changes, the algorithm changed: bump SPLIT_ALGORITHM, since recorded seeds would no longer replay.
    const table = numbered(Array.from({ length: 12 }, (_, i) => (i < 8 ? 'a' : 'b')));
    expect(
      membership(table, { type: 'split', ratios: { train: 0.5, test: 0.25, validation: 0.25 }, seed: 'assay', stratifyBy: 'label' }),
    ).toEqual({
      train: [0, 2, 5, 7, 10, 11],
      test: [4, 6, 9],
      validation: [1, 3, 8],
    });
    expect(membership(table, { type: 'split', ratios: { train: 0.75, test: 0.25 }, seed: 2024 })).toEqual({
      train: [0, 1, 3, 4, 5, 6, 7, 9, 10],
      test: [2, 8, 11],
    });
  });
});
