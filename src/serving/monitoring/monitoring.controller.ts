import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, Auth } from '../../platform/access/access.decorators';
import type { AuthContext } from '../../platform/access/auth-context';
import { MonitoringService, type MonitoringAlert, type MonitoringCheck, type MonitoringStatus } from './monitoring.service';

/** Post-market monitoring over HTTP: the plan, its status, checks on demand and alert resolution. */
@ApiTags('serving')
@ApiBearerAuth()
@Controller()
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get('models/:id/monitoring')
  @Allow('read', 'Model')
  @ApiOkResponse({ description: 'The plan (webhook secrets never shown), each served version’s latest check, open and recent alerts, webhook deliveries.' })
  status(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<MonitoringStatus> {
    return this.monitoring.status(auth, id);
  }

  @Put('models/:id/monitoring')
  @Allow('update', 'Model')
  @ApiBody({
    description:
      'The monitoring plan; absent fields take defaults: {decisionLogging: true, window: "P7D", minSamples: 100, features: null (all), groupAttributes: null (datasheet sensitive attributes), ' +
      'thresholds: {psi: 0.2, ks: 0.1, predictionRateDelta: 0.1, groupPredictionRateDelta: 0.1, accuracyDrop: 0.05} (null switches one off), webhooks: [{url, secret}]}. Recorded as monitoring.configured.',
    schema: { type: 'object' },
  })
  setPlan(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<MonitoringStatus> {
    return this.monitoring.setPlan(auth, id, body);
  }

  @Post('models/:id/monitoring/checks')
  @HttpCode(200)
  @Allow('read', 'Model')
  @ApiOkResponse({ description: 'Checks every served version now (the scheduler does so every ASSAY_MONITORING_CHECK_MS); breaches open alerts.' })
  check(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<MonitoringCheck[]> {
    return this.monitoring.check(auth, id);
  }

  @Post('monitoring/alerts/:id/resolve')
  @HttpCode(200)
  @Allow('demote', 'Model')
  @ApiBody({
    description: '{reason}: why the alert is closed (demoted, retrained, shift accepted). Recorded as monitoring.alert-resolved.',
    schema: { type: 'object', required: ['reason'] },
  })
  resolve(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<MonitoringAlert> {
    return this.monitoring.resolveAlert(auth, id, body);
  }
}
