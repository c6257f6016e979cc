import { Body, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { DatasetLineageService } from './dataset-lineage.service';
import { DatasetTransformationsService, type TransformationView } from './dataset-transformations.service';
import { DatasheetDto } from './datasheet';
import { DatasheetsService, type DatasheetView } from './datasheets.service';

/** A version's datasheet, its transformations and its provenance. */
@ApiTags('datasets')
@ApiBearerAuth()
@Controller('datasets/:id/versions/:version')
export class DatasetDerivationController {
  constructor(
    private readonly datasheets: DatasheetsService,
    private readonly transformations: DatasetTransformationsService,
    private readonly lineage: DatasetLineageService,
  ) {}

  @Put('datasheet')
  @Allow('update', 'Dataset')
  @ApiOkResponse({ description: 'The recorded datasheet, its digest and what it still lacks for compliance.' })
  putDatasheet(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() dto: DatasheetDto,
  ): Promise<DatasheetView> {
    return this.datasheets.put(auth, id, version, dto);
  }

  @Get('datasheet')
  @Allow('read', 'Dataset')
  getDatasheet(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<DatasheetView> {
    return this.datasheets.get(auth, id, version);
  }

  @Post('transformations')
  @Allow('update', 'Dataset')
  @ApiBody({
    description: 'A transformation spec: split, filter, dropColumns, pseudonymise or impute (see the README).',
    schema: { type: 'object', required: ['type'], properties: { type: { enum: ['split', 'filter', 'dropColumns', 'pseudonymise', 'impute'] } } },
  })
  @ApiCreatedResponse({ description: 'The transformation and the versions it produced.' })
  transform(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() spec: unknown,
  ): Promise<TransformationView> {
    return this.transformations.transform(auth, id, version, spec);
  }

  @Get('lineage')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ description: 'W3C PROV-JSON document of the version’s provenance.' })
  prov(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.lineage.prov(auth, id, version);
  }

  @Get('lineage/openlineage')
  @Allow('read', 'Dataset')
  @ApiOkResponse({ description: 'OpenLineage 2-0-2 run events (START, COMPLETE) of the transformations behind the version.' })
  openLineage(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.lineage.openLineage(auth, id, version);
  }
}
