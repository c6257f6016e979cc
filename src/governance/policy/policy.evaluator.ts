/**
 * Evaluates loaded packs on an evidence document: every rule of every pack gives pass, fail,
 * not_applicable, waived or error, with the values it read and its rendered message; the decision
 * is `blocked` when a block rule fails or cannot be evaluated and no valid waiver covers it,
 * otherwise `pending_approval` (a person still approves). Synchronous, pure and deterministic: the
 * same packs, document, options and time give the same decision, byte for byte after JCS.
 */
import { PROMOTION_STAGES, type EvidenceDocument, type PromotionStage } from '../evidence-document/evidence-document';
import { jcsDigest } from '../evidence-document/evidence-document.digest';
import { validateEvidenceDocument } from '../evidence-document/evidence-document.validator';
import { renderTemplate } from './message-template';
import { observedValues } from './observed-values';
import { PolicyError } from './policy.error';
import {
  POLICY_DECISION_FORMAT,
  RULE_OUTCOMES,
  type DecisionPack,
  type PolicyDecision,
  type RuleOutcome,
  type RuleRef,
  type RuleResult,
  type WaiverStatus,
} from './policy-decision';
import type { PolicyPack, PolicyRule } from './policy-pack';
import { RISK_TIER_PATTERN } from './policy-pack.schema';
import { normaliseWaivers, waiverCounts, type Waiver } from './waivers';

export interface EvaluationOptions {
  stage: PromotionStage;
  /** The time the decision is made for; waivers count while it is before their expiry. */
  now: Date | string;
  /** Defaults to the document's `model.riskTier`. */
  riskTier?: string;
  waivers?: readonly Waiver[];
}

interface RuleContext {
  pack: PolicyPack;
  document: EvidenceDocument;
  cel: Record<string, unknown>;
  stage: PromotionStage;
  /** Why the pack does not apply, or null. */
  packReason: string | null;
}

const listed = (values: readonly string[], max = 8) =>
  values.length > max ? `${values.slice(0, max).join(', ')}, … (${values.length} in all)` : values.join(', ');

/** A pack restricted to jurisdictions applies when the model declares none: absence must not exempt it. */
function packNotApplicable(pack: PolicyPack, riskTier: string, jurisdictions: readonly string[]): string | null {
  const tiers = pack.appliesTo.riskTiers;
  if (tiers && !tiers.includes(riskTier)) return `pack applies to risk tiers ${listed(tiers)}; the model's is ${riskTier}`;
  const places = pack.appliesTo.jurisdictions;
  if (places && jurisdictions.length > 0 && !jurisdictions.some((j) => places.includes(j))) {
    return `pack applies in ${listed(places)}; the model is used in ${listed(jurisdictions)}`;
  }
  return null;
}

function errorSummary(error: unknown): string {
  const e = error as { summary?: unknown; message?: unknown };
  if (typeof e?.summary === 'string') return e.summary;
  return typeof e?.message === 'string' ? (e.message.split('\n')[0] ?? 'error') : String(error);
}

function evaluateRule(rule: PolicyRule, context: RuleContext): RuleResult {
  const { pack } = context;
  const result: RuleResult = {
    packId: pack.id,
    ruleId: rule.id,
    title: rule.title,
    cites: [...rule.cites],
    severity: rule.severity,
    waivable: rule.waivable,
    outcome: 'not_applicable',
    reason: null,
    observed: {},
    message: null,
    waiver: null,
  };
  if (context.packReason) return { ...result, reason: context.packReason };
  if (!rule.stages.includes(context.stage)) return { ...result, reason: `rule gates ${rule.stages.join(', ')}, not ${context.stage}` };

  let phase: 'when' | 'require' = 'when';
  try {
    if (rule.when) {
      const applies = rule.when.evaluate(context.cel);
      if (typeof applies !== 'boolean') throw new Error(`when gave ${typeof applies}, not a bool`);
      if (!applies) result.reason = 'when is false';
    }
    if (!result.reason) {
      phase = 'require';
      const passed = rule.require.evaluate(context.cel);
      if (typeof passed !== 'boolean') throw new Error(`require gave ${typeof passed}, not a bool`);
      result.outcome = passed ? 'pass' : 'fail';
    }
  } catch (error) {
    result.outcome = 'error';
    result.reason = `${phase}: ${errorSummary(error)}`;
  }
  const reads = phase === 'when' ? rule.reads.when : rule.reads.all;
  result.observed = observedValues(reads, { evidence: context.document, params: pack.parameterValues });
  if (result.outcome === 'fail' || result.outcome === 'error') result.message = renderTemplate(rule.message, context.cel);
  return result;
}

