import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AssayException } from './assay.exception';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';
import { ERROR_CODES, type ErrorCode } from './error-codes';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

const FROM_HTTP_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'AUTH_REQUIRED',
  [HttpStatus.FORBIDDEN]: 'ACCESS_DENIED',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/**
 * The one place where failures become HTTP responses. Never sends stack traces or SQL. A lost or
 * unreachable database is 503 DATABASE_UNAVAILABLE with Retry-After (the pool reconnects by itself
 * once the server is back), not a 500.
 */
@Catch()
export class AssayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception);
    const status = ERROR_CODES[body.error.code].status;
    if (body.error.code === 'DATABASE_UNAVAILABLE') {
      // Expected while the database restarts: one line per request, without the stack.
      this.logger.warn({ requestId: request.id, path: request.path, cause: describeCause(exception) }, 'database unavailable');
    } else if (status >= 500) {
      this.logger.error({ err: exception, requestId: request.id, path: request.path }, 'request failed');
    }
    if (response.headersSent) return;
    if (body.error.code === 'DATABASE_UNAVAILABLE') response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AssayException) {
      return { error: { code: exception.code, message: exception.message, details: exception.details } };
    }
    if (isDatabaseUnavailable(exception)) {
      return { error: { code: 'DATABASE_UNAVAILABLE', message: 'The database cannot be reached; retry later' } };
    }
    if (exception instanceof HttpException) {
      const code = FROM_HTTP_STATUS[exception.getStatus()] ?? 'INTERNAL_ERROR';
      const message = code === 'INTERNAL_ERROR' ? 'Internal error' : exception.message;
      return { error: { code, message } };
    }
    return { error: { code: 'INTERNAL_ERROR', message: 'Internal error' } };
  }
}

/** The code and message of a database failure, for the log (no SQL: TypeORM's QueryFailedError carries the query elsewhere). */
function describeCause(exception: unknown): string {
  if (!(exception instanceof Error)) return String(exception);
  const { code } = exception as { code?: unknown };
  return typeof code === 'string' ? `${code}: ${exception.message}` : exception.message;
}
