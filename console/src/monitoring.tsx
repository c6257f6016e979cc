import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Monitoring, type MonitoringAlert, type MonitoringCheck, type MonitoringMetric } from './api';
import type { Key, T } from './i18n';
import { Badge, date, fmt, Loading, shortDigest, useApp, useAsync } from './ui';

/** The plan's threshold names and the metric each one bounds. */
const THRESHOLDS = [
  ['psi', 'psi'],
  ['ks', 'ks'],
  ['predictionRateDelta', 'prediction_rate_delta'],
  ['groupPredictionRateDelta', 'group_prediction_rate_delta'],
  ['accuracyDrop', 'accuracy_drop'],
] as const;

const metricName = (t: T, metric: string) => t(`metric_${metric}` as Key) ?? metric;
type Status = 'breached' | 'insufficient' | 'ok';
const statusOf = (m: MonitoringMetric): Status => (m.breached ? 'breached' : m.insufficient ? 'insufficient' : 'ok');
const STATUS_KIND = { breached: 'bad', insufficient: 'neutral', ok: 'ok' } as const;
const STATUS_SYMBOL = { breached: '✗', insufficient: '–', ok: '✓' } as const;
/** The aliases serving a version with an open alert (the ones a demotion would stop). */
const stopping = (m: Monitoring) => {
  const aliases = new Set(m.served.filter((s) => m.openAlerts.some((a) => a.modelVersionId === s.versionId)).flatMap((s) => s.aliases));
  return aliases.size ? [...aliases] : [':alias'];
};

