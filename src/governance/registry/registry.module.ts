import { Module, type OnModuleInit } from '@nestjs/common';
import { AssessmentModule } from '../../pipeline/assessment/assessment.module';
import { TrainingRunsModule } from '../../pipeline/training/runs/training-runs.module';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { RegistryController } from './registry.controller';
import { REGISTRY_EVIDENCE_KINDS } from './registry.evidence-kinds';
import { RegistryService } from './registry.service';

/** Registered models and model versions (MLflow's vocabulary); aliases and promotions build on it. */
@Module({
  imports: [TrainingRunsModule, AssessmentModule],
  controllers: [RegistryController],
  providers: [RegistryService],
  exports: [RegistryService],
})
export class RegistryModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...REGISTRY_EVIDENCE_KINDS);
  }
}
