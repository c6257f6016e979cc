/**
 * `energy`: the training energy measurement the version's `training.completed` record names
 * (`energyEvidence`), with its method, bounds and grid intensity as measured. The energy of the
 * evaluation and of explanations is recorded too but has no place in the document.
 */
import type { EnergySection } from '../evidence-document';
import { readRecord } from './assembly.error';
import type { EnergyMeasuredBody, TrainingCompletedBody } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

/** The `energy.measured` record of the training that produced the version; null when it is not among the records. */
export function trainingEnergyRecord(current: RecordSet, completed: Evidence<TrainingCompletedBody> | null): Evidence<EnergyMeasuredBody> | null {
  if (!completed) return null;
  return current.all<EnergyMeasuredBody>('energy.measured', completed.body.runId).find((record) => record.digest === completed.body.energyEvidence) ?? null;
}

export function energySection(record: Evidence<EnergyMeasuredBody> | null): EnergySection | null {
  if (!record) return null;
  return readRecord(record, () => {
    const m = record.body.measurement;
    const { gCo2ePerKwh, source, region, year } = m.gridIntensity;
    return {
      method: m.method,
      energyKwh: m.energyKwh,
      energyBoundsKwh: { lower: m.energyBoundsKwh[0], upper: m.energyBoundsKwh[1] },
      co2eGrams: m.co2eGrams,
      co2eBoundsGrams: { lower: m.co2eBoundsGrams[0], upper: m.co2eBoundsGrams[1] },
      gridIntensity: { gCo2ePerKwh, source, region, year },
      wallSeconds: m.wallSeconds,
      cpuSeconds: m.cpuSeconds,
      peakRssBytes: m.peakRssBytes,
      estimatedFlops: m.estimatedFlops ?? null,
    };
  });
}
