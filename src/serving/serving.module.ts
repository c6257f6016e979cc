import { Module, type OnModuleInit } from '@nestjs/common';
import { EvidenceKindRegistry } from '../platform/evidence/evidence-kind.registry';
import { DatasetsModule } from '../pipeline/datasets/datasets.module';
import { TrainingRunsModule } from '../pipeline/training/runs/training-runs.module';
import { RegistryModule } from '../governance/registry/registry.module';
import { DecisionBatcher } from './decision-log/decision-batcher';
import { DecisionLogWriter } from './decision-log/decision-log.writer';
import { DecisionProofsService } from './decision-log/decision-proofs.service';
import { MonitoringController } from './monitoring/monitoring.controller';
import { MonitoringScheduler } from './monitoring/monitoring.scheduler';
import { MonitoringService } from './monitoring/monitoring.service';
import { WebhookDispatcher } from './monitoring/webhooks/webhook-dispatcher';
import { PredictionsController } from './predictions/predictions.controller';
import { PredictionsService } from './predictions/predictions.service';
import { ServedModels } from './predictions/served-models';
import { ServingMetrics } from './predictions/serving.metrics';
import { SERVING_EVIDENCE_KINDS } from './serving.evidence-kinds';

/** Serving promoted models, the decision log and post-market monitoring. */
@Module({
  imports: [DatasetsModule, TrainingRunsModule, RegistryModule],
  controllers: [PredictionsController, MonitoringController],
  providers: [
    ServedModels,
    PredictionsService,
    DecisionLogWriter,
    DecisionBatcher,
    DecisionProofsService,
    ServingMetrics,
    MonitoringService,
    MonitoringScheduler,
    WebhookDispatcher,
  ],
  exports: [DecisionBatcher, MonitoringService],
})
export class ServingModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...SERVING_EVIDENCE_KINDS);
  }
}
