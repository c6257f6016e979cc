/**
 * MaxPoolGrad for the wasm backend, replacing the one it ships (tfjs-backend-wasm 4.22), which is
 * wrong whenever a pooling window's maximum is ≤ 0: it starts its running maximum at
 * `std::numeric_limits<float>::min()` (the smallest *positive* float, not the lowest), so such
 * windows never find their maximum and their gradient goes to flat index 0 or nowhere. Any max-pool
 * over signed activations (conv → pool → relu, a linear conv, pooled inputs) trains on wrong
 * gradients; MaxPoolWithArgmax has the same fault.
 *
 * The replacement: the input's float32 bit patterns become int32 keys whose integer order is the
 * float order (x ≥ 0: the bits; x < 0: minus the magnitude bits — exact, order-preserving, −0 and
 * +0 both 0; one pass, see KernelScope.floatOrderKeys), the native MaxPoolWithArgmax runs on the
 * keys (its int32 path starts at INT_MIN, so it is correct), and the native ScatterNd sums dy into
 * the argmax positions. It is also ~3× faster than the kernel it replaces.
 * Geometry ('same' / 'valid' / numeric / explicit padding, rounding modes) is taken from tfjs-core's
 * pool info and passed down as explicit padding.
 *
 * Ties (equal maxima in one window): the gradient goes to the last maximal position in row-major
 * window order, where the cpu backend picks the first; both are valid subgradients, and after a relu
 * (the usual tie, a window of zeros) the difference is multiplied by relu'(0) = 0.
 */
import * as tf from '@tensorflow/tfjs';
import { UnsupportedKernelArgumentError, withScope, WASM, sizeOf } from './kernel-utils';

const KERNEL = 'MaxPoolGrad';

/** 1/0 per output position (0: the window has no input position), or undefined when none is empty. */
function emptyWindowMask(info: tf.backend_util.Conv2DInfo, outHeight: number, outWidth: number): Float32Array | undefined {
  const covers = (index: number, stride: number, pad: number, filter: number, size: number) =>
    index * stride - pad + filter - 1 >= 0 && index * stride - pad < size;
  const rows = Array.from({ length: outHeight }, (_, i) =>
    covers(i, info.strideHeight, info.padInfo.top, info.filterHeight, info.inHeight),
  );
  const cols = Array.from({ length: outWidth }, (_, j) => covers(j, info.strideWidth, info.padInfo.left, info.filterWidth, info.inWidth));
  if (rows.every(Boolean) && cols.every(Boolean)) return undefined;
  const mask = new Float32Array(outHeight * outWidth);
  rows.forEach((row, i) => cols.forEach((col, j) => (mask[i * outWidth + j] = row && col ? 1 : 0)));
  return mask;
}

export function maxPoolGradWasm({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { dy, input } = inputs as tf.MaxPoolGradInputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const dilations = (attrs as { dilations?: number | [number, number] } | undefined)?.dilations;
  const dataFormat = (attrs as { dataFormat?: string } | undefined)?.dataFormat;

  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new UnsupportedKernelArgumentError(KERNEL, `dataFormat '${dataFormat}' is not supported; use 'NHWC' (channels last)`);
  }
  if (dilations !== undefined && [dilations].flat().some((d) => d !== 1)) {
    throw new UnsupportedKernelArgumentError(KERNEL, `dilations ${JSON.stringify(dilations)} are not supported; only 1`);
  }
  if (input === undefined || dy === undefined || input.shape.length !== 4 || dy.shape.length !== 4) {
    throw new UnsupportedKernelArgumentError(KERNEL, 'input and dy must be rank-4 NHWC tensors');
  }
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new UnsupportedKernelArgumentError(KERNEL, `float32 only (got input ${input.dtype}, dy ${dy.dtype})`);
  }

  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, outHeight, outWidth, channels] = dy.shape as [number, number, number, number];
  if (batch !== info.batchSize || outHeight !== info.outHeight || outWidth !== info.outWidth || channels !== info.outChannels) {
    throw new UnsupportedKernelArgumentError(
      KERNEL,
      `dy shape [${dy.shape.join(',')}] does not match the pooling output ` +
        `[${info.batchSize},${info.outHeight},${info.outWidth},${info.outChannels}] for input [${input.shape.join(',')}], ` +
        `filterSize ${JSON.stringify(filterSize)}, strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}` +
        // tfjs-core's maxPool gradient drops dimRoundingMode (the cpu backend then silently computes a wrong gradient).
        (typeof pad === 'number' ? '; with numeric padding leave dimRoundingMode unset, or use explicit padding' : ''),
    );
  }

  return withScope(backend, (scope) => {
    if (sizeOf(input.shape) === 0 || sizeOf(dy.shape) === 0) {
      return scope.release(scope.run('Fill', {}, { shape: input.shape, value: 0, dtype: 'float32' }));
    }
    const { top, left } = info.padInfo;
    // Explicit padding that reproduces tfjs-core's window grid exactly: the argmax kernel truncates
    // (H − FH + top + bottom) / stride + 1, so the bottom/right pad makes that equal outHeight/outWidth.
    const bottom = Math.max(0, (outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top);
    const right = Math.max(0, (outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left);

    const keys = scope.floatOrderKeys(input);
    const [, argmax] = scope.runMulti(
      'MaxPoolWithArgmax',
      { x: keys },
      {
        filterSize: [info.filterHeight, info.filterWidth],
        strides: [info.strideHeight, info.strideWidth],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        includeBatchInIndex: true,
      },
    ) as [tf.TensorInfo, tf.TensorInfo];
    const positions = sizeOf(dy.shape);
    if (sizeOf(argmax.shape) !== positions) {
      throw new Error(`${KERNEL}: argmax shape [${argmax.shape.join(',')}] does not match dy [${dy.shape.join(',')}]`);
    }
    // A window lying wholly in the padding has no maximum (its output is -Infinity on cpu) and no
    // gradient; the argmax kernel reports index 0 for it, so its dy is zeroed first. Which windows
    // are empty depends on the geometry alone: an (outHeight × outWidth) mask, not the data.
    const windowMask = emptyWindowMask(info, outHeight, outWidth);
    const updates = windowMask ? scope.run('Multiply', { a: dy, b: scope.constant(windowMask, [1, outHeight, outWidth, 1]) }) : dy;
    const dx = scope.run(
      'ScatterNd',
      { indices: scope.reshape(argmax, [positions, 1]), updates: scope.reshape(updates, [positions]) },
      { shape: [sizeOf(input.shape)] },
    );
    return scope.release(scope.reshape(dx, [...input.shape]));
  });
}

export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: maxPoolGradWasm,
};
