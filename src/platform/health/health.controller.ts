import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../access/access.decorators';
import { AssayException } from '../errors/assay.exception';

@ApiTags('platform')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** 200 while the database answers; 503 DATABASE_UNAVAILABLE (with Retry-After) while it does not — the process recovers by itself. */
  @Get()
  @Public()
  @HealthCheck()
  async check() {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
    } catch (error) {
      // The driver's message may name hosts and addresses; this endpoint is public.
      if (error instanceof ServiceUnavailableException) {
        throw new AssayException('DATABASE_UNAVAILABLE', 'The database does not answer', { status: 'error', database: { status: 'down' } });
      }
      throw error;
    }
  }
}
