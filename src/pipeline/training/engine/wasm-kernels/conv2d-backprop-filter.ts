/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it (tfjs-backend-wasm 4.22).
 *
 * The filter gradient of an NHWC convolution
 *
 *   dW[i, j, c, k] = Σ_{n, p, q} x[n, p·sh + i − top, q·sw + j − left, c] · dy[n, p, q, k]
 *
 * is itself a convolution once batch and channels swap places: take x' = x transposed to
 * [C, H, W, N] (the "batch" is now the input channel, the "channels" the examples) and
 * dy' = dy transposed to [OH, OW, N, K] as the filter; a stride-1 convolution of x' by dy' with
 * dilation (sh, sw) and the forward pass's top/left padding gives [C, FH, FW, K], which transposed
 * to [FH, FW, C, K] is dW. All three steps are native kernels of the wasm backend (two Transposes
 * and an XNNPACK Conv2D, SIMD where available), so no JavaScript loop touches the data.
 *
 * The bottom/right padding is chosen so the convolution yields at least FH × FW outputs; when the
 * forward pass left input rows/columns unused ('valid' with a remainder) it yields a few more, and
 * the surplus is sliced off the small result.
 */
import * as tf from '@tensorflow/tfjs';
import { UnsupportedKernelArgumentError, withScope, WASM, sizeOf } from './kernel-utils';

const KERNEL = 'Conv2DBackpropFilter';

export function conv2DBackpropFilterWasm({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, dy } = inputs as tf.Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dilations = (attrs as { dilations?: number | [number, number] } | undefined)?.dilations;

  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new UnsupportedKernelArgumentError(KERNEL, `dataFormat '${String(dataFormat)}' is not supported; use 'NHWC' (channels last)`);
  }
  if (dilations !== undefined && [dilations].flat().some((d) => d !== 1)) {
    throw new UnsupportedKernelArgumentError(KERNEL, `dilations ${JSON.stringify(dilations)} are not supported; only 1`);
  }
  if (x === undefined || dy === undefined || x.shape.length !== 4 || dy.shape.length !== 4) {
    throw new UnsupportedKernelArgumentError(KERNEL, 'x and dy must be rank-4 NHWC tensors');
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new UnsupportedKernelArgumentError(KERNEL, `float32 only (got x ${x.dtype}, dy ${dy.dtype})`);
  }

  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [batch, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  if (batch !== info.batchSize || outHeight !== info.outHeight || outWidth !== info.outWidth || outChannels !== info.outChannels) {
    // With a numeric `pad` this is tfjs-core's doing, and the cpu backend would silently compute a
    // wrong gradient instead: its conv2d gradient drops `dimRoundingMode` (so 'round' / 'ceil'
    // shapes disagree), and its numeric-padding shape rule uses the filter height and stride
    // height for both axes (so non-square filters or strides disagree).
    throw new UnsupportedKernelArgumentError(
      KERNEL,
      `dy shape [${dy.shape.join(',')}] does not match the convolution's output ` +
        `[${info.batchSize},${info.outHeight},${info.outWidth},${info.outChannels}] for x [${x.shape.join(',')}], filter ` +
        `[${filterShape.join(',')}], strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}` +
        (typeof pad === 'number'
          ? '; with numeric padding use a square filter, equal strides and no dimRoundingMode, or explicit padding'
          : ''),
    );
  }

  const { filterHeight, filterWidth, inChannels, inHeight, inWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  return withScope(backend, (scope) => {
    if (sizeOf(x.shape) === 0 || sizeOf(dy.shape) === 0) {
      return scope.release(scope.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' }));
    }
    const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - inHeight - top);
    const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - inWidth - left);

    const xT = scope.transpose(x, [3, 1, 2, 0]); // [C, H, W, N]
    const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, K]
    const swapped = scope.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [strideHeight, strideWidth],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    ); // [C, ≥FH, ≥FW, K]
    const [, gotHeight, gotWidth] = swapped.shape as [number, number, number, number];
    const exact =
      gotHeight === filterHeight && gotWidth === filterWidth
        ? swapped
        : scope.run('Slice', { x: swapped }, { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] });
    return scope.release(scope.transpose(exact, [1, 2, 0, 3])); // [FH, FW, C, K]
  });
}

export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilterWasm,
};
