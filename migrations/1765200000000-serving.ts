import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serving and post-market monitoring: the decision log (every prediction and every outcome
 * reported later, each a leaf of a Merkle-rooted batch whose root is a ledger record), the
 * monitoring plan of a registered model with its alert webhooks, the checks run against it, the
 * alerts they raised, and the webhook deliveries (an outbox written in the alert's transaction).
 */
export class Serving1765200000000 implements MigrationInterface {
  name = 'Serving1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE decision_batches (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY,
        size integer NOT NULL CHECK (size > 0),
        root text NOT NULL CHECK (root ~ '^sha256:[0-9a-f]{64}$'),
        evidence_digest text NOT NULL,
        ledger_index bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`
      CREATE TABLE predictions (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES registered_models (id),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        model_digest text NOT NULL,
        alias text,
        input_digest text NOT NULL,
        input jsonb,
        monitoring jsonb NOT NULL,
        label text NOT NULL,
        score double precision NOT NULL,
        caller_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        leaf text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        batch_id uuid REFERENCES decision_batches (id),
        leaf_index integer,
        CHECK ((batch_id IS NULL) = (leaf_index IS NULL))
      )`);
    await q.query(`CREATE INDEX predictions_pending_idx ON predictions (seq) WHERE batch_id IS NULL`);
    await q.query(`CREATE INDEX predictions_version_time_idx ON predictions (model_version_id, created_at)`);
    await q.query(`CREATE INDEX predictions_batch_idx ON predictions (batch_id, leaf_index)`);
    await q.query(`
      CREATE TABLE prediction_outcomes (
        seq bigserial UNIQUE,
        prediction_id uuid PRIMARY KEY REFERENCES predictions (id),
        label text NOT NULL,
        recorded_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        leaf text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        batch_id uuid REFERENCES decision_batches (id),
        leaf_index integer,
        CHECK ((batch_id IS NULL) = (leaf_index IS NULL))
      )`);
    await q.query(`CREATE INDEX prediction_outcomes_pending_idx ON prediction_outcomes (seq) WHERE batch_id IS NULL`);
    await q.query(`CREATE INDEX prediction_outcomes_batch_idx ON prediction_outcomes (batch_id, leaf_index)`);
    await q.query(`
      CREATE TABLE monitoring_plans (
        model_id uuid PRIMARY KEY REFERENCES registered_models (id),
        plan jsonb NOT NULL,
        evidence_digest text NOT NULL,
        updated_by uuid NOT NULL REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`
      CREATE TABLE monitoring_webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registered_models (id),
        url text NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX monitoring_webhooks_model_idx ON monitoring_webhooks (model_id)`);
    await q.query(`
      CREATE TABLE monitoring_checks (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registered_models (id),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL,
        samples integer NOT NULL,
        report jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX monitoring_checks_version_idx ON monitoring_checks (model_version_id, seq)`);
    await q.query(`
      CREATE TABLE monitoring_alerts (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registered_models (id),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        metric text NOT NULL,
        target text NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        samples integer NOT NULL,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
        evidence_digest text NOT NULL,
        resolved_by uuid REFERENCES users (id),
        resolved_at timestamptz,
        resolution text,
        resolution_digest text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE UNIQUE INDEX monitoring_alerts_open_key ON monitoring_alerts (model_version_id, metric, target) WHERE state = 'open'`);
    await q.query(`CREATE INDEX monitoring_alerts_model_idx ON monitoring_alerts (model_id, seq)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES monitoring_webhooks (id) ON DELETE CASCADE,
        event text NOT NULL,
        payload text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_deliveries',
      'monitoring_alerts',
      'monitoring_checks',
      'monitoring_webhooks',
      'monitoring_plans',
      'prediction_outcomes',
      'predictions',
      'decision_batches',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
