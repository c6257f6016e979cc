/**
 * Validation of a webhook's URL and secret, where they are registered.
 *
 * Private, loopback and link-local addresses are allowed on purpose: Assay is self-hosted and its
 * alerts usually go to internal tools (a chat bridge, an incident system, a pager relay) on the
 * same network. The server-side-request risk that leaves is bounded by who may register webhooks
 * and by the dispatcher: it only POSTs the signed alert body, never follows redirects, and keeps
 * no response body.
 */

export const WEBHOOK_URL_MAX_LENGTH = 2_000;
export const WEBHOOK_SECRET_MIN_LENGTH = 32;
export const WEBHOOK_SECRET_MAX_LENGTH = 256;

export type WebhookUrlValidation = { ok: true; url: string } | { ok: false; reason: string };
export type WebhookSecretValidation = { ok: true; secret: string } | { ok: false; reason: string };

/**
 * An absolute http(s) URL without credentials or fragment. `url` is the parsed, normalised form
 * (lowercased scheme and host, punycode, percent-encoding): the one to store and to call.
 */
export function validateWebhookUrl(text: unknown): WebhookUrlValidation {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, reason: 'the webhook URL is required' };
  if (text.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: `the webhook URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters` };
  // The URL parser silently drops surrounding spaces and inner tabs and newlines: refuse them
  // rather than call something other than what was typed.
  if (/\s/.test(text) || hasControlCharacter(text)) return { ok: false, reason: 'the webhook URL contains spaces or control characters' };
  // Also refuses forms the parser would accept without `//` (`http:host`, `http:\\host`).
  if (!/^https?:\/\//i.test(text)) return { ok: false, reason: 'the webhook URL must be an absolute http:// or https:// URL' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'the webhook URL is not a valid URL' };
  }
  // Credentials in a URL end up in logs and on screens; the signing secret authenticates instead.
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'the webhook URL must not contain a user name or password' };
  // `#` always starts the fragment (it is escaped anywhere else); an empty one leaves url.hash empty.
  if (text.includes('#')) return { ok: false, reason: 'the webhook URL must not contain a fragment (#…)' };
  if (url.href.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: `the webhook URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters` };
  return { ok: true, url: url.href };
}

/** A signing secret: 32–256 printable ASCII characters (space to tilde), so that it is typed and stored unambiguously. */
export function validateWebhookSecret(text: unknown): WebhookSecretValidation {
  if (typeof text !== 'string') return { ok: false, reason: 'the webhook secret is required' };
  if (text.length < WEBHOOK_SECRET_MIN_LENGTH || text.length > WEBHOOK_SECRET_MAX_LENGTH) {
    return { ok: false, reason: `the webhook secret must be ${WEBHOOK_SECRET_MIN_LENGTH} to ${WEBHOOK_SECRET_MAX_LENGTH} characters long` };
  }
  if (!/^[\x20-\x7e]+$/.test(text)) return { ok: false, reason: 'the webhook secret must consist of printable ASCII characters' };
  return { ok: true, secret: text };
}

const hasControlCharacter = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};
