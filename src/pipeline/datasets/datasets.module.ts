import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { DatasetDerivationController } from './dataset-derivation.controller';
import { DatasetLineageService } from './dataset-lineage.service';
import { DatasetTransformationsService } from './dataset-transformations.service';
import { DatasetVersionHooks } from './dataset-version.hooks';
import { DatasetVersion } from './dataset-version.entity';
import { DatasetVersionsController } from './dataset-versions.controller';
import { DatasetVersionsService } from './dataset-versions.service';
import { Dataset } from './dataset.entity';
import { DatasetsController } from './datasets.controller';
import { DATASET_EVIDENCE_KINDS } from './datasets.evidence-kinds';
import { DatasetsService } from './datasets.service';
import { DATASHEET_RECORDED_KIND } from './datasheet';
import { DatasheetsService } from './datasheets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Dataset, DatasetVersion])],
  controllers: [DatasetsController, DatasetVersionsController, DatasetDerivationController],
  providers: [DatasetsService, DatasetVersionsService, DatasetVersionHooks, DatasheetsService, DatasetTransformationsService, DatasetLineageService],
  exports: [DatasetsService, DatasetVersionsService, DatasetVersionHooks, DatasheetsService],
})
export class DatasetsModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...DATASET_EVIDENCE_KINDS, DATASHEET_RECORDED_KIND);
  }
}
