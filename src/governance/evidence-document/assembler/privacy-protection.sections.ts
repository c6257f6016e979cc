/**
 * What the trained model may leak, for rules on privacy-preserving training: `differentialPrivacy`
 * from a DP-SGD run's `training.completed` (the (ε, δ) its steps spent, accountant, conversion,
 * noise, clip, sampling) with the tightest budget it was charged against (`privacy.budget-charged`),
 * and `membershipInference` from the run's `privacy.attack-assessed`. Both are left out of the
 * document — not null — when there is no such evidence, so `has()` in a rule means "recorded".
 */
import type { DifferentialPrivacySection, MembershipInferenceSection } from '../evidence-document';
import { readRecord } from './assembly.error';
import type { AttackAssessedBody, BudgetChargedBody, TrainingCompletedBody } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

export function differentialPrivacySection(current: RecordSet, completed: Evidence<TrainingCompletedBody> | null): DifferentialPrivacySection | undefined {
  const dp = completed?.body.differentialPrivacy;
  if (!completed || !dp) return undefined;
  return readRecord(completed, () => {
    const charges = current.all<BudgetChargedBody>('privacy.budget-charged', completed.body.runId);
    const tightest = charges.reduce<Evidence<BudgetChargedBody> | null>((best, c) => (!best || c.body.remainingEpsilon < best.body.remainingEpsilon ? c : best), null);
    return {
      accountant: dp.accountant,
      mechanism: dp.mechanism,
      conversion: dp.conversion,
      epsilon: dp.epsilon,
      delta: dp.delta,
      optimalOrder: dp.optimalOrder,
      steps: dp.steps,
      sampleRate: dp.sampleRate,
      noiseMultiplier: dp.noiseMultiplier,
      l2NormClip: dp.l2NormClip,
      expectedBatchSize: dp.expectedBatchSize,
      budget: tightest
        ? { epsilon: tightest.body.budget.epsilon, delta: tightest.body.budget.delta, spentEpsilon: tightest.body.spentEpsilon, remainingEpsilon: tightest.body.remainingEpsilon }
        : null,
    };
  });
}

export function membershipInferenceSection(current: RecordSet, runId: string): MembershipInferenceSection | undefined {
  const record = current.latest<AttackAssessedBody>('privacy.attack-assessed', runId);
  // Without intervals (fewer than 10 rows a side) the audit says too little for a rule to read.
  const { aucCi, advantageCi } = record?.body ?? {};
  if (!record || !aucCi || !advantageCi) return undefined;
  return readRecord(record, () => {
    const { attack, auc, advantage, members, nonMembers } = record.body;
    return { attack, auc, aucCi, advantage, advantageCi, members, nonMembers };
  });
}
