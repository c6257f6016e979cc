import * as tf from '@tensorflow/tfjs';
import { variablesOf, type DenseNetwork } from './dense-network';
import { backpropagate, clipFactors, perExampleGradientNorms, weightedGradientSum } from './per-example-gradients';
import type { RandomStream } from './random-source';

/**
 * One DP-SGD step (Abadi et al. 2016, Algorithm 1) on a Poisson-sampled batch:
 *
 *   g̃ = (Σᵢ gᵢ · min(1, C/‖gᵢ‖) + N(0, σ²C² I)) / B
 *
 * gᵢ each example's whole gradient (all layers together), C the clip norm, σ the noise multiplier
 * and B the EXPECTED batch size q·N — not the size of this batch. Dividing by the actual size
 * would make the denominator itself depend on the data; Opacus (Poisson mode) and TensorFlow
 * Privacy divide by the expected size as well. An empty batch still takes a step (pure noise),
 * and is still counted by the accountant. Then the penalty gradient of the spec's L1/L2 (which
 * does not touch the data) is added and the spec's optimizer applies the result.
 */
export interface DpSgdData {
  x: tf.Tensor2D;
  /** [rows, 1] 0/1 for two classes, one-hot [rows, classes] otherwise. */
  y: tf.Tensor2D;
  /** Class weight of each row, [rows]. */
  sampleWeights: tf.Tensor1D;
}

export interface DpSgdParameters {
  l2NormClip: number;
  noiseMultiplier: number;
  expectedBatchSize: number;
}

export interface PrivateGradients {
  /** g̃ per variable, in variablesOf order. */
  gradients: tf.Tensor[];
  /** Σ Lᵢ over the batch (class-weighted cross-entropy, without the penalty). */
  lossSum: number;
  /** Correct predictions in the batch (before the update). */
  hits: number;
}

/** The noisy, clipped, averaged gradient for the rows `indices`; the caller disposes `gradients`. */
export function privateGradients(network: DenseNetwork, data: DpSgdData, indices: Int32Array, parameters: DpSgdParameters, noise: RandomStream): PrivateGradients {
  const variables = variablesOf(network);
  const { sums, lossSum, hits } = clippedSums(network, data, indices, parameters.l2NormClip);
  const scale = parameters.noiseMultiplier * parameters.l2NormClip;
  const gradients = variables.map((variable, k) =>
    tf.tidy(() => {
      const sum = sums[k] as tf.Tensor;
      const noisy = scale > 0 ? tf.add(sum, tf.mul(tf.tensor(noise.gaussians(variable.size), variable.shape), scale)) : sum;
      return tf.div(noisy, parameters.expectedBatchSize);
    }),
  );
  tf.dispose(sums);
  return { gradients, lossSum, hits };
}

export interface Penalty {
  l1: number;
  l2: number;
}

/** One full step; returns the batch's loss terms for the epoch metrics. */
export function dpSgdStep(
  network: DenseNetwork,
  optimizer: tf.Optimizer,
  data: DpSgdData,
  indices: Int32Array,
  parameters: DpSgdParameters & Penalty,
  noise: RandomStream,
): { lossSum: number; hits: number; penalty: number } {
  const { gradients, lossSum, hits } = privateGradients(network, data, indices, parameters, noise);
  const penalty = penaltyValue(network, parameters);
  try {
    const named = variablesOf(network).map((variable, k) => {
      const gradient = gradients[k] as tf.Tensor;
      // variablesOf lists kernel, bias per layer; only kernels carry the penalty.
      return { name: variable.name, tensor: k % 2 === 0 ? tf.tidy(() => tf.add(gradient, penaltyGradient(variable, parameters))) : gradient.clone() };
    });
    optimizer.applyGradients(named);
    tf.dispose(named.map((n) => n.tensor));
  } finally {
    tf.dispose(gradients);
  }
  return { lossSum, hits, penalty };
}

/** l1·Σ|W| + l2·ΣW² over the kernels (Keras: biases are not penalised). */
export function penaltyValue(network: DenseNetwork, { l1, l2 }: Penalty): number {
  if (l1 === 0 && l2 === 0) return 0;
  const total = tf.tidy(() => tf.addN(network.layers.map((layer) => tf.add(tf.mul(l1, tf.sum(tf.abs(layer.kernel))), tf.mul(l2, tf.sum(tf.square(layer.kernel)))))));
  const value = total.dataSync()[0] as number;
  total.dispose();
  return value;
}

function penaltyGradient(kernel: tf.Tensor, { l1, l2 }: Penalty): tf.Tensor {
  return tf.add(tf.mul(l1, tf.sign(kernel)), tf.mul(2 * l2, kernel));
}

function clippedSums(network: DenseNetwork, data: DpSgdData, indices: Int32Array, l2NormClip: number): { sums: tf.Tensor[]; lossSum: number; hits: number } {
  if (indices.length === 0) return { sums: variablesOf(network).map((v) => tf.zeros(v.shape)), lossSum: 0, hits: 0 };
  const idx = tf.tensor1d(indices, 'int32');
  const batch = tf.tidy(() => ({ x: tf.gather(data.x, idx), y: tf.gather(data.y, idx), w: tf.gather(data.sampleWeights, idx) }));
  const trace = backpropagate(network, batch.x, batch.y, batch.w);
  try {
    const factors = tf.tidy(() => clipFactors(perExampleGradientNorms(trace), l2NormClip));
    const sums = weightedGradientSum(trace, factors);
    const lossSum = tf.sum(trace.losses);
    const hits = tf.tidy(() => countHits(trace.logits, batch.y, network.binary));
    const values = { lossSum: lossSum.dataSync()[0] as number, hits: hits.dataSync()[0] as number };
    tf.dispose([factors, lossSum, hits]);
    return { sums, ...values };
  } finally {
    tf.dispose([idx, batch.x, batch.y, batch.w, trace.inputs, trace.deltas, trace.losses, trace.logits]);
  }
}

function countHits(logits: tf.Tensor2D, y: tf.Tensor2D, binary: boolean): tf.Scalar {
  return binary ? tf.sum(tf.equal(tf.cast(tf.greater(logits, 0), 'float32'), y)) : tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)));
}
