import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { assertInTransaction } from '../../../platform/database/transaction';
import { updateReturning } from '../../../platform/database/update-returning';
import { signWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature';

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/** One delivery as the monitoring page lists it. */
export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  url: string;
  event: string;
  state: WebhookDeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryPassResult {
  delivered: number;
  failed: number;
  retried: number;
}

/** Deliveries claimed per pass; a full batch is followed at once by another pass. */
export const WEBHOOK_BATCH_SIZE = 20;
/** Added to the send timeout for the claim's lease: time to record the outcome before another process may retry. */
const LEASE_MARGIN_MS = 10_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 3_600_000;
const BACKOFF_JITTER = 0.2;
const LAST_ERROR_MAX_LENGTH = 500;
/** Event names go into a header: keep them plain tokens. */
const EVENT_NAME = /^[a-z][a-z0-9._-]{0,99}$/;

/**
 * Wait before attempt `attempts + 1` after `attempts` failed ones: 1 s doubling per attempt, at most
 * 1 h, spread ±20 % so that deliveries that failed together (a receiver down) do not retry in step.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
  return Math.round(base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random()));
}

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  /** This attempt's number: counted at claim time, so that an attempt cut short by a crash counts too. */
  attempts: number;
  url: string;
  secret: string;
}

type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * Sends monitoring alerts to the webhooks of their model: an outbox. `enqueue` writes the
 * deliveries in the transaction that raises the alert, so an alert and its notifications commit
 * (or roll back) together; passes here then POST them, signed (see webhook-signature.ts), and retry
 * failures with exponential back-off until ASSAY_WEBHOOK_MAX_ATTEMPTS.
 *
 * Delivery is at-least-once: a receiver that got a request but whose answer was lost (timeout,
 * crash before the outcome was recorded) gets it again, under the same `Assay-Delivery` id.
 * Several processes may run passes against one database; claims keep them from sending the same
 * delivery at the same time.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer: NodeJS.Timeout | undefined;
  /** Passes of this process run one after another along this chain. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The nudge loop, while one runs; `rerun` asks it for one more pass. */
  private pumping: Promise<void> | undefined;
  private rerun = false;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /**
   * Queues `event` for every webhook of the model, inside the caller's transaction; returns how
   * many deliveries were queued. The payload is serialised once here: those exact bytes are
   * stored, signed and sent on every attempt. Call `nudge()` once the transaction has committed.
   */
  async enqueue(tx: EntityManager, modelId: string, event: string, payload: Record<string, unknown>): Promise<number> {
    assertInTransaction(tx);
    if (!EVENT_NAME.test(event)) throw new Error(`Invalid webhook event name: ${JSON.stringify(event)}`);
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO webhook_deliveries (webhook_id, event, payload)
       SELECT id, $2, $3 FROM monitoring_webhooks WHERE model_id = $1
       RETURNING id`,
      [modelId, event, JSON.stringify(payload)],
    );
    return rows.length;
  }

  /**
   * Asks for a pass now rather than at the next poll. Nudges coalesce: while a pass runs, any
   * number of nudges make exactly one more pass after it (the running one may have claimed before
   * the nudging transaction committed).
   */
  nudge(): void {
    if (this.stopping) return;
    this.rerun = true;
    this.pumping ??= this.pump();
  }

  /**
   * One pass: claims up to WEBHOOK_BATCH_SIZE due deliveries, sends them concurrently and records
   * each outcome. A receiver's failure is recorded, never thrown; a database failure is thrown
   * (the claimed deliveries are retried when their lease lapses). Passes of one process never overlap.
   */
  deliverDue(): Promise<DeliveryPassResult> {
    const pass = this.tail.then(() => this.pass());
    this.tail = pass.catch(() => undefined);
    return pass;
  }

  /** The model's latest deliveries, newest first. */
  async deliveries(modelId: string, limit = 50): Promise<WebhookDeliveryView[]> {
    const rows = await this.db.query<
      {
        id: string;
        webhook_id: string;
        url: string;
        event: string;
        state: WebhookDeliveryState;
        attempts: number;
        last_status: number | null;
        last_error: string | null;
        created_at: Date | string;
        delivered_at: Date | string | null;
      }[]
    >(
      `SELECT d.id, d.webhook_id, w.url, d.event, d.state, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at
         FROM webhook_deliveries d JOIN monitoring_webhooks w ON w.id = d.webhook_id
        WHERE w.model_id = $1
        ORDER BY d.seq DESC LIMIT $2`,
      [modelId, Math.min(Math.max(Math.trunc(limit), 1), 500)],
    );
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      url: row.url,
      event: row.event,
      state: row.state,
      attempts: row.attempts,
      lastStatus: row.last_status,
      lastError: row.last_error,
      createdAt: new Date(row.created_at).toISOString(),
      deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at).toISOString(),
    }));
  }

  onApplicationBootstrap(): void {
    // The poll picks up retries that came due and deliveries another process queued; the first
    // nudge sends what was left pending when this process (or another) last stopped.
    this.timer = setInterval(() => this.nudge(), this.config.ASSAY_WEBHOOK_POLL_MS).unref();
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.pumping;
    await this.tail;
  }

  private async pump(): Promise<void> {
    try {
      while (this.rerun && !this.stopping) {
        this.rerun = false;
        try {
          const result = await this.deliverDue();
          if (result.delivered + result.failed + result.retried >= WEBHOOK_BATCH_SIZE) this.rerun = true;
        } catch (error) {
          this.logger.error(`Webhook delivery pass failed: ${describe(error)}`);
        }
      }
    } finally {
      this.pumping = undefined;
    }
  }

  private async pass(): Promise<DeliveryPassResult> {
    const claimed = await this.claim();
    const result: DeliveryPassResult = { delivered: 0, failed: 0, retried: 0 };
    await Promise.all(
      claimed.map(async (delivery) => {
        const outcome = await this.send(delivery);
        try {
          const recorded = await this.record(delivery, outcome);
          if (recorded) result[recorded]++;
        } catch (error) {
          // Left pending under its lease: the next pass after the lease retries it.
          this.logger.error(`Webhook delivery ${delivery.id}: recording attempt ${delivery.attempts} failed: ${describe(error)}`);
        }
      }),
    );
    return result;
  }

  /**
   * Takes due deliveries in one statement (its own short transaction): `SKIP LOCKED` passes over
   * rows another process is claiming, and the claim moves `next_attempt_at` past this attempt's
   * timeout — a lease — so that once committed no other pass sees them as due while they are in
   * flight. The HTTP calls happen after the commit, holding no lock or connection.
   */
  private claim(): Promise<ClaimedDelivery[]> {
    return updateReturning<ClaimedDelivery>(
      this.db,
      `WITH due AS MATERIALIZED (
         SELECT id FROM webhook_deliveries
          WHERE state = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at, seq
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM due, monitoring_webhooks w
        WHERE d.id = due.id AND w.id = d.webhook_id
       RETURNING d.id, d.webhook_id, d.event, d.payload, d.attempts, w.url, w.secret`,
      [WEBHOOK_BATCH_SIZE, this.config.ASSAY_WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS],
    );
  }

  /** POSTs one delivery. Only a 2xx answer counts: a redirect is not followed (it would resend the body elsewhere). */
  private async send(delivery: ClaimedDelivery): Promise<SendOutcome> {
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Assay-Webhooks/1',
          [WEBHOOK_EVENT_HEADER]: delivery.event,
          [WEBHOOK_DELIVERY_HEADER]: delivery.id,
          // Signed now, not at enqueue: the timestamp must be fresh for the receiver's replay window.
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(delivery.secret, delivery.payload, Math.floor(Date.now() / 1000)),
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.ASSAY_WEBHOOK_TIMEOUT_MS),
      });
      // The body is not used; cancelling it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      return { ok: false, status: response.status, error: `HTTP ${response.status}${redirect}` };
    } catch (error) {
      if (field(error, 'name') === 'TimeoutError') {
        return { ok: false, status: null, error: `timed out after ${this.config.ASSAY_WEBHOOK_TIMEOUT_MS} ms` };
      }
      // Network errors name host and port at most; a malformed URL would be quoted whole: keep it out.
      return { ok: false, status: null, error: describe(error).split(delivery.url).join('<webhook url>') };
    }
  }

  /**
   * Records an attempt's outcome, if this pass still holds the delivery (the attempt number fences
   * out a pass whose lease lapsed and was re-claimed). Returns which count it adds to, or nothing.
   */
  private async record(delivery: ClaimedDelivery, outcome: SendOutcome): Promise<keyof DeliveryPassResult | undefined> {
    const fence = `id = $1 AND state = 'pending' AND attempts = $2`;
    if (outcome.ok) {
      const rows = await updateReturning(
        this.db,
        `UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now(), last_status = $3, last_error = NULL WHERE ${fence} RETURNING id`,
        [delivery.id, delivery.attempts, outcome.status],
      );
      return rows.length > 0 ? 'delivered' : undefined;
    }
    const giveUp = delivery.attempts >= this.config.ASSAY_WEBHOOK_MAX_ATTEMPTS;
    const delayMs = retryDelayMs(delivery.attempts);
    const rows = await updateReturning(
      this.db,
      `UPDATE webhook_deliveries
          SET state = $3, last_status = $4, last_error = $5,
              next_attempt_at = CASE WHEN $3 = 'failed' THEN next_attempt_at ELSE now() + $6 * interval '1 millisecond' END
        WHERE ${fence} RETURNING id`,
      [delivery.id, delivery.attempts, giveUp ? 'failed' : 'pending', outcome.status, outcome.error.slice(0, LAST_ERROR_MAX_LENGTH), delayMs],
    );
    if (rows.length === 0) return undefined;
    // Ids only: the URL may itself be a credential (chat webhooks) and the payload is the alert.
    this.logger.warn(
      `Webhook delivery ${delivery.id} (webhook ${delivery.webhook_id}, ${delivery.event}) attempt ${delivery.attempts} failed: ${outcome.error}` +
        (giveUp ? '; giving up' : `; retrying in ${Math.round(delayMs / 1000)} s`),
    );
    return giveUp ? 'failed' : 'retried';
  }
}

/**
 * An error's message with its cause (fetch reports "fetch failed" and puts the reason there).
 * Duck-typed: fetch's errors may come from another realm, where `instanceof Error` is false.
 */
function describe(error: unknown): string {
  const message = field(error, 'message');
  const cause = field(field(error, 'cause'), 'message');
  const text = typeof message === 'string' ? message : String(error);
  return typeof cause === 'string' ? `${text}: ${cause}` : text;
}

const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);
