import * as tf from '@tensorflow/tfjs';
import { ExplainabilityError } from './explainability.error';
import { checkMatrix } from './input-checks';
import { modelScorer, type ModelScorer, type ScoreSpace, type ScoreTarget } from './model-scorer';

export type ImageShape = [height: number, width: number, channels: number];

export interface SaliencyOptions {
  /** An image model (CNN spec), or a scorer bound to a target. */
  model: tf.LayersModel | ModelScorer;
  /** Ignored when `model` is a scorer. */
  target?: ScoreTarget;
  /** One flat image, h·w·c values row-major with channels last (as the model takes it). */
  image: Float32Array;
  /** Default: the target shape of the model's reshape layer (a CNN from buildModel has one). */
  inputShape?: ImageShape;
}

export interface SaliencyMap {
  method: 'saliency';
  classIndex: number;
  space: ScoreSpace;
  score: number;
  width: number;
  height: number;
  channels: number;
  /** |∂score/∂pixel| (max over channels) ÷ its maximum, row-major `height × width`, in [0, 1]; all 0 when the gradient vanishes. */
  map: number[];
  /** The largest |∂score/∂input| before normalisation. */
  maxGradient: number;
}

/**
 * Vanilla gradient saliency (Simonyan, Vedaldi & Zisserman 2014, "Deep Inside Convolutional
 * Networks", §3.1): the magnitude of the score's gradient with respect to each input pixel, the
 * maximum over channels, normalised to [0, 1]. Render it with renderSaliencyPng.
 */
export async function saliencyMap(options: SaliencyOptions): Promise<SaliencyMap> {
  const scorer = options.model instanceof tf.LayersModel ? modelScorer(options.model, options.target) : options.model;
  const shape = options.inputShape ?? imageShapeOf(scorer.model);
  if (!shape) throw new ExplainabilityError('EXPLAIN_MODEL_UNSUPPORTED', 'not an image model: pass inputShape [height, width, channels]', { option: 'inputShape' });
  const [height, width, channels] = shape;
  if (![height, width, channels].every((n) => Number.isSafeInteger(n) && n > 0) || height * width * channels !== scorer.features) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `inputShape ${JSON.stringify(shape)} does not hold the model's ${scorer.features} features`, {
      option: 'inputShape',
      expected: scorer.features,
    });
  }
  checkMatrix(options.image, 1, scorer.features, 'image');

  const { magnitude, score } = tf.tidy(() => {
    const x = tf.tensor2d(options.image, [1, scorer.features]);
    const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => tf.sum(scorer.score(input as tf.Tensor2D)))(x);
    return { magnitude: tf.max(tf.abs(tf.reshape(grad, [height, width, channels])), 2), score: value };
  });
  let values: Float32Array;
  let scoreValue: number;
  try {
    values = await magnitude.data<'float32'>();
    scoreValue = (await score.data())[0] as number;
  } finally {
    tf.dispose([magnitude, score]);
  }
  let maxGradient = 0;
  for (const v of values) maxGradient = Math.max(maxGradient, v);
  return {
    method: 'saliency',
    classIndex: scorer.classIndex,
    space: scorer.space,
    score: scoreValue,
    width,
    height,
    channels,
    map: Array.from(values, (v) => (maxGradient > 0 ? v / maxGradient : 0)),
    maxGradient,
  };
}

/** [h, w, c] of the model's first reshape to a rank-3 image, or null (not an image model). */
export function imageShapeOf(model: tf.LayersModel): ImageShape | null {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Reshape') continue;
    const shape = layer.outputShape as (number | null)[];
    const [h, w, c] = shape.slice(1);
    if (shape.length === 4 && typeof h === 'number' && typeof w === 'number' && typeof c === 'number') return [h, w, c];
  }
  return null;
}
