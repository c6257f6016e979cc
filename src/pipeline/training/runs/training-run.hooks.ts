import { Injectable } from '@nestjs/common';
import type * as tf from '@tensorflow/tfjs';
import type { EntityManager } from 'typeorm';
import type { EvidenceRecord } from '../../../platform/evidence/evidence.service';
import type { Table } from '../../datasets/table';
import type { FittedPreprocessor, TransformedTable } from '../preprocessing';
import type { TrainingRunRow } from './training-run.record';

/** What a later stage sees of a freshly trained model, before the run is finished. */
export interface TrainedModelContext {
  run: TrainingRunRow;
  model: tf.LayersModel;
  preprocessor: FittedPreprocessor;
  /** Raw split tables by role (`train`, `validation`, `test`), as read from the artifact store. */
  tables: ReadonlyMap<'train' | 'validation' | 'test', Table>;
  /** The same splits encoded by the preprocessor. */
  encoded: ReadonlyMap<'train' | 'validation' | 'test', TransformedTable>;
  modelDigest: string;
  artifacts: readonly { path: string; digest: string; size: number }[];
}

/** Evidence a stage prepared outside any transaction, recorded inside the run's finishing one. */
export interface PreparedStageEvidence {
  record(tx: EntityManager, trainingCompleted: EvidenceRecord): Promise<EvidenceRecord[]>;
}

/** A later pipeline stage (evaluation, explanations) that must run on every trained model. */
export interface TrainedModelObserver {
  readonly stage: string;
  afterTraining(context: TrainedModelContext): Promise<PreparedStageEvidence>;
}

/**
 * Lets later stages act on a trained model without training importing them (DESIGN.md: a stage
 * imports only the stages before it). Observers run in registration order after the artifacts
 * are written; their evidence commits in the transaction that finishes the run, so a run that
 * succeeded always has it, and a run resumed after a crash records it once.
 */
@Injectable()
export class TrainingRunHooks {
  private readonly registered: TrainedModelObserver[] = [];

  register(observer: TrainedModelObserver): void {
    if (this.registered.some((o) => o.stage === observer.stage)) throw new Error(`A ${observer.stage} observer is registered already`);
    this.registered.push(observer);
  }

  get observers(): readonly TrainedModelObserver[] {
    return this.registered;
  }
}
