import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ExplanationsService, type ExplanationResponse } from '../../pipeline/assessment/explanations.service';
import { ModelReportService } from '../../pipeline/assessment/model-report.service';
import { ReportPagesService } from '../../pipeline/assessment/report-pages.service';
import { sendChart, sendReport, wantsHtml } from '../../pipeline/assessment/report-response';
import type { ModelReport } from '../../pipeline/assessment/report/model-report';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { PageQueryDto, type Page } from '../../platform/http/pagination';
import { CreateModelDto, CreateModelVersionDto, UpdateModelDto } from './registry.dto';
import { toVersionView, type ModelVersionView, type RegisteredModelView } from './registry.record';
import { RegistryService } from './registry.service';

/** The model registry: models, their versions (from succeeded runs), each version's report and explanations. */
@ApiTags('registry')
@ApiBearerAuth()
@Controller('models')
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly reports: ModelReportService,
    private readonly explanations: ExplanationsService,
    private readonly pages: ReportPagesService,
  ) {}

  @Get()
  @Allow('read', 'Model')
  list(@Auth() auth: AuthContext, @Query() page: PageQueryDto): Promise<Page<RegisteredModelView>> {
    return this.registry.page(auth, page);
  }

  @Post()
  @Allow('create', 'Model')
  @ApiCreatedResponse({ description: 'The registered model; recorded as model.registered.' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateModelDto): Promise<RegisteredModelView> {
    return this.registry.create(auth, dto);
  }

  @Get(':id')
  @Allow('read', 'Model')
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<RegisteredModelView> {
    return this.registry.get(auth, id);
  }

  @Patch(':id')
  @Allow('update', 'Model')
  @ApiOkResponse({ description: 'The model; the change is recorded as model.updated with its before and after.' })
  update(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateModelDto): Promise<RegisteredModelView> {
    return this.registry.update(auth, id, dto);
  }

  @Get(':id/versions')
  @Allow('read', 'Model')
  versions(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<ModelVersionView[]> {
    return this.registry.versions(auth, id);
  }

  @Post(':id/versions')
  @Allow('update', 'Model')
  @ApiCreatedResponse({ description: 'The new version, made from a succeeded run of the model owner; recorded as model_version.registered.' })
  createVersion(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateModelVersionDto): Promise<ModelVersionView> {
    return this.registry.createVersion(auth, id, dto.runId);
  }

  @Get(':id/versions/:version')
  @Allow('read', 'Model')
  async version(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number): Promise<ModelVersionView> {
    return toVersionView((await this.registry.version(auth, id, version)).version);
  }

  @Get(':id/versions/:version/report')
  @Allow('read', 'Model')
  @ApiOkResponse({
    description: 'The model report assembled from evidence: training, metrics with intervals, fairness, robustness, importance, explanations, energy.',
  })
  async report(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ModelReport | undefined> {
    return sendReport(this.pages, await this.versionReport(auth, id, version), wantsHtml(format, accept), response);
  }

  @Get(':id/versions/:version/report/charts/:file')
  @Allow('read', 'Model')
  @ApiOkResponse({ description: 'One chart of the report as SVG or PNG.' })
  async chart(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Param('file') file: string,
    @Res() response: Response,
  ): Promise<void> {
    await sendChart(this.pages, await this.versionReport(auth, id, version), file, response);
  }

  private async versionReport(auth: AuthContext, id: string, version: number): Promise<ModelReport> {
    const found = await this.registry.version(auth, id, version);
    return this.reports.forRun(auth, found.version.run_id, { modelId: id, version, name: found.model.name });
  }

  @Post(':id/versions/:version/explain')
  @HttpCode(200)
  @Allow('read', 'Model')
  @ApiBody({ description: 'One input to explain: {input: {column: value}, methods?}.', schema: { type: 'object', required: ['input'] } })
  async explain(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: unknown,
  ): Promise<ExplanationResponse> {
    const found = await this.registry.version(auth, id, version);
    return this.explanations.explainForRun(auth, found.version.run_id, body);
  }
}
