/**
 * Helpers for composing WASM kernels at the backend level: a kernel registered here runs other
 * kernels of the `wasm` backend directly (no tape, no engine scopes) and frees every intermediate
 * it made before returning, so the engine's leak check (`checkKernelForMemLeak`) stays balanced.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

/** Error raised by the engine's kernels for unsupported arguments; the message says what to change. */
export class UnsupportedKernelArgumentError extends Error {
  constructor(kernel: string, message: string) {
    super(`${kernel} (wasm, Assay): ${message}`);
    this.name = 'UnsupportedKernelArgumentError';
  }
}

/** A kernel implementation of the wasm backend as it was registered (ours or the original). */
export function wasmKernel(name: string): tf.KernelConfig {
  const kernel = tf.getKernel(name, WASM);
  if (!kernel) throw new Error(`the wasm backend has no '${name}' kernel (is @tensorflow/tfjs-backend-wasm loaded?)`);
  return kernel;
}

/**
 * Intermediates made by one kernel invocation. `run` calls a wasm kernel and keeps its output for
 * disposal; `keep` adopts a TensorInfo made otherwise; `release` hands one out as the result.
 */
export class KernelScope {
  private readonly owned: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const out = wasmKernel(name).kernelFunc({ inputs, attrs, backend: this.backend });
    if (Array.isArray(out)) {
      this.owned.push(...out);
      throw new Error(`kernel '${name}' returned ${out.length} outputs where one was expected; use runMulti`);
    }
    return this.keep(out);
  }

  runMulti(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo[] {
    const out = wasmKernel(name).kernelFunc({ inputs, attrs, backend: this.backend });
    const outs = Array.isArray(out) ? out : [out];
    outs.forEach((t) => this.keep(t));
    return outs;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** A scalar or small constant tensor in wasm memory. */
  constant(values: Float32Array | Int32Array, shape: number[]): tf.TensorInfo {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    return this.keep(this.backend.makeOutput(shape, dtype, undefined, values));
  }

  /**
   * A fresh int32 tensor of keys whose integer order is the float order of `x` (float32): the
   * IEEE-754 bits for x ≥ 0, minus the magnitude bits for x < 0 — exact and order-preserving, with
   * −0 and +0 both 0 (NaN sorts above +Infinity). One branch-free pass over the two heap views: the
   * backend's int32 element-wise kernels take a generic scalar path (about 1.6 ms per op on 346k
   * elements here, and this needs four: and, less, sub, select), so the pass in JavaScript (about
   * 0.5 ms) is the faster of the two.
   */
  floatOrderKeys(x: tf.TensorInfo): tf.TensorInfo {
    if (x.dtype !== 'float32') throw new Error(`floatOrderKeys expects float32, got ${x.dtype}`);
    const out = this.keep(this.backend.makeOutput(x.shape, 'int32'));
    // Views are taken after the allocation: malloc may grow (and so detach) the wasm heap.
    const source = this.backend.typedArrayFromHeap(x) as Float32Array;
    const bits = new Int32Array(source.buffer, source.byteOffset, source.length);
    const keys = this.backend.typedArrayFromHeap(out) as Int32Array;
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      const sign = b >> 31; // 0 or -1
      keys[i] = ((b & 0x7fffffff) ^ sign) - sign; // magnitude, negated when the sign bit is set
    }
    return out;
  }

  keep(t: tf.TensorInfo): tf.TensorInfo {
    this.owned.push(t);
    return t;
  }

  /** Removes `t` from the intermediates, so that it survives `dispose` (the kernel's result). */
  release(t: tf.TensorInfo): tf.TensorInfo {
    const index = this.owned.lastIndexOf(t);
    if (index < 0) throw new Error('release: not an intermediate of this scope');
    this.owned.splice(index, 1);
    return t;
  }

  dispose(): void {
    for (const t of this.owned.splice(0)) this.backend.disposeData(t.dataId);
  }
}

/** Runs `body` with a fresh scope and disposes every intermediate the body did not release. */
export function withScope(backend: unknown, body: (scope: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(backend as BackendWasm);
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

export function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
