import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { estimateFlops } from './flops.estimator';
import type { MnistCnnReport } from './mnist-cnn.fixture';
import { MNIST_CNN_SPEC } from './mnist-cnn.fixture';
import type { ModelSpec } from './model-spec';

/** Runs mnist-cnn.fixture.ts in a worker thread, outside Jest's (slow, for tfjs) vm sandbox. */
function runInWorker(): Promise<MnistCnnReport> {
  const fixture = resolve(__dirname, 'mnist-cnn.fixture.ts');
  const source = `
    require('@swc-node/register');
    const { parentPort } = require('node:worker_threads');
    require(${JSON.stringify(fixture)}).runMnistCnn().then(
      (report) => parentPort.postMessage({ report }),
      (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
    );`;
  return new Promise((done, fail) => {
    const worker = new Worker(source, { eval: true, stderr: true });
    worker.once('message', (message: { report?: MnistCnnReport; error?: string }) => {
      void worker.terminate();
      if (message.report) done(message.report);
      else fail(new Error(message.error));
    });
    worker.once('error', fail);
  });
}

describe('CNN on mnist digits (wasm backend with Assay kernels)', () => {
  it('reaches ≥ 0.95 accuracy on 2,000 held-out digits after 2 epochs on 8,000', async () => {
    const started = Date.now();
    const report = await runInWorker();
    const flops = estimateFlops(MNIST_CNN_SPEC as unknown as ModelSpec, 784, 10);
    // Timings go to the log for the energy meter calibration and the time budget (~15 s).
    process.stdout.write(
      `mnist CNN: accuracy ${report.accuracy}, training ${report.trainSeconds.toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
        `${(flops.trainingFlopsPerSample * report.trainRows * report.history.length / 1e9).toFixed(1)} GFLOP estimated\n`,
    );
    expect(report).toMatchObject({ backend: 'wasm', trainRows: 8000, testRows: 2000 });
    expect(report.history).toHaveLength(2);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 180_000);
});
