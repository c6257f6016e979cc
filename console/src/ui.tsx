import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Me } from './api';
import type { Key, T } from './i18n';

export interface Ctx {
  t: T;
  me: Me;
}
export const AppContext = createContext<Ctx>(null as unknown as Ctx);
export const useApp = () => useContext(AppContext);

export function useAsync<V>(load: () => Promise<V>, deps: unknown[]): { data?: V; error?: Error; reload: () => void } {
  const [state, setState] = useState<{ data?: V; error?: Error }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({});
    load().then(
      (data) => live && setState({ data }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Loading({ error }: { error?: Error | undefined }) {
  const { t } = useApp();
  if (error)
    return (
      <p role="alert" class="error">
        {t('error')}: {error.message}
      </p>
    );
  return <p aria-busy="true">{t('loading')}</p>;
}

/** A status shown by a symbol and a word, never by colour alone. */
export function Badge({ kind, children }: { kind: 'ok' | 'bad' | 'warn' | 'neutral' | 'info'; children: ComponentChildren }) {
  const symbol = { ok: '✓', bad: '✗', warn: '!', neutral: '–', info: '●' }[kind];
  return (
    <span class={`badge badge-${kind}`}>
      <span aria-hidden="true">{symbol} </span>
      {children}
    </span>
  );
}

export const outcomeKind = (outcome: string) =>
  (({ pass: 'ok', fail: 'bad', waived: 'warn', error: 'bad', not_applicable: 'neutral' }) as Record<string, 'ok' | 'bad' | 'warn' | 'neutral'>)[outcome] ?? 'neutral';
export const stateKind = (state: string) =>
  (({ approved: 'ok', blocked: 'bad', rejected: 'bad', pending_approval: 'warn' }) as Record<string, 'ok' | 'bad' | 'warn'>)[state] ?? 'neutral';

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useApp();
  return <Badge kind={outcomeKind(outcome)}>{t(`outcome_${outcome}` as Key) ?? outcome}</Badge>;
}
export function StateBadge({ state }: { state: string }) {
  const { t } = useApp();
  return <Badge kind={stateKind(state)}>{t(`state_${state}` as Key) ?? state}</Badge>;
}

export const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '—' : Number(value.toFixed(digits)).toString());
export const shortDigest = (digest: string) => `${digest.slice(0, 15)}…`;
export const date = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
