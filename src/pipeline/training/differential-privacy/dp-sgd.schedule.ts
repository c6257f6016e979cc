import { checkPositive, checkSteps } from './dp-parameters.validator';
import { DifferentialPrivacyError } from './differential-privacy.error';

/**
 * How many DP-SGD steps a run takes and at which sampling rate — the accountant's inputs, known
 * before training starts (so a budget can refuse the run). An epoch is ⌈rows / B⌉ Poisson steps
 * at rate q = B / rows, B the expected batch size: on average each row is seen once per epoch.
 * (The reference table counts ⌈epochs · rows / B⌉ steps in all; per-epoch rounding takes at
 * most one step more per epoch, and the trainer accounts for exactly the steps it takes.)
 */
export interface DpSgdSchedule {
  sampleRate: number;
  /** B, capped at the number of rows. */
  expectedBatchSize: number;
  stepsPerEpoch: number;
  steps: number;
}

export function dpSgdSchedule(options: { rows: number; expectedBatchSize: number; epochs: number }): DpSgdSchedule {
  const rows = checkSteps(options.rows, 'rows');
  if (rows === 0) throw new DifferentialPrivacyError('DP_PARAMETER_INVALID', 'DP-SGD needs at least one training row', { parameter: 'rows', value: '0' });
  const requested = checkPositive(options.expectedBatchSize, 'expectedBatchSize');
  const epochs = checkSteps(options.epochs, 'epochs');
  const expectedBatchSize = Math.min(requested, rows);
  const stepsPerEpoch = Math.ceil(rows / expectedBatchSize);
  return { sampleRate: expectedBatchSize / rows, expectedBatchSize, stepsPerEpoch, steps: stepsPerEpoch * epochs };
}
