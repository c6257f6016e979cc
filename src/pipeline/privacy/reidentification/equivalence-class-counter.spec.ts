import fc from 'fast-check';
import type { Cell, Row, Table } from '../../datasets/table';
import {
  CLASS_SIZE_BUCKETS,
  ENTROPY_TOLERANCE,
  EquivalenceClassCounter,
  reidentificationRisk,
  type ReidentificationRisk,
} from './equivalence-class-counter';

/** The same statistics written the slow, obvious way: nested loops, arrays, -Σ p ln p. */
function naiveRisk(rows: Row[], qi: number[], sensitive: number[], kThreshold: number, lThreshold: number): ReidentificationRisk {
  const classes: Row[][] = [];
  for (const row of rows) {
    let home: Row[] | undefined;
    for (const candidate of classes) {
      let same = true;
      for (const index of qi) if (candidate[0]![index] !== row[index]) same = false;
      if (same) home = candidate;
    }
    if (home) home.push(row);
    else classes.push([row]);
  }
  const sizes = classes.map((c) => c.length);
  const k = sizes.length === 0 ? 0 : Math.min(...sizes);
  const bucketOf = (size: number) => (size === 1 ? '1' : size === 2 ? '2' : size < 5 ? '3-4' : size < 10 ? '5-9' : '10+');
  const below = classes.filter((c) => c.length < kThreshold).reduce((sum, c) => sum + c.length, 0);
  const atRisk = rows.filter((row) => {
    const size = classes.find((c) => c.includes(row))!.length;
    return 1 / size > 1 / kThreshold;
  }).length;
  const n = rows.length;
  return {
    records: n,
    classes: classes.length,
    k,
    classSizeHistogram: CLASS_SIZE_BUCKETS.map((bucket) => ({
      bucket,
      classes: classes.filter((c) => bucketOf(c.length) === bucket).length,
      records: classes.filter((c) => bucketOf(c.length) === bucket).reduce((sum, c) => sum + c.length, 0),
    })),
    kThreshold,
    recordsBelowThreshold: below,
    shareBelowThreshold: n === 0 ? 0 : below / n,
    prosecutor: {
      maxRisk: n === 0 ? 0 : Math.max(...rows.map((row) => 1 / classes.find((c) => c.includes(row))!.length)),
      averageRisk: n === 0 ? 0 : rows.reduce((sum, row) => sum + 1 / classes.find((c) => c.includes(row))!.length, 0) / n,
      riskThreshold: 1 / kThreshold,
      recordsAtRisk: atRisk,
      shareAtRisk: n === 0 ? 0 : atRisk / n,
    },
    lThreshold,
    sensitive: sensitive.map((index) => {
      const perClass = classes.map((c) => {
        const values: Cell[] = [];
        for (const row of c) if (!values.includes(row[index]!)) values.push(row[index]!);
        const h = -values
          .map((v) => c.filter((row) => row[index] === v).length / c.length)
          .reduce((sum, p) => sum + p * Math.log(p), 0);
        return { distinct: values.length, h };
      });
      return {
        index,
        distinctL: n === 0 ? 0 : Math.min(...perClass.map((c) => c.distinct)),
        entropyL: n === 0 ? 0 : Math.exp(Math.min(...perClass.map((c) => c.h))),
        classesBelowDistinctL: perClass.filter((c) => c.distinct < lThreshold).length,
        classesBelowEntropyL: perClass.filter((c) => c.h < Math.log(lThreshold) - ENTROPY_TOLERANCE).length,
      };
    }),
  };
}

/** Numbers computed by different formulas agree to rounding; counts must agree exactly. */
function expectSameRisk(actual: ReidentificationRisk, expected: ReidentificationRisk): void {
  const { prosecutor, sensitive, shareBelowThreshold, ...exact } = actual;
  const { prosecutor: p, sensitive: s, shareBelowThreshold: share, ...expectedExact } = expected;
  expect(exact).toEqual(expectedExact);
  expect(shareBelowThreshold).toBeCloseTo(share, 12);
  expect(prosecutor.recordsAtRisk).toBe(p.recordsAtRisk);
  for (const key of ['maxRisk', 'averageRisk', 'riskThreshold', 'shareAtRisk'] as const) expect(prosecutor[key]).toBeCloseTo(p[key], 12);
  expect(sensitive.length).toBe(s.length);
  sensitive.forEach((attribute, i) => {
    const { entropyL, ...counts } = attribute;
    const { entropyL: naiveEntropyL, ...naiveCounts } = s[i]!;
    expect(counts).toEqual(naiveCounts);
    expect(entropyL).toBeCloseTo(naiveEntropyL, 9);
  });
}

