import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C `traceparent` of the request that queued a training run, so that the worker's `train`
 * span joins the request's trace whichever process trains it (the in-process queue has no job
 * payload to carry it; the row is the system of record). Operational data, not evidence: it is
 * never part of an evidence body. Null when the request was not traced.
 */
export class RunTraceContext1765100000000 implements MigrationInterface {
  name = 'RunTraceContext1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // W3C Trace Context §3.2: version-traceid-parentid-flags, lower-case hex.
    await q.query(`
      ALTER TABLE training_runs ADD COLUMN trace_context text
        CONSTRAINT training_runs_trace_context_format CHECK (trace_context ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE training_runs DROP COLUMN trace_context`);
  }
}
