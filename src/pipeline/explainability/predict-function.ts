import * as tf from '@tensorflow/tfjs';
import { ExplainabilityError } from './explainability.error';
import { checkInteger } from './input-checks';
import { modelScorer, type ModelScorer, type ScoreTarget } from './model-scorer';

/**
 * The model-agnostic view the explainers work on: a batched function from a row-major
 * `rows × features` matrix to `rows` scores (one class's score per row) — or, for permutation
 * importance, `rows × outputs` values that a metric reads. Any model fits behind it: a tfjs model
 * through the adapters below, a remote scorer, or a plain function in a test.
 */
export type PredictFunction = (x: Float32Array, rows: number) => Promise<Float32Array>;

export interface PredictorOptions {
  /** Rows per tensor handed to tfjs; bounds memory. Default 16 384. */
  batchRows?: number;
}

export const DEFAULT_BATCH_ROWS = 16_384;

/** One score per row: the target class's probability or logit (see ScoreSpace). */
export function scorePredictor(model: tf.LayersModel | ModelScorer, target: ScoreTarget = {}, options: PredictorOptions = {}): PredictFunction {
  const scorer = isScorer(model) ? model : modelScorer(model, target);
  return batched(scorer.features, 1, options, (x) => scorer.score(x));
}

/** Every class probability per row, `rows × classes` (binary: [P(class 0), P(class 1)]): what accuracy on a multiclass model needs. */
export function probabilityPredictor(model: tf.LayersModel, options: PredictorOptions = {}): PredictFunction {
  const scorer = modelScorer(model, { classIndex: 0 });
  return batched(scorer.features, scorer.classes, options, (x) => scorer.probabilities(x));
}

function isScorer(model: tf.LayersModel | ModelScorer): model is ModelScorer {
  return !(model instanceof tf.LayersModel);
}

function batched(features: number, outputs: number, options: PredictorOptions, forward: (x: tf.Tensor2D) => tf.Tensor): PredictFunction {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  checkInteger(batchRows, 'batchRows', 1);
  return async (x, rows) => {
    checkInteger(rows, 'rows', 0);
    if (x.length !== rows * features) {
      throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${x.length} values are not ${rows} rows of ${features} features`, {
        option: 'x',
        expected: rows * features,
        found: x.length,
      });
    }
    const result = new Float32Array(rows * outputs);
    for (let start = 0; start < rows; start += batchRows) {
      const count = Math.min(batchRows, rows - start);
      const out = tf.tidy(() => forward(tf.tensor2d(x.subarray(start * features, (start + count) * features), [count, features])));
      try {
        result.set(await out.data<'float32'>(), start * outputs);
      } finally {
        out.dispose();
      }
    }
    return result;
  };
}