/** Applies the waivers to failed rules and says, for each waiver, what became of it. */
function applyWaivers(results: RuleResult[], waivers: Waiver[], at: number): WaiverStatus[] {
  const statuses: WaiverStatus[] = waivers.map(() => 'unknown_rule');
  const byRule = new Map<string, number[]>();
  waivers.forEach((waiver, index) => {
    const key = `${waiver.packId}\u0000${waiver.ruleId}`;
    byRule.set(key, [...(byRule.get(key) ?? []), index]);
  });
  for (const result of results) {
    const indexes = byRule.get(`${result.packId}\u0000${result.ruleId}`);
    if (!indexes) continue;
    const valid = indexes.filter((index) => waiverCounts(waivers[index]!, at));
    for (const index of indexes) statuses[index] = !result.waivable ? 'not_waivable' : valid.includes(index) ? 'not_needed' : 'expired';
    if (!result.waivable || result.outcome !== 'fail' || valid.length === 0) continue;
    // The waiver that lasts longest is the one applied; ties go to the first given.
    const chosen = [...valid].sort((a, b) => Date.parse(waivers[b]!.expiresAt) - Date.parse(waivers[a]!.expiresAt) || a - b)[0]!;
    for (const index of valid) statuses[index] = index === chosen ? 'applied' : 'redundant';
    result.outcome = 'waived';
    result.waiver = { ...waivers[chosen]! };
  }
  return statuses;
}

function checkOptions(packs: readonly PolicyPack[], options: EvaluationOptions): { at: number; evaluatedAt: string } {
  const problems = [];
  if (!(PROMOTION_STAGES as readonly string[]).includes(options.stage)) problems.push({ path: '/stage', message: `must be one of ${PROMOTION_STAGES.join(', ')}` });
  const at = options.now instanceof Date ? options.now.getTime() : Date.parse(options.now);
  if (Number.isNaN(at)) problems.push({ path: '/now', message: 'is not a valid time' });
  if (options.riskTier !== undefined && !new RegExp(RISK_TIER_PATTERN).test(options.riskTier)) problems.push({ path: '/riskTier', message: 'is not a risk tier' });
  const ids = packs.map((pack) => pack.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length) problems.push({ path: '/packs', message: `pack ${repeated[0]} is given twice` });
  if (problems.length) throw new PolicyError('POLICY_OPTIONS_INVALID', 'Policy evaluation options are invalid', problems);
  return { at, evaluatedAt: new Date(at).toISOString() };
}

export function evaluatePolicies(packs: readonly PolicyPack[], evidence: unknown, options: EvaluationOptions): PolicyDecision {
  const { at, evaluatedAt } = checkOptions(packs, options);
  const validation = validateEvidenceDocument(evidence);
  if (!validation.ok) throw new PolicyError('POLICY_EVIDENCE_INVALID', 'The evidence document is not valid assay.evidence/v1', validation.problems);
  const document = validation.document;
  const waivers = normaliseWaivers(options.waivers ?? []);
  const riskTier = options.riskTier ?? document.model.riskTier;
  const jurisdictions = [...document.model.jurisdictions];
  const celEvidence = packs[0]?.runtime.convertEvidence(document);

  const decisionPacks: DecisionPack[] = [];
  const results: RuleResult[] = [];
  for (const pack of packs) {
    const packReason = packNotApplicable(pack, riskTier, jurisdictions);
    decisionPacks.push({
      id: pack.id,
      version: pack.version,
      title: pack.title,
      jurisdiction: pack.jurisdiction,
      digest: pack.digest,
      applicable: packReason === null,
      reason: packReason,
      parameters: Object.fromEntries(Object.entries(pack.parameterValues).map(([name, value]) => [name, Array.isArray(value) ? [...value] : value])) as DecisionPack['parameters'],
    });
    const cel = { evidence: celEvidence, params: pack.runtime.params, stage: options.stage, riskTier };
    const context: RuleContext = { pack, document, cel, stage: options.stage, packReason };
    for (const rule of pack.rules) results.push(evaluateRule(rule, context));
  }

  const statuses = applyWaivers(results, waivers, at);
  const ref = (result: RuleResult): RuleRef => ({ packId: result.packId, ruleId: result.ruleId });
  const failing = (result: RuleResult) => result.outcome === 'fail' || result.outcome === 'error';
  const blockedBy = results.filter((r) => r.severity === 'block' && failing(r)).map(ref);
  const counts = Object.fromEntries(RULE_OUTCOMES.map((outcome) => [outcome, 0])) as Record<RuleOutcome, number>;
  for (const result of results) counts[result.outcome] += 1;

  return {
    format: POLICY_DECISION_FORMAT,
    evaluatedAt,
    stage: options.stage,
    riskTier,
    jurisdictions,
    modelVersionId: document.model.versionId,
    evidenceDigest: jcsDigest(document),
    packs: decisionPacks,
    waivers: waivers.map((waiver, index) => ({ waiver, status: statuses[index]! })),
    rules: results,
    outcome: blockedBy.length ? 'blocked' : 'pending_approval',
    blockedBy,
    warnings: results.filter((r) => r.severity === 'warn' && failing(r)).map(ref),
    counts,
  };
}
