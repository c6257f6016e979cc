/**
 * Waivers: a compliance officer accepts a failing waivable rule for one model version, with a
 * justification and an expiry. Which waivers belong to the version is the caller's business; here
 * they are checked and matched to rules. Time is passed in, never read from a clock, so a decision
 * can be replayed.
 */
import { PolicyError, type PolicyProblem } from './policy.error';

export interface Waiver {
  /** The waiver's own id (its evidence record), when it has one. */
  id?: string;
  packId: string;
  ruleId: string;
  /** ISO 8601; the waiver counts while evaluatedAt < expiresAt. */
  expiresAt: string;
  justification: string;
  grantedBy?: string;
}

const FIELDS = ['id', 'packId', 'ruleId', 'expiresAt', 'justification', 'grantedBy'] as const;
const REQUIRED = new Set(['packId', 'ruleId', 'expiresAt', 'justification']);

/** Checks and copies the waivers (only the known fields, so the decision stays plain JSON). */
export function normaliseWaivers(waivers: readonly unknown[]): Waiver[] {
  const problems: PolicyProblem[] = [];
  const result = waivers.map((input, index) => {
    const waiver: Record<string, string> = {};
    if (typeof input !== 'object' || input === null) {
      problems.push({ path: `/waivers/${index}`, message: 'must be an object' });
      return waiver as unknown as Waiver;
    }
    const record = input as Record<string, unknown>;
    for (const field of FIELDS) {
      const value = record[field];
      if (value === undefined) {
        if (REQUIRED.has(field)) problems.push({ path: `/waivers/${index}/${field}`, message: 'is required' });
      } else if (typeof value !== 'string' || value.trim() === '') {
        problems.push({ path: `/waivers/${index}/${field}`, message: 'must be a non-empty string' });
      } else waiver[field] = value;
    }
    if (waiver.expiresAt !== undefined && Number.isNaN(Date.parse(waiver.expiresAt))) {
      problems.push({ path: `/waivers/${index}/expiresAt`, message: 'is not an ISO 8601 time' });
    }
    return waiver as unknown as Waiver;
  });
  if (problems.length) throw new PolicyError('POLICY_WAIVER_INVALID', 'Waivers are invalid', problems);
  return result;
}

export const waiverCounts = (waiver: Waiver, at: number): boolean => at < Date.parse(waiver.expiresAt);
