import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { PageQueryDto } from '../../platform/http/pagination';
import { CreateDatasetDto, DatasetPageDto, DatasetResponseDto } from './dataset.dto';
import { DatasetsService } from './datasets.service';

@ApiTags('datasets')
@ApiBearerAuth()
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Get()
  @Allow('read', 'Dataset')
  @ApiOkResponse({ type: DatasetPageDto })
  list(@Auth() auth: AuthContext, @Query() page: PageQueryDto): Promise<DatasetPageDto> {
    return this.datasets.list(auth, page);
  }

  @Post()
  @Allow('create', 'Dataset')
  @ApiCreatedResponse({ type: DatasetResponseDto })
  create(@Auth() auth: AuthContext, @Body() dto: CreateDatasetDto): Promise<DatasetResponseDto> {
    return this.datasets.create(auth, dto);
  }

  @Get(':id')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ type: DatasetResponseDto })
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<DatasetResponseDto> {
    return this.datasets.get(auth, id);
  }
}
