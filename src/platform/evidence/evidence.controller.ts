import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Allow, Auth } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { AssayException } from '../errors/assay.exception';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../http/pagination';
import { EvidenceService, type EvidenceRecord } from './evidence.service';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export class EvidenceQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subjectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) subjectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) kind?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,16}$/)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

export class EvidenceRecordDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() kindVersion!: number;
  @ApiProperty() subject!: { type: string; id: string };
  @ApiProperty({ type: 'object', additionalProperties: true }) body!: Record<string, unknown>;
  @ApiProperty({ description: 'sha256:<hex> over the RFC 8785 canonical JSON of body.' }) digest!: string;
  @ApiProperty() producer!: string;
  @ApiProperty() actor!: { type: 'user' | 'system'; id: string };
  @ApiProperty({ type: String, nullable: true }) supersedes!: string | null;
  @ApiProperty() ledgerIndex!: number;
  @ApiProperty() createdAt!: string;
}

export class EvidencePageDto {
  @ApiProperty({ type: [EvidenceRecordDto] }) items!: EvidenceRecord[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class EvidenceByDigestDto {
  @ApiProperty() digest!: string;
  @ApiProperty({ type: [EvidenceRecordDto] }) records!: EvidenceRecord[];
}

@ApiTags('evidence')
@ApiBearerAuth()
@Controller('evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get()
  @Allow('read', 'Evidence')
  @ApiOkResponse({ type: EvidencePageDto })
  list(@Auth() auth: AuthContext, @Query() query: EvidenceQueryDto): Promise<EvidencePageDto> {
    return this.evidence.page(auth, query);
  }

  @Get(':digest')
  @Allow('read', 'Evidence')
  @ApiOkResponse({ type: EvidenceByDigestDto })
  async byDigest(@Auth() auth: AuthContext, @Param('digest') digest: string): Promise<EvidenceByDigestDto> {
    if (!DIGEST.test(digest)) throw new AssayException('VALIDATION_FAILED', 'digest must be sha256:<64 hex>');
    return { digest, records: await this.evidence.byDigest(auth, digest) };
  }
}
