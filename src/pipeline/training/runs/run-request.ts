import { isPlainObject } from '../../datasets/json-checks';
import { assertDpTrainable, checkDpOptions, DifferentialPrivacyError, type DpTrainingOptions } from '../differential-privacy';
import { validateModelSpec, type ModelSpec } from '../model';
import { validatePreprocessingSpec, type PreprocessingSpec } from '../preprocessing';

/** What a run trains: the model and the preprocessing fitted in front of it (the file `assay train --spec` reads). */
export interface RunSpec {
  model: ModelSpec;
  preprocessing: PreprocessingSpec;
  /** DP-SGD instead of SGD (logistic regression and MLP): noise, clip, δ; the (ε, δ) spent is evidence. */
  differentialPrivacy?: DpTrainingOptions;
}

/** `POST /runs`: train `spec` on the split of a dataset version (default: the dataset's latest split). */
export interface RunRequest {
  name: string;
  datasetId: string;
  /** The version a split transformation was applied to; absent: the most recently split version. */
  datasetVersion?: number;
  spec: RunSpec;
}

export interface RequestProblem {
  path: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const REQUEST_KEYS = ['name', 'datasetId', 'datasetVersion', 'spec'];
const SPEC_KEYS = ['model', 'preprocessing', 'differentialPrivacy'];
const DP_KEYS = ['noiseMultiplier', 'l2NormClip', 'expectedBatchSize', 'delta', 'orders', 'conversion', 'randomness'];

/**
 * Checks an untrusted run request. Column names are checked later against the split's columns
 * (`columns`), when the dataset is known; everything else here. Problems carry JSON Pointers.
 */
export function parseRunRequest(
  body: unknown,
  columns?: readonly string[],
): { ok: true; request: RunRequest } | { ok: false; problems: RequestProblem[]; unknownFields: string[] } {
  const problems: RequestProblem[] = [];
  if (!isPlainObject(body))
    return {
      ok: false,
      problems: [{ path: '', message: 'must be a JSON object' }],
      unknownFields: [],
    };
  const unknownFields = Object.keys(body).filter((key) => !REQUEST_KEYS.includes(key));
  const name = body.name ?? '';
  if (typeof name !== 'string' || name.length > 200)
    problems.push({
      path: '/name',
      message: 'must be a string of at most 200 characters',
    });
  if (typeof body.datasetId !== 'string' || !UUID.test(body.datasetId))
    problems.push({
      path: '/datasetId',
      message: 'must be a dataset id (UUID)',
    });
  const version = body.datasetVersion;
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)) {
    problems.push({
      path: '/datasetVersion',
      message: 'must be a positive integer',
    });
  }
  let spec: RunSpec | undefined;
  if (!isPlainObject(body.spec))
    problems.push({
      path: '/spec',
      message: 'must be an object {model, preprocessing}',
    });
  else {
    for (const key of Object.keys(body.spec)) {
      if (!SPEC_KEYS.includes(key))
        problems.push({
          path: `/spec/${key}`,
          message: `is not allowed here (allowed: ${SPEC_KEYS.join(', ')})`,
        });
    }
    const model = validateModelSpec(body.spec.model);
    if (!model.ok)
      problems.push(
        ...model.problems.map((p) => ({
          path: `/spec/model${p.path}`,
          message: p.message,
        })),
      );
    const preprocessing = validatePreprocessingSpec(body.spec.preprocessing, columns ? { columns: [...columns], rows: [] } : undefined);
    if (!preprocessing.ok)
      problems.push(
        ...preprocessing.problems.map((p) => ({
          path: `/spec/preprocessing${p.path}`,
          message: p.message,
        })),
      );
    const dp = body.spec.differentialPrivacy === undefined ? undefined : dpProblems(body.spec.differentialPrivacy, model.ok ? model.spec : undefined, problems);
    if (model.ok && preprocessing.ok) spec = { model: model.spec, preprocessing: preprocessing.spec, ...(dp ? { differentialPrivacy: dp } : {}) };
  }
  if (problems.length > 0 || unknownFields.length > 0 || !spec) return { ok: false, problems, unknownFields };
  return {
    ok: true,
    request: {
      name: name as string,
      datasetId: body.datasetId as string,
      ...(version === undefined ? {} : { datasetVersion: version as number }),
      spec,
    },
  };
}

/** Checks `spec.differentialPrivacy` with the DP library's own checks, naming the field that is wrong. */
function dpProblems(value: unknown, model: ModelSpec | undefined, problems: RequestProblem[]): DpTrainingOptions | undefined {
  const at = '/spec/differentialPrivacy';
  if (!isPlainObject(value)) {
    problems.push({ path: at, message: 'must be an object {noiseMultiplier, l2NormClip, delta, expectedBatchSize?, conversion?}' });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) if (!DP_KEYS.includes(key)) problems.push({ path: `${at}/${key}`, message: `is not allowed here (allowed: ${DP_KEYS.join(', ')})` });
  try {
    if (model) assertDpTrainable(model);
  } catch (error) {
    if (!(error instanceof DifferentialPrivacyError)) throw error;
    problems.push({ path: `/spec/model/${String(error.details.parameter ?? '').replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`, message: error.message });
  }
  if (value.expectedBatchSize !== undefined && !(Number.isSafeInteger(value.expectedBatchSize) && (value.expectedBatchSize as number) >= 1))
    problems.push({ path: `${at}/expectedBatchSize`, message: 'must be an integer ≥ 1' });
  try {
    const checked = checkDpOptions(value as unknown as DpTrainingOptions, model?.training.batchSize ?? 1);
    if (problems.length > before) return undefined;
    const { orders, ...rest } = checked;
    return { ...rest, ...(value.orders === undefined ? {} : { orders }) };
  } catch (error) {
    if (!(error instanceof DifferentialPrivacyError)) throw error;
    const parameter = String(error.details.parameter ?? '').replace(/\[(\d+)\]$/, '/$1');
    problems.push({ path: parameter ? `${at}/${parameter}` : at, message: error.message });
    return undefined;
  }
}
