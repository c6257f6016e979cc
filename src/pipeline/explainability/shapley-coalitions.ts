import { weightedIndex, type Random } from './seeded-sampling';

/**
 * The coalitions KernelSHAP regresses on, with their Shapley kernel weights
 * π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|)) (Lundberg & Lee 2017, Theorem 2), normalised to
 * sum to 1. The empty and the full coalition (infinite weight) are not among them: the solver
 * enforces them as constraints.
 */
export interface Coalitions {
  /** Players (feature groups). */
  players: number;
  count: number;
  /** `count × players` 0/1: whether a player's values come from x (1) or the background (0). */
  masks: Uint8Array;
  weights: Float64Array;
  /** Every proper non-empty coalition is present with its exact weight. */
  exact: boolean;
}

/**
 * Up to `budget` distinct coalitions over `players`. When 2^M − 2 fits in the budget, all of them
 * (exact: the weighted regression then returns the exact Shapley values). Otherwise the scheme of
 * the reference implementation (shap's KernelExplainer): coalition sizes are taken in pairs
 * (s, M − s) from the heaviest (smallest s) down, and a pair whose subsets all fit in its share of
 * the remaining budget is enumerated with its exact weights; the rest is filled by paired sampling
 * (a size drawn by its kernel mass, a uniform subset of that size, and its complement), each
 * distinct coalition weighted by how often it was drawn, rescaled to the mass of the sampled sizes.
 */
export function shapleyCoalitions(players: number, budget: number, random: Random): Coalitions {
  const builder = new CoalitionBuilder(players);
  const m = players;
  if (m < 2) return builder.build(true);
  if (m <= 30 && 2 ** m - 2 <= budget) {
    const norm = sizeMassTotal(m);
    const mask = new Uint8Array(m);
    for (let bits = 1; bits < 2 ** m - 1; bits++) {
      let size = 0;
      for (let p = 0; p < m; p++) {
        mask[p] = (bits >>> p) & 1;
        size += mask[p] as number;
      }
      builder.add(mask, sizeMass(m, size) / binomial(m, size) / norm);
    }
    return builder.build(true);
  }

  const sizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  // Kernel mass per size class: sizes s and M − s together when they differ.
  const weightVector = Array.from({ length: sizes }, (_, i) => sizeMass(m, i + 1) * (i < pairedSizes ? 2 : 1));
  const totalMass = weightVector.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) weightVector[i] = (weightVector[i] as number) / totalMass;

  let left = budget;
  let fullSizes = 0;
  const remaining = [...weightVector];
  for (let i = 0; i < sizes; i++) {
    const size = i + 1;
    const paired = i < pairedSizes;
    const subsets = binomial(m, size) * (paired ? 2 : 1);
    if ((left * (remaining[i] as number)) / subsets < 1 - 1e-8) break;
    fullSizes++;
    left -= subsets;
    const share = remaining[i] as number;
    if (share < 1) for (let j = 0; j < sizes; j++) remaining[j] = (remaining[j] as number) / (1 - share);
    const weight = (weightVector[i] as number) / binomial(m, size) / (paired ? 2 : 1);
    forEachSubset(m, size, (mask) => {
      builder.add(mask, weight);
      if (paired) builder.add(complement(mask), weight);
    });
  }

  const fixed = builder.count;
  if (fullSizes < sizes && left > 0) {
    // Each draw also adds its complement, so a paired size class is drawn with half its mass.
    const drawMass = weightVector.slice(fullSizes).map((w, j) => (fullSizes + j < pairedSizes ? w / 2 : w));
    const drawTotal = drawMass.reduce((a, b) => a + b, 0);
    const mask = new Uint8Array(m);
    const other = new Uint8Array(m);
    // A partial Fisher–Yates over a persistent permutation: its first `size` entries are a uniform subset whatever order it starts in.
    const pool = Int32Array.from({ length: m }, (_, p) => p);
    for (let draws = 4 * left; left > 0 && draws > 0; draws--) {
      const i = fullSizes + weightedIndex(drawMass, drawTotal, random);
      const size = i + 1;
      mask.fill(0);
      for (let k = 0; k < size; k++) {
        const j = k + Math.floor(random() * (m - k));
        const chosen = pool[j] as number;
        pool[j] = pool[k] as number;
        pool[k] = chosen;
        mask[chosen] = 1;
      }
      if (builder.add(mask, 1)) left--;
      if (left > 0 && i < pairedSizes) {
        for (let p = 0; p < m; p++) other[p] = 1 - (mask[p] as number);
        if (builder.add(other, 1)) left--;
      }
    }
    const massLeft = weightVector.slice(fullSizes).reduce((a, b) => a + b, 0);
    builder.rescaleFrom(fixed, massLeft);
  }
  return builder.build(false);
}

/** Total kernel mass of the coalitions of one size: C(M, s) · π(s) = (M − 1) / (s (M − s)). */
function sizeMass(m: number, size: number): number {
  return (m - 1) / (size * (m - size));
}

function sizeMassTotal(m: number): number {
  let total = 0;
  for (let s = 1; s < m; s++) total += sizeMass(m, s);
  return total;
}

/** C(n, k) as a double (Infinity beyond double range, which compares correctly against budgets). */
export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(result);
}

function forEachSubset(n: number, size: number, visit: (mask: Uint8Array) => void): void {
  const index = Array.from({ length: size }, (_, i) => i);
  const mask = new Uint8Array(n);
  for (;;) {
    mask.fill(0);
    for (const i of index) mask[i] = 1;
    visit(mask);
    let i = size - 1;
    while (i >= 0 && index[i] === n - size + i) i--;
    if (i < 0) return;
    index[i] = (index[i] as number) + 1;
    for (let j = i + 1; j < size; j++) index[j] = (index[j - 1] as number) + 1;
  }
}

function complement(mask: Uint8Array): Uint8Array {
  return mask.map((v) => 1 - v);
}

/** Distinct coalitions with accumulated weights. */
class CoalitionBuilder {
  private readonly index = new Map<number | string, number>();
  private readonly masks: Uint8Array[] = [];
  private readonly weights: number[] = [];

  constructor(private readonly players: number) {}

  get count(): number {
    return this.masks.length;
  }

  /** Adds the coalition or, if present, its weight; true when it was new. */
  add(mask: Uint8Array, weight: number): boolean {
    const key = this.keyOf(mask);
    const at = this.index.get(key);
    if (at !== undefined) {
      this.weights[at] = (this.weights[at] as number) + weight;
      return false;
    }
    this.index.set(key, this.masks.length);
    this.masks.push(mask.slice());
    this.weights.push(weight);
    return true;
  }

  /** The mask as a number while it fits a double exactly (≤ 52 players), else as a string. */
  private keyOf(mask: Uint8Array): number | string {
    if (this.players <= 52) {
      let key = 0;
      for (let p = 0; p < this.players; p++) key = key * 2 + (mask[p] as number);
      return key;
    }
    return Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength).toString('latin1');
  }

  /** Scales the weights of coalitions from `start` on to sum to `mass`. */
  rescaleFrom(start: number, mass: number): void {
    let sum = 0;
    for (let i = start; i < this.weights.length; i++) sum += this.weights[i] as number;
    if (sum > 0) for (let i = start; i < this.weights.length; i++) this.weights[i] = ((this.weights[i] as number) * mass) / sum;
  }

  build(exact: boolean): Coalitions {
    const masks = new Uint8Array(this.masks.length * this.players);
    this.masks.forEach((mask, i) => masks.set(mask, i * this.players));
    return { players: this.players, count: this.masks.length, masks, weights: Float64Array.from(this.weights), exact };
  }
}
