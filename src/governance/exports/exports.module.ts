import { Module, type OnModuleInit } from '@nestjs/common';
import { AssessmentModule } from '../../pipeline/assessment/assessment.module';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { LedgerModule } from '../../platform/ledger/ledger.module';
import { PoliciesModule } from '../policy-packs/policies.module';
import { PromotionModule } from '../promotion/promotion.module';
import { RegistryModule } from '../registry/registry.module';
import { EvidenceBundleController } from './evidence-bundle.controller';
import { EvidenceBundleService } from './evidence-bundle.service';
import { EXPORTS_EVIDENCE_KINDS } from './exports.evidence-kinds';
import { ModelDossierCollector } from './model-dossier.collector';

/** Regulator exports: signed evidence bundles with the standard documents (model card, ML-BOM, lineage, Annex IV). */
@Module({
  imports: [RegistryModule, PromotionModule, PoliciesModule, AssessmentModule, LedgerModule],
  controllers: [EvidenceBundleController],
  providers: [EvidenceBundleService, ModelDossierCollector],
})
export class ExportsModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...EXPORTS_EVIDENCE_KINDS);
  }
}
