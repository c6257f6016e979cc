import { Module, type OnModuleInit } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { EvidenceKindRegistry } from '../../../platform/evidence/evidence-kind.registry';
import { DatasetsModule } from '../../datasets/datasets.module';
import { PrivacyBudgetsModule } from '../privacy-budgets/privacy-budgets.module';
import { EnergyMetrics } from './energy.metrics';
import { BullmqRunDispatch, LocalRunDispatch, RunDispatch } from './run-dispatch';
import { TrainingEngine } from './training-engine';
import { TrainingRunHooks } from './training-run.hooks';
import { TrainedModelCache } from './trained-model.cache';
import { TRAINING_EVIDENCE_KINDS } from './training.evidence-kinds';
import { TrainingRunExecutor } from './training-run.executor';
import { TrainingRunStore } from './training-run.store';
import { TrainingRunsController } from './training-runs.controller';
import { TrainingRunMetrics } from './training-runs.metrics';
import { TrainingRunsService } from './training-runs.service';
import { TrainingWorkerPool } from './training-worker.pool';

/** Training runs: the API, the queue (in-process, or BullMQ with REDIS_URL) and the workers. */
@Module({
  imports: [DatasetsModule, PrivacyBudgetsModule],
  controllers: [TrainingRunsController],
  providers: [
    TrainingRunStore,
    TrainingRunsService,
    TrainingEngine,
    TrainingRunExecutor,
    TrainingWorkerPool,
    TrainingRunHooks,
    TrainedModelCache,
    TrainingRunMetrics,
    EnergyMetrics,
    {
      provide: RunDispatch,
      inject: [ASSAY_CONFIG, TrainingRunStore],
      useFactory: (config: AssayConfig, store: TrainingRunStore): RunDispatch =>
        config.REDIS_URL
          ? new BullmqRunDispatch(config.REDIS_URL, config.ASSAY_RUN_LEASE_MS, store, config.ASSAY_QUEUE_PREFIX)
          : new LocalRunDispatch(config.ASSAY_RUN_POLL_MS),
    },
  ],
  exports: [TrainingRunsService, TrainingWorkerPool, TrainingRunStore, TrainingRunHooks, TrainingEngine, TrainedModelCache],
})
export class TrainingRunsModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...TRAINING_EVIDENCE_KINDS);
  }
}
