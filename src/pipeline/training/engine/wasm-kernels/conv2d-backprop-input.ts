/**
 * Conv2DBackpropInput for the wasm backend, wrapping the one it ships (tfjs-backend-wasm 4.22): that
 * kernel is a scalar C++ loop, the largest single cost of a CNN training step (~3× the forward
 * convolution). For unit strides the input gradient is an ordinary convolution,
 *
 *   dx = conv2d(dy, W'),  W'[i, j, k, c] = W[FH−1−i, FW−1−j, c, k]  (rotated 180°, channels swapped),
 *
 * padded FH−1−top above and FW−1−left to the left (and so that the output is H × W), which runs on
 * XNNPACK like the forward pass: a Reverse and a Transpose of the small filter, then Conv2D.
 * Strided convolutions (the gradient would need dy dilated with zeros) and paddings wider than the
 * filter go to the original kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { UnsupportedKernelArgumentError, withScope, WASM, sizeOf } from './kernel-utils';

const KERNEL = 'Conv2DBackpropInput';

export function makeConv2DBackpropInputWasm(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as tf.Conv2DBackpropInputInputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new UnsupportedKernelArgumentError(KERNEL, `dataFormat '${String(dataFormat)}' is not supported; use 'NHWC' (channels last)`);
    }
    if (dy === undefined || filter === undefined || dy.shape.length !== 4 || filter.shape.length !== 4 || inputShape.length !== 4) {
      throw new UnsupportedKernelArgumentError(KERNEL, 'dy, filter and inputShape must be rank 4 (NHWC)');
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const [batch, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
    if (batch !== info.batchSize || outHeight !== info.outHeight || outWidth !== info.outWidth || outChannels !== info.outChannels) {
      // The original kernel reads out of bounds in this case (tfjs-core's numeric-padding shape rule).
      throw new UnsupportedKernelArgumentError(
        KERNEL,
        `dy shape [${dy.shape.join(',')}] does not match the convolution's output ` +
          `[${info.batchSize},${info.outHeight},${info.outWidth},${info.outChannels}] for input [${inputShape.join(',')}], filter ` +
          `[${filter.shape.join(',')}], strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}` +
          (typeof pad === 'number'
            ? '; with numeric padding use a square filter, equal strides and no dimRoundingMode, or explicit padding'
            : ''),
      );
    }
    const { filterHeight, filterWidth, inHeight, inWidth } = info;
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    const bottom = inHeight - outHeight - top + filterHeight - 1;
    const right = inWidth - outWidth - left + filterWidth - 1;
    const unitStrides = info.strideHeight === 1 && info.strideWidth === 1;
    if (!unitStrides || Math.min(top, left, bottom, right) < 0 || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    return withScope(backend, (scope) => {
      if (sizeOf(dy.shape) === 0 || sizeOf(filter.shape) === 0) {
        return scope.release(scope.run('Fill', {}, { shape: inputShape, value: 0, dtype: 'float32' }));
      }
      const rotated = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = scope.transpose(rotated, [0, 1, 3, 2]); // [FH, FW, K, C]
      return scope.release(
        scope.run(
          'Conv2D',
          { x: dy, filter: swapped },
          {
            strides: [1, 1],
            dilations: [1, 1],
            pad: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            dataFormat: 'NHWC',
          },
        ),
      );
    });
  };
}

export function conv2DBackpropInputWasmConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: KERNEL,
    backendName: WASM,
    kernelFunc: makeConv2DBackpropInputWasm(original),
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
  };
}
