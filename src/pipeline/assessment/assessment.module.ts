import { Module, type OnModuleInit } from '@nestjs/common';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { DatasetsModule } from '../datasets/datasets.module';
import { TrainingRunHooks } from '../training/runs/training-run.hooks';
import { TrainingRunsModule } from '../training/runs/training-runs.module';
import { ASSESSMENT_EVIDENCE_KINDS } from './assessment.evidence-kinds';
import { AssessmentController } from './assessment.controller';
import { AssessmentObserver } from './assessment.observer';
import { ExplanationsService } from './explanations.service';
import { ModelReportService } from './model-report.service';
import { ReportPagesService } from './report-pages.service';

/** Measuring models: evaluation, fairness, robustness and explanations of every trained model, and the report. */
@Module({
  imports: [DatasetsModule, TrainingRunsModule],
  controllers: [AssessmentController],
  providers: [AssessmentObserver, ExplanationsService, ModelReportService, ReportPagesService],
  exports: [ExplanationsService, ModelReportService, ReportPagesService],
})
export class AssessmentModule implements OnModuleInit {
  constructor(
    private readonly kinds: EvidenceKindRegistry,
    private readonly hooks: TrainingRunHooks,
    private readonly observer: AssessmentObserver,
  ) {}

  onModuleInit(): void {
    this.kinds.register(...ASSESSMENT_EVIDENCE_KINDS);
    this.hooks.register(this.observer);
  }
}
