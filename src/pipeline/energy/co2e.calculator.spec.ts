import { co2eFor, joulesToKwh } from './co2e.calculator';
import { EU27_2023_GRID_INTENSITY, resolveGridIntensity } from './grid-intensity';

describe('co2eFor', () => {
  it('multiplies energy by intensity; bounds pair low with low and high with high', () => {
    expect(joulesToKwh(3_600_000)).toBe(1);
    // 0.5 kWh × 214 g/kWh = 107 g; low 0.4 × 214 × 0.9 = 77.04; high 0.7 × 214 × 1.1 = 164.78.
    const c = co2eFor(0.5, [0.4, 0.7], EU27_2023_GRID_INTENSITY);
    expect(c.co2eGrams).toBeCloseTo(107, 10);
    expect(c.co2eBoundsGrams[0]).toBeCloseTo(77.04, 10);
    expect(c.co2eBoundsGrams[1]).toBeCloseTo(164.78, 10);
  });

  it('takes a configured intensity without stated uncertainty as exact', () => {
    const grid = resolveGridIntensity({ gCo2ePerKwh: 56, source: 'Ember, via Our World in Data', year: '2023', region: 'FR' });
    expect(co2eFor(2, [1, 3], grid)).toEqual({ co2eGrams: 112, co2eBoundsGrams: [56, 168] });
  });
});

describe('resolveGridIntensity', () => {
  it('defaults to the documented EU-27 2023 placeholder, with its source and year', () => {
    const grid = resolveGridIntensity();
    expect(grid).toEqual(EU27_2023_GRID_INTENSITY);
    expect(grid.source).toContain('European Environment Agency');
    expect(grid.year).toBe('2023');
    expect(grid).not.toBe(EU27_2023_GRID_INTENSITY);
  });

  it('refuses an intensity without a source, year or region, or out of range', () => {
    expect(() => resolveGridIntensity({ gCo2ePerKwh: 100, source: ' ', year: '2023', region: 'X' })).toThrow(/source/);
    expect(() => resolveGridIntensity({ gCo2ePerKwh: 100, source: 'S', year: '', region: 'X' })).toThrow(/year/);
    expect(() => resolveGridIntensity({ gCo2ePerKwh: -1, source: 'S', year: '2023', region: 'X' })).toThrow(RangeError);
    expect(() => resolveGridIntensity({ gCo2ePerKwh: 100, source: 'S', year: '2023', region: 'X', relativeUncertainty: 2 })).toThrow(/relativeUncertainty/);
  });
});
