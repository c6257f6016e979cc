import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { concatMap, defer, from, interval, type Observable, startWith, takeWhile, mergeMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { asSubject, accessibleWhere } from '../../../platform/access/ability.factory';
import type { AuthContext } from '../../../platform/access/auth-context';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { AssayException } from '../../../platform/errors/assay.exception';
import { EvidenceService } from '../../../platform/evidence/evidence.service';
import { userActor } from '../../../platform/ledger/actor';
import { sha256Digest } from '../../../platform/ledger/verification';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor, type Page } from '../../../platform/http/pagination';
import { activeTraceparent, annotateActiveSpan, ATTR } from '../../../platform/observability/tracing/spans';
import { DatasetVersionsService } from '../../datasets/dataset-versions.service';
import { PrivacyBudgetsService } from '../privacy-budgets/privacy-budgets.service';
import { parseRunRequest, type RunRequest } from './run-request';
import { RunDispatch } from './run-dispatch';
import { FINAL_STATES, toRunView, type RunInputs, type RunState, type RunView, type SplitInput, type TrainingRunRow } from './training-run.record';
import { TrainingRunStore } from './training-run.store';

/** One server-sent event of a run's stream. */
export interface RunStreamEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const SPLIT_ROLES: Record<string, SplitInput['role']> = {
  train: 'train',
  training: 'train',
  validation: 'validation',
  val: 'validation',
  valid: 'validation',
  test: 'test',
};

interface TransformationRow {
  id: string;
  input_version_id: string;
  outputs: { role: string; versionId: string; tableDigest: string }[];
}

