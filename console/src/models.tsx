import { api, type Alias, type Model, type ModelVersion, type Page, type Promotion, type Report } from './api';
import { Badge, fmt, Loading, outcomeKind, OutcomeBadge, shortDigest, StateBadge, useApp, useAsync, date } from './ui';
import { useState } from 'preact/hooks';
import { MonitoringSection } from './monitoring';

/** Same slug as the server's chartName (report/charts/chart-definition.ts). */
const chartName = (prefix: string, text: string) => {
  const slug = text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return slug === '' ? prefix : `${prefix}-${slug}`;
};

export function ModelsPage() {
  const { t } = useApp();
  const { data, error } = useAsync(async () => {
    const models = (await api.get<Page<Model>>('/models?limit=500')).items;
    const aliases = await Promise.all(models.map((m) => api.get<Alias[]>(`/models/${m.id}/aliases`).catch(() => [] as Alias[])));
    return models.map((model, i) => ({ model, aliases: aliases[i] ?? [] }));
  }, []);
  return (
    <section aria-labelledby="models-h">
      <h1 id="models-h">{t('models')}</h1>
      {!data ? (
        <Loading error={error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('riskTier')}</th>
              <th scope="col">{t('stage')}</th>
              <th scope="col">{t('jurisdictions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map(({ model, aliases }) => (
              <tr key={model.id}>
                <td>
                  <a href={`#/models/${model.id}`}>{model.name}</a>
                </td>
                <td>
                  <Badge kind={model.riskTier === 'high' ? 'warn' : 'neutral'}>{model.riskTier}</Badge>
                </td>
                <td>
                  {aliases.length === 0 ? (
                    <Badge kind="neutral">{t('noStage')}</Badge>
                  ) : (
                    aliases.map((a) => (
                      <Badge key={a.alias} kind="info">
                        {a.alias} v{a.version}
                      </Badge>
                    ))
                  )}
                </td>
                <td>{model.jurisdictions.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ModelPage({ id }: { id: string }) {
  const { t } = useApp();
  const { data, error } = useAsync(
    async () => ({
      model: await api.get<Model>(`/models/${id}`),
      versions: await api.get<ModelVersion[]>(`/models/${id}/versions`),
      aliases: await api.get<Alias[]>(`/models/${id}/aliases`),
    }),
    [id],
  );
  if (!data) return <Loading error={error} />;
  return (
    <section aria-labelledby="model-h">
      <h1 id="model-h">{data.model.name}</h1>
      <dl>
        <dt>{t('intendedUse')}</dt>
        <dd>{data.model.intendedUse}</dd>
        <dt>{t('riskTier')}</dt>
        <dd>{data.model.riskTier}</dd>
      </dl>
      <h2>{t('versions')}</h2>
      <ul>
        {data.versions.map((v) => (
          <li key={v.id}>
            <a href={`#/models/${id}/versions/${v.version}`}>
              {t('version')} {v.version}
            </a>{' '}
            <code>{shortDigest(v.modelDigest)}</code>{' '}
            {data.aliases
              .filter((a) => a.version === v.version)
              .map((a) => (
                <Badge key={a.alias} kind="info">
                  {a.alias}
                </Badge>
              ))}
          </li>
        ))}
      </ul>
      <MonitoringSection modelId={id} />
    </section>
  );
}

interface Privacy {
  body: { piiColumns?: unknown[]; pii?: { column: string; kinds?: string[]; entity?: string; count?: number; samples?: string[] }[] };
}

function Chart({ modelId, version, name }: { modelId: string; version: number; name: string }) {
  const { data } = useAsync(async () => {
    const svg = await api.text(`/models/${modelId}/versions/${version}/report/charts/${name}.svg`);
    // A data: URL in an <img>: the SVG cannot run script, and the CSP allows data: images.
    return `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
  }, [modelId, version, name]);
  return <figure>{data ? <img src={data} alt={name.replace(/-/g, ' ')} /> : null}<figcaption>{name}</figcaption></figure>;
}

export function VersionPage({ id, version }: { id: string; version: number }) {
  const { t } = useApp();
  const { data, error } = useAsync(async () => {
    const [model, report, promotions] = await Promise.all([
      api.get<Model>(`/models/${id}`),
      api.get<Report & { charts?: string[] }>(`/models/${id}/versions/${version}/report`),
      api.get<Page<Promotion>>('/promotions?limit=500').catch(() => ({ items: [] as Promotion[] })),
    ]);
    const training = report.datasets.find((d) => d.role === 'training') ?? report.datasets[0];
    const privacy =
      training?.datasetId && training.version !== null
        ? await api.get<Privacy>(`/datasets/${training.datasetId}/versions/${training.version}/privacy`).catch(() => null)
        : null;
    return { model, report, privacy, promotions: promotions.items.filter((p) => p.modelId === id && p.version === version) };
  }, [id, version]);
  if (!data) return <Loading error={error} />;
  const { report, promotions } = data;
  const latest = [...promotions].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const charts = [
    ...(report.evaluation?.task === 'binary' ? ['calibration'] : []),
    ...(report.fairness?.attributeSets ?? []).map((s, i) => chartName(`fairness-${i + 1}`, s.attributes.join('-'))),
    ...(report.importance ? ['importance'] : []),
  ];
  return (
    <article aria-labelledby="version-h">
      <h1 id="version-h">
        {data.model.name} — {t('version')} {version}
      </h1>
      <p>
        <Badge kind="neutral">{data.model.riskTier}</Badge> {report.model.modelType} · {report.model.backend} · <code>{report.model.modelDigest}</code>
      </p>

      <section aria-labelledby="policy-h">
        <h2 id="policy-h">{t('policy')}</h2>
        {latest ? (
          <>
            <p>
              <a href={`#/promotions/${latest.id}`}>{t('request')}</a> → {latest.targetStage}: <StateBadge state={latest.state} />
            </p>
            <RuleTable rules={latest.decision.rules} />
          </>
        ) : (
          <p>{t('noRequests')}</p>
        )}
        {promotions.length > 1 && (
          <ul>
            {promotions.map((p) => (
              <li key={p.id}>
                <a href={`#/promotions/${p.id}`}>{date(p.createdAt)}</a> <StateBadge state={p.state} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="metrics-h">
        <h2 id="metrics-h">{t('metrics')}</h2>
        {report.evaluation ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('metric')}</th>
                <th scope="col">{t('value')}</th>
                <th scope="col">{t('interval')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(report.evaluation.metrics).map(([name, m]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{fmt(m.value)}</td>
                  <td>{m.ci ? `[${fmt(m.ci.lower)}, ${fmt(m.ci.upper)}]` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('not_measured')}</p>
        )}
      </section>

      <section aria-labelledby="fairness-h">
        <h2 id="fairness-h">{t('fairness')}</h2>
        {(report.fairness?.attributeSets ?? []).map((set) => (
          <table key={set.attributes.join('+')}>
            <caption>
              {set.attributes.join(' × ')} — {t('fourFifths')}:{' '}
              {set.fourFifthsRule?.passes === true ? (
                <Badge kind="ok">{t('passes')}</Badge>
              ) : set.fourFifthsRule?.passes === false ? (
                <Badge kind="bad">{t('fails')}</Badge>
              ) : (
                '—'
              )}{' '}
              ({fmt(set.fourFifthsRule?.ratio)})
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('group')}</th>
                <th scope="col">{t('size')}</th>
                <th scope="col">{t('selectionRate')}</th>
              </tr>
            </thead>
            <tbody>
              {set.groups.map((g) => (
                <tr key={g.values.join('|')}>
                  <th scope="row">{g.values.join(' / ')}</th>
                  <td>{g.size}</td>
                  <td>
                    {fmt(g.selectionRate.value)} {g.selectionRate.ci ? `[${fmt(g.selectionRate.ci.lower)}, ${fmt(g.selectionRate.ci.upper)}]` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
        {!report.fairness && <p>{t('not_measured')}</p>}
      </section>

      <section aria-labelledby="charts-h">
        <h2 id="charts-h">{t('charts')}</h2>
        <div class="charts">
          {charts.map((name) => (
            <Chart key={name} modelId={id} version={version} name={name} />
          ))}
        </div>
      </section>

      <section aria-labelledby="importance-h">
        <h2 id="importance-h">{t('importance')}</h2>
        {report.importance?.metrics.slice(0, 1).map((m) => (
          <table key={m.metric}>
            <caption>{m.metric}</caption>
            <thead>
              <tr>
                <th scope="col">{t('column')}</th>
                <th scope="col">{t('value')}</th>
              </tr>
            </thead>
            <tbody>
              {m.columns.map((c) => (
                <tr key={c.column}>
                  <th scope="row">{c.column}</th>
                  <td>
                    {fmt(c.mean)} ± {fmt(c.std)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )) ?? <p>{t('not_measured')}</p>}
      </section>

      <section aria-labelledby="expl-h">
        <h2 id="expl-h">{t('explanations')}</h2>
        {(report.explanations ?? []).map((e) => (
          <details key={e.label}>
            <summary>{e.label}</summary>
            {e.explanation.methods.map((m) => (
              <p key={m.method}>
                <strong>{m.method}</strong>: {m.attributions.map((a) => `${a.column} ${fmt(a.value)}`).join(', ')}
              </p>
            ))}
          </details>
        ))}
      </section>

      <section aria-labelledby="energy-h">
        <h2 id="energy-h">{t('energy')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('activity')}</th>
              <th scope="col">{t('method')}</th>
              <th scope="col">kWh</th>
              <th scope="col">g CO2e</th>
            </tr>
          </thead>
          <tbody>
            {(report.energy ?? []).map((e, i) => (
              <tr key={i}>
                <th scope="row">{e.activity}</th>
                <td>{e.measurement.method}</td>
                <td>{e.measurement.energyKwh.toExponential(2)}</td>
                <td>{e.measurement.co2eGrams.toExponential(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="lineage-h">
        <h2 id="lineage-h">{t('lineage')}</h2>
        <Lineage report={report} version={version} />
      </section>

      <section aria-labelledby="privacy-h">
        <h2 id="privacy-h">{t('privacy')}</h2>
        {data.privacy && (data.privacy.body.pii?.length ?? 0) > 0 ? (
          <ul>
            {data.privacy.body.pii!.map((p, i) => (
              <li key={i}>
                <code>{p.column}</code>: {JSON.stringify({ ...p, column: undefined })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('noPii')}</p>
        )}
      </section>
    </article>
  );
}

/** The lineage as an SVG graph (dataset versions → training run → model version), with the same facts as a list for screen readers. */
function Lineage({ report, version }: { report: Report; version: number }) {
  const nodes = report.datasets;
  const h = Math.max(nodes.length, 1) * 50 + 10;
  return (
    <>
      <svg class="lineage" viewBox={`0 0 640 ${h}`} role="img" aria-labelledby="lineage-desc">
        <title id="lineage-desc">dataset → run → model version</title>
        {nodes.map((d, i) => (
          <g key={i}>
            <rect x="5" y={10 + i * 50} width="220" height="36" rx="4" class="node" />
            <text x="15" y={33 + i * 50}>
              {d.role} v{d.version}
            </text>
            <line x1="225" y1={28 + i * 50} x2="300" y2={h / 2} class="edge" />
          </g>
        ))}
        <rect x="300" y={h / 2 - 18} width="150" height="36" rx="4" class="node" />
        <text x="310" y={h / 2 + 5}>run {report.model.runId.slice(0, 8)}</text>
        <line x1="450" y1={h / 2} x2="480" y2={h / 2} class="edge" />
        <rect x="480" y={h / 2 - 18} width="150" height="36" rx="4" class="node" />
        <text x="490" y={h / 2 + 5}>
          {report.model.name} v{version}
        </text>
      </svg>
      <ol>
        {nodes.map((d, i) => (
          <li key={i}>
            {d.role}: {d.name} v{d.version} <code>{shortDigest(d.digest)}</code>
          </li>
        ))}
        <li>run {report.model.runId}</li>
        <li>
          {report.model.name} v{version}
        </li>
      </ol>
    </>
  );
}

export function RuleTable({ rules, onWaive }: { rules: Promotion['decision']['rules']; onWaive?: (rule: Promotion['decision']['rules'][number]) => void }) {
  const { t } = useApp();
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? rules : rules.filter((r) => r.outcome !== 'not_applicable');
  return (
    <>
      <table class="rules">
        <thead>
          <tr>
            <th scope="col">{t('rule')}</th>
            <th scope="col">{t('outcome')}</th>
            <th scope="col">{t('citation')}</th>
            <th scope="col">{t('observed')}</th>
            <th scope="col">{t('waiver')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={`${r.packId}/${r.ruleId}`} data-rule={`${r.packId}/${r.ruleId}`} data-outcome={r.outcome} class={`outcome-${outcomeKind(r.outcome)}`}>
              <th scope="row">
                <code>
                  {r.packId}/{r.ruleId}
                </code>
                <br />
                {r.title}
                {r.message && <p class="message">{r.message}</p>}
              </th>
              <td>
                <OutcomeBadge outcome={r.outcome} /> <small>({r.severity})</small>
              </td>
              <td>{r.cites.join('; ')}</td>
              <td>
                {Object.keys(r.observed).length ? (
                  <details>
                    <summary>{Object.keys(r.observed).length}</summary>
                    <code class="observed">{JSON.stringify(r.observed, null, 1)}</code>
                  </details>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {r.waiver ? (
                  <span>
                    {r.waiver.justification} ({t('expires')} {r.waiver.expiresAt?.slice(0, 10)})
                  </span>
                ) : onWaive && r.outcome === 'fail' && r.waivable ? (
                  <button type="button" onClick={() => onWaive(r)}>
                    {t('waive')}
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll((e.target as HTMLInputElement).checked)} /> {t('outcome_not_applicable')} ({rules.length - rules.filter((r) => r.outcome !== 'not_applicable').length})
      </label>
    </>
  );
}
