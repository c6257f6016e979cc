/**
 * Replay: recompute a recorded decision from the evidence document and the pack folders, and say
 * where the two differ. Everything that shaped the decision is in the record itself — stage, risk
 * tier, time, waivers, each pack's parameter values — so the replay needs no database; the pack
 * digests and the evidence digest in the record show whether the same inputs were used.
 * `assay policy replay --evidence FILE --packs DIR` and the offline bundle verifier call this.
 */
import { join } from 'node:path';
import { PROMOTION_STAGES } from '../evidence-document/evidence-document';
import type { JsonValue } from './observed-values';
import { PolicyError } from './policy.error';
import { evaluatePolicies } from './policy.evaluator';
import { POLICY_DECISION_FORMAT, type PolicyDecision } from './policy-decision';
import type { PolicyPack } from './policy-pack';
import { loadPolicyPack, withPackParameters } from './policy-pack.loader';

export interface DecisionDifference {
  /** RFC 6901 pointer into the decision. */
  path: string;
  /** null when absent on that side. */
  recorded: JsonValue;
  replayed: JsonValue;
}

export interface ReplayResult {
  /** The replay gave the recorded decision exactly. */
  ok: boolean;
  differences: DecisionDifference[];
  replayed: PolicyDecision;
}

/** Reports at most this many differences; one changed input can change every rule. */
const MAX_DIFFERENCES = 200;

function assertDecision(value: unknown): asserts value is PolicyDecision {
  const decision = value as Partial<PolicyDecision> | null;
  const problems = [];
  if (typeof decision !== 'object' || decision === null) problems.push({ path: '', message: 'must be an object' });
  else {
    if (decision.format !== POLICY_DECISION_FORMAT) problems.push({ path: '/format', message: `must be ${POLICY_DECISION_FORMAT}` });
    if (!(PROMOTION_STAGES as readonly unknown[]).includes(decision.stage)) problems.push({ path: '/stage', message: 'must be a stage' });
    if (typeof decision.evaluatedAt !== 'string') problems.push({ path: '/evaluatedAt', message: 'must be a time' });
    if (typeof decision.riskTier !== 'string') problems.push({ path: '/riskTier', message: 'must be a string' });
    if (!Array.isArray(decision.packs) || decision.packs.some((p) => typeof p?.id !== 'string' || typeof p.parameters !== 'object' || p.parameters === null)) {
      problems.push({ path: '/packs', message: 'must list the packs with their ids and parameters' });
    }
    if (!Array.isArray(decision.waivers) || decision.waivers.some((w) => typeof w?.waiver !== 'object' || w.waiver === null)) {
      problems.push({ path: '/waivers', message: 'must list the waivers considered' });
    }
  }
  if (problems.length) throw new PolicyError('POLICY_DECISION_INVALID', 'The recorded decision is not an assay.policy-decision/v1', problems);
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function diff(recorded: unknown, replayed: unknown, path: string, out: DecisionDifference[]): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (Array.isArray(recorded) && Array.isArray(replayed)) {
    for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) diff(recorded[i], replayed[i], `${path}/${i}`, out);
    return;
  }
  if (isObject(recorded) && isObject(replayed)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])].sort();
    for (const key of keys) diff(recorded[key], replayed[key], `${path}/${escape(key)}`, out);
    return;
  }
  if (Object.is(recorded, replayed)) return;
  out.push({ path, recorded: (recorded ?? null) as JsonValue, replayed: (replayed ?? null) as JsonValue });
}

/** Replays with packs already loaded (ids matched to the record; each gets the recorded parameters). */
export function replayDecisionWithPacks(recorded: unknown, evidence: unknown, packs: readonly PolicyPack[]): ReplayResult {
  assertDecision(recorded);
  const used = recorded.packs.map((entry) => {
    const pack = packs.find((candidate) => candidate.id === entry.id);
    if (!pack) throw new PolicyError('POLICY_PACK_NOT_FOUND', `The decision used pack ${entry.id}, which is not available to replay`);
    return withPackParameters(pack, entry.parameters);
  });
  const replayed = evaluatePolicies(used, evidence, {
    stage: recorded.stage,
    riskTier: recorded.riskTier,
    now: recorded.evaluatedAt,
    waivers: recorded.waivers.map((use) => use.waiver),
  });
  const differences: DecisionDifference[] = [];
  diff(recorded, replayed, '', differences);
  return { ok: differences.length === 0, differences, replayed };
}

/** Replays from a packs folder laid out like `policies/`: the pack `x` of the record is loaded from `<packsRoot>/x`. */
export async function replayDecision(recorded: unknown, evidence: unknown, packsRoot: string): Promise<ReplayResult> {
  assertDecision(recorded);
  const packs: PolicyPack[] = [];
  for (const entry of recorded.packs) packs.push(await loadPolicyPack(join(packsRoot, entry.id)));
  return replayDecisionWithPacks(recorded, evidence, packs);
}
