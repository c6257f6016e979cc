import { Module, type OnModuleInit } from '@nestjs/common';
import { EvidenceKindRegistry } from '../../../platform/evidence/evidence-kind.registry';
import { DatasetsModule } from '../../datasets/datasets.module';
import { PrivacyBudgetsController } from './privacy-budgets.controller';
import { PRIVACY_BUDGET_EVIDENCE_KINDS } from './privacy-budgets.evidence-kinds';
import { PrivacyBudgetsService } from './privacy-budgets.service';

/** Privacy budgets of dataset versions, charged by DP-SGD runs, and the ε calculator. */
@Module({
  imports: [DatasetsModule],
  controllers: [PrivacyBudgetsController],
  providers: [PrivacyBudgetsService],
  exports: [PrivacyBudgetsService],
})
export class PrivacyBudgetsModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...PRIVACY_BUDGET_EVIDENCE_KINDS);
  }
}
