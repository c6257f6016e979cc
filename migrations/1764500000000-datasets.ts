import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Datasets, their immutable content-addressed versions, datasheets and transformations (issue 3). */
export class Datasets1764500000000 implements MigrationInterface {
  name = 'Datasets1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE datasets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        owner_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE UNIQUE INDEX datasets_owner_name_key ON datasets (owner_id, lower(name))`);
    await q.query(`
      CREATE TABLE dataset_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets (id),
        version integer NOT NULL CHECK (version > 0),
        origin text NOT NULL CHECK (origin IN ('upload', 'transformation')),
        raw_digest text CHECK (raw_digest ~ '^sha256:[0-9a-f]{64}$'),
        table_digest text NOT NULL CHECK (table_digest ~ '^sha256:[0-9a-f]{64}$'),
        options_digest text NOT NULL,
        byte_count bigint NOT NULL,
        row_count bigint NOT NULL,
        column_count integer NOT NULL,
        columns jsonb NOT NULL,
        profile jsonb NOT NULL,
        ingest jsonb NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (dataset_id, version)
      )`);
    // The same bytes parsed the same way are the same version.
    await q.query(`CREATE UNIQUE INDEX dataset_versions_content_key ON dataset_versions (dataset_id, raw_digest, options_digest) WHERE raw_digest IS NOT NULL`);
    await q.query(`
      CREATE TABLE dataset_datasheets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        version_id uuid NOT NULL REFERENCES dataset_versions (id),
        body jsonb NOT NULL,
        digest text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX dataset_datasheets_version_idx ON dataset_datasheets (version_id, created_at)`);
    await q.query(`
      CREATE TABLE dataset_transformations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset_id uuid NOT NULL REFERENCES datasets (id),
        input_version_id uuid NOT NULL REFERENCES dataset_versions (id),
        spec jsonb NOT NULL,
        summary jsonb NOT NULL,
        outputs jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id)
      )`);
    await q.query(`CREATE INDEX dataset_transformations_input_idx ON dataset_transformations (input_version_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dataset_transformations`);
    await q.query(`DROP TABLE dataset_datasheets`);
    await q.query(`DROP TABLE dataset_versions`);
    await q.query(`DROP TABLE datasets`);
  }
}
