import fc from 'fast-check';
import type { Cell } from '../table';
import { ColumnProfiler, isoDateTime, parseDecimal, TableProfiler } from './column-profiler';

function profile(cells: Cell[], distinctCap = 10_000) {
  const profiler = new ColumnProfiler('x', distinctCap);
  for (const cell of cells) profiler.add(cell);
  return profiler.result();
}

describe(ColumnProfiler.name, () => {
  it('infers numbers, including negatives, decimals and exponents', () => {
    const result = profile(['1', '-2.5', '+3', '.5', '1e3', '-4.2E-1', null, '7.']);
    expect(result).toMatchObject({ type: 'numeric', count: 7, missing: 1, distinct: 7, min: -2.5, max: 1000 });
    if (result.type !== 'numeric') throw new Error('numeric expected');
    const xs = [1, -2.5, 3, 0.5, 1000, -0.42, 7];
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    expect(result.mean).toBeCloseTo(mean, 12);
    expect(result.std).toBeCloseTo(Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)), 12);
  });

  it('does not take hex, Infinity, thousands separators or a lone sign for numbers', () => {
    for (const odd of ['0x1F', 'Infinity', '1,000', '-', '1e999', '1.2.3']) {
      expect(profile(['1', odd]).type).toBe('categorical');
    }
  });

  it('keeps Welford stable far from zero', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 200 }), (offsets) => {
        const result = profile(offsets.map((o) => String(1e9 + o)));
        if (result.type !== 'numeric') throw new Error('numeric expected');
        const mean = offsets.reduce((a, b) => a + b, 0) / offsets.length;
        const std = Math.sqrt(offsets.reduce((a, x) => a + (x - mean) ** 2, 0) / (offsets.length - 1));
        expect(result.mean - 1e9).toBeCloseTo(mean, 4);
        expect(result.std!).toBeCloseTo(std, 4);
      }),
    );
  });

  it.each([
    [['true', 'false', 'True', null]],
    [['yes', 'no', 'YES']],
    [['0', '1', '1']],
    [['1', '1']],
  ])('infers boolean for %j', (cells) => {
    expect(profile(cells).type).toBe('boolean');
  });

  it.each([
    [['0', '1', '2'], 'numeric'],
    [['yes', 'no', 'maybe'], 'categorical'],
    [['true', 'no'], 'categorical'],
    [['1', '0', '1.0'], 'numeric'],
  ])('does not infer boolean for %j', (cells, type) => {
    expect(profile(cells).type).toBe(type);
  });

  it('infers ISO dates and keeps their range as written', () => {
    expect(profile(['2013-08-14', '2013-01-27 03:45:27', '2014-07-14T05:41:20Z', null])).toMatchObject({
      type: 'date',
      min: '2013-01-27 03:45:27',
      max: '2014-07-14T05:41:20Z',
    });
    expect(profile(['2013-02-30']).type).toBe('categorical');
    expect(profile(['14/08/2013']).type).toBe('categorical');
  });

  it('ranks top values by count, then value', () => {
    const result = profile(['b', 'a', 'c', 'a', 'b', 'd', null]);
    expect(result).toMatchObject({
      type: 'categorical',
      distinct: 4,
      topValues: [
        { value: 'a', count: 2 },
        { value: 'b', count: 2 },
        { value: 'c', count: 1 },
        { value: 'd', count: 1 },
      ],
    });
  });

  it('caps distinct counting and says so', () => {
    const cells = Array.from({ length: 500 }, (_, i) => `v${i % 250}`);
    expect(profile(cells, 100)).toMatchObject({ distinct: 100, distinctCapped: true, count: 500 });
    expect(profile(cells, 250)).toMatchObject({ distinct: 250, distinctCapped: false });
  });

  it('tracks very long values by digest', () => {
    const long = 'x'.repeat(10_000);
    const result = profile([long, long, `${long}y`]);
    expect(result).toMatchObject({ distinct: 2, type: 'categorical' });
    if (result.type !== 'categorical') throw new Error('categorical expected');
    expect(result.topValues[0]!.count).toBe(2);
    expect(result.topValues[0]!.value.length).toBeLessThan(200);
  });

  it('calls an all-missing column categorical with no values', () => {
    expect(profile([null, null])).toEqual({ name: 'x', type: 'categorical', count: 0, missing: 2, distinct: 0, distinctCapped: false, topValues: [] });
  });
});

describe(TableProfiler.name, () => {
  it('lowers the distinct cap for very wide tables', () => {
    expect(new TableProfiler(['a', 'b'], 10_000).distinctCap).toBe(10_000);
    expect(new TableProfiler(Array.from({ length: 2000 }, (_, i) => `c${i}`), 10_000).distinctCap).toBe(500);
  });
});

describe(parseDecimal.name, () => {
  it('accepts exactly the plain decimal grammar', () => {
    const grammar = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    fc.assert(
      fc.property(fc.stringMatching(/^[-+.eE0-9x ]{0,8}$/), (text) => {
        const expected = grammar.test(text) && Number.isFinite(Number(text)) ? Number(text) : NaN;
        expect(parseDecimal(text)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(parseDecimal('-4.2E-1')).toBe(-0.42);
    expect(parseDecimal('1e999')).toBeNaN();
  });
});

describe(isoDateTime.name, () => {
  it('agrees with Date.UTC across four centuries', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(isoDateTime(iso)).toBe(date.getTime());
        expect(isoDateTime(iso.slice(0, 10))).toBe(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
      }),
    );
  });

  it('honours offsets and leap years', () => {
    expect(isoDateTime('2020-01-01T01:00:00+01:00')).toBe(Date.UTC(2020, 0, 1));
    expect(isoDateTime('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
    expect(isoDateTime('2019-02-29')).toBeUndefined();
    expect(isoDateTime('2020-01-01 24:00')).toBeUndefined();
  });
});
