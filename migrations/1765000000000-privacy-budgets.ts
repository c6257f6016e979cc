import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy budgets of dataset versions and what each DP-SGD run charged against them: the run's
 * planned RDP curve, so that runs compose (their curves add) and a budget is never overspent,
 * also by two runs requested at the same moment (the budget row is locked while charging).
 */
export class PrivacyBudgets1765000000000 implements MigrationInterface {
  name = 'PrivacyBudgets1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_budgets (
        dataset_version_id uuid PRIMARY KEY REFERENCES dataset_versions (id),
        epsilon double precision NOT NULL CHECK (epsilon > 0 AND epsilon <= 1000),
        delta double precision NOT NULL CHECK (delta > 0 AND delta < 1),
        conversion text NOT NULL CHECK (conversion IN ('classic', 'balle2020')),
        set_by uuid NOT NULL REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`
      CREATE TABLE privacy_budget_charges (
        id bigserial PRIMARY KEY,
        dataset_version_id uuid NOT NULL REFERENCES privacy_budgets (dataset_version_id),
        run_id uuid NOT NULL REFERENCES training_runs (id),
        orders jsonb NOT NULL,
        rdp jsonb NOT NULL,
        steps integer NOT NULL CHECK (steps >= 0),
        sample_rate double precision NOT NULL,
        noise_multiplier double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (dataset_version_id, run_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE privacy_budget_charges`);
    await q.query(`DROP TABLE privacy_budgets`);
  }
}
