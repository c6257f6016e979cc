/**
 * Promotion-gate figures for Prometheus, read at scrape time from `promotion_requests` (a count
 * by state, which promotion_requests_state_idx covers): requests by state, and the recorded policy
 * decisions by outcome. Every request records exactly one decision (policy.evaluated) when it is
 * made, and its state keeps the outcome: `blocked` stays blocked, a `pending_approval` decision
 * moves on to approved or rejected. Previews record nothing and are not counted.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../../platform/observability/metrics/metrics.registry';
import type { DecisionOutcome } from '../policy/policy-decision';
import { PROMOTION_STATES, type PromotionState } from './promotion.record';

const OUTCOME_OF_STATE: Record<PromotionState, DecisionOutcome> = {
  blocked: 'blocked',
  pending_approval: 'pending_approval',
  approved: 'pending_approval',
  rejected: 'pending_approval',
};

@Injectable()
export class PromotionMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge({
      name: 'assay_promotions',
      help: 'Promotion requests by state.',
      labelNames: ['state'],
      collect: async () => [...(await this.byState())].map(([state, value]) => ({ labels: { state }, value })),
    });
    this.metrics.counter({
      name: 'assay_policy_decisions_total',
      help: 'Recorded policy decisions on promotion requests by outcome: blocked, or pending_approval (passed to a compliance officer).',
      labelNames: ['outcome'],
      collect: async () => {
        const outcomes = new Map<DecisionOutcome, number>([
          ['blocked', 0],
          ['pending_approval', 0],
        ]);
        for (const [state, count] of await this.byState()) outcomes.set(OUTCOME_OF_STATE[state], outcomes.get(OUTCOME_OF_STATE[state])! + count);
        return [...outcomes].map(([outcome, value]) => ({ labels: { outcome }, value }));
      },
    });
  }

  private async byState(): Promise<Map<PromotionState, number>> {
    const rows = await this.db.query<{ state: PromotionState; requests: string }[]>(
      `SELECT state, count(*) AS requests FROM promotion_requests GROUP BY state`,
    );
    const counts = new Map<PromotionState, number>(PROMOTION_STATES.map((state) => [state, 0]));
    for (const row of rows) counts.set(row.state, Number(row.requests));
    return counts;
  }
}
