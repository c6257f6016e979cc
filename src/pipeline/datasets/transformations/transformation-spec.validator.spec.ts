import fc from 'fast-check';
import type { Table } from '../table';
import { SPEC_LIMITS } from './transformation-spec';
import { validateTransformationSpec, type SpecValidation } from './transformation-spec.validator';

const table: Table = {
  columns: ['id', 'age', 'city', 'label', 'empty'],
  rows: [
    ['1', '34', 'Paris', 'yes', null],
    ['2', null, 'Lyon', 'no', null],
    ['3', '51.5', null, 'yes', null],
  ],
};

function problems(result: SpecValidation): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
}

function expectProblem(input: unknown, path: string, fragment: string, against: Table | undefined = table): void {
  const result = validateTransformationSpec(input, against);
  expect(result.ok).toBe(false);
  expect(problems(result)).toContainEqual(expect.stringContaining(`${path} `));
  expect(problems(result).find((p) => p.startsWith(`${path} `))).toContain(fragment);
}

describe('validateTransformationSpec', () => {
  describe('any spec', () => {
    it.each([null, 42, 'split', [], [{ type: 'split' }], new Date(0)])('refuses a non-object (%p)', (input) => {
      expectProblem(input, '', 'must be an object');
    });

    it('refuses unknown and missing types without echoing long hostile text', () => {
      expectProblem({ type: 'dropTable' }, '/type', 'must be one of split, filter, dropColumns, pseudonymise, impute');
      expectProblem({}, '/type', 'got nothing');
      const result = validateTransformationSpec({ type: 'x'.repeat(10_000) });
      expect(problems(result).join('').length).toBeLessThan(300);
    });

    it('refuses unknown keys instead of silently ignoring them', () => {
      expectProblem({ type: 'dropColumns', columns: ['id'], where: {} }, '/where', 'is not allowed here');
    });

    it('returns a fresh copy holding only the known fields', () => {
      const input = { type: 'dropColumns', columns: ['id'] };
      const result = validateTransformationSpec(input, table);
      expect(result).toEqual({ ok: true, spec: { type: 'dropColumns', columns: ['id'] } });
      if (result.ok) expect(result.spec).not.toBe(input);
    });

    it('treats a JSON "__proto__" key as data, never as a prototype', () => {
      const hostile: unknown = JSON.parse('{"type":"split","seed":1,"ratios":{"__proto__":0.5,"train":0.5}}');
      expectProblem(hostile, '/ratios/__proto__', 'output names must start with a letter');
      expect(({} as Record<string, unknown>).train).toBeUndefined();
    });

    it('never throws on arbitrary JSON, and fails with problems that have paths', () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, withTable) => {
          const result = validateTransformationSpec(value, withTable ? table : undefined);
          if (!result.ok) {
            expect(result.problems.length).toBeGreaterThan(0);
            for (const p of result.problems) expect(p.path === '' || p.path.startsWith('/')).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on arbitrary JSON of each type', () => {
      const typed = fc.record({
        type: fc.constantFrom('split', 'filter', 'dropColumns', 'pseudonymise', 'impute'),
        ratios: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
        seed: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
        where: fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }),
        columns: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
      });
      fc.assert(
        fc.property(typed, (value) => void validateTransformationSpec(JSON.parse(JSON.stringify(value)), table)),
        { numRuns: 500 },
      );
    });
  });

  describe('split', () => {
    const valid = { type: 'split', ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 'abc' };

    it('accepts ratios that sum to 1 within 1e-9, with or without stratification', () => {
      expect(validateTransformationSpec(valid, table).ok).toBe(true);
      expect(validateTransformationSpec({ ...valid, stratifyBy: 'label', seed: 7 }, table)).toEqual({
        ok: true,
        spec: { type: 'split', ratios: { train: 0.7, validation: 0.15, test: 0.15 }, stratifyBy: 'label', seed: 7 },
      });
      expect(validateTransformationSpec({ ...valid, ratios: { a: 1 / 3, b: 1 / 3, c: 1 / 3 } }).ok).toBe(true);
    });

    it('refuses ratios that do not sum to 1', () => {
      expectProblem({ ...valid, ratios: { train: 0.7, test: 0.2 } }, '/ratios', 'must sum to 1');
      expectProblem({ ...valid, ratios: { train: 0.5, test: 0.5 + 1e-8 } }, '/ratios', 'must sum to 1');
    });

    it.each([
      [{ train: -0.1, test: 1.1 }, '/ratios/train', 'must be a number in (0, 1]'],
      [{ train: 0, test: 1 }, '/ratios/train', 'must be a number in (0, 1]'],
      [{ train: '0.5', test: 0.5 }, '/ratios/train', 'must be a number in (0, 1]'],
      [{ train: 1 }, '/ratios', 'between 2 and'],
      [{}, '/ratios', 'between 2 and'],
      [[0.5, 0.5], '/ratios', 'must be an object'],
      [{ 'bad name': 0.5, test: 0.5 }, '/ratios/bad name', 'output names'],
    ])('refuses bad ratios %p', (ratios, path, fragment) => {
      expectProblem({ ...valid, ratios }, path, fragment);
    });

    it('refuses too many outputs', () => {
      const ratios = Object.fromEntries(
        Array.from({ length: SPEC_LIMITS.splitOutputs + 1 }, (_, i) => [`o${i}`, 1 / (SPEC_LIMITS.splitOutputs + 1)]),
      );
      expectProblem({ ...valid, ratios }, '/ratios', 'between 2 and');
    });

    it.each([undefined, null, '', Number.NaN, { s: 1 }, 'x'.repeat(SPEC_LIMITS.seedLength + 1)])('requires a usable seed (%p)', (seed) => {
      expectProblem({ ...valid, seed }, '/seed', 'is required');
    });

    it('checks stratifyBy against the table', () => {
      expectProblem({ ...valid, stratifyBy: 'nope' }, '/stratifyBy', 'unknown column "nope"');
      expectProblem({ ...valid, stratifyBy: 3 }, '/stratifyBy', 'must be a column name');
      expect(validateTransformationSpec({ ...valid, stratifyBy: 'nope' }).ok).toBe(true);
    });
  });

  describe('filter', () => {
    const filter = (where: unknown): unknown => ({ type: 'filter', where });

    it('accepts nested all/any of conditions', () => {
      const where = {
        all: [
          { column: 'age', op: 'gte', value: 18 },
          {
            any: [
              { column: 'city', op: 'in', value: ['Paris', 'Lyon'] },
              { column: 'city', op: 'isMissing' },
            ],
          },
          { column: 'label', op: 'ne', value: 'no' },
        ],
      };
      expect(validateTransformationSpec(filter(where), table)).toEqual({ ok: true, spec: { type: 'filter', where } });
    });

    it('checks columns and operators', () => {
      expectProblem(filter({ column: 'salary', op: 'eq', value: 1 }), '/where/column', 'unknown column "salary"');
      expectProblem(filter({ column: 'age', op: 'like', value: '1%' }), '/where/op', 'must be one of');
      expectProblem(filter({ column: 'age', op: 'eq' }), '/where/value', 'must be a finite number or a string');
      expectProblem(filter({ column: 'age', op: 'eq', value: null }), '/where/value', 'must be a finite number or a string');
      expectProblem(filter({ column: 'age', op: 'eq', value: { $gt: 1 } }), '/where/value', 'must be a finite number or a string');
      expectProblem(filter({ column: 'age', op: 'isMissing', value: 1 }), '/where/value', 'must be absent');
      expectProblem(filter({ column: 'age', op: 'in', value: [] }), '/where/value', 'non-empty array');
      expectProblem(filter({ column: 'age', op: 'in', value: [1, [2]] }), '/where/value/1', 'must be a finite number');
      expectProblem(filter({ all: [] }), '/where/all', 'non-empty array');
      expectProblem(filter({ all: [{ column: 'id', op: 'notMissing' }], any: [] }), '/where/any', 'is not allowed here');
      expectProblem(filter(undefined), '/where', 'is required');
    });

    it('refuses order comparisons on non-numeric columns or with non-numeric values', () => {
      expectProblem(
        filter({ column: 'city', op: 'lt', value: 5 }),
        '/where/column',
        'lt needs a numeric column; "city" is not numeric (row 0)',
      );
      expectProblem(filter({ column: 'age', op: 'gt', value: 'old' }), '/where/value', 'must be a number for gt');
      // The value of the offending cell is never echoed: it may be personal data.
      expect(problems(validateTransformationSpec(filter({ column: 'city', op: 'lt', value: 5 }), table)).join()).not.toContain('Paris');
      expect(validateTransformationSpec(filter({ column: 'age', op: 'lte', value: '40' }), table).ok).toBe(true);
      expect(validateTransformationSpec(filter({ column: 'empty', op: 'lt', value: 1 }), table).ok).toBe(true);
    });

    it('limits nesting depth and size', () => {
      let deep: unknown = { column: 'id', op: 'notMissing' };
      for (let i = 0; i < SPEC_LIMITS.filterDepth; i++) deep = { all: [deep] };
      expectProblem(filter(deep), `/where${'/all/0'.repeat(SPEC_LIMITS.filterDepth - 1)}/all`, 'nests deeper than');

      let veryDeep: unknown = { column: 'id', op: 'notMissing' };
      for (let i = 0; i < 100_000; i++) veryDeep = { any: [veryDeep] };
      expect(validateTransformationSpec(filter(veryDeep), table).ok).toBe(false);

      const wide = { any: Array.from({ length: SPEC_LIMITS.filterNodes + 1 }, () => ({ column: 'id', op: 'notMissing' })) };
      expectProblem(filter(wide), '/where/any', 'non-empty array');
    });

    it('caps the number of problems reported', () => {
      const wide = { any: Array.from({ length: 500 }, () => ({ column: 'nope', op: 'eq', value: 1 })) };
      const result = validateTransformationSpec(filter(wide), table);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeLessThanOrEqual(101);
    });
  });

  describe('dropColumns and pseudonymise', () => {
    it.each(['dropColumns', 'pseudonymise'])('%s checks the column list', (type) => {
      expect(validateTransformationSpec({ type, columns: ['id', 'city'] }, table).ok).toBe(true);
      expectProblem({ type, columns: ['id', 'ssn'] }, '/columns/1', 'unknown column "ssn"');
      expectProblem({ type, columns: ['id', 'id'] }, '/columns/1', 'repeats column "id"');
      expectProblem({ type, columns: [] }, '/columns', 'non-empty array');
      expectProblem({ type, columns: 'id' }, '/columns', 'non-empty array');
      expectProblem({ type, columns: [1] }, '/columns/0', 'must be a column name');
    });

    it('refuses to drop every column', () => {
      expectProblem({ type: 'dropColumns', columns: table.columns }, '/columns', 'would drop every column');
    });

    it('never takes a key in the spec', () => {
      expectProblem({ type: 'pseudonymise', columns: ['id'], key: 'secret' }, '/key', 'is not allowed here');
    });
  });

  describe('impute', () => {
    it('accepts each strategy where the data allows it', () => {
      const columns = [
        { name: 'age', strategy: 'mean' },
        { name: 'id', strategy: 'median' },
        { name: 'city', strategy: 'mode' },
        { name: 'label', strategy: 'constant', value: 'unknown' },
      ];
      expect(validateTransformationSpec({ type: 'impute', columns }, table)).toEqual({ ok: true, spec: { type: 'impute', columns } });
    });

    it('refuses numeric strategies on non-numeric columns, and fitting on no values', () => {
      expectProblem(
        { type: 'impute', columns: [{ name: 'city', strategy: 'mean' }] },
        '/columns/0/strategy',
        'mean needs a numeric column',
      );
      expectProblem(
        { type: 'impute', columns: [{ name: 'label', strategy: 'median' }] },
        '/columns/0/strategy',
        'median needs a numeric column',
      );
      expectProblem({ type: 'impute', columns: [{ name: 'empty', strategy: 'mode' }] }, '/columns/0/name', 'has no values to fit mode on');
      expect(validateTransformationSpec({ type: 'impute', columns: [{ name: 'empty', strategy: 'constant', value: 0 }] }, table).ok).toBe(
        true,
      );
    });

    it('checks strategy and value', () => {
      expectProblem({ type: 'impute', columns: [{ name: 'age', strategy: 'zero' }] }, '/columns/0/strategy', 'must be one of');
      expectProblem({ type: 'impute', columns: [{ name: 'age', strategy: 'constant' }] }, '/columns/0/value', 'is required');
      expectProblem({ type: 'impute', columns: [{ name: 'age', strategy: 'mean', value: 3 }] }, '/columns/0/value', 'must be absent');
      expectProblem(
        {
          type: 'impute',
          columns: [
            { name: 'age', strategy: 'mean' },
            { name: 'age', strategy: 'mode' },
          ],
        },
        '/columns/1/name',
        'repeats',
      );
      expectProblem({ type: 'impute', columns: [{ name: 'x', strategy: 'mean' }] }, '/columns/0/name', 'unknown column');
      expectProblem({ type: 'impute', columns: ['age'] }, '/columns/0', 'must be an object');
      expectProblem({ type: 'impute', columns: [] }, '/columns', 'non-empty array');
    });
  });
});
