import { EvaluationError } from '../evaluation.error';
import { balancedMembershipSample, DEFAULT_MAX_PER_SIDE } from './balanced-sample';

describe(balancedMembershipSample.name, () => {
  it('draws min(members, non-members, cap) distinct rows per side, ascending and in range', () => {
    const sample = balancedMembershipSample(5000, 700, { seed: 4 });
    expect(sample.perSide).toBe(700);
    expect(sample.members).toHaveLength(700);
    // Every non-member is taken when they are the smaller side.
    expect(Array.from(sample.nonMembers)).toEqual(Array.from({ length: 700 }, (_, i) => i));
    const members = Array.from(sample.members);
    expect(new Set(members).size).toBe(700);
    expect(members).toEqual([...members].sort((a, b) => a - b));
    expect(members[0]).toBeGreaterThanOrEqual(0);
    expect(members[699]).toBeLessThan(5000);

    const capped = balancedMembershipSample(10_000, 9000, { seed: 4 });
    expect(capped.perSide).toBe(DEFAULT_MAX_PER_SIDE);
    expect(capped.nonMembers).toHaveLength(DEFAULT_MAX_PER_SIDE);
    expect(balancedMembershipSample(50, 80, { maxPerSide: 30 }).members).toHaveLength(30);
  });

  it('is reproducible from its seed; another seed draws other rows', () => {
    const a = balancedMembershipSample(1000, 1000, { maxPerSide: 100, seed: 9 });
    expect(balancedMembershipSample(1000, 1000, { maxPerSide: 100, seed: 9 })).toEqual(a);
    expect(balancedMembershipSample(1000, 1000, { maxPerSide: 100, seed: 'x' }).members).not.toEqual(a.members);
    // The two sides come from separate streams.
    expect(a.members).not.toEqual(a.nonMembers);
  });

  it('draws every row equally often', () => {
    // 3 of 10 rows, 4000 times: each row is drawn 1200 times in expectation (sd ≈ 29).
    const drawn = new Int32Array(10);
    for (let seed = 0; seed < 4000; seed++) for (const row of balancedMembershipSample(10, 3, { seed }).members) drawn[row]! += 1;
    for (const count of drawn) expect(Math.abs(count - 1200)).toBeLessThan(150);
  });

  it('rejects empty sides and bad options', () => {
    expect(() => balancedMembershipSample(0, 10)).toThrow(expect.objectContaining({ code: 'EVALUATION_NO_ROWS' }));
    expect(() => balancedMembershipSample(10, 1.5)).toThrow(EvaluationError);
    expect(() => balancedMembershipSample(10, 10, { maxPerSide: 0 })).toThrow(expect.objectContaining({ code: 'EVALUATION_OPTION_INVALID' }));
    expect(() => balancedMembershipSample(10, 10, { seed: 0.5 })).toThrow(expect.objectContaining({ code: 'EVALUATION_OPTION_INVALID' }));
  });
});
