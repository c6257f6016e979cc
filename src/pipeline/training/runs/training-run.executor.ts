import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SpanStatusCode } from '@opentelemetry/api';
import { ArtifactStore } from '../../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { EvidenceService, type EvidenceRecord } from '../../../platform/evidence/evidence.service';
import { systemActor } from '../../../platform/ledger/actor';
import { annotateActiveSpan, ATTR, contextFromTraceparent, withSpan } from '../../../platform/observability/tracing/spans';
import { sha256Digest } from '../../../platform/ledger/verification';
import { readTableArtifact } from '../../datasets/table-artifact';
import type { Table } from '../../datasets/table';
import { EnergyMeter, type EnergyMeasurement } from '../../energy';
import type { BackendInfo } from '../engine';
import { trainPrivately, type PrivateTrainResult } from '../differential-privacy';
import { estimateFlops, evaluate, saveModel, train, TrainingError, type EpochMetrics, type EpochReport, type TrainOptions, type TrainResult } from '../model';
import { createModelManifest, signModel } from '../model-signing';
import { fitPreprocessor, PreprocessingError, type FittedPreprocessor, type TransformedTable } from '../preprocessing';
import { LeaseKeeper } from './lease-keeper';
import { loadModelSigningKey, type ModelSigningKey } from './model-signing-key';
import { TrainingEngine } from './training-engine';
import { TrainingRunHooks, type PreparedStageEvidence } from './training-run.hooks';
import { LeaseLostError, type Lease, type RunError, type RunResult, type SplitInput, type TrainingRunRow } from './training-run.record';
import { TrainingRunStore } from './training-run.store';

/** How an execution ended for the worker that ran it. */
export type ExecutionOutcome = 'succeeded' | 'failed' | 'cancelled' | 'suspended' | 'lost';

/** The worker pool's side of a run: it asks runs to stop early when the process shuts down. */
export interface ExecutionControl {
  readonly suspending: boolean;
}

const CHECKPOINT_FORMAT = 'assay.run-checkpoint/v1';
const PREPROCESSOR_JSON = 'preprocessor.json';
const SPEC_JSON = 'spec.json';
const BATCH_EVENT_INTERVAL_MS = 500;

/** A failure that is the run's fault (data, spec, divergence), recorded as `training.failed`. */
class RunFailure extends Error {
  constructor(readonly error: RunError) {
    super(error.message);
  }
}

interface PreparedData {
  preprocessor: FittedPreprocessor;
  train: TransformedTable;
  validation?: TransformedTable;
  test?: TransformedTable;
  tables: Map<SplitInput['role'], Table>;
}

/** What both trainers (SGD and DP-SGD) take from the executor: their epoch reports differ only in the checkpoint they hand back. */
type RunTrainOptions = Omit<TrainOptions, 'onEpoch'> & {
  onEpoch: (epoch: number, report: Omit<EpochReport, 'checkpoint'> & { checkpoint: () => Promise<unknown> }) => Promise<void>;
};

/**
 * Executes one claimed run: loads its splits, fits preprocessing on the training split, trains
 * (resuming from the last epoch checkpoint when an earlier attempt died), measures energy, writes
 * the model, preprocessing and spec as content-addressed artifacts, signs an OMS manifest over
 * them, and finishes the run with its evidence in one transaction fenced on the lease — so a run
 * ends once, with one model, however many workers touched it.
 */
