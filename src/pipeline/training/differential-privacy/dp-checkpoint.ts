import { parseCheckpoint, type WeightsCheckpoint } from '../model/weights-checkpoint';
import { DifferentialPrivacyError } from './differential-privacy.error';

/**
 * A DP-SGD epoch checkpoint: an ordinary `assay.checkpoint` (weights, optimizer state, progress —
 * restoreWeights still reads it) plus `privacy`, the accountant's state. Resuming continues the
 * step count, so the final ε covers every step of the run, interrupted or not; a checkpoint
 * without accounting, or with another sampling rate, noise multiplier, clip norm or batch size,
 * is refused (composing different configurations is possible in RDP — composeRdp — but a run
 * that changes them midway is not what its evidence would describe).
 *
 * Checkpoints are per epoch, so steps of an epoch cut short by cancellation are not in them. With
 * `seeded` randomness a resumed run replays those steps identically (same samples, same noise):
 * nothing more is revealed. With `secure` randomness the replay draws fresh noise, so if the
 * cancelled run's model was released too, its extra steps must be added to the resumed run's.
 */
export interface DpAccountingState {
  /** DP-SGD steps taken so far, over all sessions of the run. */
  steps: number;
  sampleRate: number;
  noiseMultiplier: number;
  l2NormClip: number;
  expectedBatchSize: number;
}

export type DpWeightsCheckpoint = WeightsCheckpoint & { privacy: DpAccountingState };

export function parseDpCheckpoint(input: unknown): { checkpoint: WeightsCheckpoint; privacy: DpAccountingState } {
  const checkpoint = parseCheckpoint(input);
  const privacy = (input as { privacy?: unknown }).privacy;
  const bad = (reason: string): never => {
    throw new DifferentialPrivacyError('DP_CHECKPOINT_MISMATCH', `the checkpoint cannot resume a DP-SGD run: ${reason}`, { reason });
  };
  if (typeof privacy !== 'object' || privacy === null || Array.isArray(privacy)) return bad('it holds no privacy accounting');
  const field = (name: keyof DpAccountingState, ok: (v: number) => boolean): number => {
    const value = (privacy as Record<string, unknown>)[name];
    return typeof value === 'number' && ok(value) ? value : bad(`privacy.${name} is missing or out of range`);
  };
  return {
    checkpoint,
    privacy: {
      steps: field('steps', Number.isSafeInteger),
      sampleRate: field('sampleRate', (v) => v >= 0 && v <= 1),
      noiseMultiplier: field('noiseMultiplier', (v) => Number.isFinite(v) && v >= 0),
      l2NormClip: field('l2NormClip', (v) => Number.isFinite(v) && v > 0),
      expectedBatchSize: field('expectedBatchSize', (v) => Number.isFinite(v) && v > 0),
    },
  };
}

/** Refuses to continue accounting under another configuration. */
export function assertSameConfiguration(saved: DpAccountingState, current: Omit<DpAccountingState, 'steps'>): void {
  for (const key of ['sampleRate', 'noiseMultiplier', 'l2NormClip', 'expectedBatchSize'] as const) {
    if (saved[key] !== current[key]) {
      throw new DifferentialPrivacyError('DP_CHECKPOINT_MISMATCH', `the checkpoint was trained with ${key} = ${saved[key]}; this run has ${current[key]}`, {
        parameter: key,
        value: String(current[key]),
        reason: 'configuration',
      });
    }
  }
}
