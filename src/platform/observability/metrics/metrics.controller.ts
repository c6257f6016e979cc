/** `GET /metrics`: the Prometheus scrape endpoint (text exposition format 0.0.4). */
import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../access/access.decorators';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsRegistry } from './metrics.registry';

@ApiTags('platform')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Public() // no user token: scrapers present ASSAY_METRICS_TOKEN instead, when it is set (MetricsTokenGuard)
  @UseGuards(MetricsTokenGuard)
  @ApiBearerAuth()
  @ApiProduces(MetricsRegistry.CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4: process, HTTP and domain metrics.' })
  @ApiUnauthorizedResponse({ description: 'ASSAY_METRICS_TOKEN is set and the request does not carry it as a bearer token.' })
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.metrics.exposition();
    // Written as is: Express' send() would reorder the media type's parameters.
    response.status(200).set({ 'Content-Type': MetricsRegistry.CONTENT_TYPE, 'Cache-Control': 'no-store' }).end(body);
  }
}
