import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import { DecisionProofsService, MAX_PROOFS_PER_REQUEST } from '../decision-log/decision-proofs.service';
import type { DecisionProof } from '../decision-log/decision-proof';
import { PredictionsService, type PredictResponse } from './predictions.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PREDICT_BODY = {
  description:
    'One input ({input}) or a batch ({inputs: [...]}, at most ASSAY_SERVING_MAX_BATCH): every feature of the model by column name (null for a missing value), ' +
    'plus the monitored group attributes if wanted. explain: true adds an explanation per prediction.',
  schema: {
    type: 'object',
    properties: { input: { type: 'object' }, inputs: { type: 'array', items: { type: 'object' } }, explain: { type: 'boolean' } },
  },
};

/** Serving and the decision log over HTTP. */
@ApiTags('serving')
@ApiBearerAuth()
@Controller()
export class PredictionsController {
  constructor(
    private readonly predictions: PredictionsService,
    private readonly proofs: DecisionProofsService,
  ) {}

  @Post('models/:model/aliases/:alias/predict')
  @HttpCode(200)
  @Allow('predict', 'Model')
  @ApiBody(PREDICT_BODY)
  @ApiOkResponse({ description: 'Predictions with their decision ids, scores and the exact model version digest; logged before they are returned.' })
  predictByAlias(@Auth() auth: AuthContext, @Param('model') model: string, @Param('alias') alias: string, @Body() body: unknown): Promise<PredictResponse> {
    return this.predictions.predict(auth, { model, alias }, body);
  }

  @Post('models/:model/versions/:version/predict')
  @HttpCode(200)
  @Allow('predict', 'Model')
  @ApiBody(PREDICT_BODY)
  @ApiOkResponse({ description: 'Predictions of an explicit version; served only while the version holds an alias.' })
  predictByVersion(
    @Auth() auth: AuthContext,
    @Param('model') model: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() body: unknown,
  ): Promise<PredictResponse> {
    return this.predictions.predict(auth, { model, version }, body);
  }

  @Post('predictions/:id/outcome')
  @HttpCode(201)
  @Allow('predict', 'Model')
  @ApiBody({
    description: 'The ground truth of a logged prediction, once: {label}.',
    schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } },
  })
  outcome(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown) {
    return this.predictions.recordOutcome(auth, id, body);
  }

  @Get('predictions/:id/proof')
  @Allow('read', 'Model')
  @ApiOkResponse({
    description: 'assay.decision-proof/v1: the leaf, its audit path in its batch, the batch record, its ledger entry and inclusion proof, a signed checkpoint.',
  })
  async proof(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<DecisionProof> {
    return (await this.proofs.proofs(auth, [id]))[0]!;
  }

  @Post('predictions/proofs')
  @HttpCode(200)
  @Allow('read', 'Model')
  @ApiBody({
    description: `Proofs of up to ${MAX_PROOFS_PER_REQUEST} decisions: {ids: [...]}.`,
    schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } },
  })
  async proofsOf(@Auth() auth: AuthContext, @Body() body: unknown): Promise<{ items: DecisionProof[] }> {
    const ids = (body as { ids?: unknown } | null)?.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_PROOFS_PER_REQUEST || ids.some((id) => typeof id !== 'string' || !UUID.test(id))) {
      throw new AssayException('VALIDATION_FAILED', `The body must be {ids: [1 to ${MAX_PROOFS_PER_REQUEST} prediction ids]}`);
    }
    return { items: await this.proofs.proofs(auth, ids as string[]) };
  }
}
