import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_URL_SCHEME } from '@opentelemetry/semantic-conventions';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** What Express adds to a request that this middleware reads. */
interface ExpressRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  protocol?: string;
  route?: { path?: unknown };
}

/** The matched route template (`/runs/:id`), once Express has routed the request; undefined for a 404. */
export function routeOf(request: ExpressRequest): string | undefined {
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : undefined;
}

/**
 * One SERVER span per HTTP request (OpenTelemetry HTTP semantic conventions), continuing the
 * caller's trace from a W3C `traceparent` header. Named `METHOD /route/:param` once Express has
 * matched the route; carries the path without its query string (like the logs: queries may hold
 * cursors), the status, and the request id. No client address, no headers. The request runs in
 * the span's context, and so do the listeners of its streams (body parsers, uploads).
 *
 * Assay makes these itself rather than through @opentelemetry/instrumentation-http, so that the
 * same code runs in production and under jest (whose module loader require-in-the-middle cannot
 * patch). Without a registered provider the span is a no-op and the request just passes.
 */
export function traceRequests(): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  return (request: ExpressRequest, response, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const method = KNOWN_METHODS.has(request.method ?? '') ? request.method! : '_OTHER';
    const span = trace.getTracer('assay-http').startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: (request.originalUrl ?? request.url ?? '/').split('?')[0],
          ...(request.protocol ? { [ATTR_URL_SCHEME]: request.protocol } : {}),
        },
      },
      parent,
    );
    if (!span.isRecording()) return next();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routeOf(request);
      if (route) span.setAttribute(ATTR_HTTP_ROUTE, route).updateName(`${method} ${route}`);
      const requestId = response.getHeader('x-request-id');
      if (typeof requestId === 'string') span.setAttribute('assay.request.id', requestId);
      if (response.headersSent) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
        // Server spans: only 5xx are errors (a 4xx is the client's).
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (!response.writableFinished) span.setAttribute('assay.http.aborted', true);
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    const active = trace.setSpan(parent, span);
    context.bind(active, request);
    context.bind(active, response);
    context.with(active, next);
  };
}
