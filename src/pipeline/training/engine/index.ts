/**
 * The training engine's numerical substrate: backend selection (evidence: which backend, which
 * versions, SIMD/threads) and the kernels Assay adds to the tfjs `wasm` backend so that CNNs train
 * on it. Pure library: no NestJS, no database.
 */
export {
  selectBackend,
  resetBackendSelection,
  setNativeModuleLoader,
  BackendUnavailableError,
  type BackendInfo,
  type BackendName,
  type BackendPreference,
  type ModuleLoader,
} from './backend';
export {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  wasmTrainingKernels,
  UnsupportedKernelArgumentError,
  type WasmKernelRegistration,
} from './wasm-kernels';
