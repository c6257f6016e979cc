import { populationStabilityIndex, psiBand, PSI_FLOOR } from './psi';

describe(populationStabilityIndex.name, () => {
  it('matches a numpy computation', () => {
    // e = np.array([.25] * 4); a = np.array([10, 20, 30, 40]) / 100; np.sum((a - e) * np.log(a / e))
    expect(populationStabilityIndex([0.25, 0.25, 0.25, 0.25], [10, 20, 30, 40])).toBeCloseTo(0.22821740957339182, 14);
  });

  it('is exactly 0 for identical distributions', () => {
    expect(populationStabilityIndex([0.5, 0.3, 0.2, 0], [50, 30, 20, 0])).toBe(0);
  });

  it('floors both sides, so an empty bin adds a large finite term and a bin empty on both sides adds nothing', () => {
    // e = np.maximum([.5, .3, .2, 0], f); a = np.maximum(np.array([60, 40, 0, 0]) / 100, f); np.sum((a - e) * np.log(a / e))
    // with f = 1e-4 and f = 1e-3
    expect(PSI_FLOOR).toBe(1e-4);
    expect(populationStabilityIndex([0.5, 0.3, 0.2, 0], [60, 40, 0, 0])).toBeCloseTo(1.566420764587036, 14);
    expect(populationStabilityIndex([0.5, 0.3, 0.2, 0], [60, 40, 0, 0], { floor: 1e-3 })).toBeCloseTo(1.101365518867633, 14);
  });

  it('refuses mismatched bins, no observations, negative counts and a floor outside (0, 1)', () => {
    expect(() => populationStabilityIndex([0.5, 0.5], [1])).toThrow(RangeError);
    expect(() => populationStabilityIndex([0.5, 0.5], [0, 0])).toThrow(/no observation/);
    expect(() => populationStabilityIndex([0.5, 0.5], [3, -1])).toThrow(/non-negative/);
    expect(() => populationStabilityIndex([0.5, 0.5], [1, 1], { floor: 0 })).toThrow(/floor/);
  });
});

describe(psiBand.name, () => {
  it('reads PSI in the conventional bands', () => {
    expect([0, 0.099, 0.1, 0.25, 0.2501].map(psiBand)).toEqual(['stable', 'stable', 'moderate', 'moderate', 'significant']);
  });
});
