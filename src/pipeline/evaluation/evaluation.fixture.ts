/**
 * Test helpers for the evaluation specs: a check that a result is plain, hashable JSON, and a
 * seeded synthetic binary data set with a known signal.
 */
import canonicalize from 'canonicalize';
import seedrandom from 'seedrandom';

/** Throws unless `value` holds only plain objects, arrays, strings, booleans, null and finite numbers. */
export function assertPlainJson(value: unknown, path = '$'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) throw new Error(`${path}.${key} is undefined`);
      assertPlainJson(item, `${path}.${key}`);
    }
    return;
  }
  throw new Error(`${path} is not plain JSON (${Object.prototype.toString.call(value)})`);
}

/** Plain JSON, canonicalisable (RFC 8785), and unchanged by a JSON round trip. */
export function expectEvidenceSafe(value: unknown): void {
  assertPlainJson(value);
  expect(() => canonicalize(value)).not.toThrow();
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

export interface SyntheticBinary {
  yTrue: number[];
  scores: number[];
}

/**
 * n rows; label ~ Bernoulli(0.4); score = a noisy logistic of the label, so AUC is well inside
 * (0.5, 1). Scores are rounded to 3 decimals so ties occur.
 */
export function syntheticBinary(n: number, seed: string): SyntheticBinary {
  const random = seedrandom(seed);
  const yTrue: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = random() < 0.4 ? 1 : 0;
    const z = (y === 1 ? 0.8 : -0.8) + 1.2 * (random() + random() + random() - 1.5);
    yTrue.push(y);
    scores.push(Math.round(1000 / (1 + Math.exp(-z))) / 1000);
  }
  return { yTrue, scores };
}
