import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { DatasetVersionHooks } from '../datasets/dataset-version.hooks';
import { DatasetsModule } from '../datasets/datasets.module';
import { PrivacyScanObserver } from './privacy-scan.observer';
import { PrivacyController } from './privacy.controller';
import { PRIVACY_EVIDENCE_KINDS } from './privacy.evidence-kinds';
import { PrivacyService } from './privacy.service';

/** The privacy stage: scans every dataset version as it streams in, and masks what others see. */
@Module({
  imports: [DatasetsModule],
  controllers: [PrivacyController],
  providers: [PrivacyService],
})
export class PrivacyModule implements OnModuleInit {
  constructor(
    private readonly kinds: EvidenceKindRegistry,
    private readonly hooks: DatasetVersionHooks,
    private readonly evidence: EvidenceService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(...PRIVACY_EVIDENCE_KINDS);
    const thresholds = { k: this.config.ASSAY_PRIVACY_K_THRESHOLD, l: this.config.ASSAY_PRIVACY_L_THRESHOLD };
    this.hooks.register((context) => new PrivacyScanObserver(context, this.evidence, thresholds));
  }
}
