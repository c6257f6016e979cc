import * as tf from '@tensorflow/tfjs';
import { checkFeatureGroups, singletonGroups, sumByGroup, type FeatureGroup } from './feature-groups';
import { checkInteger, checkMatrix, checkNonNegative } from './input-checks';
import { plainZero } from './json-safety';
import { modelScorer, type ModelScorer, type ScoreSpace, type ScoreTarget } from './model-scorer';

export interface CompletenessTolerance {
  /** Fraction of |f(x) − f(baseline)|; default 0.01 (1 %). */
  relative?: number;
  /**
   * Floor in score units, default 1e-5: when f(x) ≈ f(baseline) a relative bound shrinks below
   * float32 rounding of the forward passes and path gradients, and no step count could meet it.
   */
  absolute?: number;
}

export interface IntegratedGradientsOptions {
  /** A model from the training library, or a scorer already bound to a target. */
  model: tf.LayersModel | ModelScorer;
  /** Ignored when `model` is a scorer. */
  target?: ScoreTarget;
  /** Inputs to explain, row-major `rows × features`. */
  x: Float32Array;
  /** Default 1. */
  rows?: number;
  /**
   * The reference input, `features` values. Default all zeros: the training mean of standardised
   * numeric features (pass the training mean vector, e.g. from columnMeans, when one-hot or
   * unscaled features are present, so the baseline is the "average applicant").
   */
  baseline?: Float32Array;
  /** Original columns; default one group per encoded feature. */
  groups?: readonly FeatureGroup[];
  /** Trapezoid intervals of the first attempt; default 32. */
  initialSteps?: number;
  /** Doubling stops here; default 1024. */
  maxSteps?: number;
  tolerance?: CompletenessTolerance;
  /** Path points per gradient call (memory bound); default 1024. */
  batchRows?: number;
}

export interface CompletenessCheck {
  /** f(x) − f(baseline). */
  expected: number;
  /** Σ attributions. */
  sum: number;
  absoluteError: number;
  /** absoluteError ÷ |expected|; null when expected is 0. */
  relativeError: number | null;
  /** The bound applied: max(relative · |expected|, absolute). */
  bound: number;
  passed: boolean;
  /** Trapezoid intervals used (the path was evaluated at steps + 1 points). */
  steps: number;
}

export interface ColumnAttribution {
  column: string;
  value: number;
}

export interface IntegratedGradientsExplanation {
  method: 'integrated-gradients';
  classIndex: number;
  space: ScoreSpace;
  /** f(x). */
  score: number;
  /** f(baseline). */
  baselineScore: number;
  /** Per encoded feature. */
  attributions: number[];
  /** Per original column (sum over its features), in group order. */
  columns: ColumnAttribution[];
  completeness: CompletenessCheck;
  /** Gradient rows computed (path points, over all attempts). */
  gradientEvaluations: number;
}

export const INTEGRATED_GRADIENTS_DEFAULTS = { initialSteps: 32, maxSteps: 1024, relative: 0.01, absolute: 1e-5, batchRows: 1024 } as const;

/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep Networks"):
 * attribution_i = (x_i − b_i) · ∫₀¹ ∂f/∂x_i(b + α(x − b)) dα, with the integral by the trapezoidal
 * rule. Completeness (Σ attributions = f(x) − f(b)) is the paper's own check on the approximation:
 * when it fails by more than the tolerance, the step count doubles (reusing every gradient
 * computed so far: the new points are the midpoints), up to maxSteps. The result says how many
 * steps were used, the error achieved and whether the check passed; it does not throw on failure.
 * All path points of one input go through one gradient call per `batchRows` chunk.
 */
