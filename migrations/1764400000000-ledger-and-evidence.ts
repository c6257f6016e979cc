import type { MigrationInterface, QueryRunner } from 'typeorm';

/** pg_advisory_xact_lock key serialising ledger appends across connections and processes ("ldgr"). */
const LEDGER_APPEND_LOCK = 0x6c646772;

const APPEND_ONLY_TABLES = ['ledger_entries', 'ledger_nodes', 'ledger_keys', 'ledger_checkpoints', 'evidence_records'];

/**
 * The tamper-evident ledger (RFC 9162 Merkle tree, stored as its perfect subtrees) and the
 * evidence store (issue 2). Every table here is append-only: triggers refuse UPDATE, DELETE and
 * TRUNCATE, and are ENABLE ALWAYS so that `session_replication_role = replica` does not bypass them.
 */
export class LedgerAndEvidence1764400000000 implements MigrationInterface {
  name = 'LedgerAndEvidence1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_entries (
        index bigint PRIMARY KEY CHECK (index >= 0),
        canonical text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        time timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        evidence_digest text
      )`);
    await q.query(`CREATE INDEX ledger_entries_subject_idx ON ledger_entries (subject_type, subject_id, index)`);
    await q.query(`CREATE INDEX ledger_entries_actor_idx ON ledger_entries (actor_id, index)`);
    await q.query(`
      CREATE TABLE ledger_nodes (
        level smallint NOT NULL CHECK (level >= 0 AND level < 64),
        index bigint NOT NULL CHECK (index >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, index)
      )`);
    await q.query(`
      CREATE TABLE ledger_keys (
        key_id text PRIMARY KEY,
        key_name text NOT NULL,
        public_key bytea NOT NULL,
        verifier_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`
      CREATE TABLE ledger_checkpoints (
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        key_id text NOT NULL REFERENCES ledger_keys (key_id),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tree_size, key_id)
      )`);
    await q.query(`
      CREATE TABLE evidence_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        kind_version integer NOT NULL CHECK (kind_version > 0),
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        body jsonb NOT NULL,
        digest text NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        producer text NOT NULL,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        supersedes uuid REFERENCES evidence_records (id),
        ledger_index bigint NOT NULL UNIQUE REFERENCES ledger_entries (index),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX evidence_records_digest_idx ON evidence_records (digest)`);
    await q.query(`CREATE INDEX evidence_records_subject_idx ON evidence_records (subject_type, subject_id, kind)`);

    // One round trip per append: lock, next index, time, leaf hash and the completed perfect
    // subtree nodes (RFC 9162 §2.1: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || l || r)).
    // The caller sends the entry's RFC 8785 canonical JSON around the two values only the
    // database can fix (index and time); the offline verifier recomputes all of it independently.
    await q.query(`
      CREATE FUNCTION assay_ledger_append(
        p_prefix text, p_middle text, p_suffix text,
        p_actor_type text, p_actor_id text, p_action text, p_subject_type text, p_subject_id text, p_evidence_digest text
      ) RETURNS TABLE (entry_index bigint, entry_time text) LANGUAGE plpgsql AS $$
      DECLARE
        idx bigint;
        t text;
        canon text;
        h bytea;
        sibling bytea;
        lvl smallint := 0;
        i bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LEDGER_APPEND_LOCK});
        SELECT coalesce(max(e.index) + 1, 0) INTO idx FROM ledger_entries e;
        t := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        canon := p_prefix || idx::text || p_middle || t || p_suffix;
        h := sha256('\\x00'::bytea || convert_to(canon, 'UTF8'));
        INSERT INTO ledger_entries (index, canonical, leaf_hash, time, actor_type, actor_id, action, subject_type, subject_id, evidence_digest)
          VALUES (idx, canon, h, t::timestamptz, p_actor_type, p_actor_id, p_action, p_subject_type, p_subject_id, p_evidence_digest);
        INSERT INTO ledger_nodes (level, index, hash) VALUES (0, idx, h);
        i := idx;
        WHILE i % 2 = 1 LOOP
          SELECT n.hash INTO sibling FROM ledger_nodes n WHERE n.level = lvl AND n.index = i - 1;
          IF sibling IS NULL THEN
            RAISE EXCEPTION 'Assay ledger: node (%, %) is missing', lvl, i - 1;
          END IF;
          h := sha256('\\x01'::bytea || sibling || h);
          i := (i - 1) / 2;
          lvl := lvl + 1;
          INSERT INTO ledger_nodes (level, index, hash) VALUES (lvl, i, h);
        END LOOP;
        RETURN QUERY SELECT idx, t;
      END $$`);
    await q.query(`
      CREATE FUNCTION assay_refuse_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'Assay: % on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of APPEND_ONLY_TABLES) {
      await q.query(`CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION assay_refuse_mutation()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION assay_refuse_mutation()`);
      // ALWAYS: fire under session_replication_role = replica too.
      await q.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_change`);
      await q.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
    }
    // Default privileges (e.g. docker/postgres-init) may have granted the application role
    // UPDATE/DELETE/TRUNCATE on new tables: take them back here, for every grantee but the owner.
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT DISTINCT grantee, table_name FROM information_schema.role_table_grants
                  WHERE table_schema = current_schema() AND table_name = ANY (ARRAY['${APPEND_ONLY_TABLES.join("','")}'])
                    AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> current_user
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %s', r.table_name,
                         CASE WHEN r.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(r.grantee) END);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // DROP TABLE is not blocked by the triggers: reverting the schema is the owner's decision.
    for (const table of [...APPEND_ONLY_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP FUNCTION assay_refuse_mutation()`);
    await q.query(`DROP FUNCTION assay_ledger_append(text, text, text, text, text, text, text, text, text)`);
  }
}
