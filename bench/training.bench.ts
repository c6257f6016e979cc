/**
 * `npm run bench:training` — in one run, on one machine, same model, data and backend:
 *   1. Assay-run training wall time ÷ a bare tfjs script doing the same training (goal ≤ 1.05).
 *      The Assay figure is a whole run as a worker executes it: claim, reading the split tables,
 *      fitting preprocessing, the training loop with a checkpoint artifact, progress events and
 *      lease heartbeats every epoch, test evaluation, model/preprocessor/spec artifacts, the OMS
 *      signature and the finishing transaction with its evidence (run.startedAt → run.finishedAt).
 *      The bare script: the preprocessed arrays in memory, tf.sequential with the same layers,
 *      model.fit with the same optimiser, batch size, epochs and validation data, nothing else.
 *      Runs alternate (bare, Assay, bare, Assay, …) so machine noise hits both; the ratio of the
 *      medians is reported, and of the minima.
 *   2. WASM ÷ cpu speed-up for the MLP and CNN throughput with the WASM convolution kernels ÷ cpu
 *      (goal ≥ 5×): bench/training-conv.bench.ts, run as a child process.
 *
 *   node -r @swc-node/register bench/training.bench.ts [rows=20000] [epochs=8] [rounds=3]
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { readTableArtifact } from '../src/pipeline/datasets/table-artifact';
import { ArtifactStore } from '../src/platform/artifacts/artifact-store';
import { fitPreprocessor } from '../src/pipeline/training/preprocessing';
import { startTestApp } from '../test/support/test-app';
import { registerSplitDataset, syntheticCreditCsv, waitForRun } from '../test/support/training-fixtures';

const [rows = 20_000, epochs = 8, rounds = 3] = process.argv.slice(2).map(Number);
const batchSize = 64;
const learningRate = 0.01;
const hidden = [64, 32];

const spec = {
  model: {
    type: 'mlp',
    hiddenLayers: hidden.map((units) => ({ units, activation: 'relu' })),
    training: { optimizer: { type: 'adam', learningRate }, batchSize, epochs, seed: 1 },
  },
  preprocessing: { label: 'credit_risk', positiveLabel: 'good' },
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const t = await startTestApp({ ASSAY_TRAINING_BACKEND: 'wasm', ASSAY_RUN_POLL_MS: '50', ASSAY_LOG_LEVEL: 'silent' }, { workers: true });
  try {
    const engineer = await t.createUser('engineer');
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(rows, 9));

    // The bare baseline reads the same split, preprocessed the same way, into memory once.
    const probe = await t.http().post('/runs').set('Authorization', `Bearer ${engineer.token}`).send({ datasetId, spec: { ...spec, model: { ...spec.model, training: { ...spec.model.training, epochs: 1 } } } });
    const probeRun = await waitForRun(t, engineer, probe.body.id as string, 600_000);
    const splits = (probeRun.inputs as { splits: { role: string; tableDigest: string }[] }).splits;
    const store = t.app.get(ArtifactStore);
    const table = async (role: string) => readTableArtifact(store, splits.find((s) => s.role === role)!.tableDigest);
    const preprocessor = fitPreprocessor(await table('train'), spec.preprocessing);
    const train = preprocessor.transform(await table('train'));
    const validation = preprocessor.transform(await table('validation'));
    const features = preprocessor.featureCount;

    const bare = async (): Promise<number> => {
      const started = performance.now();
      const model = tf.sequential();
      hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: 'glorotUniform', ...(i === 0 ? { inputShape: [features] } : {}) })));
      model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }));
      model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const x = tf.tensor2d(train.x, [train.rows, features]);
      const y = tf.tensor2d(train.y as Float32Array, [train.rows, 1]);
      const xv = tf.tensor2d(validation.x, [validation.rows, features]);
      const yv = tf.tensor2d(validation.y as Float32Array, [validation.rows, 1]);
      await model.fit(x, y, { batchSize, epochs, shuffle: true, validationData: [xv, yv], verbose: 0 });
      tf.dispose([x, y, xv, yv]);
      model.dispose();
      return (performance.now() - started) / 1000;
    };
    const assay = async (): Promise<number> => {
      const created = await t.http().post('/runs').set('Authorization', `Bearer ${engineer.token}`).send({ datasetId, spec });
      const run = await waitForRun(t, engineer, created.body.id as string, 600_000);
      if (run.state !== 'succeeded') throw new Error(`run ${run.state as string}: ${JSON.stringify(run.error)}`);
      return (Date.parse(run.finishedAt as string) - Date.parse(run.startedAt as string)) / 1000;
    };

    const bareTimes: number[] = [];
    const assayTimes: number[] = [];
    await bare(); // warm-up: kernels compiled, buffers sized
    const backend = tf.getBackend(); // the worker selected it (ASSAY_TRAINING_BACKEND=wasm) in this same tfjs instance
    if (backend !== 'wasm') throw new Error(`the baseline would run on ${backend}, not wasm`);
    for (let round = 0; round < rounds; round++) {
      bareTimes.push(await bare());
      assayTimes.push(await assay());
      console.log(`round ${round + 1}/${rounds}: bare tfjs ${bareTimes.at(-1)!.toFixed(2)} s, Assay run ${assayTimes.at(-1)!.toFixed(2)} s`);
    }
    const ratio = median(assayTimes) / median(bareTimes);
    const ratioMin = Math.min(...assayTimes) / Math.min(...bareTimes);
    console.log(`\nTraining ${train.rows} rows × ${features} features, MLP ${hidden.join('-')}, ${epochs} epochs, batch ${batchSize}, backend ${backend}`);
    console.log(`  bare tfjs (model.fit):  median ${median(bareTimes).toFixed(2)} s`);
    console.log(`  Assay run (worker):     median ${median(assayTimes).toFixed(2)} s`);
    console.log(`  Assay ÷ bare: ${ratio.toFixed(3)} (medians), ${ratioMin.toFixed(3)} (minima)   goal ≤ 1.05 → ${ratio <= 1.05 ? 'met' : 'NOT met'}`);
  } finally {
    await t.close();
  }

  console.log('\nWASM ÷ cpu (bench/training-conv.bench.ts):');
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'bench/training-conv.bench.ts'], { stdio: 'inherit', env: { ...process.env, BENCH_SECONDS: process.env.BENCH_SECONDS ?? '4' } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
