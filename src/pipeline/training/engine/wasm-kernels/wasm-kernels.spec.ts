/**
 * Every kernel registered for the wasm backend against the cpu backend: gradients computed with
 * tf.grads on each backend (tensors made per backend) over random shapes, strides and paddings
 * (fast-check, fixed seed), max |Δ| ≤ 1e-4 · max(1, |cpu|). The engine's leak check is on while
 * they run (IS_TEST), so a kernel that leaves an intermediate behind fails too.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  FAST_MATMUL_MIN_WORK,
  UnsupportedKernelArgumentError,
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  wasmTrainingKernels,
} from './index';

type Backend = 'cpu' | 'wasm';
type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Arrays = Record<string, Float32Array>;

const RUNS = { numRuns: 40, seed: 20_251_128 };
const TOLERANCE = 1e-4;

/** Deterministic pseudo-random values in [lo, hi) (one stream per call). */
function values(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: size }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return lo + ((state >>> 8) / 2 ** 24) * (hi - lo);
  });
}

/**
 * Runs `compute` on one backend with the engine's kernel leak check on (IS_TEST: a kernel that
 * leaves a data id behind throws) and checks that no tensor outlives it. (The check misfires on
 * custom-gradient ops such as softmaxCrossEntropy, so it is on only here.)
 */
async function on(backend: Backend, compute: () => Record<string, tf.Tensor>): Promise<Arrays> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  tf.env().set('IS_TEST', true);
  try {
    const arrays = tf.tidy(() => {
      const out: Arrays = {};
      for (const [key, t] of Object.entries(compute())) out[key] = t.dataSync() as Float32Array;
      return out;
    });
    expect(tf.memory().numTensors).toBe(before);
    return arrays;
  } finally {
    tf.env().set('IS_TEST', false);
  }
}

function maxRelativeDiff(expected: Float32Array, actual: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) return Infinity;
    worst = Math.max(worst, Math.abs(e - a) / Math.max(1, Math.abs(e)));
  }
  return worst;
}

async function expectSameOnBothBackends(compute: () => Record<string, tf.Tensor>): Promise<void> {
  const cpu = await on('cpu', compute);
  const wasm = await on('wasm', compute);
  expect(Object.keys(wasm).sort()).toEqual(Object.keys(cpu).sort());
  for (const key of Object.keys(cpu)) {
    const diff = maxRelativeDiff(cpu[key]!, wasm[key]!);
    if (!(diff <= TOLERANCE)) throw new Error(`${key}: max relative difference ${diff} > ${TOLERANCE}`);
  }
}

const arbPad = (maxExplicit: number): fc.Arbitrary<Pad> =>
  fc.oneof(
    fc.constant<Pad>('same'),
    fc.constant<Pad>('valid'),
    fc.integer({ min: 0, max: 2 }),
    fc.tuple(...[0, 0, 0, 0].map(() => fc.integer({ min: 0, max: maxExplicit }))).map(([t, b, l, r]): Pad => [
      [0, 0],
      [t!, b!],
      [l!, r!],
      [0, 0],
    ]),
  );

const arbConv = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 4, max: 12 }),
    width: fc.integer({ min: 4, max: 12 }),
    inChannels: fc.integer({ min: 1, max: 4 }),
    outChannels: fc.integer({ min: 1, max: 5 }),
    filterHeight: fc.integer({ min: 1, max: 4 }),
    filterWidth: fc.integer({ min: 1, max: 4 }),
    strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pad: arbPad(3),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  // tfjs-core sizes numeric padding with the filter height and stride height on both axes.
  .map((c) =>
    typeof c.pad === 'number' ? { ...c, filterWidth: c.filterHeight, strides: [c.strides[0], c.strides[0]] as [number, number] } : c,
  );

type ConvCase = typeof arbConv extends fc.Arbitrary<infer T> ? T : never;

