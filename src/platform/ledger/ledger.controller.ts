import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { CheckpointService } from './checkpoint.service';
import {
  ConsistencyProofDto,
  ConsistencyProofQueryDto,
  InclusionProofDto,
  InclusionProofQueryDto,
  LedgerEntriesQueryDto,
  LedgerEntryPageDto,
  PublicKeyDto,
} from './ledger.dto';
import { LedgerReadService } from './ledger-read.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly reader: LedgerReadService,
    private readonly checkpoints: CheckpointService,
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
}
