import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../../../../test/support/test-database';
import { loadConfig } from '../../../platform/config/config.loader';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { createDataSource } from '../../../platform/database/data-source';
import { retryDelayMs, WebhookDispatcher, type DeliveryPassResult } from './webhook-dispatcher';
import { verifyWebhookSignature } from './webhook-signature';

// Against a real database (PGlite or PostgreSQL, per ASSAY_TEST_DB) and real HTTP receivers on
// 127.0.0.1. Retries are made due by moving next_attempt_at into the past rather than by sleeping.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
type Reply = number | 'hang' | { status: number; headers?: Record<string, string>; delayMs?: number };

interface Receiver {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

/** An HTTP server answering its n-th request (from 0) with `reply(n)`. */
async function startReceiver(reply: (index: number) => Reply = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = reply(requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }) - 1);
      if (answer === 'hang') return;
      const { status, headers = {}, delayMs = 0 } = typeof answer === 'number' ? { status: answer } : answer;
      setTimeout(() => res.writeHead(status, headers).end('receiver says hello'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/assay?token=abc`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(receiver);
  return receiver;
}

const nothing: DeliveryPassResult = { delivered: 0, failed: 0, retried: 0 };
const EVENT = 'monitoring.alert.opened';
const secretFor = (n: number) => `whsec_${String(n).padStart(4, '0')}_0123456789abcdefghijklmnopqrstuvwxyz`;

describe('WebhookDispatcher', () => {
  let database: TestDatabase;
  let db: DataSource;
  let config: AssayConfig;
  let dispatcher: WebhookDispatcher;
  let ownerId: string;
  let models = 0;
  let webhooks = 0;
  const logged: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    config = loadConfig({
      ASSAY_LOG_LEVEL: 'silent',
      ...database.env,
      ASSAY_WEBHOOK_POLL_MS: '50',
      ASSAY_WEBHOOK_TIMEOUT_MS: '300',
      ASSAY_WEBHOOK_MAX_ATTEMPTS: '4',
    });
    db = await (await createDataSource(database.config)).initialize();
    await db.runMigrations({ transaction: 'each' });
    const [user] = await db.query<{ id: string }[]>(
      `INSERT INTO users (email, display_name, role) VALUES ('owner@example.org', 'Model owner', 'engineer') RETURNING id`,
    );
    ownerId = user!.id;
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
  });

  beforeEach(() => (dispatcher = new WebhookDispatcher(db, config)));

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    // What a test left pending must not be sent by the next one.
    await db.query(`UPDATE webhook_deliveries SET state = 'failed' WHERE state = 'pending'`);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await db?.destroy();
    await database?.drop();
  });

  async function createModel(...urls: string[]): Promise<{ modelId: string; webhookIds: string[]; secrets: string[] }> {
    const [model] = await db.query<{ id: string }[]>(
      `INSERT INTO registered_models (name, owner_id, intended_use, risk_tier) VALUES ($1, $2, 'Credit scoring', 'high') RETURNING id`,
      [`model-${++models}`, ownerId],
    );
    const webhookIds: string[] = [];
    const secrets: string[] = [];
    for (const url of urls) {
      const secret = secretFor(++webhooks);
      const [row] = await db.query<{ id: string }[]>(`INSERT INTO monitoring_webhooks (model_id, url, secret) VALUES ($1, $2, $3) RETURNING id`, [
        model!.id,
        url,
        secret,
      ]);
      webhookIds.push(row!.id);
      secrets.push(secret);
    }
    return { modelId: model!.id, webhookIds, secrets };
  }

  const enqueue = (modelId: string, payload: Record<string, unknown> = { alertId: 'a1', metric: 'psi', value: 0.31, note: 'PAYLOAD-MARKER' }) =>
    db.transaction((tx) => dispatcher.enqueue(tx, modelId, EVENT, payload));

  const makeDue = () => db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE state = 'pending'`);

  async function secondsUntilRetry(id: string): Promise<number> {
    const [row] = await db.query<{ s: string | number }[]>(`SELECT extract(epoch FROM next_attempt_at - now()) AS s FROM webhook_deliveries WHERE id = $1`, [
      id,
    ]);
    return Number(row!.s);
  }

  it('queues nothing when the enqueuing transaction rolls back, and refuses to run outside one', async () => {
    const receiver = await startReceiver();
    const { modelId } = await createModel(receiver.url);
    await expect(
      db.transaction(async (tx) => {
        expect(await dispatcher.enqueue(tx, modelId, EVENT, { alertId: 'a1' })).toBe(1);
        throw new Error('alert rolled back');
      }),
    ).rejects.toThrow('alert rolled back');
    expect(await dispatcher.deliverDue()).toEqual(nothing);
    expect(receiver.requests).toHaveLength(0);
    expect(await dispatcher.deliveries(modelId)).toEqual([]);
    await expect(dispatcher.enqueue(db.manager, modelId, EVENT, {})).rejects.toThrow(/join a transaction/);
    await expect(db.transaction((tx) => dispatcher.enqueue(tx, modelId, 'Bad Event\r\nX: 1', {}))).rejects.toThrow(/event name/);
  });

  it('delivers once to every webhook of the model, signed, with the exact stored bytes', async () => {
    const [a, b, other] = await Promise.all([startReceiver(() => 200), startReceiver(() => 204), startReceiver()]);
    const { modelId, webhookIds, secrets } = await createModel(a.url, b.url);
    await createModel(other.url);
    expect(await createModel().then(({ modelId: bare }) => enqueue(bare))).toBe(0);
    const payload = { alertId: 'a1', metric: 'psi', value: 0.31, note: 'drift über Schwelle – 漂移', nested: { at: '2026-01-01T00:00:00.000Z' } };
    expect(await enqueue(modelId, payload)).toBe(2);

    expect(await dispatcher.deliverDue()).toEqual({ delivered: 2, failed: 0, retried: 0 });
    expect(await dispatcher.deliverDue()).toEqual(nothing);
    expect(other.requests).toHaveLength(0);

    const views = await dispatcher.deliveries(modelId);
    expect(views).toHaveLength(2);
    for (const [i, receiver] of [a, b].entries()) {
      expect(receiver.requests).toHaveLength(1);
      const { headers, body } = receiver.requests[0]!;
      const view = views.find((v) => v.webhookId === webhookIds[i])!;
      expect(body).toBe(JSON.stringify(payload));
      expect(headers['content-type']).toBe('application/json');
      expect(headers['assay-event']).toBe(EVENT);
      expect(headers['assay-delivery']).toBe(view.id);
      expect(verifyWebhookSignature(secrets[i]!, body, headers['assay-signature'] as string)).toEqual({ ok: true });
      expect(verifyWebhookSignature(secrets[1 - i]!, body, headers['assay-signature'] as string).ok).toBe(false);
      expect(view).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        webhookId: webhookIds[i],
        url: receiver.url,
        event: EVENT,
        state: 'delivered',
        attempts: 1,
        lastStatus: i === 0 ? 200 : 204,
        lastError: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
    const [stored] = await db.query<{ payload: string }[]>(`SELECT payload FROM webhook_deliveries WHERE id = $1`, [views[0]!.id]);
    expect(stored!.payload).toBe(JSON.stringify(payload));
  });

  it('retries a receiver answering 500 twice with back-off, and delivers on attempt 3 with the same id and body', async () => {
    const receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
    const { modelId } = await createModel(receiver.url);
    await enqueue(modelId);

    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    let [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null });
    expect(await secondsUntilRetry(view!.id)).toBeGreaterThan(0.5);
    expect(await secondsUntilRetry(view!.id)).toBeLessThanOrEqual(1.2);
    expect(await dispatcher.deliverDue()).toEqual(nothing); // not due yet

    await makeDue();
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'pending', attempts: 2, lastStatus: 500 });
    expect(await secondsUntilRetry(view!.id)).toBeGreaterThan(1.3);
    expect(await secondsUntilRetry(view!.id)).toBeLessThanOrEqual(2.4);

    await makeDue();
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['assay-delivery']))).toEqual(new Set([view!.id]));
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  });

  it('records a timeout when the receiver never answers, and keeps delivering to the others in the pass', async () => {
    const [silent, fine] = await Promise.all([startReceiver(() => 'hang'), startReceiver()]);
    const { modelId, webhookIds } = await createModel(silent.url, fine.url);
    await enqueue(modelId);
    const started = Date.now();
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 1, failed: 0, retried: 1 });
    expect(Date.now() - started).toBeLessThan(4_000);
    const views = await dispatcher.deliveries(modelId);
    expect(views.find((v) => v.webhookId === webhookIds[0])).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'timed out after 300 ms',
    });
    expect(views.find((v) => v.webhookId === webhookIds[1])).toMatchObject({ state: 'delivered' });
  });

  it('records an unreachable receiver', async () => {
    const gone = await startReceiver();
    await gone.close();
    const { modelId } = await createModel(gone.url);
    await enqueue(modelId);
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'pending', lastStatus: null, lastError: expect.stringContaining('ECONNREFUSED') });
  });

  it('marks a delivery failed once ASSAY_WEBHOOK_MAX_ATTEMPTS attempts failed, and sends it no more', async () => {
    dispatcher = new WebhookDispatcher(db, { ...config, ASSAY_WEBHOOK_MAX_ATTEMPTS: 2 });
    const receiver = await startReceiver(() => ({ status: 503, headers: { 'Retry-After': '1' } }));
    const { modelId } = await createModel(receiver.url);
    await enqueue(modelId);
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    await makeDue();
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 1, retried: 0 });
    await makeDue();
    expect(await dispatcher.deliverDue()).toEqual(nothing);
    expect(receiver.requests).toHaveLength(2);
    const [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'failed', attempts: 2, lastStatus: 503, lastError: 'HTTP 503', deliveredAt: null });
  });

  it('counts a redirect as a failure and does not follow it', async () => {
    const elsewhere = await startReceiver();
    const redirecting = await startReceiver(() => ({ status: 302, headers: { Location: elsewhere.url } }));
    const { modelId } = await createModel(redirecting.url);
    await enqueue(modelId);
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect(redirecting.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    const [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 302, lastError: 'HTTP 302 (redirects are not followed)' });
  });

  it('sends each delivery exactly once when two dispatchers (on PostgreSQL, two connection pools) run passes concurrently', async () => {
    const second = TEST_DB === 'postgres' ? await (await createDataSource(database.config)).initialize() : db;
    try {
      const other = new WebhookDispatcher(second, config);
      const receiver = await startReceiver(() => ({ status: 200, delayMs: 30 }));
      const { modelId } = await createModel(receiver.url, receiver.url, receiver.url);
      for (let i = 0; i < 15; i++) await enqueue(modelId, { alertId: `a${i}` });
      const totals = { ...nothing };
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all([dispatcher.deliverDue(), other.deliverDue(), dispatcher.deliverDue(), other.deliverDue()]);
        for (const result of results) for (const key of Object.keys(totals) as (keyof DeliveryPassResult)[]) totals[key] += result[key];
        if (results.every((result) => result.delivered === 0)) break;
      }
      expect(totals).toEqual({ delivered: 45, failed: 0, retried: 0 });
      const ids = receiver.requests.map((r) => r.headers['assay-delivery']);
      expect(ids).toHaveLength(45);
      expect(new Set(ids).size).toBe(45);
      expect((await dispatcher.deliveries(modelId, 100)).every((v) => v.state === 'delivered' && v.attempts === 1)).toBe(true);
    } finally {
      if (second !== db) await second.destroy();
    }
  });

  it('coalesces nudges: never two passes at once, one more pass for nudges during a pass', async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 100 }));
    const { modelId } = await createModel(receiver.url);
    await enqueue(modelId);
    const spied = dispatcher as unknown as { pass: () => Promise<DeliveryPassResult> };
    const pass = spied.pass.bind(dispatcher);
    let running = 0;
    let overlap = 0;
    let passes = 0;
    jest.spyOn(spied, 'pass').mockImplementation(async () => {
      passes++;
      if (++running > 1) overlap++;
      try {
        return await pass();
      } finally {
        running--;
      }
    });
    for (let i = 0; i < 10; i++) dispatcher.nudge();
    for (let waited = 0; (passes < 2 || running > 0) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a third pass, were there one
    await dispatcher.onApplicationShutdown();
    expect(passes).toBe(2);
    expect(overlap).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    dispatcher.nudge(); // stopped: does nothing
    expect(passes).toBe(2);
  });

  it('polls once bootstrapped, and waits on shutdown for the pass in flight', async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 200 }));
    const { modelId } = await createModel(receiver.url);
    dispatcher.onApplicationBootstrap();
    try {
      await enqueue(modelId); // no nudge: the poll finds it
      for (let waited = 0; receiver.requests.length === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await dispatcher.onApplicationShutdown();
    }
    // The request was in flight when shutdown began; the outcome is recorded before it returns.
    const [view] = await dispatcher.deliveries(modelId);
    expect(view).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('lists the latest deliveries first, up to the limit', async () => {
    const receiver = await startReceiver();
    const { modelId } = await createModel(receiver.url);
    for (let i = 0; i < 3; i++) await db.transaction((tx) => dispatcher.enqueue(tx, modelId, `monitoring.alert.e${i}`, {}));
    expect((await dispatcher.deliveries(modelId, 2)).map((v) => v.event)).toEqual(['monitoring.alert.e2', 'monitoring.alert.e1']);
  });

  it('logs failures without secrets, URLs or payloads', () => {
    expect(logged.some((line) => line.includes('failed'))).toBe(true);
    for (const line of logged) {
      expect(line).not.toMatch(/whsec_|PAYLOAD-MARKER|hooks\/assay|token=abc/);
    }
  });
});

describe('retryDelayMs', () => {
  it('doubles from 1 s, caps at 1 h and spreads ±20 %', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 0.5))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(1, () => 0)).toBe(800);
    expect(retryDelayMs(1, () => 1)).toBe(1_200);
    expect(retryDelayMs(12, () => 0.5)).toBe(2_048_000);
    expect(retryDelayMs(13, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(40, () => 1)).toBe(4_320_000);
  });
});
