import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every policy pack version a process has loaded, by its digest, with the address of each file in
 * the artifact store: a decision records only pack digests, and an evidence bundle must carry the
 * exact pack files it was made with, also after the packs on disk have changed.
 */
export class PolicyPackSnapshots1764900000000 implements MigrationInterface {
  name = 'PolicyPackSnapshots1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_pack_snapshots (
        digest text PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        pack_id text NOT NULL,
        version text NOT NULL,
        files jsonb NOT NULL,
        first_loaded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_pack_snapshots`);
  }
}
