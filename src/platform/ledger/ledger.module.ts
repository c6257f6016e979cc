import { Module } from '@nestjs/common';
import { CheckpointService } from './checkpoint.service';
import { LedgerAuditService } from './ledger-audit.service';
import { LedgerExportService } from './ledger-export.service';
import { LedgerReadService } from './ledger-read.service';
import { LedgerController } from './ledger.controller';
import { LedgerMetrics } from './ledger.metrics';
import { LedgerService } from './ledger.service';

@Module({
  controllers: [LedgerController],
  providers: [LedgerService, LedgerReadService, CheckpointService, LedgerAuditService, LedgerExportService, LedgerMetrics],
  exports: [LedgerService, CheckpointService, LedgerAuditService],
})
export class LedgerModule {}
