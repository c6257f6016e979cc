import * as tf from '@tensorflow/tfjs';
import { LOGITS_LAYER } from '../training/model';
import { ExplainabilityError } from './explainability.error';

/**
 * `probability`: the model's output for the class (binary: P(class 1), or 1 − it for class 0).
 * `logit`: the pre-activation of the `logits` layer (binary: the log-odds of class 1, negated for
 * class 0; multiclass: the class's softmax input z_k). Gradient methods are exact on the logit of a
 * logistic regression, which is linear in the input.
 */
export type ScoreSpace = 'probability' | 'logit';

export interface ScoreTarget {
  /** Binary: 0 or 1 (default 1, the positive class). Multiclass: the class index (required). */
  classIndex?: number;
  /** Default `probability`. */
  space?: ScoreSpace;
}

/** A model seen as a differentiable function from rows to the score of one class. */
export interface ModelScorer {
  readonly model: tf.LayersModel;
  /** Width of a model input row. */
  readonly features: number;
  /** Number of classes (2 for a one-unit sigmoid output). */
  readonly classes: number;
  readonly classIndex: number;
  readonly space: ScoreSpace;
  /** `[rows, features]` → `[rows]` scores; differentiable (use inside tf.grad / tf.tidy). */
  readonly score: (x: tf.Tensor2D) => tf.Tensor1D;
  /** Every class probability: `[rows, features]` → `[rows, classes]` (binary: [1 − p, p]). */
  readonly probabilities: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Views of models ending at their logits; they share the model's layers and weights, so caching them costs nothing. */
const logitViews = new WeakMap<tf.LayersModel, tf.LayersModel>();

/** Inspects a model from the training library (flat rows in, class probabilities out). */
export function modelShape(model: tf.LayersModel): { features: number; outputs: number; classes: number } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ExplainabilityError('EXPLAIN_MODEL_UNSUPPORTED', 'the model must have one input and one output');
  }
  const inputShape = model.inputs[0]!.shape;
  const outputShape = model.outputs[0]!.shape;
  const features = inputShape[1];
  const outputs = outputShape[1];
  if (inputShape.length !== 2 || outputShape.length !== 2 || typeof features !== 'number' || typeof outputs !== 'number') {
    throw new ExplainabilityError('EXPLAIN_MODEL_UNSUPPORTED', 'the model must take flat rows [batch, features] and give [batch, outputs]');
  }
  return { features, outputs, classes: outputs === 1 ? 2 : outputs };
}

export function modelScorer(model: tf.LayersModel, target: ScoreTarget = {}): ModelScorer {
  const { features, outputs, classes } = modelShape(model);
  const space = target.space ?? 'probability';
  if (space !== 'probability' && space !== 'logit') {
    throw new ExplainabilityError('EXPLAIN_TARGET_INVALID', `unknown score space ${JSON.stringify(space)}`, { option: 'space' });
  }
  if (target.classIndex === undefined && classes > 2) {
    throw new ExplainabilityError('EXPLAIN_TARGET_INVALID', 'a multiclass model needs target.classIndex', { option: 'classIndex' });
  }
  const classIndex = target.classIndex ?? 1;
  if (!Number.isSafeInteger(classIndex) || classIndex < 0 || classIndex >= classes) {
    throw new ExplainabilityError('EXPLAIN_TARGET_INVALID', `class index ${String(classIndex)} is not one of the model's ${classes} classes`, {
      option: 'classIndex',
      expected: classes,
    });
  }
  const head = space === 'logit' ? logitsOf(model) : model;
  const binary = outputs === 1;
  const forward = (m: tf.LayersModel, x: tf.Tensor2D) => m.apply(x, { training: false }) as tf.Tensor2D;
  return {
    model,
    features,
    classes,
    classIndex,
    space,
    score: (x) => {
      const out = forward(head, x);
      if (!binary) return tf.reshape<tf.Rank.R1>(tf.slice(out, [0, classIndex], [-1, 1]), [-1]);
      const positive = tf.reshape<tf.Rank.R1>(out, [-1]);
      if (classIndex === 1) return positive;
      return space === 'logit' ? tf.neg(positive) : tf.sub<tf.Tensor1D>(1, positive);
    },
    probabilities: (x) => {
      const out = forward(model, x);
      return binary ? tf.concat<tf.Tensor2D>([tf.sub<tf.Tensor2D>(1, out), out], 1) : out;
    },
  };
}

function logitsOf(model: tf.LayersModel): tf.LayersModel {
  let view = logitViews.get(model);
  if (!view) {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(LOGITS_LAYER);
    } catch {
      throw new ExplainabilityError('EXPLAIN_TARGET_INVALID', `the model has no "${LOGITS_LAYER}" layer; explain probabilities instead`, { option: 'space' });
    }
    view = tf.model({ inputs: model.inputs, outputs: layer.output });
    logitViews.set(model, view);
  }
  return view;
}
