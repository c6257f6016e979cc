/** A training run as stored (`training_runs`) and as the API shows it. */
import type { RunSpec } from './run-request';

export const RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const FINAL_STATES: readonly RunState[] = ['succeeded', 'failed', 'cancelled'];

/** One split output the run reads. */
export interface SplitInput {
  role: 'train' | 'validation' | 'test';
  versionId: string;
  version: number;
  tableDigest: string;
  rows: number;
}

/** Where the data comes from: the split transformation of a dataset version, and the outputs used. */
export interface RunInputs {
  datasetId: string;
  sourceVersionId: string;
  sourceVersion: number;
  transformationId: string;
  splits: SplitInput[];
}

/** The latest epoch's figures, shown while running. */
export interface RunProgress {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface RunResult {
  modelDigest: string;
  artifacts: { path: string; digest: string; size: number }[];
  signatureDigest: string;
  trainingEvidence: string;
  energyEvidence: string;
  testMetrics: { loss: number; accuracy: number } | null;
}

export interface RunError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface TrainingRunRow {
  id: string;
  owner_id: string;
  name: string;
  state: RunState;
  idempotency_key: string | null;
  request_digest: string;
  dataset_id: string;
  inputs: RunInputs;
  spec: RunSpec;
  spec_digest: string;
  attempt: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  cancel_requested: boolean;
  epochs_completed: number;
  checkpoint_digest: string | null;
  progress: RunProgress | null;
  result: RunResult | null;
  error: RunError | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
  /** W3C traceparent of the request that queued the run (its worker's `train` span joins that trace); null when untraced. */
  trace_context: string | null;
}

export interface RunView {
  id: string;
  name: string;
  ownerId: string;
  state: RunState;
  datasetId: string;
  inputs: RunInputs;
  spec: RunSpec;
  specDigest: string;
  attempt: number;
  cancelRequested: boolean;
  epochsCompleted: number;
  progress: RunProgress | null;
  result: RunResult | null;
  error: RunError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const toRunView = (row: TrainingRunRow): RunView => ({
  id: row.id,
  name: row.name,
  ownerId: row.owner_id,
  state: row.state,
  datasetId: row.dataset_id,
  inputs: row.inputs,
  spec: row.spec,
  specDigest: row.spec_digest,
  attempt: row.attempt,
  cancelRequested: row.cancel_requested,
  epochsCompleted: row.epochs_completed,
  progress: row.progress,
  result: row.result,
  error: row.error,
  createdAt: row.created_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/** A worker's hold on a run: every write it makes is fenced on all three. */
export interface Lease {
  runId: string;
  owner: string;
  attempt: number;
}

/** Thrown when a fenced write finds the lease gone (expired and taken over, or the run cancelled). */
export class LeaseLostError extends Error {
  constructor(readonly lease: Lease) {
    super(`Run ${lease.runId}: the lease of attempt ${lease.attempt} held by ${lease.owner} is gone`);
    this.name = 'LeaseLostError';
  }
}
