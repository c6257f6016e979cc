/**
 * `assay.policy-decision/v1`: what evaluating packs on an evidence document decided, and why. It is
 * stored as `policy.evaluated` evidence and hashed (JCS), so it is plain JSON: no undefined, NaN or
 * Infinity anywhere, arrays in a deterministic order (packs as given, rules in file order).
 */
import type { PromotionStage } from '../evidence-document/evidence-document';
import type { JsonValue } from './observed-values';
import type { ParameterValue } from './pack-parameters';
import type { RuleSeverity } from './policy-pack';
import type { Waiver } from './waivers';

export const POLICY_DECISION_FORMAT = 'assay.policy-decision/v1';

/** `not_applicable`: the pack does not apply, the rule does not gate this stage, or `when` was false. */
export const RULE_OUTCOMES = ['pass', 'fail', 'not_applicable', 'waived', 'error'] as const;
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];

/** `blocked`: a block rule failed (or could not be evaluated) and no valid waiver covers it. */
export type DecisionOutcome = 'blocked' | 'pending_approval';

export interface RuleRef {
  packId: string;
  ruleId: string;
}

export interface DecisionPack {
  id: string;
  version: string;
  title: string;
  jurisdiction: string;
  digest: string;
  applicable: boolean;
  /** Why the pack did not apply; null when it did. */
  reason: string | null;
  parameters: Record<string, ParameterValue>;
}

export interface RuleResult extends RuleRef {
  title: string;
  cites: string[];
  severity: RuleSeverity;
  waivable: boolean;
  outcome: RuleOutcome;
  /** Why not applicable, or what went wrong for `error`; null otherwise. */
  reason: string | null;
  /** The values the rule's expressions read, by path (`has(…)` for presence tests); absent = null. */
  observed: Record<string, JsonValue>;
  /** The rule's message rendered with the observed values, for fail, waived and error; else null. */
  message: string | null;
  /** The waiver that turned a failure into `waived`. */
  waiver: Waiver | null;
}

export type WaiverStatus = 'applied' | 'expired' | 'not_waivable' | 'not_needed' | 'redundant' | 'unknown_rule';

export interface WaiverUse {
  waiver: Waiver;
  status: WaiverStatus;
}

export interface PolicyDecision {
  format: typeof POLICY_DECISION_FORMAT;
  /** The time the decision was made for (waiver expiry is judged against it); ISO 8601 UTC. */
  evaluatedAt: string;
  stage: PromotionStage;
  riskTier: string;
  jurisdictions: string[];
  modelVersionId: string;
  /** sha256 over the JCS of the evidence document read. */
  evidenceDigest: string;
  packs: DecisionPack[];
  waivers: WaiverUse[];
  rules: RuleResult[];
  outcome: DecisionOutcome;
  blockedBy: RuleRef[];
  /** Warn rules that failed or could not be evaluated. */
  warnings: RuleRef[];
  counts: Record<RuleOutcome, number>;
}
