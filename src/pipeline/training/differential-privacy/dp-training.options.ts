import { DifferentialPrivacyError } from './differential-privacy.error';
import { checkDelta, checkNoiseMultiplier, checkOrders, checkPositive } from './dp-parameters.validator';
import { checkConversion, DEFAULT_RDP_CONVERSION, type RdpConversion } from './epsilon.converter';
import type { PrivacySpent } from './privacy-spent';
import { RANDOMNESS_SOURCES, type RandomnessSource } from './random-source';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

/** What makes a training run DP-SGD, and what it reports having spent. */
export interface DpTrainingOptions {
  /** σ: the noise's standard deviation is σ·C on the summed gradient. */
  noiseMultiplier: number;
  /** C: each example's whole gradient (all layers) is clipped to this L2 norm. */
  l2NormClip: number;
  /** B, and q = B / rows; default spec.training.batchSize (capped at the rows). */
  expectedBatchSize?: number;
  /** δ of the reported (ε, δ); commonly below 1 / rows. */
  delta: number;
  /** Default DEFAULT_RDP_ORDERS. */
  orders?: readonly number[];
  /** Default `balle2020`. */
  conversion?: RdpConversion;
  /** Default `seeded`: reproducible, and then the seed must stay secret (random-source.ts). */
  randomness?: RandomnessSource;
}

/** The accountant's answer plus the rest of the DP-SGD configuration: a run's privacy evidence. */
export interface DpTrainingPrivacy extends PrivacySpent {
  l2NormClip: number;
  expectedBatchSize: number;
  randomness: RandomnessSource;
}

export type CheckedDpOptions = Required<Omit<DpTrainingOptions, 'orders'>> & { orders: number[] };

export function checkDpOptions(dp: DpTrainingOptions, batchSize: number): CheckedDpOptions {
  const randomness = dp.randomness ?? 'seeded';
  if (!RANDOMNESS_SOURCES.includes(randomness)) {
    throw new DifferentialPrivacyError('DP_PARAMETER_INVALID', `randomness must be one of ${RANDOMNESS_SOURCES.join(', ')}`, {
      parameter: 'randomness',
      value: String(randomness),
    });
  }
  return {
    noiseMultiplier: checkNoiseMultiplier(dp.noiseMultiplier),
    l2NormClip: checkPositive(dp.l2NormClip, 'l2NormClip'),
    expectedBatchSize: checkPositive(dp.expectedBatchSize ?? batchSize, 'expectedBatchSize'),
    delta: checkDelta(dp.delta),
    orders: checkOrders(dp.orders ?? DEFAULT_RDP_ORDERS),
    conversion: checkConversion(dp.conversion ?? DEFAULT_RDP_CONVERSION),
    randomness,
  };
}
