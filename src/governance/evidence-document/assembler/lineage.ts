/**
 * Which evidence records reach a model version. The version names its run and the run's
 * `training.completed` record; that record names the dataset, the source version that was split,
 * the split transformation and its outputs. A record reaches the version when its subject is on
 * this path: the registered model, the version, the run (assessment records must also name this
 * run's model digest and `training.completed`), the dataset, and the source and split versions (a
 * `dataset.transformed` only when it is the run's split). Records of other runs, versions,
 * transformations or datasets are left out, whatever the caller passed.
 */
import type { EvidenceRecordInput, ModelFacts } from './assembly-input';
import { EvidenceAssemblyError } from './assembly.error';
import type { ModelVersionRegisteredBody, RunInputs, TrainingCompletedBody, TrainingRequestedBody } from './producer-bodies';
import { RecordSet, ledgerOrder, type Evidence } from './record-set';

export interface Lineage {
  /** Every record that reaches the version, superseded ones included, in ledger order. */
  reaching: EvidenceRecordInput[];
  /** The reaching records still in force (not superseded by a correction). */
  current: RecordSet;
  /** The version's `training.completed` record; null when it is not among the records. */
  completed: Evidence<TrainingCompletedBody> | null;
  /** The run's data: from `training.completed`, else from `training.requested`; null when neither is present. */
  inputs: RunInputs | null;
}

const inconsistent = (message: string, record: Pick<EvidenceRecordInput, 'kind' | 'digest' | 'subject'>) =>
  new EvidenceAssemblyError('EVIDENCE_ASSEMBLY_INCONSISTENT', message, { kind: record.kind, digest: record.digest, subject: record.subject });

/** The registry's record of the version must say what the model facts say. */
function checkVersionRecord(record: Evidence<ModelVersionRegisteredBody>, model: ModelFacts): void {
  const { body } = record;
  const { version } = model;
  const expected: Array<[string, unknown, unknown]> = [
    ['modelId', body.modelId, model.id],
    ['version', body.version, version.version],
    ['runId', body.runId, version.runId],
    ['modelDigest', body.modelDigest, version.modelDigest],
    ['trainingEvidence', body.trainingEvidence, version.trainingEvidence],
  ];
  for (const [field, recorded, given] of expected) {
    if (recorded !== given)
      throw inconsistent(`The model_version.registered record says ${field} ${String(recorded)}, the model facts ${String(given)}`, record);
  }
}

function findCompleted(records: readonly EvidenceRecordInput[], model: ModelFacts): Evidence<TrainingCompletedBody> | null {
  const { version } = model;
  const completed = records.find((r) => r.kind === 'training.completed' && r.digest === version.trainingEvidence) as unknown as
    Evidence<TrainingCompletedBody> | undefined;
  if (!completed) return null;
  if (completed.subject.type !== 'training_run' || completed.subject.id !== version.runId || completed.body.runId !== version.runId) {
    throw inconsistent(`The version's training.completed record is about another run than ${version.runId}`, completed);
  }
  if (completed.body.modelDigest !== version.modelDigest) {
    throw inconsistent(`The version's training.completed record produced model ${String(completed.body.modelDigest)}, not ${version.modelDigest}`, completed);
  }
  if (!completed.body.inputs || !Array.isArray(completed.body.inputs.splits)) {
    throw new EvidenceAssemblyError('EVIDENCE_ASSEMBLY_RECORD_MALFORMED', 'The training.completed record names no input splits', {
      kind: completed.kind,
      digest: completed.digest,
    });
  }
  return completed;
}

/** Records about the run that belong to another model (a re-run's assessment) do not reach the version. */
function measuresThisModel(record: EvidenceRecordInput, model: ModelFacts): boolean {
  if (record.kind === 'training.completed') return record.digest === model.version.trainingEvidence;
  const { trainingEvidence, modelDigest } = record.body;
  if (typeof trainingEvidence === 'string' && trainingEvidence !== model.version.trainingEvidence) return false;
  return typeof modelDigest !== 'string' || modelDigest === model.version.modelDigest;
}

function reaches(record: EvidenceRecordInput, model: ModelFacts, inputs: RunInputs | null): boolean {
  const { type, id } = record.subject;
  switch (type) {
    case 'model':
      return id === model.id;
    case 'model_version':
      return id === model.version.id;
    case 'training_run':
      return id === model.version.runId && measuresThisModel(record, model);
    case 'dataset':
      return inputs !== null && id === inputs.datasetId;
    case 'dataset_version': {
      if (inputs === null) return false;
      if (record.kind === 'dataset.transformed') return id === inputs.sourceVersionId && record.body.transformationId === inputs.transformationId;
      return id === inputs.sourceVersionId || inputs.splits.some((split) => split.versionId === id);
    }
    default:
      return false;
  }
}

export function traceLineage(records: readonly EvidenceRecordInput[], model: ModelFacts): Lineage {
  const completed = findCompleted(records, model);
  const requested = records
    .filter((r) => r.kind === 'training.requested' && r.subject.type === 'training_run' && r.subject.id === model.version.runId)
    .sort(ledgerOrder)
    .at(-1) as unknown as Evidence<TrainingRequestedBody> | undefined;
  const inputs = completed?.body.inputs ?? (Array.isArray(requested?.body.inputs?.splits) ? requested.body.inputs : null);
  const reaching = records.filter((record) => reaches(record, model, inputs)).sort(ledgerOrder);
  for (const record of reaching) {
    if (record.kind === 'model_version.registered') checkVersionRecord(record as unknown as Evidence<ModelVersionRegisteredBody>, model);
  }
  const superseded = new Set(reaching.flatMap((r) => (r.supersedes ? [r.supersedes] : [])));
  return { reaching, current: new RecordSet(reaching.filter((r) => !superseded.has(r.id))), completed, inputs };
}
