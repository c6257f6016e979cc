/**
 * Analytical FLOP counts for the layers the trainer builds, so a measurement can carry
 * `estimatedFlops`. A multiply-add counts as 2 FLOPs. These are model counts, not hardware counters:
 * they ignore activations, normalisation, pooling, the optimiser update and any work a kernel wastes,
 * and they say nothing about how efficiently the hardware ran them.
 */

/** Backward ≈ 2 × forward (gradients for activations and for weights, each a matmul the size of the
 * forward one), so a training step ≈ 3 × forward — the convention of Kaplan et al. 2020 ("Scaling
 * Laws for Neural Language Models": C ≈ 6N per token = 2N forward + 4N backward) and of OpenAI's
 * "AI and Compute" (Amodei & Hernandez 2018). */
export const TRAINING_FORWARD_MULTIPLIER = 3;

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Dense (fully connected) layer, one sample forward: in × out multiply-adds = 2·in·out. The bias adds
 * (out of them) are not counted separately: with in multiplies and in−1 adds per output, "2·in"
 * already includes one add per output. */
export function denseForwardFlops(inputs: number, outputs: number): number {
  return 2 * count('inputs', inputs) * count('outputs', outputs);
}

export interface Conv2dShape {
  kernelHeight: number;
  kernelWidth: number;
  inChannels: number;
  outChannels: number;
  outHeight: number;
  outWidth: number;
}

/** 2-D convolution (groups = 1), one sample forward: every output element is a kh·kw·cin dot
 * product, so 2·kh·kw·cin·cout·outH·outW. */
export function conv2dForwardFlops(shape: Conv2dShape): number {
  const { kernelHeight, kernelWidth, inChannels, outChannels, outHeight, outWidth } = shape;
  return (
    2 *
    count('kernelHeight', kernelHeight) *
    count('kernelWidth', kernelWidth) *
    count('inChannels', inChannels) *
    count('outChannels', outChannels) *
    count('outHeight', outHeight) *
    count('outWidth', outWidth)
  );
}

/** Output length along one axis with TensorFlow's padding rules: `valid` ⌈(in − k + 1) / s⌉,
 * `same` ⌈in / s⌉. */
export function convOutputSize(inputSize: number, kernelSize: number, stride = 1, padding: 'valid' | 'same' = 'valid'): number {
  positive('inputSize', inputSize);
  positive('kernelSize', kernelSize);
  positive('stride', stride);
  if (padding === 'same') return Math.ceil(inputSize / stride);
  return Math.max(0, Math.ceil((inputSize - kernelSize + 1) / stride));
}

export type LayerCost = { kind: 'dense'; inputs: number; outputs: number } | ({ kind: 'conv2d' } & Conv2dShape);

/**
 * Sums per-layer forward costs, then scales by samples, epochs and the training multiplier:
 *
 *   const flops = new FlopsEstimator().dense(784, 128).dense(128, 10).trainingFlops(60_000, 5);
 *
 * Totals are doubles: exact up to 2^53 (≈ 9·10^15), and beyond that correct to ~16 significant digits.
 */
export class FlopsEstimator {
  private readonly layers: LayerCost[] = [];

  dense(inputs: number, outputs: number): this {
    denseForwardFlops(inputs, outputs);
    this.layers.push({ kind: 'dense', inputs, outputs });
    return this;
  }

  conv2d(shape: Conv2dShape): this {
    conv2dForwardFlops(shape);
    this.layers.push({ kind: 'conv2d', ...shape });
    return this;
  }

  get layerCosts(): readonly LayerCost[] {
    return this.layers;
  }

  /** Forward FLOPs for one sample through every layer added. */
  forwardFlopsPerSample(): number {
    return this.layers.reduce((sum, layer) => sum + (layer.kind === 'dense' ? denseForwardFlops(layer.inputs, layer.outputs) : conv2dForwardFlops(layer)), 0);
  }

  /** Forward passes only (prediction, explanation queries). */
  inferenceFlops(samples: number): number {
    return this.forwardFlopsPerSample() * count('samples', samples);
  }

  /** Forward + backward over `samples` for `epochs`: 3 × forward × samples × epochs. */
  trainingFlops(samples: number, epochs: number): number {
    return TRAINING_FORWARD_MULTIPLIER * this.forwardFlopsPerSample() * count('samples', samples) * count('epochs', epochs);
  }
}
