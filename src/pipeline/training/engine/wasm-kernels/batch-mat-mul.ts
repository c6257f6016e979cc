/**
 * BatchMatMul for the wasm backend, wrapping the one it ships (tfjs-backend-wasm 4.22). That kernel
 * uses XNNPACK's fully-connected operator (SIMD GEMM) only for a single, untransposed product; every
 * transposed or batched product takes a scalar blocked loop that is 5–10× slower. Back-propagation
 * through a dense layer or a matMul is exactly such products (x^T·dy for the weights, dy·W^T for the
 * inputs), so training spends most of its matMul time in the slow loop.
 *
 * The wrapper materialises the transposes with the native Transpose kernel and folds a batched
 * left operand against a shared right operand into one tall product, then calls the original kernel
 * on the untransposed, unbatched operands; everything else goes to the original unchanged.
 *
 * The right operand always reaches the original as a fresh tensor (a transpose or a copy): XNNPACK's
 * operator is cached on the right operand's tensor id alone, without its shape, and a tensor that
 * the slow loop used to see could otherwise be cached under one shape and reused under another.
 */
import * as tf from '@tensorflow/tfjs';
import { type KernelScope, withScope, WASM, sizeOf } from './kernel-utils';

const KERNEL = 'BatchMatMul';

/** Products below this many multiply-adds stay on the original kernel (setup costs dominate). */
export const FAST_MATMUL_MIN_WORK = 16_384;

function last2(shape: number[]): [number, number] {
  return [shape[shape.length - 2] ?? 1, shape[shape.length - 1] ?? 1];
}

export function makeBatchMatMulWasm(original: tf.KernelConfig): tf.KernelFunc {
  const delegate = (args: Parameters<tf.KernelFunc>[0]) => original.kernelFunc(args) as tf.TensorInfo;

  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as tf.BatchMatMulInputs;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
      return delegate(args);
    }
    const [aRows, aCols] = last2(a.shape);
    const [bRows, bCols] = last2(b.shape);
    const m = transposeA ? aCols : aRows;
    const k = transposeA ? aRows : aCols;
    const n = transposeB ? bRows : bCols;
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    const kB = transposeB ? bCols : bRows;
    const fastPathShape = batchB === 1 && (batchA === 1 || !transposeA) && k === kB;
    const alreadyFast = !transposeA && !transposeB && batchA === 1 && batchB === 1;
    if (!fastPathShape || alreadyFast || batchA * m * n * k < FAST_MATMUL_MIN_WORK) return delegate(args);

    const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
    return withScope(backend, (scope: KernelScope) => {
      const a2 = transposeA ? scope.transpose(scope.reshape(a, [k, m]), [1, 0]) : scope.reshape(a, [batchA * m, k]);
      const b2 = transposeB ? scope.transpose(scope.reshape(b, [n, k]), [1, 0]) : scope.run('Identity', { x: scope.reshape(b, [k, n]) });
      const product = scope.keep(
        delegate({
          inputs: { a: scope.reshape(a2, [1, batchA * m, k]), b: scope.reshape(b2, [1, k, n]) },
          backend,
          attrs: { transposeA: false, transposeB: false },
        }),
      );
      return scope.release(scope.reshape(product, outShape));
    });
  };
}

export function batchMatMulWasmConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: KERNEL,
    backendName: WASM,
    kernelFunc: makeBatchMatMulWasm(original),
    // The original's setup (binding its wasm export) must still run when the backend initialises.
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
  };
}