@Injectable()
export class TrainingRunExecutor {
  private readonly logger = new Logger(TrainingRunExecutor.name);
  private signingKey: ModelSigningKey | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: TrainingRunStore,
    private readonly artifacts: ArtifactStore,
    private readonly evidence: EvidenceService,
    private readonly engine: TrainingEngine,
    private readonly hooks: TrainingRunHooks,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** One attempt at a run, as the `assay.train` span: a child of the request that queued the run (its stored traceparent), in that trace. */
  execute(run: TrainingRunRow, lease: Lease, control: ExecutionControl): Promise<ExecutionOutcome> {
    const attributes = {
      [ATTR.runId]: run.id,
      [ATTR.runAttempt]: lease.attempt,
      [ATTR.datasetId]: run.dataset_id,
      [ATTR.modelType]: run.spec.model.type,
      'assay.run.resumed_from_epoch': run.checkpoint_digest ? run.epochs_completed : 0,
    };
    const parent = run.trace_context ? { parent: contextFromTraceparent(run.trace_context) } : {};
    return withSpan(
      'assay.train',
      attributes,
      async (span) => {
        const outcome = await this.attempt(run, lease, control);
        span.setAttribute(ATTR.runOutcome, outcome);
        if (outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: 'The run failed' });
        return outcome;
      },
      parent,
    );
  }

  private async attempt(run: TrainingRunRow, lease: Lease, control: ExecutionControl): Promise<ExecutionOutcome> {
    const keeper = new LeaseKeeper(this.store, lease, this.config.ASSAY_RUN_LEASE_MS);
    await keeper.beat();
    if (keeper.lost) return 'lost';
    const checkpoints: string[] = run.checkpoint_digest ? [run.checkpoint_digest] : [];
    const startEpoch = run.checkpoint_digest ? run.epochs_completed : 0;
    if (keeper.cancelRequested) return this.finishStopped(lease, run, checkpoints, 'cancelled', undefined, startEpoch);

    let meter: EnergyMeter | undefined;
    let trained: TrainResult | undefined;
    try {
      const backend = await this.engine.ready();
      const data = await this.prepare(run);
      const initialWeights = run.checkpoint_digest ? await this.readCheckpoint(run) : undefined;
      const spec = run.spec.model;
      const classes = data.preprocessor.outputClasses;
      const flops = estimateFlops(spec, data.preprocessor.featureCount, classes);
      meter = new EnergyMeter({
        estimatedFlops: flops.trainingFlopsPerSample * data.train.rows * Math.max(0, spec.training.epochs - startEpoch),
        ...(this.config.ASSAY_ENERGY_TDP_PER_CORE_W ? { tdpPerCoreW: this.config.ASSAY_ENERGY_TDP_PER_CORE_W } : {}),
        pue: this.config.ASSAY_ENERGY_PUE,
        ...(this.config.ASSAY_GRID_INTENSITY ? { gridIntensity: this.config.ASSAY_GRID_INTENSITY } : {}),
      });
      meter.start();
      await this.store.appendFencedEvent(lease, 'started', {
        attempt: lease.attempt,
        resumedFromEpoch: startEpoch,
        backend: backend.name,
      });
      let lastBatchEvent = 0;
      const options: RunTrainOptions = {
        spec,
        x: data.train.x,
        y: data.train.y!,
        classes,
        ...(data.validation ? { xVal: data.validation.x, yVal: data.validation.y! } : {}),
        ...(initialWeights === undefined ? {} : { initialWeights }),
        onBatch: async (report) => {
          await keeper.tick();
          const now = Date.now();
          if (now - lastBatchEvent >= BATCH_EVENT_INTERVAL_MS || report.batch === report.batches - 1) {
            lastBatchEvent = now;
            await this.store.appendFencedEvent(lease, 'batch', {
              ...report,
              epochs: spec.training.epochs,
            });
          }
        },
        onEpoch: async (epoch, report) => {
          const checkpoint = await report.checkpoint();
          const bytes = Buffer.from(
            JSON.stringify({
              format: CHECKPOINT_FORMAT,
              runId: run.id,
              epochsCompleted: epoch + 1,
              checkpoint,
            }),
          );
          const { digest } = await this.artifacts.put(bytes);
          await this.store.saveCheckpoint(lease, epoch + 1, digest, {
            epoch,
            epochs: spec.training.epochs,
            loss: report.loss,
            accuracy: report.metrics.accuracy,
            ...(report.valLoss === undefined ? {} : { valLoss: report.valLoss }),
            ...(report.metrics.valAccuracy === undefined ? {} : { valAccuracy: report.metrics.valAccuracy }),
          });
          // The previous checkpoint is superseded; it served only for resuming.
          for (const old of checkpoints.splice(0)) if (old !== digest) await this.artifacts.delete(old);
          checkpoints.push(digest);
        },
        shouldStop: () => keeper.cancelRequested || keeper.lost || control.suspending,
      };
      const dp = run.spec.differentialPrivacy;
      trained = dp ? await trainPrivately({ ...options, dp }) : await train(options);
      const measurement = await meter.stop();
      meter = undefined;
      if (keeper.lost) return 'lost';
      if (trained.cancelled) {
        if (!keeper.cancelRequested && control.suspending) {
          await this.store.release(lease);
          return 'suspended';
        }
        return await this.finishStopped(lease, run, checkpoints, 'cancelled', measurement, startEpoch);
      }
      return await this.finishSucceeded(lease, run, { data, trained, backend, measurement, startEpoch, flops }, checkpoints);
    } catch (error) {
      const measurement = meter ? await meter.stop().catch(() => undefined) : undefined;
      if (error instanceof LeaseLostError) return 'lost';
      return await this.finishStopped(lease, run, checkpoints, 'failed', measurement, startEpoch, this.asRunError(error));
    } finally {
      trained?.model.dispose();
    }
  }

  /** What the run's record says about a failure: the library's code, or an internal error (logged in full here). */
  private asRunError(error: unknown): RunError {
    if (error instanceof RunFailure) return error.error;
    if (error instanceof TrainingError || error instanceof PreprocessingError) {
      return {
        code: error.code,
        message: error.message,
        details: JSON.parse(JSON.stringify(error.details ?? {})) as Record<string, unknown>,
      };
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return {
      code: 'TRAINING_INTERNAL_ERROR',
      message: error instanceof Error ? error.message : String(error),
    };
  }

  private async prepare(run: TrainingRunRow): Promise<PreparedData> {
    const tables = new Map<SplitInput['role'], Table>();
    for (const split of run.inputs.splits) {
      if (!(await this.artifacts.has(split.tableDigest))) {
        throw new RunFailure({
          code: 'DATASET_MISSING',
          message: `The ${split.role} split (dataset version ${split.version}) is no longer in the artifact store`,
          details: {
            role: split.role,
            versionId: split.versionId,
            tableDigest: split.tableDigest,
          },
        });
      }
      tables.set(split.role, await readTableArtifact(this.artifacts, split.tableDigest));
    }
    const trainTable = tables.get('train')!;
    const preprocessor = fitPreprocessor(trainTable, run.spec.preprocessing);
    const transform = (role: SplitInput['role']): TransformedTable | undefined => {
      const table = tables.get(role);
      if (!table) return undefined;
      const transformed = preprocessor.transform(table);
      if (!transformed.y)
        throw new RunFailure({
          code: 'LABEL_MISSING',
          message: `The ${role} split has no label column`,
          details: { role },
        });
      return transformed;
    };
    const trainData = transform('train')!;
    if (trainData.rows === 0)
      throw new RunFailure({
        code: 'DATASET_EMPTY',
        message: 'The training split has no rows',
      });
    const validation = transform('validation');
    const test = transform('test');
    return {
      preprocessor,
      train: trainData,
      tables,
      ...(validation ? { validation } : {}),
      ...(test ? { test } : {}),
    };
  }

  private async readCheckpoint(run: TrainingRunRow): Promise<unknown> {
    const saved = JSON.parse((await this.artifacts.read(run.checkpoint_digest!)).toString('utf8')) as { format?: string; runId?: string; checkpoint?: unknown };
    if (saved.format !== CHECKPOINT_FORMAT || saved.runId !== run.id) throw new Error(`Checkpoint ${run.checkpoint_digest} does not belong to run ${run.id}`);
    return saved.checkpoint;
  }

  private async finishSucceeded(
    lease: Lease,
    run: TrainingRunRow,
    outcome: {
      data: PreparedData;
      trained: TrainResult;
      backend: BackendInfo;
      measurement: EnergyMeasurement;
      startEpoch: number;
      flops: ReturnType<typeof estimateFlops>;
    },
    checkpoints: string[],
  ): Promise<ExecutionOutcome> {
    const { data, trained, backend, measurement } = outcome;
    let testMetrics: { loss: number; accuracy: number; rows: number } | null = null;
    const written: string[] = [];
    try {
      if (data.test)
        testMetrics = {
          ...evaluate(trained.model, {
            x: data.test.x,
            y: data.test.y!,
            classes: data.preprocessor.outputClasses,
          }),
          rows: data.test.rows,
        };
      const model = await saveModel(trained.model, {
        metadata: { assay: { runId: run.id, specDigest: trained.specDigest } },
      });
      const files = [
        ...model.files,
        {
          path: PREPROCESSOR_JSON,
          bytes: Buffer.from(data.preprocessor.canonicalJson(), 'utf8'),
        },
        {
          path: SPEC_JSON,
          bytes: Buffer.from(JSON.stringify(run.spec, null, 2), 'utf8'),
        },
      ];
      const artifacts: RunResult['artifacts'] = [];
      for (const file of files) {
        const stored = await this.artifacts.put(file.bytes);
        written.push(stored.digest);
        artifacts.push({
          path: file.path,
          digest: stored.digest,
          size: stored.size,
        });
      }
      const statement = createModelManifest(
        artifacts.map((a) => ({
          path: a.path,
          sha256: a.digest.slice('sha256:'.length),
        })),
        { name: `assay-run-${run.id}` },
      );
      const key = (this.signingKey ??= loadModelSigningKey(this.config));
      const bundle = signModel(statement, { privateKey: key.privateKey });
      const signature = await this.artifacts.put(Buffer.from(JSON.stringify(bundle), 'utf8'));
      written.push(signature.digest);
      const modelDigest = sha256Digest(statement);
      annotateActiveSpan({ [ATTR.modelDigest]: modelDigest });
      const stages: PreparedStageEvidence[] = [];
      for (const observer of this.hooks.observers) {
        const encoded = new Map<SplitInput['role'], TransformedTable>([['train', data.train]]);
        if (data.validation) encoded.set('validation', data.validation);
        if (data.test) encoded.set('test', data.test);
        stages.push(
          await observer.afterTraining({ run, model: trained.model, preprocessor: data.preprocessor, tables: data.tables, encoded, modelDigest, artifacts }),
        );
      }

      await this.db.transaction(async (tx) => {
        const energy = await this.recordEnergy(tx, run, lease, measurement, outcome.startEpoch, trained.epochsCompleted);
        const completed = await this.evidence.record(tx, {
          kind: 'training.completed',
          subject: { type: 'training_run', id: run.id },
          actor: systemActor('worker'),
          subjectOwnerId: run.owner_id,
          body: JSON.parse(
            JSON.stringify({
              runId: run.id,
              inputs: run.inputs,
              spec: run.spec,
              specDigest: run.spec_digest,
              modelSpecDigest: trained.specDigest,
              preprocessorDigest: data.preprocessor.digest(),
              backend,
              seed: trained.seed,
              epochs: {
                completed: trained.epochsCompleted,
                stoppedEarly: trained.stoppedEarly,
                bestEpoch: trained.bestEpoch,
                weightsEpoch: trained.weightsEpoch,
              },
              history: trained.history satisfies EpochMetrics[],
              testMetrics,
              flops: { ...outcome.flops, layers: undefined },
              artifacts,
              modelDigest,
              signature: {
                digest: signature.digest,
                format: 'oms/v1.0 sigstore bundle (DSSE, in-toto Statement v1)',
                keyHint: key.hint,
                algorithm: key.algorithm,
              },
              energyEvidence: energy.digest,
              attempts: lease.attempt,
              ...('privacy' in trained ? { differentialPrivacy: (trained as PrivateTrainResult).privacy } : {}),
            }),
          ) as Record<string, unknown>,
        });
        for (const stage of stages) await stage.record(tx, completed);
        await this.store.finish(tx, lease, {
          state: 'succeeded',
          result: {
            modelDigest,
            artifacts,
            signatureDigest: signature.digest,
            trainingEvidence: completed.digest,
            energyEvidence: energy.digest,
            testMetrics: testMetrics && {
              loss: testMetrics.loss,
              accuracy: testMetrics.accuracy,
            },
          },
        });
      });
    } catch (error) {
      await this.deleteUnreferenced(written);
      throw error;
    }
    await this.deleteAll(checkpoints);
    return 'succeeded';
  }

  private async finishStopped(
    lease: Lease,
    run: TrainingRunRow,
    checkpoints: string[],
    state: 'failed' | 'cancelled',
    measurement: EnergyMeasurement | undefined,
    startEpoch: number,
    error: RunError = {
      code: 'RUN_CANCELLED',
      message: 'The run was cancelled',
    },
  ): Promise<ExecutionOutcome> {
    const current = await this.store.find(run.id);
    const epochsCompleted = current?.epochs_completed ?? run.epochs_completed;
    await this.db.transaction(async (tx) => {
      const energy = measurement ? await this.recordEnergy(tx, run, lease, measurement, startEpoch, epochsCompleted) : undefined;
      await this.evidence.record(tx, {
        kind: state === 'failed' ? 'training.failed' : 'training.cancelled',
        subject: { type: 'training_run', id: run.id },
        actor: systemActor('worker'),
        subjectOwnerId: run.owner_id,
        body: {
          runId: run.id,
          attempt: lease.attempt,
          ...(state === 'failed' ? { error } : {}),
          epochsCompleted,
          ...(energy ? { energyEvidence: energy.digest } : {}),
        },
      });
      await this.store.finish(tx, lease, { state, error });
    });
    if (state === 'failed') {
      annotateActiveSpan({ 'assay.run.error_code': error.code });
      this.logger.warn(`Run ${run.id} failed: ${error.code} ${error.message}`);
    }
    await this.deleteAll(checkpoints);
    return state;
  }

  private recordEnergy(
    tx: EntityManager,
    run: TrainingRunRow,
    lease: Lease,
    measurement: EnergyMeasurement,
    fromEpoch: number,
    toEpoch: number,
  ): Promise<EvidenceRecord> {
    return this.evidence.record(tx, {
      kind: 'energy.measured',
      subject: { type: 'training_run', id: run.id },
      actor: systemActor('worker'),
      subjectOwnerId: run.owner_id,
      body: JSON.parse(
        JSON.stringify({
          stage: 'training',
          subject: { type: 'training_run', id: run.id },
          coverage: { attempt: lease.attempt, fromEpoch, toEpoch },
          measurement,
        }),
      ) as Record<string, unknown>,
    });
  }

  private async deleteAll(digests: readonly string[]): Promise<void> {
    for (const digest of digests) await this.artifacts.delete(digest);
  }

  /** Artifacts this attempt wrote that no finished run records (identical bytes may belong to another run). */
  private async deleteUnreferenced(digests: readonly string[]): Promise<void> {
    const referenced = await this.store.referencedArtifacts(digests);
    await this.deleteAll(digests.filter((digest) => !referenced.has(digest)));
  }
}
