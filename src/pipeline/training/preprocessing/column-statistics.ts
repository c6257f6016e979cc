import { parseNumber } from '../../datasets/transformations';

/** Code-unit order: locale-independent, so a vocabulary sorts the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorted distinct values: numerically when every value spells a number (so class "10" follows
 * "9"), else by code units. One rule for the whole list keeps the order total (a mixed
 * numeric/text comparator is not transitive).
 */
export function sortValues(values: Iterable<string>): string[] {
  const list = [...new Set(values)];
  const numbers = list.map((v) => parseNumber(v));
  if (numbers.every((n) => n !== undefined)) {
    const byValue = new Map(list.map((v, i) => [v, numbers[i] as number]));
    return list.sort((a, b) => (byValue.get(a) as number) - (byValue.get(b) as number) || compareCodeUnits(a, b));
  }
  return list.sort(compareCodeUnits);
}

/**
 * Mean and population standard deviation (divide by n, as scikit-learn's StandardScaler does) by
 * Welford's method over the values in ascending order: no overflow from a running sum, and the
 * result does not depend on row order, so shuffled training rows fit the same preprocessor.
 */
export function meanAndStd(ascending: readonly number[]): { mean: number; std: number } {
  let mean = 0;
  let m2 = 0;
  ascending.forEach((value, i) => {
    const delta = value - mean;
    mean += delta / (i + 1);
    m2 += delta * (value - mean);
  });
  const n = ascending.length;
  return { mean, std: n > 0 ? Math.sqrt(Math.max(0, m2 / n)) : 0 };
}

/** Median of ascending values (the mean of the middle two for an even count). */
export function median(ascending: readonly number[]): number {
  const n = ascending.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  const upper = ascending[mid] as number;
  return n % 2 === 1 ? upper : (ascending[mid - 1] as number) / 2 + upper / 2;
}
