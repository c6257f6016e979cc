import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The promotion gate: requests with their policy decision, human approvals, waivers, the
 * `staging` / `production` aliases and the full history of every alias move.
 */
export class Promotions1764800000000 implements MigrationInterface {
  name = 'Promotions1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE waivers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        pack_id text NOT NULL,
        rule_id text NOT NULL,
        justification text NOT NULL CHECK (length(justification) BETWEEN 10 AND 5000),
        expires_at timestamptz NOT NULL,
        granted_by uuid NOT NULL REFERENCES users (id),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users (id),
        revocation_reason text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX waivers_version_idx ON waivers (model_version_id)`);
    await q.query(`
      CREATE TABLE promotion_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registered_models (id),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        target_stage text NOT NULL CHECK (target_stage IN ('staging', 'production')),
        state text NOT NULL CHECK (state IN ('blocked', 'pending_approval', 'approved', 'rejected')),
        requested_by uuid NOT NULL REFERENCES users (id),
        evidence_document jsonb NOT NULL,
        evidence_document_digest text NOT NULL,
        decision jsonb NOT NULL,
        decision_digest text NOT NULL,
        decided_by uuid REFERENCES users (id),
        rationale text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        decided_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX promotion_requests_one_pending ON promotion_requests (model_version_id, target_stage) WHERE state = 'pending_approval'`);
    await q.query(`CREATE INDEX promotion_requests_state_idx ON promotion_requests (state, created_at, id)`);
    await q.query(`
      CREATE TABLE model_aliases (
        model_id uuid NOT NULL REFERENCES registered_models (id),
        alias text NOT NULL CHECK (alias IN ('staging', 'production')),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        promotion_id uuid REFERENCES promotion_requests (id),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (model_id, alias)
      )`);
    await q.query(`
      CREATE TABLE alias_moves (
        id bigserial PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES registered_models (id),
        alias text NOT NULL CHECK (alias IN ('staging', 'production')),
        from_version_id uuid REFERENCES model_versions (id),
        to_version_id uuid REFERENCES model_versions (id),
        kind text NOT NULL CHECK (kind IN ('promotion', 'demotion', 'rollback')),
        promotion_id uuid REFERENCES promotion_requests (id),
        reason text,
        moved_by uuid NOT NULL REFERENCES users (id),
        evidence_digest text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX alias_moves_model_idx ON alias_moves (model_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alias_moves`);
    await q.query(`DROP TABLE model_aliases`);
    await q.query(`DROP TABLE promotion_requests`);
    await q.query(`DROP TABLE waivers`);
  }
}
