import http from 'node:http';
import https from 'node:https';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../config/config.loader';
import { summarizeStatement, traceStatement } from './query-spans';
import { activeTraceparent, addActiveSpanEvent, contextFromTraceparent, withSpan } from './spans';
import { traceLogFields } from './trace-log-fields';
import { otlpTracesUrl, startTracing, startTracingFromConfig, tracingServiceName, type TracingHandle } from './tracing';

describe('tracing configuration', () => {
  it('derives the OTLP/HTTP traces URL as the specification does: the signal endpoint as is, else <base>/v1/traces', () => {
    expect(otlpTracesUrl(loadConfig({}))).toBeUndefined();
    expect(otlpTracesUrl(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toBe('http://collector:4318/v1/traces');
    expect(
      otlpTracesUrl(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp' })),
    ).toBe('https://traces.example/otlp');
  });

  it('names the service by OTEL_SERVICE_NAME, else by command', () => {
    expect(tracingServiceName(loadConfig({}), 'serve')).toBe('assay');
    expect(tracingServiceName(loadConfig({}), 'worker')).toBe('assay-worker');
    expect(tracingServiceName(loadConfig({}), undefined)).toBe('assay');
    expect(tracingServiceName(loadConfig({ OTEL_SERVICE_NAME: 'assay-eu' }), 'worker')).toBe('assay-eu');
  });

  it('refuses an endpoint that is not an http(s) URL (exit 78 at boot)', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  });

  it('without an endpoint constructs nothing, registers nothing and sends nothing', async () => {
    const request = jest.spyOn(http, 'request');
    const secureRequest = jest.spyOn(https, 'request');
    try {
      const handle = startTracingFromConfig(loadConfig({}), 'serve', { instrumentations: false });
      expect(handle).toMatchObject({ enabled: false, exporter: undefined, serviceName: undefined });
      await withSpan('assay.train', { 'assay.run.id': 'r' }, (span) => {
        expect(span.isRecording()).toBe(false);
        expect(activeTraceparent()).toBeNull();
        expect(traceLogFields()).toEqual({});
        return Promise.resolve();
      });
      await handle.flush();
      await handle.shutdown();
      expect(request).not.toHaveBeenCalled();
      expect(secureRequest).not.toHaveBeenCalled();
    } finally {
      request.mockRestore();
      secureRequest.mockRestore();
    }
  });
});

describe('spans', () => {
  let exporter: InMemorySpanExporter;
  let tracing: TracingHandle;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'assay-spec', exporter });
  });
  afterEach(() => tracing.shutdown());
  const finished = async () => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };

  it('withSpan makes an INTERNAL child span with the attributes, ended when the work settles', async () => {
    await withSpan('assay.train', { 'assay.run.id': 'run-1' }, async () => {
      await withSpan('assay.assessment', { 'assay.run.id': 'run-1' }, () => Promise.resolve());
      addActiveSpanEvent('assay.evidence.recorded', { 'assay.evidence.kind': 'training.completed' });
    });
    const spans = await finished();
    const train = spans.find((s) => s.name === 'assay.train')!;
    const assessment = spans.find((s) => s.name === 'assay.assessment')!;
    expect(train.kind).toBe(SpanKind.INTERNAL);
    expect(train.attributes).toEqual({ 'assay.run.id': 'run-1' });
    expect(assessment.parentSpanContext?.spanId).toBe(train.spanContext().spanId);
    expect(assessment.spanContext().traceId).toBe(train.spanContext().traceId);
    expect(train.events.map((e) => [e.name, e.attributes])).toEqual([['assay.evidence.recorded', { 'assay.evidence.kind': 'training.completed' }]]);
    expect(train.resource.attributes['service.name']).toBe('assay-spec');
  });

  it('withSpan records a failure on the span and rethrows it', async () => {
    await expect(withSpan('assay.export', {}, () => Promise.reject(new Error('no key')))).rejects.toThrow('no key');
    const [span] = await finished();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no key' });
    expect(span!.events[0]!.name).toBe('exception');
  });

  it('carries a trace through a W3C traceparent: the later span is a child of the one that wrote it', async () => {
    let traceparent: string | null = null;
    await withSpan('POST /runs', {}, () => {
      traceparent = activeTraceparent();
      return Promise.resolve();
    });
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await withSpan('assay.train', {}, () => Promise.resolve(), { parent: contextFromTraceparent(traceparent) });
    const spans = await finished();
    const request = spans.find((s) => s.name === 'POST /runs')!;
    const train = spans.find((s) => s.name === 'assay.train')!;
    expect(train.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(train.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);
  });

  it('ignores a missing or malformed traceparent (a new trace)', async () => {
    for (const value of [null, '', 'garbage', '00-00000000000000000000000000000000-0000000000000000-01']) {
      expect(trace.getSpanContext(contextFromTraceparent(value))).toBeUndefined();
    }
    await withSpan('assay.train', {}, () => Promise.resolve(), { parent: contextFromTraceparent('garbage') });
    expect((await finished())[0]!.parentSpanContext).toBeUndefined();
  });

  it('log lines name the active span (trace_id, span_id) and nothing outside one', async () => {
    expect(traceLogFields()).toEqual({});
    await withSpan('assay.ingest', {}, (span) => {
      expect(traceLogFields()).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      return Promise.resolve();
    });
  });

  it('traces a statement as a CLIENT span with its operation and table only, and only inside traced work', async () => {
    await traceStatement('SELECT 1', 'pglite', () => Promise.resolve('untraced'));
    expect(await finished()).toEqual([]);
    const sql = `UPDATE training_runs SET lease_owner = $1 WHERE id = $2`;
    await withSpan('assay.train', {}, () => traceStatement(sql, 'pglite', () => Promise.resolve(1)));
    await withSpan('assay.train', {}, () =>
      expect(
        traceStatement('INSERT INTO "sessions" VALUES ($1)', 'pglite', () => Promise.reject(Object.assign(new Error('dup'), { code: '23505' }))),
      ).rejects.toThrow('dup'),
    );
    const statements = (await finished()).filter((s) => s.kind === SpanKind.CLIENT);
    expect(statements.map((s) => s.name)).toEqual(['UPDATE training_runs', 'INSERT sessions']);
    expect(statements[0]!.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.operation.name': 'UPDATE',
      'db.collection.name': 'training_runs',
      'assay.db.engine': 'pglite',
    });
    expect(statements[1]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(statements[1]!.attributes['db.response.status_code']).toBe('23505');
    expect(JSON.stringify(statements.map((s) => s.attributes))).not.toContain('$1');
  });

  it('runs the work in the active context it was given', async () => {
    await withSpan('outer', {}, async (outer) => {
      await traceStatement('SELECT 1', 'pglite', () => {
        expect(trace.getSpan(context.active())?.spanContext().traceId).toBe(outer.spanContext().traceId);
        return Promise.resolve();
      });
    });
  });
});

