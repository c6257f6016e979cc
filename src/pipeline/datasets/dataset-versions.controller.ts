import { Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { DatasetVersionListDto, DatasetVersionResponseDto, IngestQueryDto } from './dataset-version.dto';
import { DatasetVersionsService } from './dataset-versions.service';

@ApiTags('datasets')
@ApiBearerAuth()
@Controller('datasets/:id/versions')
export class DatasetVersionsController {
  constructor(private readonly versions: DatasetVersionsService) {}

  @Post()
  @Allow('update', 'Dataset')
  @ApiConsumes('text/csv', 'text/tab-separated-values', 'text/plain', 'application/gzip', 'application/octet-stream')
  @ApiBody({ description: 'The file itself (not multipart), streamed; gzip is inflated under limits.', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: DatasetVersionResponseDto, description: '201 for a new version; 200 when the same bytes read the same way are already one.' })
  async upload(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: IngestQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DatasetVersionResponseDto> {
    const version = await this.versions.upload(auth, id, query, request);
    response.status(version.created ? 201 : 200);
    return version;
  }

  @Get()
  @Allow('read', 'Dataset')
  @ApiOkResponse({ type: DatasetVersionListDto })
  async list(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<DatasetVersionListDto> {
    return { items: await this.versions.list(auth, id) };
  }

  @Get(':version')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ type: DatasetVersionResponseDto })
  get(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<DatasetVersionResponseDto> {
    return this.versions.get(auth, id, version);
  }
}
