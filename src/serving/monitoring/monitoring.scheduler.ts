import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { MonitoringService } from './monitoring.service';

/**
 * Checks every monitored, served model each ASSAY_MONITORING_CHECK_MS (0: only on request). Each
 * process may run it; a check takes the model's row lock before it opens alerts, and an alert
 * already open is not opened twice, so concurrent checks never duplicate an alert.
 */
@Injectable()
export class MonitoringScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MonitoringScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly monitoring: MonitoringService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ASSAY_MONITORING_CHECK_MS === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.checkAll().finally(() => (this.running = null));
    }, this.config.ASSAY_MONITORING_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async checkAll(): Promise<void> {
    for (const modelId of await this.monitoring.monitoredModels().catch(() => [])) {
      try {
        await this.monitoring.check(null, modelId);
      } catch (error) {
        this.logger.warn(`Monitoring check of model ${modelId} failed: ${(error as Error).message}`);
      }
    }
  }
}
