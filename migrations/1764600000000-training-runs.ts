import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training runs as jobs (issue 5). The row is the system of record; a queue (in-process polling or
 * BullMQ) only wakes workers. A worker owns a run through a lease (`lease_owner`, `lease_expires_at`)
 * and an `attempt` number that every write of the worker is fenced on: a worker whose lease was
 * taken over can no longer change the run. `training_run_events` feeds the server-sent events.
 */
export class TrainingRuns1764600000000 implements MigrationInterface {
  name = 'TrainingRuns1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training_runs (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES users (id),
        name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        request_digest text NOT NULL,
        dataset_id uuid NOT NULL REFERENCES datasets (id),
        inputs jsonb NOT NULL,
        spec jsonb NOT NULL,
        spec_digest text NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_expires_at timestamptz,
        cancel_requested boolean NOT NULL DEFAULT false,
        epochs_completed integer NOT NULL DEFAULT 0,
        checkpoint_digest text,
        progress jsonb,
        result jsonb,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE UNIQUE INDEX training_runs_idempotency_key ON training_runs (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX training_runs_owner_idx ON training_runs (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX training_runs_created_idx ON training_runs (created_at, id)`);
    // Claimable runs: queued ones and running ones whose lease may have expired.
    await q.query(`CREATE INDEX training_runs_claimable_idx ON training_runs (created_at) WHERE state IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE training_run_events (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES training_runs (id),
        type text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX training_run_events_run_idx ON training_run_events (run_id, id)`);
    // Evidence a worker records about an engineer's run is the engineer's own work to read: the
    // owner of the subject is kept beside the actor (existing rows: the actor, when a user).
    await q.query(`ALTER TABLE evidence_records ADD COLUMN subject_owner_id text`);
    await q.query(`CREATE INDEX evidence_records_subject_owner_idx ON evidence_records (subject_owner_id) WHERE subject_owner_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidence_records DROP COLUMN subject_owner_id`);
    await q.query(`DROP TABLE training_run_events`);
    await q.query(`DROP TABLE training_runs`);
  }
}
