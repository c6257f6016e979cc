import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import type { EvidenceRecord } from '../../platform/evidence/evidence.service';
import { MAX_PREVIEW_ROWS, PrivacyService, type PreviewView } from './privacy.service';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('datasets/:id/versions/:version')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('privacy')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ description: 'The latest privacy.scanned evidence record of the version.' })
  scan(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<EvidenceRecord> {
    return this.privacy.latestScan(auth, id, version);
  }

  @Get('preview')
  @Allow('read', 'Dataset')
  @ApiQuery({ name: 'limit', required: false, description: `Rows, at most ${MAX_PREVIEW_ROWS} (default 20)` })
  @ApiOkResponse({ description: 'First rows: raw for the owner (recorded in the ledger), PII columns masked for everyone else.' })
  preview(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number,
  ): Promise<PreviewView> {
    if (limit < 1 || limit > MAX_PREVIEW_ROWS) throw new AssayException('VALIDATION_FAILED', `limit must be 1..${MAX_PREVIEW_ROWS}`);
    return this.privacy.preview(auth, id, version, limit);
  }
}
