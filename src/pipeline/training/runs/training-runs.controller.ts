import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { Allow, Auth } from '../../../platform/access/access.decorators';
import type { AuthContext } from '../../../platform/access/auth-context';
import { PageQueryDto, type Page } from '../../../platform/http/pagination';
import { RUN_STATES, type RunState, type RunView } from './training-run.record';
import { TrainingRunsService } from './training-runs.service';

class RunPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(RUN_STATES)
  state?: RunState;
}

/** Training runs as jobs: `POST /runs` answers 202 with the run to poll and its event stream. */
@ApiTags('training')
@ApiBearerAuth()
@Controller('runs')
export class TrainingRunsController {
  constructor(private readonly runs: TrainingRunsService) {}

  @Post()
  @HttpCode(202)
  @Allow('create', 'TrainingRun')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating a request with the same key returns the first run instead of starting another.',
  })
  @ApiBody({
    description: 'Train `spec.model` behind `spec.preprocessing` on the split of a dataset version (default: the latest split).',
    schema: {
      type: 'object',
      required: ['datasetId', 'spec'],
      properties: {
        name: { type: 'string', maxLength: 200 },
        datasetId: { type: 'string', format: 'uuid' },
        datasetVersion: { type: 'integer', minimum: 1 },
        spec: {
          type: 'object',
          required: ['model', 'preprocessing'],
          properties: {
            model: { type: 'object' },
            preprocessing: { type: 'object' },
          },
        },
      },
    },
  })
  @ApiAcceptedResponse({
    description: 'The queued run (or, for a repeated Idempotency-Key, the earlier one). Location: /runs/:id.',
  })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunView> {
    const { run, created } = await this.runs.create(auth, body, idempotencyKey);
    response.setHeader('Location', `/runs/${run.id}`);
    if (!created) response.setHeader('Idempotent-Replayed', 'true');
    return run;
  }

  @Get()
  @Allow('read', 'TrainingRun')
  @ApiQuery({ name: 'state', required: false, enum: RUN_STATES })
  list(@Auth() auth: AuthContext, @Query() query: RunPageQueryDto): Promise<Page<RunView>> {
    return this.runs.page(auth, query);
  }

  @Get(':id')
  @Allow('read', 'TrainingRun')
  @ApiOkResponse({
    description: 'The run: state, progress, result (model digest, artifacts) or error.',
  })
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<RunView> {
    return this.runs.get(auth, id);
  }

  @Sse(':id/events')
  @Allow('read', 'TrainingRun')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-sent events: queued, started, batch, epoch, cancel_requested, then succeeded | failed | cancelled (the stream ends). Resumes after Last-Event-ID.',
  })
  events(
    @Auth() auth: AuthContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
  ): Observable<MessageEvent> {
    return this.runs.events(auth, id, lastEventId).pipe(map((event) => ({ id: event.id, type: event.type, data: event.data })));
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Allow('update', 'TrainingRun')
  @ApiAcceptedResponse({
    description: 'Queued runs are cancelled at once; running ones after their current batch.',
  })
  cancel(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<RunView> {
    return this.runs.cancel(auth, id);
  }
}
