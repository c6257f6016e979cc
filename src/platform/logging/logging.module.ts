import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AssayConfig } from '../config/config.schema';
import { traceLogFields } from '../observability/tracing/trace-log-fields';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Paths under which secrets may appear in log objects; pino replaces them with [redacted]. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.passwordHash',
  '*.tokenHash',
  '*.DATABASE_URL',
];

/** Structured JSON logs (pino) with a request id on every line of a request. */
@Module({})
export class LoggingModule {
  static forRoot(config: AssayConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.ASSAY_LOG_LEVEL,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // Honour a well-formed incoming X-Request-Id (from a proxy); otherwise make one.
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const incoming = request.headers['x-request-id'];
              const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
            customProps: () => ({ service: 'assay' }),
            // Every line written while a span is active names it: logs and traces join on trace_id.
            mixin: traceLogFields,
            serializers: {
              req: (request: { id: string; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                // Query strings may carry cursors or future secrets; log the path only.
                path: request.url.split('?')[0],
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
          },
        }),
      ],
    };
  }
}
