/**
 * `assay_http_request_duration_seconds{method, route, status_code}`: an Express middleware that
 * times every request from its arrival to the end of its response. It is mounted before helmet
 * and the body parser (see http-app.ts) so that requests refused before routing (an oversized or
 * malformed body) are counted too.
 *
 * `route` is the Express route pattern that handled the request (`/models/:id/versions/:version`),
 * never the URL: ids in a label would make one time series per resource. Requests that matched
 * no route are labelled `<unmatched>`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MetricsRegistry } from './metrics.registry';

export const UNMATCHED_ROUTE = '<unmatched>';

/** From 5 ms to a minute: API calls, uploads and exports (event streams land in +Inf). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The pattern of the route that handled `request`, read once the response is over (Express sets
 * `req.route` to each route it enters). Nest mounts module middleware (nestjs-pino's) as a route
 * on a wildcard path for every method, so a request no controller handled still carries that
 * route: only a route of one method counts as a handler (Assay declares no `@All()` route).
 */
export function routePattern(request: Request): string {
  const route = request.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
  if (typeof route?.path !== 'string' || Object.keys(route.methods ?? {}).length !== 1) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${route.path}`;
}

export function httpMetricsMiddleware(metrics: MetricsRegistry): RequestHandler {
  const duration = metrics.histogram({
    name: 'assay_http_request_duration_seconds',
    help: 'Time from the arrival of an HTTP request to the end of its response, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: BUCKETS,
  });
  return (request: Request, response: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    // 'close' follows a completed response as well as an aborted one.
    response.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      duration.observe({ method: request.method, route: routePattern(request), status_code: String(response.statusCode) }, seconds);
    });
    next();
  };
}
