import { logAdd, logErfc, logSub } from './log-space.math';

describe('log-space math', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [10, 2.088487583762545e-45],
    [-1, 1.8427007929497148],
  ])('ln erfc(%d) to 1e-13 relative', (x, erfc) => {
    expect(Math.abs(Math.exp(logErfc(x)) / erfc - 1)).toBeLessThan(1e-13);
  });

  it('stays finite far in the tail (asymptotic ln erfc(x) ≈ −x² − ln(x√π) + ln(1 − 1/2x²))', () => {
    expect(logErfc(100)).toBeCloseTo(-10000 - Math.log(100 * Math.sqrt(Math.PI)) + Math.log1p(-1 / 20000 + 3 / 4e8), 9);
    expect(logErfc(Infinity)).toBe(-Infinity);
  });

  it('is continuous where the series hands over to the continued fraction', () => {
    expect(logErfc(2 - 1e-12)).toBeCloseTo(logErfc(2), 10);
  });

  it('adds and subtracts in log space without overflow', () => {
    expect(logAdd(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAdd(-Infinity, 4)).toBe(4);
    expect(logAdd(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSub(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
    expect(logSub(3, 3)).toBe(-Infinity);
    expect(logSub(1, 2)).toBeNaN();
  });
});
