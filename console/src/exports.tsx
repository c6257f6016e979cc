import { useState } from 'preact/hooks';
import { api, ApiError, saveBlob, type Model, type ModelVersion, type Page } from './api';
import { Loading, useApp, useAsync } from './ui';

export function ExportsPage() {
  const { t, me } = useApp();
  const [status, setStatus] = useState<string | null>(null);
  const { data, error } = useAsync(async () => {
    const models = (await api.get<Page<Model>>('/models?limit=500')).items;
    return Promise.all(models.map(async (model) => ({ model, versions: await api.get<ModelVersion[]>(`/models/${model.id}/versions`) })));
  }, []);
  if (me.user.role === 'engineer')
    return (
      <section>
        <h1>{t('exports')}</h1>
        <p role="alert" class="error">
          {t('noAccess')}
        </p>
      </section>
    );
  const download = async (path: string) => {
    try {
      const { blob, fileName } = await api.blob(path);
      saveBlob(blob, fileName);
      setStatus(`${t('downloaded')}: ${fileName}`);
    } catch (e) {
      setStatus(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  return (
    <section aria-labelledby="exports-h">
      <h1 id="exports-h">{t('exports')}</h1>
      {status && (
        <p role="status" class="status">
          {status}
        </p>
      )}
      <p class="actions">
        <button type="button" onClick={() => void download('/ledger/export?format=csv')}>
          {t('auditExtract')}
        </button>
        <button type="button" onClick={() => void download('/ledger/export?format=jsonl')}>
          {t('auditExtractJsonl')}
        </button>
      </p>
      {!data ? (
        <Loading error={error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('version')}</th>
              <th scope="col">{t('downloadBundle')}</th>
            </tr>
          </thead>
          <tbody>
            {data.flatMap(({ model, versions }) =>
              versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{model.name}</th>
                  <td>v{v.version}</td>
                  <td>
                    <button type="button" onClick={() => void download(`/models/${model.id}/versions/${v.version}/bundle`)} aria-label={`${t('downloadBundle')}: ${model.name} v${v.version}`}>
                      {t('downloadBundle')}
                    </button>
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
