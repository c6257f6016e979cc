import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { startTracing, type TracingHandle } from '../src/platform/observability/tracing/tracing';
import { migrateUp } from '../src/platform/database/migrator';
import { startServer, stop } from './support/cli';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { createTestDatabase, TEST_DB } from './support/test-database';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(240_000);

const FAST_ASSESSMENT = { ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' };
const ASSESSMENT_STEPS = ['assay.evaluate', 'assay.fairness', 'assay.robustness', 'assay.explain', 'assay.membership_audit'];

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A caller's W3C traceparent (Trace Context §3.2). */
const callerContext = () => {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
};
const startNs = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
const byStart = (spans: ReadableSpan[]) => [...spans].sort((a, b) => startNs(a) - startNs(b));
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => byStart(spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId));
const evidenceEvents = (span: ReadableSpan) =>
  span.events
    .filter((e) => e.name === 'assay.evidence.recorded')
    .map((e) => ({ kind: e.attributes!['assay.evidence.kind'], digest: e.attributes!['assay.evidence.digest'] }));

/**
 * Spans made in this process, exported through the real BatchSpanProcessor into an in-memory
 * exporter. Jest's module loader cannot be patched by require-in-the-middle, so no http or pg
 * instrumentation runs here: HTTP server spans come from Assay's own middleware (as in production),
 * statement spans from the PGlite pool (PostgreSQL's come from the pg instrumentation, which the
 * child-process test below sees).
 */