// QI columns 0..2 over tiny alphabets so classes collide. The text "null", the empty string and
// separator-like values ("a|" + "x" vs "a" + "|x") must not merge with null or with each other.
const arbCell = (alphabet: string[]) => fc.oneof(fc.constantFrom(...alphabet), fc.constant(null));
const arbRow = fc.tuple(arbCell(['a', 'a|', '']), arbCell(['x', '|x', 'null']), arbCell(['1']), arbCell(['s', 't', 'u', 'v']), arbCell(['p', 'q']));
const arbCase = fc.record({
  rows: fc.array(arbRow, { maxLength: 120 }),
  qi: fc.subarray([0, 1, 2]),
  sensitive: fc.subarray([3, 4]),
  kThreshold: fc.integer({ min: 1, max: 12 }),
  lThreshold: fc.integer({ min: 1, max: 5 }),
});

describe(EquivalenceClassCounter.name, () => {
  // Hand-worked: QI (age band, ZIP prefix), sensitive diagnosis.
  const columns = ['age', 'zip', 'diagnosis'];
  const rows: Row[] = [
    ['30-39', '130**', 'flu'], // class A, size 3: flu ×2, cancer
    ['30-39', '130**', 'flu'],
    ['30-39', '130**', 'cancer'],
    ['40-49', '148**', 'flu'], // class B, size 2: flu ×2 (homogeneous)
    ['40-49', '148**', 'flu'],
    [null, '148**', 'hiv'], // class C, size 1: the missing age is its own value
    ['20-29', '130**', null], // class D, size 4: null, flu, cancer, hiv
    ['20-29', '130**', 'flu'],
    ['20-29', '130**', 'cancer'],
    ['20-29', '130**', 'hiv'],
  ];

  it('computes k, the class histogram, prosecutor risk and l-diversity of a hand-worked table', () => {
    const counter = new EquivalenceClassCounter([0, 1], [2]);
    rows.forEach((row) => counter.add(row));
    const result = counter.result({ kThreshold: 3, lThreshold: 2 });

    expect(result).toMatchObject({
      records: 10,
      classes: 4,
      k: 1,
      classSizeHistogram: [
        { bucket: '1', classes: 1, records: 1 },
        { bucket: '2', classes: 1, records: 2 },
        { bucket: '3-4', classes: 2, records: 7 },
        { bucket: '5-9', classes: 0, records: 0 },
        { bucket: '10+', classes: 0, records: 0 },
      ],
      recordsBelowThreshold: 3, // B and C
      shareBelowThreshold: 0.3,
      prosecutor: { maxRisk: 1, averageRisk: 0.4, riskThreshold: 1 / 3, recordsAtRisk: 3, shareAtRisk: 0.3 },
    });
    const [diagnosis] = result.sensitive;
    expect(diagnosis).toMatchObject({ index: 2, distinctL: 1, entropyL: 1, classesBelowDistinctL: 2 });
    // Entropy is stricter than distinct values: class A (2 flu, 1 cancer) has exp(H) ≈ 1.89 < 2.
    expect(diagnosis!.classesBelowEntropyL).toBe(3);
  });

  it('reports exp of the smallest class entropy once homogeneous classes are gone', () => {
    const counter = new EquivalenceClassCounter([0, 1], [2]);
    rows.slice(0, 3).forEach((row) => counter.add(row));
    rows.slice(6).forEach((row) => counter.add(row));
    const [diagnosis] = counter.result({ kThreshold: 3 }).sensitive;
    const entropyOfA = -((2 / 3) * Math.log(2 / 3) + (1 / 3) * Math.log(1 / 3));
    expect(diagnosis!.entropyL).toBeCloseTo(Math.exp(entropyOfA), 12);
    expect(diagnosis!.distinctL).toBe(2);
    expect(counter.result({ kThreshold: 3 }).k).toBe(3);
  });

  it('does not count an evenly split class as violating l = 2 through rounding', () => {
    const counter = new EquivalenceClassCounter([0], [1]);
    for (const row of [['g', 'a'], ['g', 'b'], ['h', 'a'], ['h', 'b'], ['h', 'c'], ['h', 'c']]) counter.add(row);
    const [attribute] = counter.result({ kThreshold: 2, lThreshold: 2 }).sensitive;
    expect(attribute!.classesBelowEntropyL).toBe(0);
    expect(attribute!.entropyL).toBeCloseTo(2, 12);
    expect(counter.result({ kThreshold: 2, lThreshold: 3 }).sensitive[0]!.classesBelowEntropyL).toBe(2);
  });

  it('keeps a missing value apart from the text "null"', () => {
    const counter = new EquivalenceClassCounter([0], []);
    counter.add([null]);
    counter.add(['null']);
    counter.add([null]);
    expect(counter.result({ kThreshold: 2 })).toMatchObject({ classes: 2, k: 1, recordsBelowThreshold: 1 });
  });

  it('treats the whole table as one class when there are no quasi-identifiers', () => {
    const counter = new EquivalenceClassCounter([], [2]);
    rows.forEach((row) => counter.add(row));
    expect(counter.result({ kThreshold: 5 })).toMatchObject({ classes: 1, k: 10, recordsBelowThreshold: 0, sensitive: [{ distinctL: 4 }] });
  });

  it('returns k = 0 and zero risk for no records, so a "k ≥ n" rule fails closed', () => {
    const result = new EquivalenceClassCounter([0], [1]).result({ kThreshold: 5 });
    expect(result).toMatchObject({ records: 0, classes: 0, k: 0, shareBelowThreshold: 0, prosecutor: { maxRisk: 0, averageRisk: 0 } });
    expect(result.sensitive).toEqual([{ index: 1, distinctL: 0, entropyL: 0, classesBelowDistinctL: 0, classesBelowEntropyL: 0 }]);
  });

  it('refuses bad thresholds, bad indexes and short rows', () => {
    const counter = new EquivalenceClassCounter([0], [3]);
    expect(() => counter.result({ kThreshold: 0 })).toThrow(RangeError);
    expect(() => counter.result({ kThreshold: 2.5 })).toThrow(RangeError);
    expect(() => counter.result({ kThreshold: 2, lThreshold: 0 })).toThrow(RangeError);
    expect(() => new EquivalenceClassCounter([-1], [])).toThrow(RangeError);
    expect(() => counter.add(['a', 'b'])).toThrow(/column 3 is missing/);
    expect(counter.result({ kThreshold: 1 })).toMatchObject({ records: 0, classes: 0 });
  });

  it('agrees with a naive nested-loop implementation on random tables', () => {
    fc.assert(
      fc.property(arbCase, ({ rows: randomRows, qi, sensitive, kThreshold, lThreshold }) => {
        const counter = new EquivalenceClassCounter(qi, sensitive);
        randomRows.forEach((row) => counter.add(row));
        expectSameRisk(counter.result({ kThreshold, lThreshold }), naiveRisk(randomRows, qi, sensitive, kThreshold, lThreshold));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on row order', () => {
    fc.assert(
      fc.property(arbCase, fc.func(fc.integer()), ({ rows: randomRows, qi, sensitive, kThreshold }, order) => {
        const shuffled = randomRows.map((row, i) => ({ row, key: order(i) })).sort((a, b) => a.key - b.key).map(({ row }) => row);
        const run = (input: Row[]) => {
          const counter = new EquivalenceClassCounter(qi, sensitive);
          input.forEach((row) => counter.add(row));
          return counter.result({ kThreshold });
        };
        expectSameRisk(run(shuffled), run(randomRows));
      }),
      { numRuns: 100 },
    );
  });

  describe(reidentificationRisk.name, () => {
    it('names columns instead of indexing them', () => {
      const table: Table = { columns, rows };
      const result = reidentificationRisk(table, { quasiIdentifiers: ['age', 'zip'], sensitiveAttributes: ['diagnosis'], kThreshold: 3 });
      expect(result).toMatchObject({ k: 1, classes: 4, sensitive: [{ index: 2, distinctL: 1 }] });
      expect(() => reidentificationRisk(table, { quasiIdentifiers: ['postcode'], sensitiveAttributes: [], kThreshold: 3 })).toThrow(
        /"postcode" is not in the table/,
      );
    });
  });
});
