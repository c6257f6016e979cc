import * as tf from '@tensorflow/tfjs';
import type { DenseNetwork } from './dense-network';

/**
 * Per-example gradients of a dense network from ONE forward and ONE backward pass over the
 * batch. For a dense layer z = a·W + b, example i's gradient is ∂Lᵢ/∂W = aᵢ ⊗ δᵢ and
 * ∂Lᵢ/∂b = δᵢ, with aᵢ the layer's input and δᵢ = ∂Lᵢ/∂zᵢ its output gradient; examples do not
 * interact, so the rows of the batch's δ are the per-example δᵢ. Hence (Goodfellow 2015,
 * "Efficient per-example gradient computations"; Li et al. 2022 "ghost clipping"):
 *
 * - ‖gᵢ‖² = Σ_layers (‖aᵢ‖² + 1)·‖δᵢ‖², without ever forming gᵢ;
 * - Σᵢ cᵢ gᵢ (clipped sum) = per layer Aᵀ·(c ⊙ Δ) and cᵀ·Δ: one matmul per layer.
 *
 * Lᵢ is example i's class-weighted cross-entropy on the logits (sigmoid for one logit, softmax
 * otherwise), so δ at the logits is wᵢ·(p − y). Deltas flow back through relu (tfjs's convention:
 * derivative 0 at 0), tanh (1 − a²) and sigmoid (a(1 − a)).
 */
export interface BackpropTrace {
  /** Each dense layer's input aᵢ, [n, in]. */
  inputs: tf.Tensor2D[];
  /** Each dense layer's output gradient δᵢ = ∂Lᵢ/∂zᵢ, [n, out]. */
  deltas: tf.Tensor2D[];
  /** Lᵢ, [n]. */
  losses: tf.Tensor1D;
  logits: tf.Tensor2D;
}

/**
 * @param y [n, 1] 0/1 for one logit, one-hot [n, classes] otherwise.
 * @param sampleWeights [n] class weights.
 */
export function backpropagate(network: DenseNetwork, x: tf.Tensor2D, y: tf.Tensor2D, sampleWeights: tf.Tensor1D): BackpropTrace {
  return tf.tidy(() => {
    const inputs: tf.Tensor2D[] = [];
    const outputs: tf.Tensor2D[] = [];
    // A clone, so disposing the trace never disposes the caller's x.
    let a: tf.Tensor2D = x.clone();
    for (const layer of network.layers) {
      inputs.push(a);
      const z = tf.add<tf.Tensor2D>(tf.matMul(a, layer.kernel), layer.bias);
      a = activate(z, layer.activation);
      outputs.push(a);
    }
    const logits = a;
    const w = sampleWeights.reshape([-1, 1]);
    const losses = tf.mul<tf.Tensor1D>(crossEntropy(y, logits, network.binary), sampleWeights);
    const probabilities = network.binary ? tf.sigmoid(logits) : tf.softmax(logits);
    let delta = tf.mul<tf.Tensor2D>(tf.sub(probabilities, y), w);
    const deltas: tf.Tensor2D[] = new Array<tf.Tensor2D>(network.layers.length);
    for (let l = network.layers.length - 1; l >= 0; l--) {
      deltas[l] = delta;
      if (l === 0) break;
      const below = network.layers[l - 1] as DenseNetwork['layers'][number];
      const back = tf.matMul(delta, (network.layers[l] as DenseNetwork['layers'][number]).kernel, false, true);
      delta = tf.mul<tf.Tensor2D>(back, activationDerivative(below.activation, outputs[l - 1] as tf.Tensor2D));
    }
    return { inputs, deltas, losses, logits };
  });
}

/** ‖gᵢ‖ over all weights and biases, [n], from the trace alone. */
export function perExampleGradientNorms(trace: BackpropTrace): tf.Tensor1D {
  return tf.tidy(() => {
    const squares = trace.deltas.map((delta, l) => {
      const inputSquares = tf.sum(tf.square(trace.inputs[l] as tf.Tensor2D), 1);
      return tf.mul(tf.add(inputSquares, 1), tf.sum(tf.square(delta), 1));
    });
    return tf.sqrt(tf.addN(squares)) as tf.Tensor1D;
  });
}

/**
 * cᵢ = min(1, C / (‖gᵢ‖ + 1e-6)), Opacus's factor: the 1e-6 keeps every clipped norm strictly
 * below C despite float32 rounding of the norm.
 */
export function clipFactors(norms: tf.Tensor1D, l2NormClip: number): tf.Tensor1D {
  return tf.tidy(() => tf.minimum(1, tf.div(l2NormClip, tf.add(norms, 1e-6))));
}

/** Σᵢ cᵢ gᵢ per variable, in variablesOf order (kernel [in, out], bias [out] per layer). */
export function weightedGradientSum(trace: BackpropTrace, factors: tf.Tensor1D): tf.Tensor[] {
  return tf.tidy(() => {
    const c = factors.reshape([1, -1]);
    return trace.deltas.flatMap((delta, l) => {
      const scaled = tf.mul(delta, factors.reshape([-1, 1]));
      return [tf.matMul(trace.inputs[l] as tf.Tensor2D, scaled, true, false), tf.matMul(c, delta).reshape([-1])];
    });
  });
}

/**
 * The per-example gradients themselves, gᵢ per variable as [n, …shape] (kernel aᵢ ⊗ δᵢ as
 * [n, in, out], bias δᵢ as [n, out]). Training never needs them (see above); audits and specs do.
 */
export function perExampleGradients(trace: BackpropTrace): tf.Tensor[] {
  return tf.tidy(() =>
    trace.deltas.flatMap((delta, l) => [tf.mul(tf.expandDims(trace.inputs[l] as tf.Tensor2D, 2), tf.expandDims(delta, 1)), delta.clone()]),
  );
}

/** Lᵢ from logits: softplus(z) − y·z for one logit, logsumexp(z) − Σ y·z otherwise. */
function crossEntropy(y: tf.Tensor2D, logits: tf.Tensor2D, binary: boolean): tf.Tensor1D {
  if (binary) return tf.sub(tf.softplus(logits), tf.mul(y, logits)).reshape([-1]);
  return tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1));
}

function activate(z: tf.Tensor2D, activation: DenseNetwork['layers'][number]['activation']): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
  }
}

/** da/dz from the layer's output a (relu: a > 0 exactly when z > 0). */
function activationDerivative(activation: DenseNetwork['layers'][number]['activation'], a: tf.Tensor2D): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.step(a);
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'linear':
      return tf.onesLike(a);
  }
}
