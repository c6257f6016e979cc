/**
 * Prometheus metrics (`GET /metrics`). Global: modules register the figures they own with the
 * MetricsRegistry (`*.metrics.ts` providers beside their data), so platform imports nothing above it.
 */
import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, MetricsTokenGuard],
  exports: [MetricsRegistry],
})
export class MetricsModule {}
