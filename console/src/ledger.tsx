import { useState } from 'preact/hooks';
import { api, type LedgerEntry, type Page } from './api';
import { toHex, verifyEntry, type ProofResult } from './transparency';
import { parseCheckpoint, parseVerifierKey, verifyCheckpointSignature } from './verify/crypto';
import { Badge, date, Loading, useApp, useAsync } from './ui';

interface PublicKey {
  keyName: string;
  keyId: string;
  publicKey: string;
  verifierKey: string;
}
const WINDOW = 200;

export function LedgerPage() {
  const { t } = useApp();
  const [action, setAction] = useState('');
  const [subjectType, setSubjectType] = useState('');
  const [actor, setActor] = useState('');
  const [proofs, setProofs] = useState<Record<number, ProofResult | string>>({});
  const { data, error } = useAsync(async () => {
    const note = await api.text('/ledger/checkpoint');
    const key = await api.get<PublicKey>('/ledger/public-key');
    const checkpoint = parseCheckpoint(note);
    const signature = (await verifyCheckpointSignature(checkpoint, await parseVerifierKey(key.verifierKey))) === null;
    const page = await api.get<Page<{ entry: LedgerEntry; leafHash: string }>>(`/ledger/entries?from=${Math.max(0, checkpoint.size - WINDOW)}&limit=${WINDOW}`);
    return { checkpoint, signature, key, items: page.items.reverse() };
  }, []);
  if (!data) return <Loading error={error} />;
  const verify = async (item: { entry: LedgerEntry; leafHash: string }) => {
    try {
      const note = await api.text('/ledger/checkpoint'); // the newest: it covers entries appended since the page loaded
      const result = await verifyEntry(item.entry, item.leafHash, note, data.key, (index, treeSize) =>
        api.get<{ proof: string[] }>(`/ledger/proofs/inclusion?index=${index}&treeSize=${treeSize}`),
      );
      setProofs((p) => ({ ...p, [item.entry.index]: result }));
    } catch (e) {
      setProofs((p) => ({ ...p, [item.entry.index]: e instanceof Error ? e.message : String(e) }));
    }
  };
  const subjectTypes = [...new Set(data.items.map((i) => i.entry.subject.type))].sort();
  const shown = data.items.filter(
    (i) =>
      i.entry.action.includes(action.trim()) &&
      (subjectType === '' || i.entry.subject.type === subjectType) &&
      `${i.entry.actor.type}:${i.entry.actor.id}`.includes(actor.trim()),
  );
  return (
    <section aria-labelledby="ledger-h">
      <h1 id="ledger-h">{t('ledger')}</h1>
      <section aria-labelledby="cp-h" class="checkpoint">
        <h2 id="cp-h">{t('checkpoint')}</h2>
        <dl>
          <dt>{t('origin')}</dt>
          <dd>{data.checkpoint.origin}</dd>
          <dt>{t('treeSize')}</dt>
          <dd data-testid="tree-size">{data.checkpoint.size}</dd>
          <dt>{t('root')}</dt>
          <dd>
            <code>{toHex(data.checkpoint.root)}</code>
          </dd>
          <dt>{t('signature')}</dt>
          <dd>{data.signature ? <Badge kind="ok">{t('valid')}</Badge> : <Badge kind="bad">{t('invalid')}</Badge>}</dd>
        </dl>
      </section>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('filterAction')} <input name="action" value={action} onInput={(e) => setAction((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('filterSubject')}{' '}
          <select name="subjectType" value={subjectType} onChange={(e) => setSubjectType((e.target as HTMLSelectElement).value)}>
            <option value="">{t('all')}</option>
            {subjectTypes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filterActor')} <input name="actor" value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <table class="ledger">
        <thead>
          <tr>
            <th scope="col">{t('index')}</th>
            <th scope="col">{t('time')}</th>
            <th scope="col">{t('actor')}</th>
            <th scope="col">{t('action')}</th>
            <th scope="col">{t('subject')}</th>
            <th scope="col">{t('proof')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((item) => {
            const proof = proofs[item.entry.index];
            return (
              <tr key={item.entry.index} data-index={item.entry.index} data-action={item.entry.action} data-subject={item.entry.subject.id}>
                <td>{item.entry.index}</td>
                <td>{date(item.entry.time)}</td>
                <td>
                  {item.entry.actor.type}:{item.entry.actor.id.slice(0, 8)}
                </td>
                <td>
                  <code>{item.entry.action}</code>
                </td>
                <td>
                  {item.entry.subject.type}:{item.entry.subject.id.slice(0, 8)}
                </td>
                <td aria-live="polite">
                  {proof === undefined ? (
                    <button type="button" onClick={() => void verify(item)} aria-label={`${t('verify')} #${item.entry.index}`}>
                      {t('verify')}
                    </button>
                  ) : typeof proof === 'string' ? (
                    <Badge kind="bad">
                      {t('proofFailed')}: {proof}
                    </Badge>
                  ) : proof.ok ? (
                    <span class="proof-ok" title={t('proofDetail')}>
                      <Badge kind="ok">{t('proofVerified')}</Badge> <small>(n={proof.treeSize})</small>
                    </span>
                  ) : (
                    <Badge kind="bad">
                      {t('proofFailed')} (leaf {String(proof.leafHashMatches)}, path {String(proof.inclusion)}, sig {String(proof.signature)})
                    </Badge>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <small>{t('proofDetail')}</small>
      </p>
    </section>
  );
}