/** Post-market monitoring of a registered model (EU AI Act Art. 72): plan, latest checks, open alerts, webhook deliveries. */
export function MonitoringSection({ modelId }: { modelId: string }) {
  const { t, me } = useApp();
  const { data, error, reload } = useAsync(() => api.get<Monitoring>(`/models/${modelId}/monitoring`), [modelId]);
  const [resolving, setResolving] = useState<MonitoringAlert | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const officer = me.user.role === 'compliance_officer';
  return (
    <section aria-labelledby="monitoring-h">
      <h2 id="monitoring-h">{t('monitoring')}</h2>
      {status && (
        <p role="status" class="status">
          {status}
        </p>
      )}
      {!data ? (
        <Loading error={error} />
      ) : (
        <>
          {data.plan ? (
            <section aria-labelledby="mon-plan-h">
              <h3 id="mon-plan-h">{t('monPlan')}</h3>
              <dl>
                <dt>{t('monDecisionLogging')}</dt>
                <dd>{data.plan.decisionLogging ? <Badge kind="ok">{t('on')}</Badge> : <Badge kind="warn">{t('off')}</Badge>}</dd>
                <dt>{t('monWindow')}</dt>
                <dd>
                  <code>{data.plan.window}</code>
                </dd>
                <dt>{t('monMinSamples')}</dt>
                <dd>{data.plan.minSamples}</dd>
                <dt>{t('monFeatures')}</dt>
                <dd>{data.plan.features?.join(', ') ?? t('monAllFeatures')}</dd>
                <dt>{t('monGroups')}</dt>
                <dd>{data.plan.groupAttributes?.join(', ') ?? t('monDatasheetGroups')}</dd>
                <dt>{t('monThresholds')}</dt>
                <dd>
                  <ul class="plain">
                    {THRESHOLDS.map(([key, metric]) => (
                      <li key={key}>
                        {metricName(t, metric)}:{' '}
                        {data.plan!.thresholds[key] === null ? <Badge kind="neutral">{t('monOff')}</Badge> : fmt(data.plan!.thresholds[key])}
                      </li>
                    ))}
                  </ul>
                </dd>
                <dt>{t('monWebhooks')}</dt>
                <dd>{data.plan.webhooks.map((w) => w.url).join(', ') || '—'}</dd>
                {data.planEvidence && (
                  <>
                    <dt>{t('monPlanEvidence')}</dt>
                    <dd>
                      <code title={data.planEvidence}>{shortDigest(data.planEvidence)}</code>
                    </dd>
                  </>
                )}
              </dl>
            </section>
          ) : (
            <p class="notice" data-monitoring="no-plan">
              <Badge kind="warn">{t('monNoPlan')}</Badge> {t('monNoPlanDetail')} <code>PUT /models/{modelId}/monitoring</code>
            </p>
          )}

          <section aria-labelledby="mon-alerts-h" class={data.openAlerts.length ? 'alerts' : undefined}>
            <h3 id="mon-alerts-h">
              {t('monOpenAlerts')} ({data.openAlerts.length})
            </h3>
            {data.openAlerts.length === 0 ? (
              <p>{t('monNoOpenAlerts')}</p>
            ) : (
              <>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('metric')}</th>
                      <th scope="col">{t('monTarget')}</th>
                      <th scope="col">{t('value')}</th>
                      <th scope="col">{t('monThreshold')}</th>
                      <th scope="col">{t('version')}</th>
                      <th scope="col">{t('monRaised')}</th>
                      <th scope="col">{t('monEvidence')}</th>
                      {officer && <th scope="col">{t('monResolve')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {data.openAlerts.map((a) => (
                      <tr key={a.id} data-alert={a.id} class="outcome-bad">
                        <th scope="row">{metricName(t, a.metric)}</th>
                        <td>
                          <code>{a.target}</code>
                        </td>
                        <td>
                          <strong>{fmt(a.value)}</strong>
                        </td>
                        <td>{fmt(a.threshold)}</td>
                        <td>
                          <a href={`#/models/${modelId}/versions/${a.version}`}>v{a.version}</a>
                        </td>
                        <td>{date(a.createdAt)}</td>
                        <td>
                          <code title={a.evidenceDigest}>{shortDigest(a.evidenceDigest)}</code>
                        </td>
                        {officer && (
                          <td>
                            <button
                              type="button"
                              aria-label={`${t('monResolve')}: ${metricName(t, a.metric)} ${a.target} v${a.version}`}
                              onClick={() => (setStatus(null), setResolving(a))}
                            >
                              {t('monResolve')}
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p class="hint">
                  {t('monDemoteHint')}{' '}
                  {stopping(data).map((alias) => (
                    <code key={alias}>
                      POST /models/{modelId}/aliases/{alias}/demote{' '}
                    </code>
                  ))}
                </p>
              </>
            )}
            {officer && resolving && (
              <ResolveForm
                alert={resolving}
                onCancel={() => setResolving(null)}
                onDone={() => {
                  setResolving(null);
                  setStatus(t('monResolved'));
                  reload();
                }}
              />
            )}
          </section>

          {data.served.length === 0 && <p>{t('monNotServed')}</p>}
          {data.served.map((s) => (
            <section key={s.versionId} aria-labelledby={`mon-v${s.version}-h`}>
              <h3 id={`mon-v${s.version}-h`}>
                {t('version')} {s.version}{' '}
                {s.aliases.map((alias) => (
                  <Badge key={alias} kind="info">
                    {alias}
                  </Badge>
                ))}
              </h3>
              {s.lastCheck ? <CheckView check={s.lastCheck} /> : <p>{t('monNoCheck')}</p>}
            </section>
          ))}

          <section aria-labelledby="mon-deliveries-h">
            <h3 id="mon-deliveries-h">{t('monDeliveries')}</h3>
            {data.webhookDeliveries.length === 0 ? (
              <p>{t('monNoDeliveries')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('time')}</th>
                    <th scope="col">{t('monEvent')}</th>
                    <th scope="col">URL</th>
                    <th scope="col">{t('state')}</th>
                    <th scope="col">{t('monAttempts')}</th>
                    <th scope="col">{t('monLastStatus')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.webhookDeliveries.map((d) => (
                    <tr key={d.id} data-delivery={d.id} data-state={d.state}>
                      <td>{date(d.createdAt)}</td>
                      <td>{d.event}</td>
                      <td>
                        <code>{d.url}</code>
                      </td>
                      <td>
                        <Badge kind={d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'bad' : 'warn'}>
                          {t(`delivery_${d.state}` as Key) ?? d.state}
                        </Badge>
                      </td>
                      <td>{d.attempts}</td>
                      <td>
                        {d.lastStatus ?? '—'} {d.lastError && <small>{d.lastError}</small>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </section>
  );
}

/** A served version's latest check: an SVG bar chart of each value against its threshold, then the same numbers as a table. */
function CheckView({ check }: { check: MonitoringCheck }) {
  const { t } = useApp();
  const count = (s: Status) => check.metrics.filter((m) => statusOf(m) === s).length;
  return (
    <>
      <p>
        {t('monLastCheck')} {date(check.checkedAt)} · {t('monWindow')} {date(check.window.from)} – {date(check.window.to)} · {check.samples}{' '}
        {t('monPredictions')}, {check.outcomes} {t('monOutcomes')}
      </p>
      {check.metrics.length > 0 && (
        <CheckChart
          check={check}
          label={`${t('monChart')}, ${t('version')} ${check.version}: ${count('breached')} ${t('mon_breached')}, ${count('insufficient')} ${t('mon_insufficient')}, ${count('ok')} ${t('mon_ok')}`}
        />
      )}
      {count('insufficient') > 0 && <p class="hint">{t('monInsufficientNote')}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('metric')}</th>
            <th scope="col">{t('monTarget')}</th>
            <th scope="col">{t('value')}</th>
            <th scope="col">{t('monThreshold')}</th>
            <th scope="col">{t('monSamples')}</th>
            <th scope="col">{t('monStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {check.metrics.map((m) => {
            const status = statusOf(m);
            return (
              <tr
                key={`${m.metric}/${m.target}`}
                data-metric={`${m.metric}/${m.target}`}
                data-status={status}
                class={status === 'breached' ? 'outcome-bad' : undefined}
              >
                <th scope="row">{metricName(t, m.metric)}</th>
                <td>
                  <code>{m.target}</code>
                </td>
                <td>{fmt(m.value)}</td>
                <td>{fmt(m.threshold)}</td>
                <td>{m.samples}</td>
                <td>
                  <Badge kind={STATUS_KIND[status]}>{t(`mon_${status}`)}</Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

// Layout of the chart (viewBox units): per metric a label line, then the bar (scaled so that the threshold sits mid-track) with the numbers and the status in words.
const ROW = 36;
const TOP = 16;
const LEFT = 4;
const TRACK = 400;
const SCALE = 2; // the track spans 0 to twice the threshold; longer bars are cut and marked »
const TICK = LEFT + TRACK / SCALE;

function CheckChart({ check, label }: { check: MonitoringCheck; label: string }) {
  const { t } = useApp();
  const height = TOP + check.metrics.length * ROW + 4;
  return (
    <svg class="monitoring" viewBox={`0 0 720 ${height}`} role="img" aria-label={label}>
      <text x={LEFT} y="12">
        0
      </text>
      <text x={TICK} y="12" text-anchor="middle">
        {t('monThreshold')}
      </text>
      <text x={LEFT + TRACK} y="12" text-anchor="end">
        {SCALE}×
      </text>
      {check.metrics.map((m, i) => {
        const status = statusOf(m);
        const ratio = m.threshold > 0 ? Math.max(0, m.value) / m.threshold : m.value > 0 ? SCALE + 1 : 0;
        const y = TOP + i * ROW;
        const name = `${metricName(t, m.metric)} · ${m.target}`;
        const words = `${fmt(m.value)} / ${fmt(m.threshold)} ${STATUS_SYMBOL[status]} ${t(`mon_${status}`)}`;
        return (
          <g key={`${m.metric}/${m.target}`} class={`bar-${status}`}>
            <title>{`${name}: ${words} (n = ${m.samples})`}</title>
            <text x={LEFT} y={y + 13}>
              {name.length > 100 ? `${name.slice(0, 99)}…` : name}
            </text>
            <rect class="track" x={LEFT} y={y + 18} width={TRACK} height="14" />
            <rect class="bar" x={LEFT} y={y + 18} width={(Math.min(ratio, SCALE) / SCALE) * TRACK} height="14" />
            <line class="tick" x1={TICK} x2={TICK} y1={y + 15} y2={y + 35} />
            <text x={LEFT + TRACK + 10} y={y + 30}>
              {ratio > SCALE ? '» ' : ''}
              {words}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function ResolveForm({ alert, onDone, onCancel }: { alert: MonitoringAlert; onDone: () => void; onCancel: () => void }) {
  const { t } = useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), [alert.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post(`/monitoring/alerts/${alert.id}/resolve`, { reason });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  return (
    <form class="waiver" onSubmit={(e) => void submit(e)} aria-labelledby="resolve-h">
      <h4 id="resolve-h">
        {t('monResolveTitle')}: {metricName(t, alert.metric)} <code>{alert.target}</code> v{alert.version}
      </h4>
      <label for="resolve-reason">{t('monReason')}</label>
      <textarea
        id="resolve-reason"
        ref={field}
        required
        minLength={10}
        maxLength={4000}
        value={reason}
        onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={reason.trim().length < 10}>
          {t('monResolve')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('monCancel')}
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
