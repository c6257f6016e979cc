import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { version } from '../../../../package.json';
import type { AssayConfig } from '../../config/config.schema';

/** What the process does with its spans. */
export interface TracingHandle {
  /** False when no exporter is configured: no provider is registered and every span is a no-op. */
  readonly enabled: boolean;
  readonly serviceName: string | undefined;
  /** The exporter the batch processor hands spans to (OTLP/HTTP, or the one a test passed). */
  readonly exporter: SpanExporter | undefined;
  /** Exports what is queued; the provider keeps working. */
  flush(): Promise<void>;
  /** Exports what is queued, stops the provider and unregisters it from the API. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** Where spans go: an OTLP/HTTP exporter built from `otlpTracesUrl`, or this exporter (tests: InMemorySpanExporter). */
  exporter?: SpanExporter;
  otlpTracesUrl?: string;
  /** Patch `http` (outgoing requests) and `pg` through require-in-the-middle; real processes only (see README "Tracing"). */
  instrumentations?: boolean;
}

/** Tracing off: what every process without an OTLP endpoint has. */
export const TRACING_DISABLED: TracingHandle = {
  enabled: false,
  serviceName: undefined,
  exporter: undefined,
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Where OTLP/HTTP trace export goes, as the OpenTelemetry specification derives it: the signal's
 * own endpoint verbatim, else the base endpoint with `v1/traces` appended. Undefined: no export.
 */
export function otlpTracesUrl(config: Pick<AssayConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

/** The service name spans carry: OTEL_SERVICE_NAME, else `assay-worker` for `assay worker` and `assay` for everything else. */
export function tracingServiceName(config: Pick<AssayConfig, 'OTEL_SERVICE_NAME'>, command: string | undefined): string {
  return config.OTEL_SERVICE_NAME ?? (command === 'worker' ? 'assay-worker' : 'assay');
}

/** Tracing as the configuration asks: on (OTLP/HTTP) when an endpoint is set, otherwise off — nothing constructed, nothing sent. */
export function startTracingFromConfig(config: AssayConfig, command: string | undefined, options: { instrumentations?: boolean } = {}): TracingHandle {
  const url = otlpTracesUrl(config);
  if (!url) return TRACING_DISABLED;
  return startTracing({ serviceName: tracingServiceName(config, command), otlpTracesUrl: url, instrumentations: options.instrumentations ?? true });
}

/**
 * Registers a NodeTracerProvider with the OpenTelemetry API: one BatchSpanProcessor in front of
 * the exporter, W3C Trace Context propagation (and nothing else: baggage is not read from
 * clients), AsyncLocalStorage context. Also the test hook: pass an InMemorySpanExporter.
 */
export function startTracing(options: TracingOptions): TracingHandle {
  const exporter = options.exporter ?? (options.otlpTracesUrl ? new OTLPTraceExporter({ url: options.otlpTracesUrl }) : undefined);
  if (!exporter) return TRACING_DISABLED;
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, [ATTR_SERVICE_VERSION]: version })),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unregister = options.instrumentations
    ? registerInstrumentations({
        tracerProvider: provider,
        instrumentations: [
          // Server spans come from Assay's own middleware (the same code in tests and in production,
          // with the Nest route and no query string); this one traces outgoing requests (S3, …).
          new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
          // Statement text has placeholders only: values are never recorded (enhancedDatabaseReporting
          // off). Queries outside any traced work (idle pollers) would each be a trace of their own.
          new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
        ],
      })
    : () => undefined;
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    serviceName: options.serviceName,
    exporter,
    flush: () => provider.forceFlush(),
    shutdown: () =>
      (stopped ??= (async () => {
        unregister();
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
        }
      })()),
  };
}