function convGradients(c: ConvCase, unitStrides = false): () => Record<string, tf.Tensor> {
  const strides: [number, number] = unitStrides ? [1, 1] : c.strides;
  return () => {
    const x = tf.tensor4d(values(c.batch * c.height * c.width * c.inChannels, c.seed), [c.batch, c.height, c.width, c.inChannels]);
    const filterShape: [number, number, number, number] = [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels];
    const w = tf.tensor4d(
      values(
        filterShape.reduce((a, b) => a * b),
        c.seed + 1,
      ),
      filterShape,
    );
    const forward = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, strides, c.pad);
    const y = forward(x, w);
    const weights = tf.tensor(values(y.size, c.seed + 2), y.shape); // a non-uniform dy
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a as tf.Tensor4D, b as tf.Tensor4D), weights)))([x, w]);
    return { y, dx: dx!, dw: dw! };
  };
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('registerWasmTrainingKernels', () => {
  it('adds Conv2DBackpropFilter and replaces MaxPoolGrad, Conv2DBackpropInput and BatchMatMul, once', () => {
    const first = registerWasmTrainingKernels();
    expect(first.added).toEqual(['Conv2DBackpropFilter']);
    expect(first.replaced.map((r) => r.kernelName)).toEqual(['MaxPoolGrad', 'Conv2DBackpropInput', 'BatchMatMul']);
    expect(registerWasmTrainingKernels()).toBe(first);
    expect(wasmTrainingKernels()).toBe(first);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('can be undone and redone (the backend keeps working in between)', async () => {
    unregisterWasmTrainingKernels();
    try {
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
      await tf.setBackend('wasm');
      expect(tf.tidy(() => tf.matMul(tf.ones([40, 30]), tf.ones([40, 20]), true).dataSync()[0])).toBe(40);
    } finally {
      registerWasmTrainingKernels();
    }
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.tidy(() => tf.matMul(tf.ones([40, 30]), tf.ones([40, 20]), true).dataSync()[0])).toBe(40);
  });
});

describe('what tfjs-backend-wasm lacks for CNN training (why these kernels exist)', () => {
  const cnnStep = () =>
    tf.tidy(() => {
      const x = tf.tensor4d(values(2 * 8 * 8, 3), [2, 8, 8, 1]);
      const w = tf.variable(tf.tensor4d(values(9 * 4, 4), [3, 3, 1, 4]));
      const dense = tf.variable(tf.tensor2d(values(36 * 2, 5), [36, 2]));
      const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2);
      const { value } = tf.variableGrads(() => {
        const h = tf.maxPool(tf.relu(tf.conv2d(x, w, 1, 'valid')), 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(h, [2, 36]), dense));
      });
      const loss = value.dataSync()[0]!;
      w.dispose();
      dense.dispose();
      return loss;
    });

  it("without them, training a conv net fails: no 'Conv2DBackpropFilter'", async () => {
    unregisterWasmTrainingKernels();
    try {
      await tf.setBackend('wasm');
      expect(cnnStep).toThrow("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
    } finally {
      registerWasmTrainingKernels();
    }
    expect(Number.isFinite(cnnStep())).toBe(true);
  });

  it("the backend's own MaxPoolGrad is wrong for windows whose maximum is <= 0 (canary: drop the replacement when this fails)", async () => {
    const compute = () => {
      const x = tf.tensor4d(values(4 * 4, 9, -2, -1), [1, 4, 4, 1]); // all negative
      return { dx: tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x) };
    };
    const cpu = await on('cpu', compute);
    unregisterWasmTrainingKernels();
    let native: Arrays;
    try {
      native = await on('wasm', compute);
    } finally {
      registerWasmTrainingKernels();
    }
    const ours = await on('wasm', compute);
    expect(Array.from(ours.dx!)).toEqual(Array.from(cpu.dx!));
    expect(cpu.dx!.reduce((a, b) => a + b, 0)).toBe(4); // one unit of gradient per window
    expect(Array.from(native.dx!)).not.toEqual(Array.from(cpu.dx!));
  });
});

