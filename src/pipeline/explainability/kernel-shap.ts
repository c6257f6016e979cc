import { ExplainabilityError } from './explainability.error';
import { checkFeatureGroups, singletonGroups, type FeatureGroup } from './feature-groups';
import { checkInteger, checkMatrix, checkPredictions, checkSeed } from './input-checks';
import { plainZero } from './json-safety';
import type { ColumnAttribution } from './integrated-gradients';
import { solveLinearSystem } from './linear-system';
import { DEFAULT_BATCH_ROWS, type PredictFunction } from './predict-function';
import { sampleWithoutReplacement, seededRandom } from './seeded-sampling';
import { shapleyCoalitions, type Coalitions } from './shapley-coalitions';

export interface KernelShapOptions {
  /** One score per row (e.g. scorePredictor). */
  predict: PredictFunction;
  /** The row to explain: `features` values. */
  x: Float32Array;
  features: number;
  /** Rows standing for "feature absent" (usually a sample of the training split), row-major. */
  background: Float32Array;
  backgroundRows: number;
  /** Background rows used: a seeded sample without replacement when more are given; default 50. */
  backgroundSize?: number;
  /** Players of the game: original columns. Default one per encoded feature. */
  groups?: readonly FeatureGroup[];
  /**
   * Coalitions evaluated, the empty and the full one included; default 2M + 2048 (M players, as
   * shap's `nsamples="auto"`). When 2^M fits, every coalition is evaluated and the values are exact.
   */
  nsamples?: number;
  seed: number;
  /**
   * Rows per predict call, rounded down to whole coalitions (at least one); default 16 384, the
   * tfjs adapter's batch (DEFAULT_BATCH_ROWS), so each call is one tensor. One buffer of this size
   * is reused from call to call: a predict function must not keep its input once its promise resolves.
   */
  batchRows?: number;
}

export interface EfficiencyCheck {
  /** f(x) − E_background[f]. */
  expected: number;
  /** Σ values. */
  sum: number;
  absoluteError: number;
  /** 1e-6 · max(1, |expected|): float64 solve round-off, nothing more, is allowed. */
  bound: number;
  passed: boolean;
}

export interface KernelShapExplanation {
  method: 'kernel-shap';
  seed: number;
  /** E_background[f]: the mean score over the background rows (the empty coalition). */
  baseValue: number;
  /** f(x) (the full coalition). */
  score: number;
  /** Shapley values per original column, in group order. */
  columns: ColumnAttribution[];
  /** Distinct coalitions evaluated, empty and full included. */
  nsamples: number;
  /** Every proper coalition was evaluated: the values are the exact Shapley values of the game below. */
  exact: boolean;
  backgroundSize: number;
  /** Indices of the background rows used, ascending. */
  backgroundIndices: number[];
  /** nsamples × backgroundSize. */
  rowsEvaluated: number;
  predictCalls: number;
  efficiency: EfficiencyCheck;
}

export const KERNEL_SHAP_DEFAULTS = { backgroundSize: 50, extraSamples: 2048, batchRows: DEFAULT_BATCH_ROWS } as const;

/** Bounds against hostile or mistaken requests: rows evaluated grow as nsamples × background size. */
export const KERNEL_SHAP_LIMITS = { nsamples: 1 << 20, backgroundSize: 10_000, rowsEvaluated: 1 << 25 } as const;

/**
 * KernelSHAP (Lundberg & Lee 2017, "A Unified Approach to Interpreting Model Predictions", §4.1)
 * for the game v(S) = E_b[f(x_S, b_S̄)] over background rows b — interventional (features
 * independent of each other), with players the original columns, so a one-hot group is present or
 * absent as a whole. The values solve the Shapley-kernel weighted least squares
 * min Σ_z π(z) (v(z) − v(∅) − z·φ)² subject to Σφ = v(full) − v(∅) (efficiency, via its Lagrange
 * system), which with every coalition present gives exactly the Shapley values.
 *
 * Every coalition row of the explanation — nsamples × background rows — goes through the predict
 * function in batches of `batchRows` (one call when they fit), built into one reused buffer, so
 * the cost is essentially one batched predict over those rows.
 */
