import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountConsole } from './console/console-static';
import type { AssayConfig } from './platform/config/config.schema';
import { AssayExceptionFilter } from './platform/errors/assay-exception.filter';
import { jsonBodyParser } from './platform/http/body-parsers';
import { mountOpenApi } from './platform/http/openapi';
import { traceRequests } from './platform/observability/tracing/http-tracing.middleware';
import { httpMetricsMiddleware } from './platform/observability/metrics/http-metrics.middleware';
import { MetricsRegistry } from './platform/observability/metrics/metrics.registry';
import { createValidationPipe, RejectPrototypeKeysPipe } from './platform/http/validation';

/** Builds the HTTP application (not yet listening): the one assembly used by `serve` and the e2e tests. */
export async function createHttpApp(config: AssayConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.ASSAY_TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(traceRequests()); // outermost: everything after runs in the request's span
  app.use(httpMetricsMiddleware(app.get(MetricsRegistry))); // before helmet and the body parser: times refused requests too
  app.use(helmet());
  mountConsole(app); // static files before the body parser and the API's routes
  app.use(jsonBodyParser(config.ASSAY_BODY_LIMIT_BYTES));
  app.useGlobalPipes(new RejectPrototypeKeysPipe(), createValidationPipe());
  app.useGlobalFilters(new AssayExceptionFilter());
  app.enableShutdownHooks();
  mountOpenApi(app);
  return app;
}
