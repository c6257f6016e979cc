import { poissonSample } from './poisson.sampler';
import { secureStream, seededStream } from './random-source';

describe(poissonSample.name, () => {
  it('includes each row independently with probability q: batch sizes vary around q·N, every row equally often', () => {
    const [rows, q, draws] = [200, 0.05, 4000];
    const counts = new Array<number>(rows).fill(0);
    const sizes: number[] = [];
    let increasing = true;
    for (let d = 0; d < draws; d++) {
      const batch = poissonSample(rows, q, seededStream(d));
      sizes.push(batch.length);
      batch.forEach((row, i) => {
        counts[row] = (counts[row] ?? 0) + 1;
        if (i > 0 && row <= (batch[i - 1] as number)) increasing = false;
      });
    }
    expect(increasing).toBe(true);
    const mean = sizes.reduce((a, b) => a + b, 0) / draws;
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws - 1);
    // Binomial(200, 0.05): mean 10, variance 9.5.
    expect(mean).toBeCloseTo(10, 0);
    expect(variance / 9.5).toBeGreaterThan(0.85);
    expect(variance / 9.5).toBeLessThan(1.15);
    // Pearson χ² of per-row inclusion counts against draws·q (199 degrees of freedom: mean 199, sd ≈ 20).
    const expected = draws * q;
    const chiSquare = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(199 + 5 * 20);
  });

  it('is a function of the seed; q = 0 and q = 1 are exact', () => {
    expect(poissonSample(1000, 0.1, seededStream(7))).toEqual(poissonSample(1000, 0.1, seededStream(7)));
    expect(poissonSample(1000, 0.1, seededStream(7))).not.toEqual(poissonSample(1000, 0.1, seededStream(8)));
    expect(poissonSample(50, 0, seededStream(1))).toHaveLength(0);
    expect(Array.from(poissonSample(5, 1, seededStream(1)))).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws from the CSPRNG in secure mode', () => {
    const stream = secureStream();
    const uniforms = Array.from({ length: 5000 }, () => stream.uniform());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((a, b) => a + b, 0) / uniforms.length).toBeCloseTo(0.5, 1);
    const batch = poissonSample(10_000, 0.01, stream);
    expect(batch.length).toBeGreaterThan(50);
    expect(batch.length).toBeLessThan(150);
  });
});