/** The API side of training runs: create (idempotent), read, list, cancel, and the event stream. */
@Injectable()
export class TrainingRunsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: TrainingRunStore,
    private readonly versions: DatasetVersionsService,
    private readonly evidence: EvidenceService,
    private readonly dispatch: RunDispatch,
    private readonly budgets: PrivacyBudgetsService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** Queues a run; `created` false when the Idempotency-Key named an earlier identical request. */
  async create(auth: AuthContext, body: unknown, idempotencyKey: string | undefined): Promise<{ run: RunView; created: boolean }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AssayException('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1–200 visible ASCII characters');
    }
    const request = this.parse(body);
    const requestDigest = sha256Digest(request);
    if (idempotencyKey !== undefined) {
      const earlier = await this.store.findByIdempotencyKey(auth.user.id, idempotencyKey);
      if (earlier)
        return {
          run: this.replay(earlier, requestDigest, idempotencyKey),
          created: false,
        };
    }
    const inputs = await this.resolveInputs(auth, request);
    const columns = await this.trainColumns(inputs);
    const checked = parseRunRequest(body, columns);
    if (!checked.ok) throw new AssayException('RUN_REQUEST_INVALID', 'The spec does not fit the training split', { problems: checked.problems });

    const id = randomUUID();
    const specDigest = sha256Digest(request.spec);
    annotateActiveSpan({ [ATTR.runId]: id, [ATTR.datasetId]: request.datasetId });
    // The worker's `train` span joins this trace, whichever process trains the run.
    const traceContext = activeTraceparent();
    let row: TrainingRunRow;
    try {
      row = await this.db.transaction(async (tx) => {
        const inserted = await this.store.insert(tx, {
          id,
          ownerId: auth.user.id,
          name: request.name,
          idempotencyKey: idempotencyKey ?? null,
          requestDigest,
          datasetId: request.datasetId,
          inputs,
          spec: request.spec,
          specDigest,
          traceContext,
        });
        const train = inputs.splits.find((split) => split.role === 'train')!;
        await this.budgets.charge(tx, {
          id,
          ownerId: auth.user.id,
          trainVersionId: train.versionId,
          trainRows: train.rows,
          dp: request.spec.differentialPrivacy,
          epochs: request.spec.model.training.epochs,
          batchSize: request.spec.model.training.batchSize,
        });
        await this.store.insertEvent(tx, id, 'queued', {});
        await this.evidence.record(tx, {
          kind: 'training.requested',
          subject: { type: 'training_run', id },
          actor: userActor(auth.user.id),
          body: JSON.parse(
            JSON.stringify({
              runId: id,
              name: request.name,
              inputs,
              spec: request.spec,
              specDigest,
              ...(idempotencyKey ? { idempotencyKey } : {}),
            }),
          ) as Record<string, unknown>,
        });
        return inserted;
      });
    } catch (error) {
      // Two requests with one key raced: the loser answers with the winner's run.
      const earlier = idempotencyKey === undefined ? undefined : await this.store.findByIdempotencyKey(auth.user.id, idempotencyKey);
      if (earlier)
        return {
          run: this.replay(earlier, requestDigest, idempotencyKey!),
          created: false,
        };
      throw error;
    }
    await this.dispatch.enqueue(id, traceContext);
    return { run: toRunView(row), created: true };
  }

  async get(auth: AuthContext, id: string): Promise<RunView> {
    return toRunView(await this.findReadable(auth, id));
  }

  async page(auth: AuthContext, query: { cursor?: string; limit?: number; state?: RunState }): Promise<Page<RunView>> {
    const where = accessibleWhere(auth.ability, 'read', 'TrainingRun');
    const everything = where.some((branch) => Object.keys(branch).length === 0);
    const ownerId = everything ? null : auth.user.id;
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.store.page(ownerId, query.state, after && { at: new Date(after[0]), id: after[1] }, limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toRunView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  /** A queued run is cancelled at once; a running one after its current batch (its worker records it). */
  async cancel(auth: AuthContext, id: string): Promise<RunView> {
    const run = await this.findReadable(auth, id);
    if (!auth.ability.can('update', asSubject('TrainingRun', { ownerId: run.owner_id }))) {
      throw new AssayException('ACCESS_DENIED', 'You may not cancel this run');
    }
    const updated = await this.db.transaction(async (tx) => {
      const locked = (await this.store.findForUpdate(tx, id))!;
      if (FINAL_STATES.includes(locked.state)) {
        throw new AssayException('RUN_NOT_CANCELLABLE', `The run has already ${locked.state}`, { state: locked.state });
      }
      if (locked.state === 'queued') {
        const cancelled = await this.store.cancelQueued(tx, id, {
          code: 'RUN_CANCELLED',
          message: 'The run was cancelled before it started',
        });
        await this.evidence.record(tx, {
          kind: 'training.cancelled',
          subject: { type: 'training_run', id },
          actor: userActor(auth.user.id),
          body: {
            runId: id,
            attempt: locked.attempt,
            epochsCompleted: locked.epochs_completed,
          },
        });
        return cancelled;
      }
      return this.store.requestCancel(tx, id);
    });
    return toRunView(updated);
  }

  /**
   * The run's events after `lastEventId`, then new ones as they are written (polled: workers may
   * be other processes), ending after the run's final event.
   */
  events(auth: AuthContext, id: string, lastEventId?: string): Observable<RunStreamEvent> {
    let cursor = lastEventId && /^\d{1,18}$/.test(lastEventId) ? lastEventId : null;
    let finished = false;
    return defer(() => from(this.findReadable(auth, id))).pipe(
      mergeMap(() => interval(Math.min(this.config.ASSAY_RUN_POLL_MS, 500)).pipe(startWith(0))),
      takeWhile(() => !finished),
      concatMap(async () => {
        const rows = await this.store.events(id, cursor);
        const out: RunStreamEvent[] = [];
        for (const row of rows) {
          cursor = String(row.id);
          out.push({ id: String(row.id), type: row.type, data: row.data });
          if ((FINAL_STATES as readonly string[]).includes(row.type)) {
            finished = true;
            break;
          }
        }
        return out;
      }),
      concatMap((batch) => from(batch)),
    );
  }

  private parse(body: unknown): RunRequest {
    const parsed = parseRunRequest(body);
    if (parsed.ok) return parsed.request;
    if (parsed.unknownFields.length > 0) {
      throw new AssayException('UNKNOWN_FIELD', `Unknown field(s): ${parsed.unknownFields.join(', ')}`, { fields: parsed.unknownFields });
    }
    throw new AssayException('RUN_REQUEST_INVALID', 'The run request is invalid', { problems: parsed.problems });
  }

  private replay(earlier: TrainingRunRow, requestDigest: string, key: string): RunView {
    if (earlier.request_digest !== requestDigest) {
      throw new AssayException('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request', { idempotencyKey: key, runId: earlier.id });
    }
    return toRunView(earlier);
  }

  /** The run row, when the caller may read it (RUN_NOT_FOUND otherwise: existence is not disclosed). */
  async findReadable(auth: AuthContext, id: string): Promise<TrainingRunRow> {
    const run = await this.store.find(id);
    if (!run || !auth.ability.can('read', asSubject('TrainingRun', { ownerId: run.owner_id }))) {
      throw new AssayException('RUN_NOT_FOUND', `No training run ${id}`);
    }
    return run;
  }

  /** The split to train on: of `datasetVersion` when given, else of the most recently split version. */
  private async resolveInputs(auth: AuthContext, request: RunRequest): Promise<RunInputs> {
    const rows = await this.db.query<TransformationRow[]>(
      `SELECT t.id, t.input_version_id, t.outputs FROM dataset_transformations t JOIN dataset_versions v ON v.id = t.input_version_id
        WHERE t.dataset_id = $1 AND t.spec->>'type' = 'split' AND ($2::integer IS NULL OR v.version = $2)
        ORDER BY t.ended_at DESC, t.id LIMIT 1`,
      [request.datasetId, request.datasetVersion ?? null],
    );
    const latest = request.datasetVersion ?? (await this.versions.list(auth, request.datasetId)).at(-1)?.version ?? 1;
    const { dataset } = await this.versions.findAuthorized(auth, request.datasetId, latest, 'read_raw');
    const split = rows[0];
    const noSplit = () =>
      new AssayException('RUN_DATASET_NOT_SPLIT', 'Split the dataset version (a `split` transformation with a `train` output) before training', {
        datasetId: dataset.id,
        ...(request.datasetVersion ? { version: request.datasetVersion } : {}),
      });
    if (!split) throw noSplit();
    const splits: SplitInput[] = [];
    for (const output of split.outputs) {
      const role = SPLIT_ROLES[output.role.toLowerCase()];
      if (!role || splits.some((s) => s.role === role)) continue;
      const version = await this.db.query<{ version: number; row_count: string }[]>(`SELECT version, row_count FROM dataset_versions WHERE id = $1`, [
        output.versionId,
      ]);
      splits.push({
        role,
        versionId: output.versionId,
        version: version[0]!.version,
        tableDigest: output.tableDigest,
        rows: Number(version[0]!.row_count),
      });
    }
    if (!splits.some((s) => s.role === 'train')) throw noSplit();
    const source = await this.db.query<{ version: number }[]>(`SELECT version FROM dataset_versions WHERE id = $1`, [split.input_version_id]);
    return {
      datasetId: dataset.id,
      sourceVersionId: split.input_version_id,
      sourceVersion: source[0]!.version,
      transformationId: split.id,
      splits,
    };
  }

  private async trainColumns(inputs: RunInputs): Promise<string[]> {
    const train = inputs.splits.find((s) => s.role === 'train')!;
    const rows = await this.db.query<{ columns: { name: string }[] }[]>(`SELECT columns FROM dataset_versions WHERE id = $1`, [train.versionId]);
    return rows[0]!.columns.map((c) => c.name);
  }
}