describe('Conv2DBackpropFilter (added)', () => {
  it('matches cpu on random shapes, strides and paddings (with Conv2DBackpropInput and Conv2D)', async () => {
    await fc.assert(
      fc.asyncProperty(arbConv, (c) => expectSameOnBothBackends(convGradients(c))),
      RUNS,
    );
  });

  it('matches cpu on a training-sized layer (16 × 13 × 13 × 8 → 16, 3 × 3)', async () => {
    await expectSameOnBothBackends(
      convGradients({
        batch: 16,
        height: 13,
        width: 13,
        inChannels: 8,
        outChannels: 16,
        filterHeight: 3,
        filterWidth: 3,
        strides: [1, 1],
        pad: 'valid',
        seed: 11,
      }),
    );
  });

  it('refuses NCHW, dilations and shapes tfjs-core got wrong, with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 6, 6, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    const run = (attrs: Record<string, unknown>) => () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3], ...attrs },
        );
    expect(run({ dataFormat: 'NCHW' })).toThrow(UnsupportedKernelArgumentError);
    expect(run({ dataFormat: 'NCHW' })).toThrow(/dataFormat 'NCHW' is not supported; use 'NHWC'/);
    expect(run({ dilations: [2, 2] })).toThrow(/dilations \[2,2\] are not supported; only 1/);
    expect(run({ pad: 1 })).toThrow(/does not match the convolution's output.*numeric padding/);
    expect(run({})).not.toThrow();
    tf.dispose([x, dy]);
  });
});

describe('Conv2DBackpropInput (unit strides on XNNPACK)', () => {
  it('matches cpu on random shapes and paddings with unit strides', async () => {
    await fc.assert(
      fc.asyncProperty(arbConv, (c) => expectSameOnBothBackends(convGradients(c, true))),
      RUNS,
    );
  });
});

describe('MaxPoolGrad (replaced)', () => {
  const arbPool = fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 4, max: 12 }),
      width: fc.integer({ min: 4, max: 12 }),
      channels: fc.integer({ min: 1, max: 4 }),
      filter: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      pad: arbPad(3),
      // shifts the values: [-1, 1), all negative, or all positive
      offset: fc.constantFrom(0, -3, 3),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    })
    .map((c) =>
      typeof c.pad === 'number'
        ? { ...c, filter: [c.filter[0], c.filter[0]] as [number, number], strides: [c.strides[0], c.strides[0]] as [number, number] }
        : c,
    );

  it('matches cpu on random shapes, strides and paddings, signed inputs included', async () => {
    await fc.assert(
      fc.asyncProperty(arbPool, (c) =>
        expectSameOnBothBackends(() => {
          const size = c.batch * c.height * c.width * c.channels;
          const x = tf.tensor4d(values(size, c.seed, c.offset - 1, c.offset + 1), [c.batch, c.height, c.width, c.channels]);
          const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.filter, c.strides, c.pad);
          const weights = tf.tensor(values(pool(x).size, c.seed + 1), pool(x).shape);
          return { dx: tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), weights)))(x) };
        }),
      ),
      RUNS,
    );
  });

  it('orders special values as floats do: ±Infinity, ±denormals, -0, +0, float extremes', async () => {
    // Distinct values only (a window holding both -0 and +0 is a tie, see max-pool-grad.ts).
    for (const zero of [-0, 0]) {
      const special = [-Infinity, -3.4e38, -1, -1e-40, -1e-45, zero, 1e-45, 1e-40, 1, 3.4e38, Infinity];
      for (let rotate = 0; rotate < special.length; rotate++) {
        const row = special.slice(rotate).concat(special.slice(0, rotate));
        for (const size of [2, 3, 4]) {
          await expectSameOnBothBackends(() => {
            const x = tf.tensor4d(row, [1, 1, row.length, 1]);
            const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, [1, size], [1, 1], 'valid');
            return { dx: tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), tf.range(1, pool(a).size + 1).reshape(pool(a).shape))))(x) };
          });
        }
      }
    }
  });

  it('gives windows lying wholly in the padding no gradient', async () => {
    await expectSameOnBothBackends(() => {
      const x = tf.tensor4d(values(2 * 5 * 5 * 2, 5, -2, -1), [2, 5, 5, 2]);
      const pad: Pad = [
        [0, 0],
        [3, 3],
        [2, 3],
        [0, 0],
      ];
      return { dx: tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, pad)))(x) };
    });
  });

  it('refuses NCHW and dilations with a clear error', async () => {
    await tf.setBackend('wasm');
    const input = tf.zeros([1, 4, 4, 1]);
    const dy = tf.zeros([1, 2, 2, 1]);
    const run = (attrs: Record<string, unknown>) => () =>
      tf.engine().runKernel('MaxPoolGrad', { dy, input, output: dy }, { filterSize: 2, strides: 2, pad: 'valid', ...attrs });
    expect(run({ dataFormat: 'NCHW' })).toThrow(/dataFormat 'NCHW' is not supported/);
    expect(run({ dilations: 2 })).toThrow(/dilations 2 are not supported/);
    expect(run({})).not.toThrow();
    tf.dispose([input, dy]);
  });
});

