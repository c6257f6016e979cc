import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import type { Key } from './i18n';
import { Badge, useApp } from './ui';
import type { BrowserVerificationReport, CheckStatus } from './verify/bundle';

const STATUS_KIND: Record<CheckStatus, 'ok' | 'bad' | 'warn' | 'neutral'> = { pass: 'ok', fail: 'bad', warn: 'warn', skip: 'neutral' };

/**
 * Verifies an evidence bundle entirely in this browser (nothing is uploaded): the only thing read
 * from the server is the ledger's public key, offered as the key to trust and replaceable by one
 * the user pastes. The verifier (with fflate) is loaded on first use, outside the main bundle.
 */
export function VerifyPage() {
  const { t } = useApp();
  const [serverKey, setServerKey] = useState<string | null>(null);
  const [trustedKey, setTrustedKey] = useState('');
  const [earlier, setEarlier] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [report, setReport] = useState<BrowserVerificationReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    api.get<{ verifierKey: string }>('/ledger/public-key').then(
      ({ verifierKey }) => {
        setServerKey(verifierKey);
        setTrustedKey((current) => current || verifierKey);
      },
      () => setServerKey(null),
    );
  }, []);

  const verify = async (file: File) => {
    setBusy(true);
    setReport(null);
    setError(null);
    setFileName(file.name);
    try {
      const [{ verifyBundleInBrowser }, bytes] = await Promise.all([import('./verify/bundle'), file.arrayBuffer()]);
      const key = trustedKey.trim();
      const source = key === serverKey?.trim() ? 'the key this server publishes at GET /ledger/public-key' : 'pasted';
      setReport(await verifyBundleInBrowser(new Uint8Array(bytes), { trustedKey: key ? { text: key, source } : undefined, regulatorCheckpoint: earlier || undefined }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer?.files[0];
    if (file) void verify(file);
  };
  const counts = report && (['pass', 'fail', 'warn', 'skip'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${t(`status_${s}`)}`).join(', ');

  return (
    <section aria-labelledby="verify-h">
      <h1 id="verify-h">{t('verifyTitle')}</h1>
      <p>{t('verifyIntro')}</p>
      <div class="verify-inputs">
        <label for="trusted-key">{t('trustedKey')}</label>
        <textarea id="trusted-key" rows={2} spellcheck={false} value={trustedKey} onInput={(e) => setTrustedKey((e.target as HTMLTextAreaElement).value)} aria-describedby="trusted-key-help" />
        <p id="trusted-key-help" class="hint">
          {serverKey ? t('trustedKeyHelp') : t('trustedKeyNoServer')}
        </p>
        <label for="earlier-checkpoint">{t('earlierCheckpoint')}</label>
        <textarea id="earlier-checkpoint" rows={4} spellcheck={false} value={earlier} onInput={(e) => setEarlier((e.target as HTMLTextAreaElement).value)} />
        <div
          class={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label for="bundle-file">{t('chooseFile')}</label>
          <input
            id="bundle-file"
            type="file"
            accept=".zip,application/zip"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              input.value = ''; // choosing the same file again (after changing a key) verifies it again
              if (file) void verify(file);
            }}
          />
          <p class="hint">{t('dropHere')}</p>
        </div>
      </div>
      {busy && <p aria-busy="true">{t('verifying')}</p>}
      {error && (
        <p role="alert" class="error">
          {t('error')}: {error}
        </p>
      )}
      {report && (
        <>
          <p role="status" class={report.ok ? 'status' : 'error'} data-ok={String(report.ok)}>
            {report.ok ? <Badge kind="ok">{t('bundleVerified')}</Badge> : <Badge kind="bad">{t('bundleFailed')}</Badge>} {fileName}
            {report.model && ` — ${report.model.name} v${report.model.version}`} ({counts})
          </p>
          <table class="checks">
            <caption>{t('checksCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('check')}</th>
                <th scope="col">{t('result')}</th>
                <th scope="col">{t('details')}</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((check) => (
                <tr key={check.id} data-check={check.id} data-status={check.status}>
                  <th scope="row">
                    <code>{check.id}</code>
                    <br />
                    {t(`check_${check.id}` as Key)}
                  </th>
                  <td>
                    <Badge kind={STATUS_KIND[check.status]}>{t(`status_${check.status}`)}</Badge>
                  </td>
                  <td>
                    <ul class="details">
                      {check.details.map((d, i) => (
                        <li key={i}>{d}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
