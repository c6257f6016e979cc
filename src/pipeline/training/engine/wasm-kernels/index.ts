/**
 * Training kernels for the tfjs `wasm` backend. Loading this module loads the backend itself
 * (`@tensorflow/tfjs-backend-wasm` registers the backend and its kernels on import).
 *
 * What a small CNN's training (conv2d + relu + maxPool + dense + softmax cross-entropy, Adam) needs
 * and tfjs-backend-wasm 4.22 lacks or gets wrong, found by training such a model on wasm and by
 * comparing every gradient kernel with the cpu backend:
 *
 * - `Conv2DBackpropFilter` — missing (training fails: "Kernel 'Conv2DBackpropFilter' not registered
 *   for backend 'wasm'"). Added: ./conv2d-backprop-filter.
 * - `MaxPoolGrad` — present but wrong when a window's maximum is ≤ 0. Replaced: ./max-pool-grad.
 * - `BatchMatMul` — present and correct, but transposed products (all of back-propagation through
 *   dense layers) take a scalar loop. Wrapped: ./batch-mat-mul.
 * - `Conv2DBackpropInput` — present and correct, but a scalar loop, the largest cost of a CNN step.
 *   Wrapped for unit strides: ./conv2d-backprop-input.
 *
 * Present and matching the cpu backend (to ≤ 1e-5 relative): Conv2D / FusedConv2D, MaxPool (except
 * windows lying wholly in the padding: -Infinity on cpu, unspecified on wasm), AvgPool, AvgPoolGrad,
 * Relu / Step, Softmax, _FusedMatMul and the element-wise and reduction kernels Adam uses. Missing but
 * not needed by these models: DepthwiseConv2dNativeBackpropFilter / ...BackpropInput (depthwise and
 * separable convolutions) and UnsortedSegmentSum (the gradient of gather / embeddings).
 *
 * tfjs-core itself (so every backend) mis-sizes numeric `pad` with a non-square filter or unequal
 * strides (it uses the height's filter size and stride for both axes), and its conv2d and maxPool
 * gradients drop dimRoundingMode. The kernels here refuse such gradients with a clear error, where
 * the cpu backend silently returns a wrong one. 'same' / 'valid' / explicit padding are unaffected.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasmConfig } from './batch-mat-mul';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input';
import { WASM } from './kernel-utils';
import { maxPoolGradWasmConfig } from './max-pool-grad';

export { conv2DBackpropFilterWasm, conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter';
export { maxPoolGradWasm, maxPoolGradWasmConfig } from './max-pool-grad';
export { FAST_MATMUL_MIN_WORK, batchMatMulWasmConfig } from './batch-mat-mul';
export { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input';
export { UnsupportedKernelArgumentError } from './kernel-utils';

export interface WasmKernelRegistration {
  /** Kernels the backend lacked, now registered. */
  added: string[];
  /** Kernels the backend had, now replaced or wrapped (with the reason, for the evidence). */
  replaced: Array<{ kernelName: string; reason: string }>;
}

interface Installed {
  registration: WasmKernelRegistration;
  originals: Map<string, tf.KernelConfig>;
}

let installed: Installed | undefined;

const REPLACEMENTS: Array<{ kernelName: string; reason: string; config: (original: tf.KernelConfig) => tf.KernelConfig }> = [
  {
    kernelName: 'MaxPoolGrad',
    reason: 'tfjs-backend-wasm MaxPoolGrad mis-routes the gradient of windows whose maximum is <= 0',
    config: (original) => ({ ...maxPoolGradWasmConfig, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc }),
  },
  {
    kernelName: 'Conv2DBackpropInput',
    reason: 'unit-stride input gradients routed to XNNPACK Conv2D (speed only; strided ones unchanged)',
    config: conv2DBackpropInputWasmConfig,
  },
  {
    kernelName: 'BatchMatMul',
    reason: 'transposed/batched products routed to XNNPACK GEMM via explicit transposes (speed only)',
    config: batchMatMulWasmConfig,
  },
];

/**
 * Registers the training kernels for the `wasm` backend. Idempotent: later calls return the first
 * call's registration. May run before or after the backend is initialised (replaced kernels keep
 * the original's setup function, which the backend runs when it initialises).
 */
export function registerWasmTrainingKernels(): WasmKernelRegistration {
  if (installed) return installed.registration;
  const registration: WasmKernelRegistration = { added: [], replaced: [] };
  const originals = new Map<string, tf.KernelConfig>();

  for (const config of [conv2DBackpropFilterWasmConfig]) {
    if (tf.getKernel(config.kernelName, WASM) === undefined) {
      tf.registerKernel(config);
      registration.added.push(config.kernelName);
    }
  }
  for (const { kernelName, reason, config } of REPLACEMENTS) {
    const original = tf.getKernel(kernelName, WASM);
    if (original === undefined) continue;
    originals.set(kernelName, original);
    tf.unregisterKernel(kernelName, WASM);
    tf.registerKernel(config(original));
    registration.replaced.push({ kernelName, reason });
  }
  installed = { registration, originals };
  return registration;
}

/** Undoes `registerWasmTrainingKernels` (restores the backend's own kernels). For tests and diagnostics. */
export function unregisterWasmTrainingKernels(): void {
  if (!installed) return;
  for (const kernelName of installed.registration.added) tf.unregisterKernel(kernelName, WASM);
  for (const [kernelName, original] of installed.originals) {
    tf.unregisterKernel(kernelName, WASM);
    tf.registerKernel(original);
  }
  installed = undefined;
}

/** The current registration, if the kernels are installed. */
export function wasmTrainingKernels(): WasmKernelRegistration | undefined {
  return installed?.registration;
}
