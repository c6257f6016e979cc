/**
 * `training`: the version's `training.completed` record. Its final metrics are those of the epoch
 * whose weights the model kept (`weightsEpoch`; the last epoch when none is named). The run's
 * times are the window of the training energy measurement when that covers the run from epoch 0,
 * else the times of its `training.requested` and `training.completed` records.
 */
import type { TrainingSection } from '../evidence-document';
import { readRecord } from './assembly.error';
import type { EnergyMeasuredBody, TrainingCompletedBody, TrainingRequestedBody } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

type EpochFigures = TrainingCompletedBody['history'][number];

function finalMetrics(body: TrainingCompletedBody): TrainingSection['metrics'] {
  const { history, epochs } = body;
  const final: EpochFigures | undefined = history.find((entry) => entry.epoch === epochs.weightsEpoch) ?? history.at(-1);
  if (!final) return [];
  const figures: Array<[string, 'training' | 'validation', number | undefined]> = [
    ['loss', 'training', final.loss],
    ['accuracy', 'training', final.accuracy],
    ['loss', 'validation', final.valLoss],
    ['accuracy', 'validation', final.valAccuracy],
  ];
  return figures.flatMap(([name, split, value]) => (typeof value === 'number' && Number.isFinite(value) ? [{ name, split, value }] : []));
}

function trainingWindow(
  current: RecordSet,
  completed: Evidence<TrainingCompletedBody>,
  energy: Evidence<EnergyMeasuredBody> | null,
): { startedAt: string; endedAt: string } {
  if (energy && energy.body.coverage?.fromEpoch === 0) return { startedAt: energy.body.measurement.startedAt, endedAt: energy.body.measurement.endedAt };
  const requested = current.latest<TrainingRequestedBody>('training.requested', completed.body.runId);
  return { startedAt: requested?.createdAt ?? completed.createdAt, endedAt: completed.createdAt };
}

export function trainingSection(
  current: RecordSet,
  completed: Evidence<TrainingCompletedBody> | null,
  energy: Evidence<EnergyMeasuredBody> | null,
): TrainingSection | null {
  if (!completed) return null;
  return readRecord(completed, () => {
    const { body } = completed;
    const splitOf = (role: string) => body.inputs.splits.find((split) => split.role === role)?.versionId ?? null;
    const trainingDatasetVersionId = splitOf('train');
    if (trainingDatasetVersionId === null) throw new TypeError('inputs.splits has no train split');
    return {
      runId: body.runId,
      specDigest: body.specDigest,
      modelType: body.spec.model.type,
      backend: {
        name: body.backend.name,
        version: body.backend.backendVersion,
        tfjsVersion: body.backend.tfjsVersion,
        deterministic: body.backend.deterministic,
      },
      seed: body.seed,
      epochs: body.epochs.completed,
      epochsPlanned: body.spec.model.training.epochs,
      stoppedEarly: body.epochs.stoppedEarly,
      ...trainingWindow(current, completed, energy),
      metrics: finalMetrics(body),
      preprocessingDigest: body.preprocessorDigest ?? null,
      trainingDatasetVersionId,
      validationDatasetVersionId: splitOf('validation'),
    };
  });
}
