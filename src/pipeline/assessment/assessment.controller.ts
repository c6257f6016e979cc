import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { ExplanationsService, type ExplanationResponse } from './explanations.service';

/** What a trained model's measurements say: per-prediction explanations (the report joins them later). */
@ApiTags('training')
@ApiBearerAuth()
@Controller('runs/:id')
export class AssessmentController {
  constructor(private readonly explanations: ExplanationsService) {}

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
