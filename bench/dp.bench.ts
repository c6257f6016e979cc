/**
 * `npm run bench:dp` — the cost of privacy: one DP-SGD step (Poisson-sampled batch, per-example
 * gradients of the dense layers from activations and output gradients, clipping, Gaussian noise,
 * the accountant) ÷ one ordinary SGD step, for the same MLP, data, batch size and backend, in the
 * same process (goal ≤ 3). Rounds alternate (plain, private, plain, …) so machine noise hits both;
 * the ratio of the medians is reported, and of the minima.
 *
 *   node -r @swc-node/register bench/dp.bench.ts [rows=8000] [epochs=3] [rounds=5] [backend=wasm]
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { selectBackend } from '../src/pipeline/training/engine';
import { trainPrivately } from '../src/pipeline/training/differential-privacy';
import { train, validateModelSpec, type ModelSpec } from '../src/pipeline/training/model';

const [rows = 8000, epochs = 3, rounds = 5] = process.argv.slice(2, 5).map(Number);
const backend = (process.argv[5] ?? 'wasm') as 'wasm' | 'cpu';
const features = 24;
const batchSize = 64;

const checked = validateModelSpec({
  type: 'mlp',
  hiddenLayers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
  ],
  training: { optimizer: { type: 'sgd', learningRate: 0.05 }, batchSize, epochs, seed: 3 },
});
if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
const spec: ModelSpec = checked.spec;

function data(): { x: Float32Array; y: Float32Array } {
  const random = seedrandom('dp-bench');
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let logit = 0;
    for (let j = 0; j < features; j++) {
      const v = random() * 2 - 1;
      x[i * features + j] = v;
      logit += (j % 3 === 0 ? 1 : -0.5) * v;
    }
    y[i] = logit + (random() - 0.5) > 0 ? 1 : 0;
  }
  return { x, y };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const info = await selectBackend(backend);
  const { x, y } = data();
  const stepsPerEpoch = Math.ceil(rows / batchSize);
  const plainMs: number[] = [];
  const privateMs: number[] = [];
  const run = async (dp: boolean): Promise<number> => {
    let steps = 0;
    const onBatch = () => {
      steps++;
    };
    const started = performance.now();
    const result = dp
      ? await trainPrivately({ spec, x, y, classes: 2, onBatch, dp: { noiseMultiplier: 1.1, l2NormClip: 1, delta: 1e-5, expectedBatchSize: batchSize } })
      : await train({ spec, x, y, classes: 2, onBatch });
    const elapsed = performance.now() - started;
    result.model.dispose();
    return elapsed / Math.max(1, steps || stepsPerEpoch * epochs);
  };
  await run(false); // warm-up: kernels, WASM compilation
  await run(true);
  for (let round = 0; round < rounds; round++) {
    plainMs.push(await run(false));
    privateMs.push(await run(true));
  }
  const ratio = median(privateMs) / median(plainMs);
  process.stdout.write(
    [
      `DP-SGD step ÷ SGD step, MLP ${features}→64→32→1, batch ${batchSize}, ${rows} rows × ${epochs} epochs, backend ${info.name} (tfjs ${tf.version.tfjs})`,
      `  SGD:    median ${median(plainMs).toFixed(3)} ms/step (min ${Math.min(...plainMs).toFixed(3)})`,
      `  DP-SGD: median ${median(privateMs).toFixed(3)} ms/step (min ${Math.min(...privateMs).toFixed(3)})`,
      `  ratio of medians ${ratio.toFixed(2)} (of minima ${(Math.min(...privateMs) / Math.min(...plainMs)).toFixed(2)}); goal ≤ 3: ${ratio <= 3 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