describe('tracing a model through the pipeline (in-process, in-memory exporter)', () => {
  let exporter: InMemorySpanExporter;
  let tracing: TracingHandle;
  let t: TestApp;
  let engineer: TestUser;
  let officer: TestUser;
  let regulator: TestUser;
  let datasetId: string;
  let runId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const finished = async () => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };
  const trace = async (traceId: string) => (await finished()).filter((s) => s.spanContext().traceId === traceId);
  /** The span named `name` carrying `attribute` = `value`, once it has ended (a worker ends its span after the run row is final). */
  const eventually = async (name: string, attribute: string, value: string): Promise<ReadableSpan> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const span = (await finished()).find((s) => s.name === name && s.attributes[attribute] === value);
      if (span) return span;
      if (Date.now() > deadline) throw new Error(`no ${name} span with ${attribute}=${value}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const server = (spans: ReadableSpan[], name: string) => spans.find((s) => s.kind === SpanKind.SERVER && s.name === name)!;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'assay', exporter });
    t = await startTestApp(FAST_ASSESSMENT, { workers: true });
    [engineer, officer, regulator] = [await t.createUser('engineer'), await t.createUser('compliance_officer'), await t.createUser('regulator')];
    datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });

  it('an upload: the request span, ingest under it, the privacy scan under ingest, each with its evidence event', async () => {
    const spans = await finished();
    const ingest = spans.find((s) => s.name === 'assay.ingest' && s.attributes['assay.dataset.id'] === datasetId)!;
    expect(ingest.kind).toBe(SpanKind.INTERNAL);
    const request = spans.find((s) => s.spanContext().spanId === ingest.parentSpanContext?.spanId)!;
    expect(request).toMatchObject({ name: 'POST /datasets/:id/versions', kind: SpanKind.SERVER });
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/datasets/:id/versions',
      'url.path': `/datasets/${datasetId}/versions`,
      'http.response.status_code': 201,
    });
    const version = (await as(engineer).get(`/datasets/${datasetId}/versions/1`)).body as { id: string; rows: number };
    expect(ingest.attributes).toMatchObject({ 'assay.dataset.id': datasetId, 'assay.dataset_version.id': version.id, 'assay.dataset.rows': 600 });
    expect(evidenceEvents(ingest).map((e) => e.kind)).toEqual(['dataset_version.registered']);

    const [scan] = childrenOf(spans, ingest).filter((s) => s.name === 'assay.privacy_scan');
    expect(scan!.attributes).toMatchObject({ 'assay.dataset_version.id': version.id, 'assay.dataset.rows': 600, 'assay.privacy.with_datasheet': false });
    const scanned = (await as(engineer).get(`/evidence?subjectType=dataset_version&subjectId=${version.id}&kind=privacy.scanned`)).body.items as {
      digest: string;
    }[];
    expect(evidenceEvents(scan!)).toEqual([{ kind: 'privacy.scanned', digest: scanned[0]!.digest }]);

    const statements = spans.filter((s) => s.kind === SpanKind.CLIENT && s.spanContext().traceId === request.spanContext().traceId);
    if (TEST_DB === 'pglite') {
      expect(statements.map((s) => s.name)).toEqual(expect.arrayContaining(['INSERT dataset_versions', 'INSERT evidence_records']));
      expect(statements.every((s) => Object.keys(s.attributes).every((key) => key.startsWith('db.') || key === 'assay.db.engine'))).toBe(true);
    }
  });

  it('a training run: POST /runs → the worker’s train span (same trace) → assessment → its steps, with evidence events; the caller’s traceparent is honoured', async () => {
    const caller = callerContext();
    const created = await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() }).set('traceparent', caller.traceparent);
    expect(created.status).toBe(202);
    runId = created.body.id as string;
    const run = (await waitForRun(t, engineer, runId)) as { state: string; result: { modelDigest: string; trainingEvidence: string } };
    expect(run.state).toBe('succeeded');
    const train = await eventually('assay.train', 'assay.run.id', runId);
    const spans = await trace(caller.traceId);

    const request = server(spans, 'POST /runs');
    expect(request.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(request.attributes).toMatchObject({ 'http.route': '/runs', 'http.response.status_code': 202, 'assay.run.id': runId, 'assay.dataset.id': datasetId });
    expect(evidenceEvents(request).map((e) => e.kind)).toEqual(['training.requested']);

    // The run row carries the request's context to whichever worker claims it; the evidence does not.
    const [row] = await t.app.get(DataSource).query<{ trace_context: string }[]>(`SELECT trace_context FROM training_runs WHERE id = $1`, [runId]);
    expect(row!.trace_context).toBe(`00-${caller.traceId}-${request.spanContext().spanId}-01`);
    const records = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${runId}`)).body.items as unknown[];
    expect(JSON.stringify(records)).not.toContain(caller.traceId);

    expect(train.spanContext().traceId).toBe(caller.traceId);
    expect(train.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(train.kind).toBe(SpanKind.INTERNAL);
    expect(train.attributes).toMatchObject({
      'assay.run.id': runId,
      'assay.run.attempt': 1,
      'assay.run.outcome': 'succeeded',
      'assay.dataset.id': datasetId,
      'assay.model.type': 'logistic_regression',
      'assay.model.digest': run.result.modelDigest,
    });
    const trainEvents = evidenceEvents(train);
    expect(trainEvents.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'energy.measured',
        'training.completed',
        'evaluation.completed',
        'fairness.assessed',
        'robustness.assessed',
        'explanation.generated',
      ]),
    );
    expect(trainEvents.find((e) => e.kind === 'training.completed')!.digest).toBe(run.result.trainingEvidence);

    const [assessment] = childrenOf(spans, train).filter((s) => s.name === 'assay.assessment');
    expect(assessment!.attributes).toMatchObject({ 'assay.run.id': runId, 'assay.model.digest': run.result.modelDigest });
    const steps = childrenOf(spans, assessment!).filter((s) => s.kind === SpanKind.INTERNAL);
    expect(steps.map((s) => s.name)).toEqual(ASSESSMENT_STEPS);
    expect(steps.every((s) => s.status.code !== SpanStatusCode.ERROR && s.attributes['assay.run.id'] === runId)).toBe(true);

    if (TEST_DB === 'pglite') {
      const statements = childrenOf(spans, train).filter((s) => s.kind === SpanKind.CLIENT);
      expect(statements.map((s) => s.name)).toEqual(expect.arrayContaining(['UPDATE training_runs', 'INSERT training_run_events', 'INSERT evidence_records']));
      // Operation and table only: no statement text, no parameter values (the run id is one).
      expect(JSON.stringify(statements.map((s) => s.attributes))).not.toContain(runId);
    }
  });

  it('an explanation on request: the explain span under its request, with its evidence', async () => {
    const response = await as(engineer).post(`/runs/${runId}/explain`, { input: { age: 30, sex: 'M', income: 90, debt: 5, purpose: 'house' } });
    expect(response.status).toBe(200);
    const explain = (await finished()).find((s) => s.name === 'assay.explain' && s.attributes['assay.explanation.scope'] === 'request')!;
    expect(explain.attributes['assay.run.id']).toBe(runId);
    const request = server(await trace(explain.spanContext().traceId), 'POST /runs/:id/explain');
    expect(explain.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(evidenceEvents(explain)).toEqual([
      { kind: 'energy.measured', digest: expect.stringMatching(/^sha256:/) },
      { kind: 'explanation.generated', digest: response.body.evidence },
    ]);
  });

  it('governance: policy under the promotion request, approval with its re-evaluation, export of the bundle', async () => {
    const modelId = (
      await as(engineer).post('/models', { name: 'traced', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] })
    ).body.id as string;
    const version = (await as(engineer).post(`/models/${modelId}/versions`, { runId })).body as { id: string };
    const blocked = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body;
    expect(blocked.state).toBe('blocked');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const ref of blocked.decision.blockedBy as { packId: string; ruleId: string }[])
      expect(
        (await as(officer).post('/waivers', { modelId, version: 1, ...ref, justification: 'Accepted by the model risk committee.', expiresAt: until })).status,
      ).toBe(201);
    const pending = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body;
    expect(pending.state).toBe('pending_approval');
    expect((await as(officer).post(`/promotions/${pending.id}/approve`, { rationale: 'Evidence reviewed; waivers justified.' })).status).toBe(200);
    expect((await as(regulator).get(`/models/${modelId}/versions/1/bundle`)).status).toBe(200);

    const spans = await finished();
    const policies = byStart(spans.filter((s) => s.name === 'assay.policy' && s.attributes['assay.model.id'] === modelId));
    expect(policies.map((s) => [s.attributes['assay.policy.outcome'], s.attributes['assay.policy.reevaluation'] ?? false])).toEqual([
      ['blocked', false],
      ['pending_approval', false],
      ['pending_approval', true],
    ]);
    expect(policies[0]!.attributes).toMatchObject({
      'assay.model_version.id': version.id,
      'assay.promotion.target_stage': 'production',
      'assay.policy.decision_digest': blocked.decisionDigest,
      'assay.evidence_document.digest': blocked.evidenceDocumentDigest,
    });
    const requested = spans.find((s) => s.spanContext().spanId === policies[1]!.parentSpanContext?.spanId)!;
    expect(requested).toMatchObject({ name: 'POST /models/:id/versions/:version/promotions' });
    expect(requested.attributes['assay.promotion.id']).toBe(pending.id);
    expect(evidenceEvents(requested).map((e) => e.kind)).toEqual(['policy.evaluated', 'promotion.requested']);

    const approval = spans.find((s) => s.name === 'assay.approval' && s.attributes['assay.promotion.id'] === pending.id)!;
    expect(approval.attributes).toMatchObject({ 'assay.promotion.decision': 'approved', 'assay.model.id': modelId, 'assay.model_version.id': version.id });
    expect(policies[2]!.parentSpanContext?.spanId).toBe(approval.spanContext().spanId);
    expect(evidenceEvents(approval).map((e) => e.kind)).toEqual(expect.arrayContaining(['promotion.decided']));
    expect(server(spans, 'POST /promotions/:id/approve').spanContext().spanId).toBe(approval.parentSpanContext?.spanId);

    const exported = spans.find((s) => s.name === 'assay.export' && s.attributes['assay.model.id'] === modelId)!;
    expect(exported.attributes).toMatchObject({ 'assay.model_version.id': version.id, 'assay.model_version.number': 1 });
    const [bundleRecord] = (await as(regulator).get(`/evidence?subjectType=model_version&subjectId=${version.id}&kind=bundle.exported`)).body.items as {
      digest: string;
      body: { manifestDigest: string };
    }[];
    expect(exported.attributes['assay.bundle.manifest_digest']).toBe(bundleRecord!.body.manifestDigest);
    expect(evidenceEvents(exported)).toEqual([{ kind: 'bundle.exported', digest: bundleRecord!.digest }]);
  });

  it('marks a failed request as an error span (5xx only) and leaves 4xx spans unset', async () => {
    const caller = callerContext();
    expect((await as(engineer).get('/runs/not-a-uuid').set('traceparent', caller.traceparent)).status).toBeGreaterThanOrEqual(400);
    const [span] = (await trace(caller.traceId)).filter((s) => s.kind === SpanKind.SERVER);
    expect(span!.name).toBe('GET /runs/:id');
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes['assay.request.id']).toEqual(expect.any(String));
  });
});

