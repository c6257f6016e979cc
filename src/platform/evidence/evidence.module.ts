import { Global, Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { EvidenceKindRegistry } from './evidence-kind.registry';
import { EvidenceController } from './evidence.controller';
import { EvidenceService } from './evidence.service';

/** Global: every module that records evidence uses the one registry and service. */
@Global()
@Module({
  imports: [LedgerModule],
  controllers: [EvidenceController],
  providers: [EvidenceKindRegistry, EvidenceService],
  exports: [EvidenceKindRegistry, EvidenceService, LedgerModule],
})
export class EvidenceModule {}