describe('BatchMatMul (transposes on XNNPACK)', () => {
  const arbMatMul = fc.record({
    m: fc.integer({ min: 1, max: 70 }),
    k: fc.integer({ min: 1, max: 70 }),
    n: fc.integer({ min: 1, max: 70 }),
    batch: fc.constantFrom<number[]>([], [1], [3], [2, 2]),
    shareB: fc.boolean(),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  });

  it('matches cpu for products and their gradients, transposed, batched and broadcast', async () => {
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(arbMatMul, (c) => {
        const aShape = [...c.batch, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])];
        const bShape = [...(c.shareB ? [] : c.batch), ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])];
        if (c.m * c.n * c.k >= FAST_MATMUL_MIN_WORK) fast++;
        return expectSameOnBothBackends((): Record<string, tf.Tensor> => {
          const a = tf.tensor(
            values(
              aShape.reduce((p, q) => p * q, 1),
              c.seed,
            ),
            aShape,
          );
          const b = tf.tensor(
            values(
              bShape.reduce((p, q) => p * q, 1),
              c.seed + 1,
            ),
            bShape,
          );
          const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, c.transposeA, c.transposeB);
          const y = product(a, b);
          const weights = tf.tensor(values(y.size, c.seed + 2), y.shape);
          const loss = (x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(product(x, z), weights));
          if (c.shareB && c.batch.length > 0) {
            // tfjs-core's BatchMatMul gradient does not reduce a broadcast b back to its shape.
            return { y, da: tf.grad((x: tf.Tensor) => loss(x, b))(a) };
          }
          const [da, db] = tf.grads(loss)([a, b]);
          return { y, da: da!, db: db! };
        });
      }),
      { ...RUNS, numRuns: 60 },
    );
    expect(fast).toBeGreaterThan(10); // the wrapper's own path, not only the delegation, was exercised
  });

  it('keeps a right operand reused under two shapes apart (XNNPACK caches operators by tensor id)', async () => {
    await expectSameOnBothBackends(() => {
      const shared = tf.tensor(values(48 * 48, 21), [48, 48]);
      const a = tf.tensor(values(48 * 48, 22), [48, 48]);
      const first = tf.matMul(a, shared, true, false);
      const second = tf.matMul(tf.reshape(a, [24, 96]), tf.reshape(shared, [96, 24]), false, false);
      const third = tf.matMul(a, shared, true, false);
      return { first, second, third };
    });
  });
});
