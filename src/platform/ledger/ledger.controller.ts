import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Auth } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { CheckpointService } from './checkpoint.service';
import {
  ConsistencyProofDto,
  ConsistencyProofQueryDto,
  InclusionProofDto,
  InclusionProofQueryDto,
  LedgerEntriesQueryDto,
  LedgerExportQueryDto,
  LedgerEntryPageDto,
  PublicKeyDto,
} from './ledger.dto';
import { LedgerExportService } from './ledger-export.service';
import { LedgerReadService } from './ledger-read.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly reader: LedgerReadService,
    private readonly checkpoints: CheckpointService,
    private readonly exporter: LedgerExportService,
  ) {}

  @Get('checkpoint')
  @Allow('read', 'Ledger')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The latest signed checkpoint (C2SP tlog-checkpoint, signed-note format).' })
  checkpoint(): Promise<string> {
    return this.checkpoints.latest();
  }

  @Get('entries')
  @Allow('read', 'Ledger')
  @ApiOkResponse({ type: LedgerEntryPageDto })
  entries(@Auth() auth: AuthContext, @Query() query: LedgerEntriesQueryDto): Promise<LedgerEntryPageDto> {
    return this.reader.entries(auth, query);
  }

  @Get('proofs/inclusion')
  @Allow('read', 'Ledger')
  @ApiOkResponse({ type: InclusionProofDto })
  inclusion(@Query() query: InclusionProofQueryDto): Promise<InclusionProofDto> {
    return this.reader.inclusionProof(query.index, query.treeSize);
  }

  @Get('proofs/consistency')
  @Allow('read', 'Ledger')
  @ApiOkResponse({ type: ConsistencyProofDto })
  consistency(@Query() query: ConsistencyProofQueryDto): Promise<ConsistencyProofDto> {
    return this.reader.consistencyProof(query.from, query.to);
  }

  @Get('public-key')
  @Allow('read', 'Ledger')
  @ApiOkResponse({ type: PublicKeyDto })
  publicKey(): PublicKeyDto {
    return this.checkpoints.publicKey();
  }

  @Get('export')
  @Allow('read', 'Ledger')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({
    description:
      'A range of entries (engineers: their own), each with its RFC 9162 inclusion proof against the latest signed checkpoint, streamed as an attachment. ' +
      'jsonl: a line {"type":"checkpoint","origin","treeSize","rootHash","note"}, then one {"type":"entry","entry","leafHash","inclusionProof"} per entry. ' +
      'csv (RFC 4180, safe against formula injection: a cell beginning with = + - @ tab CR, their full-width forms, or a quote gets a leading quote): ' +
      'index,time,actor_type,actor_id,action,subject_type,subject_id,evidence_digest,data,leaf_hash,inclusion_proof,tree_size,root_hash. ' +
      'Both carry the signed checkpoint, base64, in the Assay-Checkpoint header.',
    content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
    headers: {
      'Assay-Checkpoint': { description: 'Base64 of the signed checkpoint note the proofs verify against.', schema: { type: 'string' } },
      'Content-Disposition': { description: 'attachment; filename="assay-ledger-<from>-<to>.<jsonl|csv>"', schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED, UNKNOWN_FIELD, LEDGER_EXPORT_TOO_LARGE (to − from over the maximum) or LEDGER_PROOF_OUT_OF_RANGE (not 0 ≤ from ≤ to ≤ size).',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  })
  export(@Auth() auth: AuthContext, @Query() query: LedgerExportQueryDto, @Res() response: Response): Promise<void> {
    return this.exporter.export(auth, query, response);
  }
}
