import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthContext } from '../../../platform/access/auth-context';
import { AssayException } from '../../../platform/errors/assay.exception';
import { EvidenceService } from '../../../platform/evidence/evidence.service';
import { userActor } from '../../../platform/ledger/actor';
import { DatasetVersionsService } from '../../datasets/dataset-versions.service';
import { DEFAULT_RDP_CONVERSION, type DpTrainingOptions, type RdpConversion } from '../differential-privacy';
import { plannedCharge, spentEpsilon, type Budget, type BudgetCharge } from './privacy-budget.math';

interface BudgetRow {
  dataset_version_id: string;
  epsilon: number;
  delta: number;
  conversion: RdpConversion;
  set_by: string;
  updated_at: Date;
}

interface ChargeRow {
  run_id: string;
  orders: number[];
  rdp: number[];
  steps: number;
  sample_rate: number;
  noise_multiplier: number;
  created_at: Date;
}

export interface PrivacyBudgetView {
  datasetVersionId: string;
  budget: Budget | null;
  spentEpsilon: number;
  remainingEpsilon: number | null;
  charges: Array<{ runId: string; steps: number; sampleRate: number; noiseMultiplier: number; runEpsilon: number; at: string }>;
}

const toCharge = (row: ChargeRow): BudgetCharge => ({
  orders: row.orders,
  rdp: row.rdp,
  steps: row.steps,
  sampleRate: Number(row.sample_rate),
  noiseMultiplier: Number(row.noise_multiplier),
});
const toBudget = (row: BudgetRow): Budget => ({ epsilon: Number(row.epsilon), delta: Number(row.delta), conversion: row.conversion });
const round = (value: number) => Math.round(value * 1e9) / 1e9;

/**
 * Privacy budgets: a dataset version carries (ε, δ); every DP-SGD run that trains on it or on data
 * derived from it (splits, pseudonymised versions…) is charged its planned RDP curve when it is
 * requested, in the run's own transaction with the budget rows locked, so two runs requested at
 * once cannot overspend. A run that would exceed a budget, or a non-private run on budgeted data,
 * is refused before it starts. Charges are planned steps: a run that stops early keeps its charge
 * (conservative: the budget never under-counts).
 */
