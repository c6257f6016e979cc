import { noiseMultiplierForEpsilon } from './noise-multiplier.calibrator';
import { computePrivacySpent } from './privacy-spent';

const MNIST = { sampleRate: 256 / 60000, steps: Math.ceil((60 * 60000) / 256), delta: 1e-5 };
/** Coarser than the default 1e-6, to keep the spec fast; still well inside what the assertions need. */
const CALIBRATE = { ...MNIST, relativeTolerance: 1e-5 };

describe(noiseMultiplierForEpsilon.name, () => {
  it('finds the σ of a published run from its ε (classic), on the safe side', () => {
    const target = computePrivacySpent({ ...MNIST, noiseMultiplier: 1.1, conversion: 'classic' }).epsilon as number;
    const { noiseMultiplier, privacy } = noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: target, conversion: 'classic' });
    expect(noiseMultiplier).toBeCloseTo(1.1, 4);
    expect(privacy.epsilon).toBeLessThanOrEqual(target);
    expect(privacy.noiseMultiplier).toBe(noiseMultiplier);
  });

  it('returns the smallest σ: a little less noise overshoots the target', () => {
    for (const conversion of ['classic', 'balle2020'] as const) {
      const { noiseMultiplier } = noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: 1, conversion });
      expect(computePrivacySpent({ ...MNIST, noiseMultiplier, conversion }).epsilon).toBeLessThanOrEqual(1);
      expect(computePrivacySpent({ ...MNIST, noiseMultiplier: noiseMultiplier * 0.999, conversion }).epsilon).toBeGreaterThan(1);
    }
    // The tighter conversion needs less noise for the same ε.
    const balle = noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: 1, conversion: 'balle2020' }).noiseMultiplier;
    const classic = noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: 1, conversion: 'classic' }).noiseMultiplier;
    expect(balle).toBeLessThan(classic);
  });

  it('needs no noise when no data is touched', () => {
    expect(noiseMultiplierForEpsilon({ ...CALIBRATE, steps: 0, targetEpsilon: 0.5 }).noiseMultiplier).toBe(0);
  });

  it('says when no noise can reach the target, with the floor', () => {
    // Classic: ε ≥ −ln δ / (63 − 1) ≈ 0.186 whatever σ, with orders up to 63.
    expect(() => noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: 0.1, conversion: 'classic' })).toThrow(
      expect.objectContaining({ code: 'DP_TARGET_UNREACHABLE', details: expect.objectContaining({ floor: expect.closeTo(-Math.log(1e-5) / 62, 10) }) }),
    );
    expect(() => noiseMultiplierForEpsilon({ ...CALIBRATE, targetEpsilon: 0 })).toThrow(expect.objectContaining({ code: 'DP_PARAMETER_INVALID' }));
  });
});