describe(summarizeStatement.name, () => {
  it.each([
    ['SELECT * FROM training_runs WHERE id = $1', { operation: 'SELECT', table: 'training_runs' }],
    ['  select "User"."id" FROM "users" "User" WHERE "User"."email" = $1', { operation: 'SELECT', table: 'users' }],
    ['INSERT INTO evidence_records (id) VALUES ($1) RETURNING *', { operation: 'INSERT', table: 'evidence_records' }],
    ['INSERT INTO "sessions"("id", "user_id") VALUES ($1, $2)', { operation: 'INSERT', table: 'sessions' }],
    ['UPDATE "training_runs" SET x = 1', { operation: 'UPDATE', table: 'training_runs' }],
    ['DELETE FROM sessions WHERE expires_at < now()', { operation: 'DELETE', table: 'sessions' }],
    ['-- a comment\nWITH x AS (SELECT 1) SELECT * FROM x', { operation: 'WITH' }],
    ['/* c */ BEGIN', { operation: 'BEGIN' }],
    ['SELECT 1', { operation: 'SELECT' }],
    ['SELECT index, hash FROM assay_ledger_append($1, $2)', { operation: 'SELECT' }],
    ['SELECT * FROM public.users', { operation: 'SELECT' }],
    ['', { operation: 'QUERY' }],
  ])('%s', (sql, summary) => {
    expect(summarizeStatement(sql)).toEqual(summary);
  });
});
