/**
 * Training throughput of the wasm backend with Assay's training kernels against the cpu backend,
 * measured in the same run (goal: CNN wasm ÷ cpu ≥ 5):
 *   1. small CNN, 28×28×1 → conv 8 3×3 relu → maxpool 2 → conv 16 3×3 relu → maxpool 2 → dense 10,
 *      softmax cross-entropy, Adam — samples/s on wasm and on cpu, and the ratio;
 *   2. MLP 784 → 128 relu → 64 relu → 10, same loss and optimiser — samples/s and the ratio;
 *   3. ablation: wasm with only the added Conv2DBackpropFilter (the backend's own MaxPoolGrad,
 *      Conv2DBackpropInput and BatchMatMul), to show what the replacements contribute.
 * Each figure: a few warm-up steps, then steps until BENCH_SECONDS (default 6) have passed and at
 * least 3 steps ran. Models are built with tf.fused ops, as tfjs-layers builds them.
 *
 *   node -r @swc-node/register bench/training-conv.bench.ts [batch=64]
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, selectBackend, unregisterWasmTrainingKernels } from '../src/pipeline/training/engine';
import { conv2DBackpropFilterWasmConfig } from '../src/pipeline/training/engine/wasm-kernels';

type Kind = 'cnn' | 'mlp';

interface Model {
  variables: tf.Variable[];
  loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  inputShape: number[];
}

function glorot(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed)));
}

const zeros = (shape: number[]) => tf.tidy(() => tf.variable(tf.zeros(shape)));

function buildModel(kind: Kind): Model {
  if (kind === 'cnn') {
    const w1 = glorot([3, 3, 1, 8], 9, 72, 1) as tf.Variable<tf.Rank.R4>;
    const b1 = zeros([8]);
    const w2 = glorot([3, 3, 8, 16], 72, 144, 2) as tf.Variable<tf.Rank.R4>;
    const b2 = zeros([16]);
    const w3 = glorot([5 * 5 * 16, 10], 400, 10, 3);
    const b3 = zeros([10]);
    return {
      variables: [w1, b1, w2, b2, w3, b3],
      inputShape: [28, 28, 1],
      loss: (x, y) => {
        let h = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w1, strides: 1, pad: 'valid', bias: b1, activation: 'relu' });
        h = tf.maxPool(h, 2, 2, 'valid');
        h = tf.fused.conv2d({ x: h, filter: w2, strides: 1, pad: 'valid', bias: b2, activation: 'relu' });
        h = tf.maxPool(h, 2, 2, 'valid');
        const logits = tf.fused.matMul({ a: tf.reshape(h, [-1, 400]), b: w3, bias: b3 });
        return tf.losses.softmaxCrossEntropy(y, logits);
      },
    };
  }
  const w1 = glorot([784, 128], 784, 128, 4);
  const b1 = zeros([128]);
  const w2 = glorot([128, 64], 128, 64, 5);
  const b2 = zeros([64]);
  const w3 = glorot([64, 10], 64, 10, 6);
  const b3 = zeros([10]);
  return {
    variables: [w1, b1, w2, b2, w3, b3],
    inputShape: [784],
    loss: (x, y) => {
      let h = tf.fused.matMul({ a: x, b: w1, bias: b1, activation: 'relu' });
      h = tf.fused.matMul({ a: h, b: w2, bias: b2, activation: 'relu' });
      return tf.losses.softmaxCrossEntropy(y, tf.fused.matMul({ a: h, b: w3, bias: b3 }));
    },
  };
}

async function throughput(backend: 'wasm' | 'cpu', kind: Kind, batch: number, seconds: number) {
  await selectBackend(backend);
  const model = buildModel(kind);
  const x = tf.randomUniform([batch, ...model.inputShape], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 8), 10);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => model.loss(x, y), true, model.variables)!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };
  for (let i = 0; i < 2; i++) step();
  const start = performance.now();
  let steps = 0;
  let loss = NaN;
  while (steps < 3 || performance.now() - start < seconds * 1000) {
    loss = step();
    steps++;
  }
  const elapsed = (performance.now() - start) / 1000;
  optimizer.dispose();
  tf.dispose([x, y, ...model.variables]);
  return { samplesPerSecond: (steps * batch) / elapsed, msPerStep: (elapsed * 1000) / steps, steps, loss };
}

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 64);
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const wasmInfo = await selectBackend('wasm');
  const cpuInfo = await selectBackend('cpu');
  console.log(
    `tfjs ${wasmInfo.tfjsVersion}; wasm ${wasmInfo.backendVersion} (simd ${wasmInfo.simd}, threads ${wasmInfo.threads}); ` +
      `cpu ${cpuInfo.backendVersion}; batch ${batch}; ≥${seconds} s per figure; Node ${process.version}`,
  );
  console.log(
    `wasm kernels: added ${wasmInfo.kernels?.added.join(', ')}; replaced ${wasmInfo.kernels?.replaced.map((r) => r.kernelName).join(', ')}`,
  );
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(52)} ${value}`);
  const figure = (r: Awaited<ReturnType<typeof throughput>>) =>
    `${r.samplesPerSecond.toFixed(1).padStart(9)} samples/s  (${r.msPerStep.toFixed(1)} ms/step, ${r.steps} steps, loss ${r.loss.toFixed(4)})`;

  const results: Record<string, number> = {};
  for (const kind of ['cnn', 'mlp'] as const) {
    console.log(kind === 'cnn' ? 'CNN 28×28×1 → conv8 → pool → conv16 → pool → dense10' : 'MLP 784 → 128 → 64 → 10');
    const wasm = await throughput('wasm', kind, batch, seconds);
    line('wasm (Assay kernels)', figure(wasm));
    const cpu = await throughput('cpu', kind, batch, seconds);
    line('cpu', figure(cpu));
    results[kind] = wasm.samplesPerSecond / cpu.samplesPerSecond;
    line('wasm ÷ cpu', `${results[kind].toFixed(2)}×${kind === 'cnn' ? `  (goal ≥ 5: ${results[kind] >= 5 ? 'met' : 'NOT met'})` : ''}`);

    // Ablation: only the missing kernel added; the backend's own MaxPoolGrad, Conv2DBackpropInput, BatchMatMul.
    unregisterWasmTrainingKernels();
    tf.registerKernel(conv2DBackpropFilterWasmConfig);
    try {
      const plain = await throughput('wasm', kind, batch, seconds);
      line('wasm, only Conv2DBackpropFilter added (ablation)', figure(plain));
      line('  speed-up from the replaced kernels', `${(wasm.samplesPerSecond / plain.samplesPerSecond).toFixed(2)}×`);
    } finally {
      tf.unregisterKernel(conv2DBackpropFilterWasmConfig.kernelName, 'wasm');
      registerWasmTrainingKernels();
    }
  }
  console.log(`summary: CNN wasm ÷ cpu ${results.cnn!.toFixed(2)}×, MLP wasm ÷ cpu ${results.mlp!.toFixed(2)}×`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