/** With REDIS_URL the run travels as a BullMQ job: the job carries the traceparent too, and the worker's span joins the trace. */
describe('tracing a run through BullMQ', () => {
  let exporter: InMemorySpanExporter;
  let tracing: TracingHandle;
  let t: TestApp;
  let engineer: TestUser;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'assay', exporter });
    // A prefix of its own: no other test's worker takes these jobs.
    t = await startTestApp({ ...FAST_ASSESSMENT, REDIS_URL: 'redis://127.0.0.1:6379', ASSAY_QUEUE_PREFIX: `assay-tracing-${hex(4)}` }, { workers: true });
    engineer = await t.createUser('engineer');
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });

  it('puts the request’s traceparent in the job, and the train span is the request span’s child', async () => {
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(300));
    const add = jest.spyOn(Queue.prototype, 'add');
    try {
      const caller = callerContext();
      const created = await t
        .http()
        .post('/runs')
        .set('Authorization', `Bearer ${engineer.token}`)
        .set('traceparent', caller.traceparent)
        .send({ datasetId, spec: logisticRunSpec(3) });
      expect(created.status).toBe(202);
      const runId = created.body.id as string;
      expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
      let spans: ReadableSpan[] = [];
      for (let i = 0; i < 100 && !spans.some((s) => s.name === 'assay.train'); i++) {
        await tracing.flush();
        spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === caller.traceId);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const request = spans.find((s) => s.name === 'POST /runs')!;
      const traceparent = `00-${caller.traceId}-${request.spanContext().spanId}-01`;
      expect(add).toHaveBeenCalledWith('train', { runId, traceparent }, expect.objectContaining({ jobId: runId }));
      const train = spans.find((s) => s.name === 'assay.train')!;
      expect(train.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(train.attributes['assay.run.outcome']).toBe('succeeded');
    } finally {
      add.mockRestore();
    }
  });
});

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
  events?: { name: string; attributes?: { key: string; value: OtlpValue }[] }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}
