import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../../../platform/database/update-returning';
import { LeaseLostError, type Lease, type RunError, type RunProgress, type RunResult, type RunState, type TrainingRunRow } from './training-run.record';

export interface NewRunRow {
  id: string;
  ownerId: string;
  name: string;
  idempotencyKey: string | null;
  requestDigest: string;
  datasetId: string;
  inputs: TrainingRunRow['inputs'];
  spec: TrainingRunRow['spec'];
  specDigest: string;
  traceContext: string | null;
}

export interface RunEventRow {
  id: string;
  run_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
}

const FENCE = `id = $1 AND lease_owner = $2 AND attempt = $3 AND state = 'running'`;
const fence = (lease: Lease) => [lease.runId, lease.owner, lease.attempt];

/**
 * SQL of training runs: the row is the system of record, queues only wake workers. Claims use
 * `FOR UPDATE SKIP LOCKED`, so two workers never take the same run; every write a worker makes is
 * fenced on its lease (owner and attempt), so a worker whose lease lapsed and was taken over can
 * change nothing — in particular it cannot finish the run a second time.
 */
@Injectable()
export class TrainingRunStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: EntityManager, run: NewRunRow): Promise<TrainingRunRow> {
    const rows = await tx.query<TrainingRunRow[]>(
      `INSERT INTO training_runs (id, owner_id, name, state, idempotency_key, request_digest, dataset_id, inputs, spec, spec_digest, trace_context)
       VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        run.id,
        run.ownerId,
        run.name,
        run.idempotencyKey,
        run.requestDigest,
        run.datasetId,
        JSON.stringify(run.inputs),
        JSON.stringify(run.spec),
        run.specDigest,
        run.traceContext,
      ],
    );
    return rows[0]!;
  }

  async find(id: string, tx?: EntityManager): Promise<TrainingRunRow | undefined> {
    const rows = await (tx ?? this.db).query<TrainingRunRow[]>(`SELECT * FROM training_runs WHERE id = $1`, [id]);
    return rows[0];
  }

  async findForUpdate(tx: EntityManager, id: string): Promise<TrainingRunRow | undefined> {
    const rows = await tx.query<TrainingRunRow[]>(`SELECT * FROM training_runs WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async findByIdempotencyKey(ownerId: string, key: string): Promise<TrainingRunRow | undefined> {
    const rows = await this.db.query<TrainingRunRow[]>(`SELECT * FROM training_runs WHERE owner_id = $1 AND idempotency_key = $2`, [ownerId, key]);
    return rows[0];
  }

  /** Keyset page on (created_at, id); `ownerId` null lists every run. */
  async page(ownerId: string | null, state: RunState | undefined, after: { at: Date; id: string } | undefined, limit: number): Promise<TrainingRunRow[]> {
    return this.db.query<TrainingRunRow[]>(
      `SELECT * FROM training_runs
        WHERE ($1::uuid IS NULL OR owner_id = $1) AND ($2::text IS NULL OR state = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY created_at, id LIMIT $5`,
      [ownerId, state ?? null, after?.at ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * Takes the oldest claimable run (or `runId` only): queued, or running under a lease that has
   * lapsed (its worker died or stalled). The attempt number grows with every claim.
   */
  async claim(owner: string, leaseMs: number, runId?: string): Promise<TrainingRunRow | undefined> {
    const rows = await updateReturning<TrainingRunRow>(
      this.db,
      `UPDATE training_runs
          SET state = 'running', attempt = attempt + 1, lease_owner = $1,
              lease_expires_at = now() + $2 * interval '1 millisecond',
              started_at = COALESCE(started_at, now()), updated_at = now()
        WHERE id = (SELECT id FROM training_runs
                     WHERE (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
                       AND ($3::uuid IS NULL OR id = $3)
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
      [owner, leaseMs, runId ?? null],
    );
    return rows[0];
  }

  /** Ids of runs nobody is working on: queued for longer than `staleMs`, or running under a lapsed lease. */
  async unattended(staleMs: number, limit = 100): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM training_runs
        WHERE (state = 'queued' AND created_at < now() - $1 * interval '1 millisecond')
           OR (state = 'running' AND lease_expires_at < now())
        ORDER BY created_at LIMIT $2`,
      [staleMs, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Extends the lease; returns whether cancellation was asked. Throws LeaseLostError when the lease is gone. */
  async heartbeat(lease: Lease, leaseMs: number): Promise<{ cancelRequested: boolean }> {
    const rows = await updateReturning<{ cancel_requested: boolean }>(
      this.db,
      `UPDATE training_runs SET lease_expires_at = now() + $4 * interval '1 millisecond', updated_at = now()
        WHERE ${FENCE} RETURNING cancel_requested`,
      [...fence(lease), leaseMs],
    );
    if (!rows[0]) throw new LeaseLostError(lease);
    return { cancelRequested: rows[0].cancel_requested };
  }

  /** Gives a run back without finishing it (shutdown): another worker may claim it at once and resume. */
  async release(lease: Lease): Promise<void> {
    await this.db.query(`UPDATE training_runs SET lease_expires_at = now() - interval '1 millisecond', updated_at = now() WHERE ${FENCE}`, fence(lease));
  }

  /** Records an epoch checkpoint and its event in one transaction, fenced. */
  async saveCheckpoint(lease: Lease, epochsCompleted: number, checkpointDigest: string, progress: RunProgress): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await updateReturning<{ id: string }>(
        tx,
        `UPDATE training_runs SET epochs_completed = $4, checkpoint_digest = $5, progress = $6, updated_at = now()
          WHERE ${FENCE} RETURNING id`,
        [...fence(lease), epochsCompleted, checkpointDigest, JSON.stringify(progress)],
      );
      if (!rows[0]) throw new LeaseLostError(lease);
      await this.insertEvent(tx, lease.runId, 'epoch', {
        ...progress,
        attempt: lease.attempt,
        checkpointDigest,
      });
    });
  }

  /** An event from the lease holder; dropped (false) when the lease is gone. */
  async appendFencedEvent(lease: Lease, type: string, data: Record<string, unknown>): Promise<boolean> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO training_run_events (run_id, type, data)
       SELECT $1, $4, $5 WHERE EXISTS (SELECT 1 FROM training_runs WHERE ${FENCE}) RETURNING id`,
      [...fence(lease), type, JSON.stringify(data)],
    );
    return rows.length > 0;
  }

  async insertEvent(tx: EntityManager, runId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await tx.query(`INSERT INTO training_run_events (run_id, type, data) VALUES ($1, $2, $3)`, [runId, type, JSON.stringify(data)]);
  }

  async events(runId: string, afterId: string | null, limit = 500): Promise<RunEventRow[]> {
    return this.db.query<RunEventRow[]>(
      `SELECT * FROM training_run_events WHERE run_id = $1 AND ($2::bigint IS NULL OR id > $2::bigint) ORDER BY id LIMIT $3`,
      [runId, afterId, limit],
    );
  }

  /** Finishes the run under the caller's lease, in the caller's transaction (with its evidence). */
  async finish(
    tx: EntityManager,
    lease: Lease,
    outcome: { state: 'succeeded'; result: RunResult } | { state: 'failed' | 'cancelled'; error: RunError },
  ): Promise<TrainingRunRow> {
    const rows = await updateReturning<TrainingRunRow>(
      tx,
      `UPDATE training_runs SET state = $4, result = $5, error = $6, lease_owner = NULL, lease_expires_at = NULL,
              checkpoint_digest = NULL, finished_at = now(), updated_at = now()
        WHERE ${FENCE} RETURNING *`,
      [
        ...fence(lease),
        outcome.state,
        outcome.state === 'succeeded' ? JSON.stringify(outcome.result) : null,
        outcome.state === 'succeeded' ? null : JSON.stringify(outcome.error),
      ],
    );
    if (!rows[0]) throw new LeaseLostError(lease);
    await this.insertEvent(tx, lease.runId, outcome.state, outcome.state === 'succeeded' ? { result: outcome.result } : { error: outcome.error });
    return rows[0];
  }

  /** Cancels a queued run outright (in the caller's transaction, locked by findForUpdate). */
  async cancelQueued(tx: EntityManager, runId: string, error: RunError): Promise<TrainingRunRow> {
    const rows = await updateReturning<TrainingRunRow>(
      tx,
      `UPDATE training_runs SET state = 'cancelled', error = $2, finished_at = now(), updated_at = now()
        WHERE id = $1 AND state = 'queued' RETURNING *`,
      [runId, JSON.stringify(error)],
    );
    await this.insertEvent(tx, runId, 'cancelled', { error });
    return rows[0]!;
  }

  /** Asks the worker of a running run to stop after its current batch. */
  async requestCancel(tx: EntityManager, runId: string): Promise<TrainingRunRow> {
    const rows = await updateReturning<TrainingRunRow>(tx, `UPDATE training_runs SET cancel_requested = true, updated_at = now() WHERE id = $1 RETURNING *`, [
      runId,
    ]);
    await this.insertEvent(tx, runId, 'cancel_requested', {});
    return rows[0]!;
  }

  /** Digests of artifacts recorded by finished runs (so a cleanup never deletes one still referenced). */
  async referencedArtifacts(digests: readonly string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await this.db.query<{ digest: string }[]>(
      `SELECT DISTINCT a->>'digest' AS digest FROM training_runs, jsonb_array_elements(result->'artifacts') a
        WHERE result IS NOT NULL AND a->>'digest' = ANY($1::text[])
       UNION SELECT result->>'signatureDigest' FROM training_runs WHERE result->>'signatureDigest' = ANY($1::text[])`,
      [digests],
    );
    return new Set(rows.map((row) => row.digest));
  }
}

export type { RunError, RunProgress, RunResult };
