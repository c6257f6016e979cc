import fc from 'fast-check';
import { largestRemainder, seededRandom, shuffleInPlace } from './seeded-random';

describe('seededRandom and shuffleInPlace', () => {
  it('shuffles to a permutation, the same one for the same seed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.string(), (items, seed) => {
        const a = shuffleInPlace([...items], seededRandom(seed));
        expect([...a].sort()).toEqual([...items].sort());
        expect(shuffleInPlace([...items], seededRandom(seed))).toEqual(a);
      }),
    );
  });

  it('puts every item in every position about equally often', () => {
    const random = seededRandom('uniformity');
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const trials = 40_000;
    for (let t = 0; t < trials; t++) shuffleInPlace([0, 1, 2, 3], random).forEach((item, position) => counts[item]![position]!++);
    for (const row of counts) for (const c of row) expect(Math.abs(c / trials - 0.25)).toBeLessThan(0.01);
  });
});

describe('largestRemainder', () => {
  it('sums to the total, each count within one of its quota', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 10 }),
        fc.string(),
        (total, weights, seed) => {
          const counts = largestRemainder(total, weights, seededRandom(seed));
          const sum = weights.reduce((a, b) => a + b, 0);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
          counts.forEach((count, i) => expect(Math.abs(count - (total * weights[i]!) / sum)).toBeLessThan(1));
        },
      ),
    );
  });

  it('hand-worked: 10 at 0.7/0.15/0.15 → 7 and a 1/2 split decided by the seed', () => {
    const seen = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const counts = largestRemainder(10, [0.7, 0.15, 0.15], seededRandom(String(s)));
      expect(counts[0]).toBe(7);
      seen.add(counts.join(','));
    }
    expect(seen).toEqual(new Set(['7,2,1', '7,1,2']));
  });
});
