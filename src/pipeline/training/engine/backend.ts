/**
 * Backend selection for training (DESIGN.md "Training"): the best tfjs backend present —
 * `tensorflow` (@tensorflow/tfjs-node, native libtensorflow) when it can be loaded, else `wasm`
 * (XNNPACK, SIMD / threads as the runtime offers, plus Assay's training kernels), else `cpu` (the
 * pure-JavaScript reference). What was chosen, and why the better ones were not, is evidence.
 *
 * Determinism. The `cpu` and `wasm` kernels used for training (Conv2D and its two gradients,
 * MaxPool / AvgPool and their gradients, (Fused)MatMul, Relu, Softmax, the reductions and the
 * element-wise ops of the optimisers) are single-threaded in Node and reduce in a fixed order, so a
 * seeded run repeats bit for bit on the same backend, version and SIMD setting (wasm-training.spec
 * checks it). WASM threads are unavailable in Node; XNNPACK parallelises by output tile, not within
 * one sum, so they should not change that either, and they are recorded in any case. Results differ
 * in the last bits *between* backends (summation order), which is why name, versions and SIMD are
 * recorded. For `tensorflow`, TF_DETERMINISTIC_OPS=1 is set before the
 * library loads (unless the environment already sets it) and reported. WebGL flags do not apply.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, type WasmKernelRegistration } from './wasm-kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** Version of @tensorflow/tfjs-core, the engine every backend runs under. */
  tfjsVersion: string;
  /** Version of the backend package (tfjs-node, tfjs-backend-wasm or tfjs-backend-cpu). */
  backendVersion: string;
  /** wasm: the SIMD build is in use. */
  simd?: boolean;
  /** wasm: the multi-threaded build is in use (needs SharedArrayBuffer + workers; not in Node). */
  threads?: boolean;
  /** true unless the kernels run on the pure-JavaScript `cpu` reference backend. */
  accelerator: boolean;
  /** Same inputs, same seed, same BackendInfo ⇒ same bits (see the module comment). */
  deterministic: boolean;
  /** wasm: kernels Assay added to or replaced in the backend. */
  kernels?: WasmKernelRegistration;
  /** Better backends that were tried and not used, with the reason (preference 'auto' only). */
  fallbacks: Array<{ name: BackendName; reason: string }>;
}

export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`training backend '${backend}' is unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/** How the optional native package is loaded; replaceable in tests. */
export type ModuleLoader = (id: string) => unknown;

// A plain `require`, hidden from bundlers and from TypeScript's module resolution (the package is
// optional and normally absent).
const defaultLoader: ModuleLoader = (id) => (module.require as (id: string) => unknown)(id);
let loader: ModuleLoader = defaultLoader;

/** Replaces the loader for '@tensorflow/tfjs-node' (tests); `undefined` restores `require`. */
export function setNativeModuleLoader(next: ModuleLoader | undefined): void {
  loader = next ?? defaultLoader;
  probes.delete('tensorflow');
}

const TFJS_VERSION = tf.version.tfjs ?? tf.version_core;

type Probe = { ok: true; info: Omit<BackendInfo, 'fallbacks'> } | { ok: false; reason: string };
const probes = new Map<BackendName, Promise<Probe>>();

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function activate(name: BackendName): Promise<void> {
  // engine().backendName, unlike tf.getBackend(), does not initialise a default backend first.
  if (tf.engine().backendName !== name || tf.findBackend(name) === null) {
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise it`);
  }
  await tf.ready();
}

async function probeTensorflow(): Promise<Probe> {
  let native: { version?: Record<string, string> };
  const deterministicOps = process.env.TF_DETERMINISTIC_OPS;
  try {
    // libtensorflow reads this when it loads.
    process.env.TF_DETERMINISTIC_OPS ??= '1';
    native = loader('@tensorflow/tfjs-node') as typeof native;
  } catch (error) {
    if (deterministicOps === undefined) delete process.env.TF_DETERMINISTIC_OPS;
    return { ok: false, reason: `@tensorflow/tfjs-node cannot be loaded (${message(error)})` };
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return {
      ok: false,
      reason: '@tensorflow/tfjs-node loaded but registered no tensorflow backend with this @tensorflow/tfjs (duplicate tfjs-core?)',
    };
  }
  try {
    await activate('tensorflow');
  } catch (error) {
    return { ok: false, reason: message(error) };
  }
  return {
    ok: true,
    info: {
      name: 'tensorflow',
      tfjsVersion: TFJS_VERSION,
      backendVersion: native.version?.['tfjs-node'] ?? 'unknown',
      accelerator: true,
      deterministic: process.env.TF_DETERMINISTIC_OPS === '1' || process.env.TF_DETERMINISTIC_OPS === 'true',
    },
  };
}

async function probeWasm(): Promise<Probe> {
  let kernels: WasmKernelRegistration;
  try {
    kernels = registerWasmTrainingKernels();
    await activate('wasm');
  } catch (error) {
    return { ok: false, reason: `the wasm backend failed to initialise (${message(error)})` };
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true && getThreadsCount() > 1;
  return {
    ok: true,
    info: {
      name: 'wasm',
      tfjsVersion: TFJS_VERSION,
      backendVersion: version_wasm,
      simd,
      threads,
      accelerator: true,
      deterministic: true,
      kernels,
    },
  };
}

async function probeCpu(): Promise<Probe> {
  try {
    await activate('cpu');
  } catch (error) {
    return { ok: false, reason: message(error) };
  }
  // The cpu backend prints an "install @tensorflow/tfjs-node" banner on first use in Node; the choice
  // and the reasons for it are already in BackendInfo.fallbacks, so the banner is switched off.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  return {
    ok: true,
    info: {
      name: 'cpu',
      tfjsVersion: TFJS_VERSION,
      backendVersion: tf.version['tfjs-backend-cpu'] ?? tf.version_core,
      accelerator: false,
      deterministic: true,
    },
  };
}

const PROBES: Record<BackendName, () => Promise<Probe>> = { tensorflow: probeTensorflow, wasm: probeWasm, cpu: probeCpu };

async function use(name: BackendName): Promise<Probe> {
  let probe = probes.get(name);
  if (!probe) {
    probe = PROBES[name]();
    probes.set(name, probe);
  }
  const result = await probe;
  // The probe ran once; later calls only switch back to the backend if something else moved away.
  if (result.ok) await activate(name);
  return result;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes the best available backend (or the preferred one) tfjs's current backend and describes it.
 * 'auto' tries tensorflow, then wasm, then cpu, and lists the ones passed over in `fallbacks`; an
 * explicit preference fails with BackendUnavailableError instead of silently using another backend.
 * Idempotent and safe to call concurrently: detection runs once per backend; later calls only
 * re-activate the chosen backend (if a test or caller switched away) and return the same figures.
 */
export function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const run = async (): Promise<BackendInfo> => {
    const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
    const fallbacks: BackendInfo['fallbacks'] = [];
    for (const name of order) {
      const result = await use(name);
      if (result.ok) return { ...result.info, fallbacks };
      if (preference !== 'auto') throw new BackendUnavailableError(name, result.reason);
      fallbacks.push({ name, reason: result.reason });
    }
    throw new BackendUnavailableError('cpu', fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; '));
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** Forgets detection results (tests). Backends stay registered. */
export function resetBackendSelection(): void {
  probes.clear();
}