const attribute = (attributes: { key: string; value: OtlpValue }[] | undefined, key: string) => {
  const value = attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

/** The real protocol from a real process: `assay serve` exporting OTLP/HTTP to a receiver on a local port. */
describe('OTLP/HTTP export from `assay serve`', () => {
  let receiver: Server;
  const received: { contentType: string | undefined; body: OtlpExport }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces') {
          received.push({ contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport });
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('sends the request, stage and database spans with the service name, continues a caller’s trace, and logs its ids', async () => {
    const database = await createTestDatabase();
    if (database.config.DATABASE_URL) await migrateUp(database.config);
    const { port } = receiver.address() as AddressInfo;
    const { child, url, output } = await startServer({ ...database.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, ASSAY_LOG_LEVEL: 'info' });
    const caller = callerContext();
    let datasetId: string;
    try {
      expect((await fetch(`${url}/health`, { headers: { traceparent: caller.traceparent } })).status).toBe(200);
      const [, email] = /email:\s+(\S+)/.exec(output())!;
      const [, password] = /password:\s+(\S+)/.exec(output())!;
      const signIn = async (credential: { email: string; password: string }) => {
        const response = await fetch(`${url}/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(credential),
        });
        return { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
      };
      const engineer = { email: 'engineer@example.org', password: 'correct horse battery staple' };
      const created = await fetch(`${url}/users`, {
        method: 'POST',
        headers: { ...(await signIn({ email: email!, password: password! })), 'content-type': 'application/json' },
        body: JSON.stringify({ ...engineer, displayName: 'Engineer', role: 'engineer' }),
      });
      expect(created.status).toBe(201);
      const auth = await signIn(engineer);
      const dataset = await fetch(`${url}/datasets`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'otlp' }),
      });
      datasetId = ((await dataset.json()) as { id: string }).id;
      const upload = await fetch(`${url}/datasets/${datasetId}/versions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: syntheticCreditCsv(50),
      });
      expect(upload.status).toBe(201);
    } finally {
      // SIGTERM: the batch processor still holds the spans; the process exports them before it ends.
      await stop(child);
      await database.drop();
    }

    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.contentType === 'application/json')).toBe(true);
    const resources = received.flatMap((r) => r.body.resourceSpans);
    expect(new Set(resources.map((r) => attribute(r.resource.attributes, 'service.name')))).toEqual(new Set(['assay']));
    const scopes = resources.flatMap((r) => r.scopeSpans);
    const spans = scopes.flatMap((s) => s.spans);
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['GET /health', 'POST /auth/sign-in', 'POST /datasets', 'POST /datasets/:id/versions', 'assay.ingest', 'assay.privacy_scan']),
    );

    const health = spans.find((s) => s.name === 'GET /health')!;
    expect(health).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId, kind: 2 /* SERVER */ });
    expect(attribute(health.attributes, 'http.response.status_code')).toBe(200);
    const ingest = spans.find((s) => s.name === 'assay.ingest')!;
    expect(attribute(ingest.attributes, 'assay.dataset.id')).toBe(datasetId!);
    expect(ingest.events?.map((e) => attribute(e.attributes, 'assay.evidence.kind'))).toEqual(['dataset_version.registered']);

    // Statements of the upload: the PGlite pool's spans, or on PostgreSQL the pg instrumentation's
    // (require-in-the-middle does patch node-postgres in a real process).
    const statementScope = TEST_DB === 'pglite' ? 'assay-database' : '@opentelemetry/instrumentation-pg';
    const statements = scopes.filter((s) => s.scope.name === statementScope).flatMap((s) => s.spans);
    expect(statements.filter((s) => s.traceId === ingest.traceId).length).toBeGreaterThan(3);
    if (TEST_DB === 'postgres') expect(JSON.stringify(statements)).not.toContain(datasetId!);

    // The request log line of /health names the caller's trace and the server span.
    const line = output()
      .split('\n')
      .find((l) => l.includes('"path":"/health"') && l.includes('request completed'))!;
    expect(JSON.parse(line)).toMatchObject({ trace_id: caller.traceId, span_id: health.spanId });
  });
});
