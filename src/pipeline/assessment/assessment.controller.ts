import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { ExplanationsService, type ExplanationResponse } from './explanations.service';
import { ModelReportService } from './model-report.service';
import type { ModelReport } from './report';
import { ReportPagesService } from './report-pages.service';
import { sendChart, sendReport, wantsHtml } from './report-response';

/** What a trained model's measurements say: per-prediction explanations (the report joins them later). */
@ApiTags('training')
@ApiBearerAuth()
@Controller('runs/:id')
export class AssessmentController {
  constructor(
    private readonly explanations: ExplanationsService,
    private readonly reports: ModelReportService,
    private readonly pages: ReportPagesService,
  ) {}

  @Get('report')
  @Allow('read', 'TrainingRun')
  @ApiOkResponse({
    description: 'The model report of the run, assembled from its evidence: JSON, or the self-contained HTML page with format=html (or Accept: text/html).',
  })
  async report(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ModelReport | undefined> {
    return sendReport(this.pages, await this.reports.forRun(auth, id), wantsHtml(format, accept), response);
  }

  @Get('report/charts/:file')
  @Allow('read', 'TrainingRun')
  @ApiOkResponse({ description: 'One chart of the report as SVG or PNG (roc, calibration, importance, training-curves, fairness-…).' })
  async chart(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Param('file') file: string, @Res() response: Response): Promise<void> {
    await sendChart(this.pages, await this.reports.forRun(auth, id), file, response);
  }

  @Post('explain')
  @HttpCode(200)
  @Allow('read', 'TrainingRun')
  @ApiBody({
    description: 'One input to explain: its fields by column name (missing values as null).',
    schema: {
      type: 'object',
      required: ['input'],
      properties: { input: { type: 'object' }, methods: { type: 'array', items: { enum: ['integrated-gradients', 'kernel-shap'] } } },
    },
  })
  @ApiOkResponse({
    description: 'The prediction and, per column, how much it moved the score, with the completeness / efficiency checks; recorded as explanation.generated.',
  })
  explain(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<ExplanationResponse> {
    return this.explanations.explainForRun(auth, id, body);
  }
}
