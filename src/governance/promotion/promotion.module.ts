import { Module, type OnModuleInit } from '@nestjs/common';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { PoliciesModule } from '../policy-packs/policies.module';
import { RegistryModule } from '../registry/registry.module';
import { AliasesService } from './aliases.service';
import { EvidenceDocumentBuilder } from './evidence-document.builder';
import { PROMOTION_EVIDENCE_KINDS } from './promotion.evidence-kinds';
import { PromotionsController } from './promotions.controller';
import { PromotionMetrics } from './promotion.metrics';
import { PromotionsService } from './promotions.service';
import { WaiversService } from './waivers.service';

/** The promotion gate: policy decisions on the evidence document, human approval, aliases, waivers. */
@Module({
  imports: [RegistryModule, PoliciesModule],
  controllers: [PromotionsController],
  providers: [PromotionsService, AliasesService, WaiversService, EvidenceDocumentBuilder, PromotionMetrics],
  exports: [AliasesService, EvidenceDocumentBuilder],
})
export class PromotionModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...PROMOTION_EVIDENCE_KINDS);
  }
}
