import * as tf from '@tensorflow/tfjs';
import canonicalize from 'canonicalize';
import { MODEL_SPEC_LIMITS } from './model-spec';
import './seeded-dropout.layer';
import { TrainingError } from './training.error';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface ModelFile {
  path: string;
  bytes: Uint8Array;
}

export interface ModelFiles {
  files: ModelFile[];
}

/** Layer classes a model from buildModel may contain; loadModel refuses any other. */
const LAYER_CLASSES = new Set(['InputLayer', 'Reshape', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'AssaySeededDropout', 'Activation']);
const MAX_MODEL_JSON_BYTES = 4 * 1024 * 1024;

/**
 * The model in the TensorFlow.js layers format: `model.json` (topology, weights manifest and
 * `metadata` as userDefinedMetadata, e.g. the preprocessor and spec) and one `weights.bin`.
 * model.json is RFC 8785 canonical JSON, so the same model and metadata give the same bytes
 * and therefore the same artifact digest.
 */
export async function saveModel(model: tf.LayersModel, options: { metadata?: Record<string, unknown> } = {}): Promise<ModelFiles> {
  let files: ModelFile[] | undefined;
  if (options.metadata) model.setUserDefinedMetadata(options.metadata);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: Record<string, unknown> = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      files = [
        { path: MODEL_JSON, bytes: new TextEncoder().encode(canonicalize(json)) },
        { path: WEIGHTS_BIN, bytes: new Uint8Array(weightData) },
      ];
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } });
    }),
  );
  if (!files) throw new TrainingError('MODEL_ARTIFACT_INVALID', 'tfjs did not hand over the model artifacts');
  return { files };
}

/**
 * A model saved by saveModel back. The files may be untrusted: the layer classes, the
 * weights manifest and the weights' size are checked before tfjs builds anything.
 */
export async function loadModel(files: ModelFiles | readonly ModelFile[]): Promise<tf.LayersModel> {
  const list = Array.isArray(files) ? (files as readonly ModelFile[]) : (files as ModelFiles).files;
  const invalid = (reason: string): never => {
    throw new TrainingError('MODEL_ARTIFACT_INVALID', `not a loadable model: ${reason}`, { reason });
  };
  const byPath = new Map<string, Uint8Array>();
  for (const file of list) {
    if (byPath.has(normalise(file.path))) invalid(`duplicate file ${file.path}`);
    byPath.set(normalise(file.path), file.bytes);
  }
  const jsonBytes = byPath.get(MODEL_JSON) ?? invalid(`no ${MODEL_JSON}`);
  if (jsonBytes.byteLength > MAX_MODEL_JSON_BYTES) invalid(`${MODEL_JSON} is larger than ${MAX_MODEL_JSON_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch {
    invalid(`${MODEL_JSON} is not JSON`);
  }
  if (!isRecord(json) || !isRecord(json.modelTopology) || !Array.isArray(json.weightsManifest)) return invalid(`${MODEL_JSON} lacks modelTopology or weightsManifest`);
  checkTopology(json.modelTopology, invalid);

  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest as unknown[]) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return invalid('bad weights manifest');
    for (const path of group.paths as unknown[]) {
      if (typeof path !== 'string') return invalid('bad weights path');
      chunks.push(byPath.get(normalise(path)) ?? invalid(`missing weights file ${path}`));
    }
    for (const spec of group.weights as unknown[]) {
      if (!isRecord(spec) || typeof spec.name !== 'string' || spec.dtype !== 'float32' || !Array.isArray(spec.shape)) return invalid('bad weight spec');
      if (!spec.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return invalid(`bad shape for ${spec.name}`);
      weightSpecs.push({ name: spec.name, dtype: 'float32', shape: spec.shape as number[] });
    }
  }
  const parameters = weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  if (parameters > MODEL_SPEC_LIMITS.parameters) invalid(`more than ${MODEL_SPEC_LIMITS.parameters} parameters`);
  const size = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  if (size !== parameters * 4) invalid(`the weights hold ${size} bytes; the manifest needs ${parameters * 4}`);
  const weightData = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    weightData.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const artifacts: tf.io.ModelArtifacts = { modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer };
  if (isRecord(json.userDefinedMetadata)) artifacts.userDefinedMetadata = json.userDefinedMetadata as Record<string, object>;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new TrainingError('MODEL_ARTIFACT_INVALID', `tfjs could not load the model: ${(error as Error).message}`, { reason: 'tfjs' }, { cause: error });
  }
}

/** Only the layers buildModel makes, each within the spec limits: a hostile topology must not allocate gigabytes. */
function checkTopology(topology: Record<string, unknown>, invalid: (reason: string) => never): void {
  const config = isRecord(topology.config) ? topology.config : undefined;
  const layers = config && Array.isArray(config.layers) ? (config.layers as unknown[]) : invalid('the topology has no layers');
  if (layers.length > 64) invalid('too many layers');
  for (const layer of layers) {
    if (!isRecord(layer) || typeof layer.class_name !== 'string' || !LAYER_CLASSES.has(layer.class_name)) {
      invalid(`layer class ${isRecord(layer) ? String(layer.class_name) : '?'} is not one Assay builds`);
    }
    const c = isRecord(layer.config) ? layer.config : {};
    const within = (value: unknown, max: number) => value === undefined || (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max);
    const sizes = (value: unknown, max: number) => (Array.isArray(value) ? value.every((v) => within(v, max)) : within(value, max));
    if (!within(c.units, MODEL_SPEC_LIMITS.units) || !within(c.filters, MODEL_SPEC_LIMITS.filters) || !sizes(c.kernel_size, MODEL_SPEC_LIMITS.kernelSize)) {
      invalid(`layer ${String(c.name)} exceeds the spec limits`);
    }
  }
}

function normalise(path: string): string {
  return path.replace(/^\.\//, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
