import { useState } from 'preact/hooks';
import { api, ApiError, type Page, type Promotion, type RuleResult } from './api';
import { RuleTable } from './models';
import { date, Loading, StateBadge, useApp, useAsync } from './ui';

export function ReviewPage() {
  const { t, me } = useApp();
  const role = me.user.role;
  if (role !== 'compliance_officer' && role !== 'regulator' && role !== 'admin')
    return (
      <section aria-labelledby="review-h">
        <h1 id="review-h">{t('navReview')}</h1>
        <p role="alert" class="error">
          {t('noAccess')}
        </p>
      </section>
    );
  return <ReviewList />;
}

function ReviewList() {
  const { t, me } = useApp();
  const { data, error } = useAsync(() => api.get<Page<Promotion>>('/promotions?limit=500'), []);
  const title = me.user.role === 'compliance_officer' ? t('navReview') : t('navDecisions');
  const table = (items: Promotion[], caption: string) => (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('requested')}</th>
          <th scope="col">{t('version')}</th>
          <th scope="col">{t('target')}</th>
          <th scope="col">{t('state')}</th>
          <th scope="col">{t('outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id} data-promotion={p.id}>
            <td>
              <a href={`#/promotions/${p.id}`}>{date(p.createdAt)}</a>
            </td>
            <td>
              <a href={`#/models/${p.modelId}/versions/${p.version}`}>v{p.version}</a>
            </td>
            <td>{p.targetStage}</td>
            <td>
              <StateBadge state={p.state} />
            </td>
            <td>
              {p.decision.counts.fail} ✗ · {p.decision.counts.waived} waived · {p.decision.counts.pass} ✓
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section aria-labelledby="review-h">
      <h1 id="review-h">{title}</h1>
      {!data ? (
        <Loading error={error} />
      ) : (
        <>
          {table(
            data.items.filter((p) => p.state === 'pending_approval'),
            t('pending'),
          )}
          {table(
            data.items.filter((p) => p.state !== 'pending_approval'),
            t('decided'),
          )}
        </>
      )}
    </section>
  );
}

export function PromotionPage({ id }: { id: string }) {
  const { t, me } = useApp();
  const { data, error, reload } = useAsync(() => api.get<Promotion>(`/promotions/${id}`), [id]);
  const [rationale, setRationale] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [waiving, setWaiving] = useState<RuleResult | null>(null);
  if (!data) return <Loading error={error} />;
  const officer = me.user.role === 'compliance_officer';
  const own = data.requestedBy === me.user.id;
  const decide = async (action: 'approve' | 'reject') => {
    try {
      await api.post(`/promotions/${id}/${action}`, { rationale });
      setStatus(t('decisionSaved'));
      reload();
    } catch (e) {
      setStatus(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  return (
    <article aria-labelledby="promotion-h">
      <h1 id="promotion-h">
        {t('request')}: v{data.version} → {data.targetStage}
      </h1>
      <p>
        <StateBadge state={data.state} /> · {t('requested')} {date(data.createdAt)} ·{' '}
        <a href={`#/models/${data.modelId}/versions/${data.version}`}>
          {t('version')} {data.version}
        </a>
      </p>
      {data.rationale && (
        <p class="rationale">
          <strong>{t('rationale')}:</strong> {data.rationale}
        </p>
      )}
      {data.decision.blockedBy.length > 0 && (
        <section aria-labelledby="why-h">
          <h2 id="why-h">{t('why')}</h2>
          <ul>
            {data.decision.blockedBy.map((r) => {
              const rule = data.decision.rules.find((x) => x.packId === r.packId && x.ruleId === r.ruleId);
              return (
                <li key={`${r.packId}/${r.ruleId}`}>
                  <code>
                    {r.packId}/{r.ruleId}
                  </code>
                  : {rule?.message ?? rule?.title} — {rule?.cites.join('; ')}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {officer && data.state === 'pending_approval' && (
        <section aria-labelledby="decide-h">
          <h2 id="decide-h">{t('approve')} / {t('reject')}</h2>
          {own ? (
            <p>{t('ownRequest')}</p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
              }}
            >
              <label for="rationale">{t('rationale')}</label>
              <textarea id="rationale" required minLength={3} value={rationale} onInput={(e) => setRationale((e.target as HTMLTextAreaElement).value)} />
              <div class="actions">
                <button type="button" class="primary" disabled={rationale.trim().length < 3} onClick={() => void decide('approve')}>
                  {t('approve')}
                </button>
                <button type="button" disabled={rationale.trim().length < 3} onClick={() => void decide('reject')}>
                  {t('reject')}
                </button>
              </div>
            </form>
          )}
        </section>
      )}
      {status && (
        <p role="status" class="status">
          {status}
        </p>
      )}
      {waiving && <WaiverForm promotion={data} rule={waiving} onDone={(message) => (setWaiving(null), setStatus(message))} />}
      <section aria-labelledby="rules-h">
        <h2 id="rules-h">{t('policy')}</h2>
        <RuleTable rules={data.decision.rules} {...(officer && data.state === 'blocked' ? { onWaive: setWaiving } : {})} />
      </section>
    </article>
  );
}

function WaiverForm({ promotion, rule, onDone }: { promotion: Promotion; rule: RuleResult; onDone: (message: string) => void }) {
  const { t } = useApp();
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post('/waivers', {
        modelId: promotion.modelId,
        version: promotion.version,
        packId: rule.packId,
        ruleId: rule.ruleId,
        justification,
        expiresAt: new Date(`${expires}T23:59:59.000Z`).toISOString(),
      });
      onDone(t('waiverSaved'));
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  return (
    <form class="waiver" onSubmit={(e) => void submit(e)} aria-labelledby="waiver-h">
      <h2 id="waiver-h">
        {t('waive')}: <code>{rule.packId}/{rule.ruleId}</code>
      </h2>
      <label for="justification">{t('justification')}</label>
      <textarea id="justification" required minLength={3} value={justification} onInput={(e) => setJustification((e.target as HTMLTextAreaElement).value)} />
      <label for="expires">{t('expires')}</label>
      <input id="expires" type="date" required value={expires} onInput={(e) => setExpires((e.target as HTMLInputElement).value)} />
      <div class="actions">
        <button type="submit" class="primary">
          {t('waive')}
        </button>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