export async function integratedGradients(options: IntegratedGradientsOptions): Promise<IntegratedGradientsExplanation[]> {
  const scorer = options.model instanceof tf.LayersModel ? modelScorer(options.model, options.target) : options.model;
  const { features } = scorer;
  const rows = options.rows ?? 1;
  checkMatrix(options.x, rows, features, 'x');
  const baseline = options.baseline ?? new Float32Array(features);
  checkMatrix(baseline, 1, features, 'baseline');
  const groups = checkFeatureGroups(options.groups ?? singletonGroups(features), features);
  const initialSteps = options.initialSteps ?? INTEGRATED_GRADIENTS_DEFAULTS.initialSteps;
  const maxSteps = options.maxSteps ?? INTEGRATED_GRADIENTS_DEFAULTS.maxSteps;
  checkInteger(initialSteps, 'initialSteps', 1, 1 << 20);
  checkInteger(maxSteps, 'maxSteps', initialSteps, 1 << 20);
  const relative = options.tolerance?.relative ?? INTEGRATED_GRADIENTS_DEFAULTS.relative;
  const absolute = options.tolerance?.absolute ?? INTEGRATED_GRADIENTS_DEFAULTS.absolute;
  checkNonNegative(relative, 'tolerance.relative');
  checkNonNegative(absolute, 'tolerance.absolute');
  const batchRows = options.batchRows ?? INTEGRATED_GRADIENTS_DEFAULTS.batchRows;
  checkInteger(batchRows, 'batchRows', 1);

  const gradient = tf.grad((points: tf.Tensor) => tf.sum(scorer.score(points as tf.Tensor2D)));
  const results: IntegratedGradientsExplanation[] = [];
  for (let r = 0; r < rows; r++) {
    const input = options.x.subarray(r * features, (r + 1) * features);
    const [score, baselineScore] = await scores(scorer, input, baseline);
    const expected = plainZero(score - baselineScore);
    const bound = Math.max(relative * Math.abs(expected), absolute);
    const path = PathIntegral.start(input, baseline);
    try {
      // Trapezoid weights: ½ at both ends, 1 inside; the sum ÷ steps approximates the integral.
      let steps = initialSteps;
      await path.add(gradient, Array.from({ length: steps + 1 }, (_, k) => k / steps), Array.from({ length: steps + 1 }, (_, k) => (k === 0 || k === steps ? 0.5 : 1)), batchRows);
      for (;;) {
        const attributions = path.attributions(steps);
        const sum = plainZero(attributions.reduce((a, b) => a + b, 0));
        const absoluteError = Math.abs(sum - expected);
        const passed = absoluteError <= bound;
        if (passed || steps * 2 > maxSteps) {
          results.push({
            method: 'integrated-gradients',
            classIndex: scorer.classIndex,
            space: scorer.space,
            score,
            baselineScore,
            attributions,
            columns: sumByGroup(attributions, groups).map((value, g) => ({ column: (groups[g] as FeatureGroup).name, value: plainZero(value) })),
            completeness: { expected, sum, absoluteError, relativeError: expected === 0 ? null : absoluteError / Math.abs(expected), bound, passed, steps },
            gradientEvaluations: path.evaluations,
          });
          break;
        }
        // Doubling: the new points are the midpoints (2k + 1) / 2·steps, each with weight 1.
        const midpoints = Array.from({ length: steps }, (_, k) => (2 * k + 1) / (2 * steps));
        await path.add(gradient, midpoints, midpoints.map(() => 1), batchRows);
        steps *= 2;
      }
    } finally {
      path.dispose();
    }
  }
  return results;
}

/** f(x) and f(baseline) in one forward pass. */
async function scores(scorer: ModelScorer, input: Float32Array, baseline: Float32Array): Promise<[number, number]> {
  const both = new Float32Array(2 * input.length);
  both.set(input);
  both.set(baseline, input.length);
  const out = tf.tidy(() => scorer.score(tf.tensor2d(both, [2, input.length])));
  try {
    const values = await out.data<'float32'>();
    return [plainZero(values[0] as number), plainZero(values[1] as number)];
  } finally {
    out.dispose();
  }
}

/** The weighted sum of gradients along the straight path from the baseline to the input. */
class PathIntegral {
  private readonly weighted: Float64Array;
  evaluations = 0;

  private constructor(
    private readonly input: Float32Array,
    private readonly baseline: Float32Array,
    private readonly origin: tf.Tensor2D,
    private readonly direction: tf.Tensor2D,
  ) {
    this.weighted = new Float64Array(input.length);
  }

  static start(input: Float32Array, baseline: Float32Array): PathIntegral {
    const features = input.length;
    const origin = tf.tensor2d(baseline, [1, features]);
    const direction = tf.tidy(() => tf.sub<tf.Tensor2D>(tf.tensor2d(input, [1, features]), origin));
    return new PathIntegral(input, baseline, origin, direction);
  }

  async add(gradient: (x: tf.Tensor) => tf.Tensor, alphas: number[], weights: number[], batchRows: number): Promise<void> {
    for (let start = 0; start < alphas.length; start += batchRows) {
      const end = Math.min(start + batchRows, alphas.length);
      const sum = tf.tidy(() => {
        const a = tf.tensor2d(alphas.slice(start, end), [end - start, 1]);
        const points = tf.add(this.origin, tf.mul(a, this.direction));
        return tf.sum(tf.mul(gradient(points), tf.tensor2d(weights.slice(start, end), [end - start, 1])), 0);
      });
      try {
        const values = await sum.data<'float32'>();
        for (let f = 0; f < values.length; f++) (this.weighted[f] as number) += values[f] as number;
      } finally {
        sum.dispose();
      }
      this.evaluations += end - start;
    }
  }

  /** (x − b) ⊙ the trapezoid estimate of the path-averaged gradient. */
  attributions(steps: number): number[] {
    return Array.from(this.weighted, (w, f) => plainZero(((this.input[f] as number) - (this.baseline[f] as number)) * (w / steps)));
  }

  dispose(): void {
    tf.dispose([this.origin, this.direction]);
  }
}

/** Column means of a row-major matrix: the "training mean" baseline for integratedGradients. */
export function columnMeans(x: Float32Array, rows: number, features: number): Float32Array {
  checkMatrix(x, rows, features, 'x');
  const sums = new Float64Array(features);
  for (let r = 0; r < rows; r++) for (let f = 0; f < features; f++) (sums[f] as number) += x[r * features + f] as number;
  return Float32Array.from(sums, (s) => s / rows);
}
