/**
 * The scrape credential of `GET /metrics`. Prometheus has no user account, so the route is
 * `@Public()` for the global AuthGuard (user tokens play no part), and this guard, which runs
 * after it, asks for `Authorization: Bearer <ASSAY_METRICS_TOKEN>` when that variable is set.
 * Unset, the metrics are open on the API's listener, as Prometheus exporters usually are.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ASSAY_CONFIG } from '../../config/config.module';
import type { AssayConfig } from '../../config/config.schema';
import { AssayException } from '../../errors/assay.exception';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

@Injectable()
export class MetricsTokenGuard implements CanActivate {
  /** SHA-256 of the token: equal-length buffers for a constant-time comparison. */
  private readonly expected: Buffer | undefined;

  constructor(@Inject(ASSAY_CONFIG) config: AssayConfig) {
    this.expected = config.ASSAY_METRICS_TOKEN === undefined ? undefined : sha256(config.ASSAY_METRICS_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!header) throw new AssayException('AUTH_REQUIRED', 'Authorization: Bearer <ASSAY_METRICS_TOKEN> is required');
    const secret = /^Bearer ([^\s]+)$/i.exec(header)?.[1];
    if (!secret || !timingSafeEqual(sha256(secret), this.expected)) {
      throw new AssayException('AUTH_INVALID_TOKEN', 'Not the metrics scrape token');
    }
    return true;
  }
}
