import type * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { train, type ModelSpec } from '../training/model';
import type { FeatureGroup } from './feature-groups';

/**
 * Small synthetic tables for the explainability specs (test support, not used by the library):
 * three numeric columns and one one-hot column, and models trained on them with the training
 * library in well under a second.
 */
export const TABLE_GROUPS: FeatureGroup[] = [
  { name: 'signal', features: [0] },
  { name: 'weak', features: [1] },
  { name: 'noise', features: [2] },
  { name: 'colour', features: [3, 4, 5] },
];
export const TABLE_FEATURES = 6;
export const CLASSES = ['rejected', 'accepted'];

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Rows of [signal, weak, noise, colour=red, colour=green, colour=blue]: the label is
 * 2·signal + 0.6·weak + (green: +0.8, blue: −0.8) + 0.5·signal·weak + noise > 0. `noise` is a
 * column the label never sees.
 */
export function syntheticTable(rows: number, seed: string): { x: Float32Array; y: Float32Array; rows: number } {
  const random = seedrandom(seed);
  const x = new Float32Array(rows * TABLE_FEATURES);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const signal = gaussian(random);
    const weak = gaussian(random);
    const noise = gaussian(random);
    const colour = Math.floor(random() * 3);
    x.set([signal, weak, noise, colour === 0 ? 1 : 0, colour === 1 ? 1 : 0, colour === 2 ? 1 : 0], r * TABLE_FEATURES);
    const logit = 2 * signal + 0.6 * weak + (colour === 1 ? 0.8 : colour === 2 ? -0.8 : 0) + 0.5 * signal * weak + 0.3 * gaussian(random);
    y[r] = logit > 0 ? 1 : 0;
  }
  return { x, y, rows };
}

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 32, epochs: 8, seed: 11 };
export const LOGISTIC_SPEC: ModelSpec = { type: 'logistic_regression', training: TRAINING };
export const MLP_SPEC: ModelSpec = { type: 'mlp', hiddenLayers: [{ units: 12, activation: 'relu' }, { units: 6, activation: 'tanh' }], training: TRAINING };

export async function trainedModel(spec: ModelSpec, data = syntheticTable(300, 'train')): Promise<tf.LayersModel> {
  const { model } = await train({ spec, x: data.x, y: data.y, classes: CLASSES });
  return model;
}