export async function kernelShap(options: KernelShapOptions): Promise<KernelShapExplanation> {
  const { predict, x, features, background, backgroundRows } = options;
  checkInteger(features, 'features', 1);
  checkMatrix(x, 1, features, 'x');
  checkMatrix(background, backgroundRows, features, 'background');
  const groups = checkFeatureGroups(options.groups ?? singletonGroups(features), features);
  checkSeed(options.seed);
  const players = groups.length;
  const nsamples = options.nsamples ?? 2 * players + KERNEL_SHAP_DEFAULTS.extraSamples;
  // Fewer coalitions than players leaves the regression underdetermined.
  checkInteger(nsamples, 'nsamples', players <= 30 ? Math.min(2 ** players, players + 2) : players + 2, KERNEL_SHAP_LIMITS.nsamples);
  const backgroundSize = Math.min(options.backgroundSize ?? KERNEL_SHAP_DEFAULTS.backgroundSize, backgroundRows);
  checkInteger(backgroundSize, 'backgroundSize', 1, KERNEL_SHAP_LIMITS.backgroundSize);
  if (Math.min(nsamples, players <= 30 ? 2 ** players : Infinity) * backgroundSize > KERNEL_SHAP_LIMITS.rowsEvaluated) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `nsamples × backgroundSize exceeds ${KERNEL_SHAP_LIMITS.rowsEvaluated} rows`, {
      option: 'nsamples',
      expected: KERNEL_SHAP_LIMITS.rowsEvaluated,
      found: nsamples * backgroundSize,
    });
  }
  const batchRows = options.batchRows ?? KERNEL_SHAP_DEFAULTS.batchRows;
  checkInteger(batchRows, 'batchRows', 1);

  const indices =
    backgroundSize < backgroundRows
      ? sampleWithoutReplacement(backgroundRows, backgroundSize, seededRandom(options.seed, 'kernel-shap', 'background'))
      : Int32Array.from({ length: backgroundRows }, (_, i) => i);
  const coalitions = shapleyCoalitions(players, nsamples - 2, seededRandom(options.seed, 'kernel-shap', 'coalitions'));

  // Row blocks: the empty coalition, the full one, then the regression coalitions.
  const blocks = coalitions.count + 2;
  const { values, predictCalls } = await evaluateCoalitions(predict, x, features, background, indices, groups, coalitions, batchRows);
  const baseValue = plainZero(values[0] as number);
  const score = plainZero(values[1] as number);
  const expected = plainZero(score - baseValue);
  const phi = constrainedRegression(coalitions, values.subarray(2), baseValue, expected);
  const sum = plainZero(phi.reduce((a, b) => a + b, 0));
  const absoluteError = Math.abs(sum - expected);
  const bound = 1e-6 * Math.max(1, Math.abs(expected));
  return {
    method: 'kernel-shap',
    seed: options.seed,
    baseValue,
    score,
    columns: phi.map((value, g) => ({ column: (groups[g] as FeatureGroup).name, value: plainZero(value) })),
    nsamples: blocks,
    exact: coalitions.exact,
    backgroundSize,
    backgroundIndices: Array.from(indices),
    rowsEvaluated: blocks * backgroundSize,
    predictCalls,
    efficiency: { expected, sum, absoluteError, bound, passed: absoluteError <= bound },
  };
}

/**
 * v(z) for the empty, the full and every regression coalition, in that order (float64 means over
 * the background). A coalition's block of rows starts as a copy of the background block or of x
 * repeated, whichever it shares more features with, and the other source's features are written
 * over it: kernel weight favours very small and very large coalitions, so few values are written
 * one by one and building the rows costs little next to scoring them.
 */
