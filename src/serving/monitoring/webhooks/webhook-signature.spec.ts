import { signWebhook, verifyWebhookSignature, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature';

const secret = 'whsec_assay_known_answer_vector_0123456789';
const t = 1_765_200_000;
const payload = '{"event":"monitoring.alert.opened","alertId":"3f2b6c1e-0000-4000-8000-000000000001","value":0.42}';

describe('webhook signature', () => {
  it('names its headers', () => {
    expect([WEBHOOK_SIGNATURE_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_DELIVERY_HEADER]).toEqual(['Assay-Signature', 'Assay-Event', 'Assay-Delivery']);
  });

  it('matches vectors computed independently (Python hmac over "<t>.<payload>" in UTF-8)', () => {
    // python3 -c "import hmac,hashlib; print(hmac.new(SECRET, b'1765200000.' + PAYLOAD, hashlib.sha256).hexdigest())"
    expect(signWebhook(secret, payload, t)).toBe('t=1765200000,v1=4d8e4d77eb4b234e1b60a5674cbcd641f277b4ae2da3332fc9e66e0c71d01ef7');
    expect(signWebhook(secret, '{"note":"drift über Schwelle – 漂移"}', t)).toBe(
      't=1765200000,v1=c13bdaf22512ee661b084bbc86435d774fa8eb96bbb300a442e1006cf598d1b4',
    );
  });

  it('round-trips, within the tolerance either way', () => {
    const header = signWebhook(secret, payload, t);
    expect(verifyWebhookSignature(secret, payload, header, { now: t })).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, payload, header, { now: t + 300 })).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, payload, header, { now: t - 300 })).toEqual({ ok: true });
    const fresh = signWebhook(secret, payload, Math.floor(Date.now() / 1000));
    expect(verifyWebhookSignature(secret, payload, fresh)).toEqual({ ok: true });
  });

  it('rejects a tampered payload and a wrong secret', () => {
    const header = signWebhook(secret, payload, t);
    expect(verifyWebhookSignature(secret, payload.replace('0.42', '0.41'), header, { now: t })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(secret, `${payload} `, header, { now: t })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(`${secret}x`, payload, header, { now: t })).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('binds the timestamp: moving it forward breaks the signature', () => {
    const v1 = signWebhook(secret, payload, t).split(',v1=')[1];
    expect(verifyWebhookSignature(secret, payload, `t=${t + 1000},v1=${v1}`, { now: t + 1000 })).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('rejects stale and future timestamps beyond the tolerance', () => {
    const header = signWebhook(secret, payload, t);
    expect(verifyWebhookSignature(secret, payload, header, { now: t + 301 })).toEqual({ ok: false, reason: 'timestamp too old (possible replay)' });
    expect(verifyWebhookSignature(secret, payload, header, { now: t - 301 })).toEqual({ ok: false, reason: 'timestamp in the future' });
    expect(verifyWebhookSignature(secret, payload, header, { now: t + 30, toleranceSeconds: 10 }).ok).toBe(false);
  });

  it('rejects malformed headers', () => {
    const v1 = signWebhook(secret, payload, t).split(',v1=')[1]!;
    const malformed: (string | null | undefined)[] = [
      undefined,
      null,
      '',
      v1,
      `v1=${v1}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=${t},v1=${v1.slice(0, 62)}zz`,
      `t=${t},t=${t},v1=${v1}`,
      `t=-${t},v1=${v1}`,
      `t=${t}.5,v1=${v1}`,
      `t=1e9,v1=${v1}`,
      `t=${t},,v1=${v1}`,
      `t=${t}, v1=${v1}`,
      `=${t},v1=${v1}`,
      `t=${t},v1=${v1},${'x'.repeat(1024)}`,
    ];
    for (const header of malformed) {
      const result = verifyWebhookSignature(secret, payload, header, { now: t });
      expect({ header, ok: result.ok }).toEqual({ header, ok: false });
    }
    expect(verifyWebhookSignature(secret, payload, `t=${t},v1=${v1},t=${t}`, { now: t })).toEqual({
      ok: false,
      reason: 'malformed signature header: more than one timestamp',
    });
  });

  it('compares signatures of another length without throwing (timingSafeEqual needs equal lengths)', () => {
    const v1 = signWebhook(secret, payload, t).split(',v1=')[1]!;
    for (const candidate of [v1.slice(0, 62), `${v1}00`, `${v1}0`, 'ab', v1.slice(0, 63)]) {
      expect(verifyWebhookSignature(secret, payload, `t=${t},v1=${candidate}`, { now: t })).toEqual({ ok: false, reason: 'signature mismatch' });
    }
  });

  it('accepts uppercase hex, ignores unknown schemes, and accepts any matching v1 (room for secret rotation)', () => {
    const v1 = signWebhook(secret, payload, t).split(',v1=')[1]!;
    expect(verifyWebhookSignature(secret, payload, `t=${t},v1=${v1.toUpperCase()}`, { now: t })).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, payload, `t=${t},v2=whatever,v1=${'0'.repeat(64)},v1=${v1}`, { now: t })).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, payload, `v1=${v1},t=${t}`, { now: t })).toEqual({ ok: true });
  });

  it('refuses to sign with a timestamp that is not unix seconds', () => {
    expect(() => signWebhook(secret, payload, 1.5)).toThrow(RangeError);
    expect(() => signWebhook(secret, payload, -1)).toThrow(RangeError);
    expect(() => signWebhook(secret, payload, Number.NaN)).toThrow(RangeError);
  });
});
