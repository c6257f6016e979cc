/**
 * `POST /privacy/epsilon`: "what ε would this configuration spend?" — before training, from the
 * same accountant the runs use. Sampling from a rate or from rows and batch size; steps or epochs;
 * a noise multiplier, or a target ε to calibrate one. Both conversions are reported, and which
 * one `epsilon` uses.
 */
import {
  computePrivacySpent,
  DEFAULT_RDP_CONVERSION,
  DifferentialPrivacyError,
  dpSgdSchedule,
  noiseMultiplierForEpsilon,
  RDP_CONVERSIONS,
  type RdpConversion,
} from '../differential-privacy';

export interface EpsilonQuestion {
  sampleRate?: number;
  rows?: number;
  expectedBatchSize?: number;
  steps?: number;
  epochs?: number;
  noiseMultiplier?: number;
  targetEpsilon?: number;
  delta: number;
  conversion?: RdpConversion;
}

export interface EpsilonAnswer {
  accountant: 'rdp';
  mechanism: 'sampled_gaussian';
  sampleRate: number;
  steps: number;
  noiseMultiplier: number;
  /** True when the noise multiplier was calibrated to `targetEpsilon`. */
  calibrated: boolean;
  delta: number;
  conversion: RdpConversion;
  /** null: no finite guarantee (σ = 0 with data touched). */
  epsilon: number | null;
  optimalOrder: number | null;
  /** ε under each conversion (Balle et al. 2020 is never above the classic one). */
  byConversion: Record<RdpConversion, number | null>;
}

export class EpsilonQuestionError extends Error {
  override readonly name = 'EpsilonQuestionError';
  constructor(readonly problems: Array<{ path: string; message: string }>) {
    super(problems.map((p) => `${p.path} ${p.message}`).join('; '));
  }
}

export function answerEpsilonQuestion(question: EpsilonQuestion): EpsilonAnswer {
  const problems: Array<{ path: string; message: string }> = [];
  const has = (key: keyof EpsilonQuestion) => question[key] !== undefined;
  if (has('sampleRate') === (has('rows') || has('expectedBatchSize'))) problems.push({ path: '/sampleRate', message: 'give either sampleRate, or rows and expectedBatchSize' });
  else if (!has('sampleRate') && !(has('rows') && has('expectedBatchSize'))) problems.push({ path: '/rows', message: 'rows and expectedBatchSize go together' });
  if (has('steps') === has('epochs')) problems.push({ path: '/steps', message: 'give either steps or epochs' });
  if (has('epochs') && !has('rows')) problems.push({ path: '/epochs', message: 'epochs need rows and expectedBatchSize (steps per epoch = ⌈rows / batch⌉)' });
  if (has('noiseMultiplier') === has('targetEpsilon')) problems.push({ path: '/noiseMultiplier', message: 'give either noiseMultiplier, or targetEpsilon to calibrate one' });
  if (problems.length) throw new EpsilonQuestionError(problems);

  const conversion = question.conversion ?? DEFAULT_RDP_CONVERSION;
  try {
    const schedule = has('rows') ? dpSgdSchedule({ rows: question.rows!, expectedBatchSize: question.expectedBatchSize!, epochs: question.epochs ?? 0 }) : undefined;
    const sampleRate = question.sampleRate ?? schedule!.sampleRate;
    const steps = question.steps ?? schedule!.steps;
    const noiseMultiplier =
      question.noiseMultiplier ?? noiseMultiplierForEpsilon({ targetEpsilon: question.targetEpsilon!, delta: question.delta, sampleRate, steps, conversion }).noiseMultiplier;
    const spent = (c: RdpConversion) => computePrivacySpent({ sampleRate, noiseMultiplier, steps, delta: question.delta, conversion: c });
    const chosen = spent(conversion);
    return {
      accountant: 'rdp',
      mechanism: 'sampled_gaussian',
      sampleRate,
      steps,
      noiseMultiplier,
      calibrated: question.noiseMultiplier === undefined,
      delta: chosen.delta,
      conversion,
      epsilon: chosen.epsilon,
      optimalOrder: chosen.optimalOrder,
      byConversion: Object.fromEntries(RDP_CONVERSIONS.map((c) => [c, c === conversion ? chosen.epsilon : spent(c).epsilon])) as Record<RdpConversion, number | null>,
    };
  } catch (error) {
    if (!(error instanceof DifferentialPrivacyError)) throw error;
    throw new EpsilonQuestionError([{ path: `/${String(error.details.parameter ?? '')}`, message: error.message }]);
  }
}
