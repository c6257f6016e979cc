import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './seeds';

interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

/**
 * Dropout whose mask is a function of (layer seed, training step). tfjs's own Dropout either
 * draws from Math.random (unseeded, so runs differ) or, seeded, reuses one mask for every batch.
 * The trainer sets `step` before each batch, so a run resumed at epoch k draws the same masks
 * the uninterrupted run drew. At inference it is the identity.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'AssaySeededDropout';
  readonly rate: number;
  readonly seed: number;
  /** Global batch index; set by the trainer. */
  step = 0;

  constructor(args: SeededDropoutArgs) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      if (kwargs.training !== true || this.rate <= 0) return input.clone();
      return tf.dropout(input, this.rate, undefined, deriveSeed(this.seed, 'step', this.step));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
