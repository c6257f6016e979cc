import seedrandom from 'seedrandom';
import type { TestApp, TestUser } from './test-app';

type Http = Pick<TestApp, 'http'>;

/**
 * Moves `version` of the model to `stage` through the real gate: a request, a waiver (by the
 * officer, with a justification) for every rule that blocks it, a second request and the
 * officer's approval. Returns the approved promotion's id.
 */
export async function promoteThroughGate(
  t: Http,
  engineer: TestUser,
  officer: TestUser,
  modelId: string,
  version: number,
  stage: 'staging' | 'production',
): Promise<string> {
  const as = (user: TestUser) => ({
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const request = async () => {
    const response = await as(engineer).post(`/models/${modelId}/versions/${version}/promotions`, { targetStage: stage });
    if (response.status !== 201) throw new Error(`promotion request: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; state: string; decision: { blockedBy: { packId: string; ruleId: string }[] } };
  };
  let promotion = await request();
  if (promotion.state === 'blocked') {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const { packId, ruleId } of promotion.decision.blockedBy) {
      const waiver = await as(officer).post('/waivers', {
        modelId,
        version,
        packId,
        ruleId,
        justification: 'Accepted for the serving tests by the risk committee.',
        expiresAt,
      });
      if (waiver.status !== 201) throw new Error(`waiver ${packId}/${ruleId}: ${waiver.status} ${JSON.stringify(waiver.body)}`);
    }
    promotion = await request();
  }
  if (promotion.state !== 'pending_approval') throw new Error(`promotion is ${promotion.state}: ${JSON.stringify(promotion.decision.blockedBy)}`);
  const approved = await as(officer).post(`/promotions/${promotion.id}/approve`, { rationale: 'Evidence reviewed for serving.' });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return promotion.id;
}

export interface CreditInput {
  age: number;
  sex: string;
  income: number | null;
  debt: number;
  purpose: string;
}

/**
 * Inputs drawn like syntheticCreditCsv's rows (same distributions, 3 % of incomes missing as there, own seed), optionally shifted:
 * `incomeShift` is added to the income of the applicants `shiftWho` selects.
 */
export function creditInputs(count: number, seed: number, shift: { incomeShift?: number; shiftWho?: (input: CreditInput) => boolean } = {}): CreditInput[] {
  const random = seedrandom(`inputs-${seed}`);
  const purposes = ['car', 'house', 'education', 'business'];
  return Array.from({ length: count }, () => {
    const input: CreditInput = {
      age: 20 + Math.floor(random() * 50),
      sex: random() < 0.5 ? 'F' : 'M',
      income: Math.round(20 + random() * 80),
      debt: Math.round(random() * 60),
      purpose: purposes[Math.floor(random() * purposes.length)]!,
    };
    if (random() < 0.03) input.income = null; // as often as in the training data
    if (shift.incomeShift && input.income !== null && (shift.shiftWho?.(input) ?? true)) input.income += shift.incomeShift;
    return input;
  });
}
