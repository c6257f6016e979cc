import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of monitoring webhooks (the scheme of Stripe and Standard Webhooks, with Assay's names).
 *
 * Every delivery is an HTTP POST with `Content-Type: application/json` and three headers:
 *
 * - `Assay-Event`: the event name, e.g. `monitoring.alert.opened`.
 * - `Assay-Delivery`: the delivery id (a UUID). Deliveries are at-least-once — a delivery whose
 *   answer was lost (timeout, crash, network) is sent again with the same id and the same body —
 *   so receivers deduplicate on this id.
 * - `Assay-Signature`: `t=<timestamp>,v1=<signature>`, where `<timestamp>` is the sending time in
 *   unix seconds and `<signature>` the lowercase hex HMAC-SHA256, keyed with the webhook's secret
 *   (its UTF-8 bytes), of the UTF-8 bytes of `<timestamp>` + `.` + the raw request body.
 *
 * To verify, a receiver:
 * 1. takes the raw body bytes as received (parsing then re-serialising the JSON changes them);
 * 2. splits the header on `,` into `key=value` items; reads exactly one `t` and one or more `v1`,
 *    ignoring other keys (room for a future scheme `v2` next to `v1`);
 * 3. computes the HMAC above and compares it with each `v1` in constant time;
 * 4. rejects the request unless one matches and `t` is within 5 minutes of its own clock (either
 *    way), which bounds how long a captured request can be replayed; the signature covers `t`, so
 *    it cannot be moved forward. Deduplicating on `Assay-Delivery` closes the window entirely.
 *
 * A retry is signed afresh with its own timestamp, so a delivery retried hours later still verifies.
 * `verifyWebhookSignature` below is that procedure, for receivers written in TypeScript and for tests.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'Assay-Signature';
export const WEBHOOK_EVENT_HEADER = 'Assay-Event';
export const WEBHOOK_DELIVERY_HEADER = 'Assay-Delivery';

/** How far a signature's timestamp may be from the receiver's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookVerification = { ok: true } | { ok: false; reason: string };

/** The `Assay-Signature` header value for `payload` (the exact body bytes) sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, payload: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('The webhook timestamp must be a non-negative integer of unix seconds');
  return `t=${timestamp},v1=${hmac(secret, timestamp, payload).toString('hex')}`;
}

/** Checks an `Assay-Signature` header against the raw body; `now` is in unix seconds (default: the clock). */
export function verifyWebhookSignature(
  secret: string,
  payload: string,
  header: string | null | undefined,
  options: { now?: number; toleranceSeconds?: number } = {},
): WebhookVerification {
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return parsed;
  const expected = hmac(secret, parsed.timestamp, payload);
  // Every candidate is compared in full (no early exit), each in constant time. A candidate of
  // another length cannot match (timingSafeEqual would throw) and only reveals its own length,
  // which the sender chose. Checking the text's length too: Buffer.from drops an odd last digit.
  let matched = false;
  for (const candidate of parsed.signatures) {
    const given = Buffer.from(candidate, 'hex');
    if (candidate.length === 2 * expected.length && given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'signature mismatch' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - parsed.timestamp) > tolerance) {
    return { ok: false, reason: parsed.timestamp < now ? 'timestamp too old (possible replay)' : 'timestamp in the future' };
  }
  return { ok: true };
}

function hmac(secret: string, timestamp: number, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(payload, 'utf8').digest();
}

/** Headers longer than this are not ours (one `t` and a few `v1` fit easily). */
const MAX_HEADER_LENGTH = 1024;

function parseSignatureHeader(header: string | null | undefined): { ok: true; timestamp: number; signatures: string[] } | { ok: false; reason: string } {
  if (typeof header !== 'string' || header.length === 0) return { ok: false, reason: 'missing signature header' };
  if (header.length > MAX_HEADER_LENGTH) return { ok: false, reason: 'malformed signature header: too long' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const equals = item.indexOf('=');
    if (equals <= 0) return { ok: false, reason: 'malformed signature header: expected key=value items' };
    const key = item.slice(0, equals);
    const value = item.slice(equals + 1);
    if (key === 't') {
      if (timestamp !== undefined) return { ok: false, reason: 'malformed signature header: more than one timestamp' };
      if (!/^\d{1,15}$/.test(value)) return { ok: false, reason: 'malformed signature header: timestamp is not unix seconds' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]+$/i.test(value)) return { ok: false, reason: 'malformed signature header: v1 is not hex' };
      signatures.push(value);
    }
  }
  if (timestamp === undefined) return { ok: false, reason: 'malformed signature header: no timestamp' };
  if (signatures.length === 0) return { ok: false, reason: 'malformed signature header: no v1 signature' };
  return { ok: true, timestamp, signatures };
}
