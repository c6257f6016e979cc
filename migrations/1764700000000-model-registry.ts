import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model registry (MLflow's vocabulary): registered models with their intended use, risk tier,
 * jurisdictions and the declarations transparency rules ask for (known limitations, declared
 * performance, provider, human-oversight measures, stop procedure), and model versions made from
 * succeeded training runs (one version per run).
 */
export class ModelRegistry1764700000000 implements MigrationInterface {
  name = 'ModelRegistry1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registered_models (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
        owner_id uuid NOT NULL REFERENCES users (id),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        intended_use text NOT NULL CHECK (length(intended_use) BETWEEN 1 AND 4000),
        prohibited_uses jsonb NOT NULL DEFAULT '[]',
        risk_tier text NOT NULL CHECK (risk_tier ~ '^[a-z][a-z0-9_-]{0,49}$'),
        jurisdictions jsonb NOT NULL DEFAULT '[]',
        declarations jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE UNIQUE INDEX registered_models_name_key ON registered_models (lower(name))`);
    await q.query(`CREATE INDEX registered_models_owner_idx ON registered_models (owner_id, created_at, id)`);
    await q.query(`
      CREATE TABLE model_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL REFERENCES registered_models (id),
        version integer NOT NULL CHECK (version > 0),
        run_id uuid NOT NULL UNIQUE REFERENCES training_runs (id),
        model_digest text NOT NULL CHECK (model_digest ~ '^sha256:[0-9a-f]{64}$'),
        artifacts jsonb NOT NULL,
        signature_digest text NOT NULL,
        training_evidence text NOT NULL,
        status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'archived')),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (model_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE model_versions`);
    await q.query(`DROP TABLE registered_models`);
  }
}
