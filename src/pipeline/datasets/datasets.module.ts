import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceKindRegistry } from '../../platform/evidence/evidence-kind.registry';
import { DatasetVersion } from './dataset-version.entity';
import { Dataset } from './dataset.entity';
import { DatasetsController } from './datasets.controller';
import { DATASET_EVIDENCE_KINDS } from './datasets.evidence-kinds';
import { DatasetsService } from './datasets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Dataset, DatasetVersion])],
  controllers: [DatasetsController],
  providers: [DatasetsService],
  exports: [DatasetsService],
})
export class DatasetsModule implements OnModuleInit {
  constructor(private readonly kinds: EvidenceKindRegistry) {}

  onModuleInit(): void {
    this.kinds.register(...DATASET_EVIDENCE_KINDS);
  }
}
