import { generateSecret, hashSecret, parseSecret } from './token-secret';

describe('token secrets', () => {
  it('generates secrets with the kind prefix that parse back', () => {
    const secret = generateSecret('pat');
    expect(secret).toMatch(/^assay_pat_[0-9A-Za-z]{38}$/);
    expect(parseSecret(secret)).toBe('pat');
    expect(parseSecret(generateSecret('ses'))).toBe('ses');
  });

  it('rejects a secret with one character changed (checksum)', () => {
    const secret = generateSecret('pat');
    const i = 'assay_pat_'.length + 5;
    const changed = secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1);
    expect(parseSecret(changed)).toBeNull();
  });

  it('rejects malformed input', () => {
    for (const bad of ['', 'assay_pat_', 'Bearer x', `assay_xyz_${'a'.repeat(38)}`, `${generateSecret('pat')}x`]) {
      expect(parseSecret(bad)).toBeNull();
    }
  });

  it('hashes deterministically and never returns the secret', () => {
    const secret = generateSecret('pat');
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toContain(secret.slice(10));
  });
});