@Injectable()
export class PrivacyBudgetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: DatasetVersionsService,
    private readonly evidence: EvidenceService,
  ) {}

  async set(auth: AuthContext, datasetId: string, number: number, input: { epsilon: number; delta: number; conversion?: RdpConversion }): Promise<PrivacyBudgetView> {
    const officer = auth.user.role === 'compliance_officer';
    const { version } = await this.versions.findAuthorized(auth, datasetId, number, officer ? 'read' : 'update');
    const budget: Budget = { epsilon: input.epsilon, delta: input.delta, conversion: input.conversion ?? DEFAULT_RDP_CONVERSION };
    await this.db.transaction(async (tx) => {
      const existing = (await tx.query<BudgetRow[]>(`SELECT * FROM privacy_budgets WHERE dataset_version_id = $1 FOR UPDATE`, [version.id]))[0];
      const previous = existing ? toBudget(existing) : null;
      if (previous && !officer && (budget.epsilon > previous.epsilon || budget.delta > previous.delta))
        throw new AssayException('ACCESS_DENIED', 'Only a compliance officer may raise a privacy budget', { previous });
      const spent = spentEpsilon((await this.charges(tx, version.id)).map(toCharge), budget);
      if (spent > budget.epsilon)
        throw new AssayException('PRIVACY_BUDGET_BELOW_SPENT', `ε = ${spent} has been spent on this version already; the budget cannot be lower`, { spentEpsilon: spent });
      await tx.query(
        `INSERT INTO privacy_budgets (dataset_version_id, epsilon, delta, conversion, set_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (dataset_version_id) DO UPDATE SET epsilon = $2, delta = $3, conversion = $4, set_by = $5, updated_at = date_trunc('milliseconds', now())`,
        [version.id, budget.epsilon, budget.delta, budget.conversion, auth.user.id],
      );
      await this.evidence.record(tx, {
        kind: 'privacy.budget-set',
        subject: { type: 'dataset_version', id: version.id },
        actor: userActor(auth.user.id),
        body: { datasetId, versionId: version.id, budget: { ...budget }, previous: previous && { ...previous }, spentEpsilon: round(spent) },
      });
    });
    return this.get(auth, datasetId, number);
  }

  async get(auth: AuthContext, datasetId: string, number: number): Promise<PrivacyBudgetView> {
    const { version } = await this.versions.findAuthorized(auth, datasetId, number, 'read');
    const row = (await this.db.query<BudgetRow[]>(`SELECT * FROM privacy_budgets WHERE dataset_version_id = $1`, [version.id]))[0];
    const charges = await this.charges(this.db.manager, version.id);
    if (!row) return { datasetVersionId: version.id, budget: null, spentEpsilon: 0, remainingEpsilon: null, charges: [] };
    const budget = toBudget(row);
    const spent = spentEpsilon(charges.map(toCharge), budget);
    return {
      datasetVersionId: version.id,
      budget,
      spentEpsilon: round(spent),
      remainingEpsilon: round(Math.max(0, budget.epsilon - spent)),
      charges: charges.map((c) => ({
        runId: c.run_id,
        steps: c.steps,
        sampleRate: Number(c.sample_rate),
        noiseMultiplier: Number(c.noise_multiplier),
        runEpsilon: round(spentEpsilon([toCharge(c)], budget)),
        at: c.created_at.toISOString(),
      })),
    };
  }

  /**
   * Charges a new run against every budget on its training split's lineage (the split, the version
   * it was split from, and that version's ancestors), inside the run's creation transaction.
   */
  async charge(
    tx: EntityManager,
    run: { id: string; ownerId: string; trainVersionId: string; trainRows: number; dp: DpTrainingOptions | undefined; epochs: number; batchSize: number },
  ): Promise<void> {
    const lineage = await tx.query<{ version_id: string }[]>(
      `WITH RECURSIVE lineage(version_id) AS (
         SELECT $1::uuid
         UNION
         SELECT t.input_version_id FROM dataset_transformations t JOIN lineage l
           ON t.outputs @> jsonb_build_array(jsonb_build_object('versionId', l.version_id::text))
       ) SELECT version_id FROM lineage`,
      [run.trainVersionId],
    );
    const budgets = await tx.query<BudgetRow[]>(
      `SELECT * FROM privacy_budgets WHERE dataset_version_id = ANY($1::uuid[]) ORDER BY dataset_version_id FOR UPDATE`,
      [lineage.map((l) => l.version_id)],
    );
    if (budgets.length === 0) return;
    const { dp } = run;
    if (!dp)
      throw new AssayException('PRIVACY_BUDGET_REQUIRES_DP', 'The training data carries a privacy budget: train with spec.differentialPrivacy (DP-SGD)', {
        datasetVersionIds: budgets.map((b) => b.dataset_version_id),
      });
    const planned = plannedCharge(dp, run.trainRows, run.epochs, run.batchSize);
    const outcomes = [];
    for (const row of budgets) {
      const budget = toBudget(row);
      const earlier = (await this.charges(tx, row.dataset_version_id)).map(toCharge);
      const before = spentEpsilon(earlier, budget);
      const after = spentEpsilon([...earlier, planned], budget);
      const runEpsilon = spentEpsilon([planned], budget);
      if (after > budget.epsilon)
        throw new AssayException('PRIVACY_BUDGET_EXCEEDED', `This run would spend ε = ${round(runEpsilon)}; with what was spent before the total would be ${round(after)}, over the budget of ${budget.epsilon}`, {
          datasetVersionId: row.dataset_version_id,
          budget,
          spentEpsilon: round(before),
          runEpsilon: round(runEpsilon),
          wouldSpend: round(after),
        });
      outcomes.push({ row, budget, runEpsilon, after });
    }
    for (const { row, budget, runEpsilon, after } of outcomes) {
      await tx.query(
        `INSERT INTO privacy_budget_charges (dataset_version_id, run_id, orders, rdp, steps, sample_rate, noise_multiplier) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.dataset_version_id, run.id, JSON.stringify(planned.orders), JSON.stringify(planned.rdp), planned.steps, planned.sampleRate, planned.noiseMultiplier],
      );
      await this.evidence.record(tx, {
        kind: 'privacy.budget-charged',
        subject: { type: 'training_run', id: run.id },
        actor: userActor(run.ownerId),
        subjectOwnerId: run.ownerId,
        body: {
          runId: run.id,
          datasetVersionId: row.dataset_version_id,
          budget: { ...budget },
          steps: planned.steps,
          sampleRate: planned.sampleRate,
          noiseMultiplier: planned.noiseMultiplier,
          runEpsilon: round(runEpsilon),
          spentEpsilon: round(after),
          remainingEpsilon: round(Math.max(0, budget.epsilon - after)),
        },
      });
    }
  }

  private charges(q: Pick<EntityManager, 'query'>, versionId: string): Promise<ChargeRow[]> {
    return q.query<ChargeRow[]>(`SELECT * FROM privacy_budget_charges WHERE dataset_version_id = $1 ORDER BY id`, [versionId]);
  }
}