async function evaluateCoalitions(
  predict: PredictFunction,
  x: Float32Array,
  features: number,
  background: Float32Array,
  indices: Int32Array,
  groups: readonly FeatureGroup[],
  coalitions: Coalitions,
  batchRows: number,
): Promise<{ values: Float64Array; predictCalls: number }> {
  const players = groups.length;
  const b = indices.length;
  const blockSize = b * features;
  const blocks = coalitions.count + 2;
  const blocksPerCall = Math.max(1, Math.floor(batchRows / b));
  const values = new Float64Array(blocks);
  const backgroundBlock = new Float32Array(blockSize);
  indices.forEach((r, j) => backgroundBlock.set(background.subarray(r * features, (r + 1) * features), j * features));
  const xBlock = new Float32Array(blockSize);
  for (let j = 0; j < b; j++) xBlock.set(x, j * features);
  const fromX = new Uint8Array(features);
  const overwrite = new Int32Array(features);
  let predictCalls = 0;
  // One buffer for every call (the predict function is done with it once its promise resolves).
  const buffer = new Float32Array(Math.min(blocksPerCall, blocks) * blockSize);
  for (let first = 0; first < blocks; first += blocksPerCall) {
    const count = Math.min(blocksPerCall, blocks - first);
    const rows = count * b;
    const matrix = buffer.subarray(0, rows * features);
    for (let k = 0; k < count; k++) {
      const block = first + k;
      const start = k * blockSize;
      if (block < 2) {
        matrix.set(block === 0 ? backgroundBlock : xBlock, start);
        continue;
      }
      let present = 0;
      const maskStart = (block - 2) * players;
      for (let p = 0; p < players; p++) {
        const on = coalitions.masks[maskStart + p] as number;
        for (const f of (groups[p] as FeatureGroup).features) fromX[f] = on;
        if (on) present += (groups[p] as FeatureGroup).features.length;
      }
      const startFromX = present * 2 > features;
      const base = startFromX ? xBlock : backgroundBlock;
      const other = startFromX ? backgroundBlock : xBlock;
      let n = 0;
      for (let f = 0; f < features; f++) if ((fromX[f] === 1) !== startFromX) overwrite[n++] = f;
      matrix.set(base, start);
      for (let i = 0; i < n; i++) {
        const f = overwrite[i] as number;
        for (let at = f; at < blockSize; at += features) matrix[start + at] = other[at] as number;
      }
    }
    const scores = await predict(matrix, rows);
    predictCalls++;
    checkPredictions(scores, rows);
    for (let k = 0; k < count; k++) {
      let sum = 0;
      for (let j = 0; j < b; j++) sum += scores[k * b + j] as number;
      values[first + k] = sum / b;
    }
  }
  return { values, predictCalls };
}

/**
 * φ minimising Σ w_z (v_z − base − z·φ)² subject to Σφ = expected: the Lagrange (KKT) system
 * [ZᵀWZ 1; 1ᵀ 0]·[φ; λ] = [ZᵀW(v − base); expected]. Should ZᵀWZ be singular on the sampled
 * coalitions, a ridge of 1e-9 · its largest diagonal entry is added (reported values then carry
 * that bias; efficiency still holds exactly).
 */
function constrainedRegression(coalitions: Coalitions, values: Float64Array, base: number, expected: number): number[] {
  const m = coalitions.players;
  if (m === 1) return [expected];
  const n = m + 1;
  const system = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  const members = new Int32Array(m);
  for (let c = 0; c < coalitions.count; c++) {
    const w = coalitions.weights[c] as number;
    const y = (values[c] as number) - base;
    let size = 0;
    for (let i = 0, at = c * m; i < m; i++, at++) if (coalitions.masks[at]) members[size++] = i;
    for (let a = 0; a < size; a++) {
      const i = members[a] as number;
      rhs[i] = (rhs[i] as number) + w * y;
      for (let b = 0; b < size; b++) {
        const at = i * n + (members[b] as number);
        system[at] = (system[at] as number) + w;
      }
    }
  }
  for (let i = 0; i < m; i++) {
    system[i * n + m] = 1;
    system[m * n + i] = 1;
  }
  rhs[m] = expected;
  let solution = solveLinearSystem(system, rhs, n);
  if (!solution) {
    let largest = 0;
    for (let i = 0; i < m; i++) largest = Math.max(largest, system[i * n + i] as number);
    for (let i = 0; i < m; i++) system[i * n + i] = (system[i * n + i] as number) + 1e-9 * (largest || 1);
    solution = solveLinearSystem(system, rhs, n);
  }
  if (!solution) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'the KernelSHAP regression is singular; raise nsamples', { option: 'nsamples' });
  return Array.from(solution.subarray(0, m));
}
