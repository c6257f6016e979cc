import './styles.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, session, type Me } from './api';
import { ExportsPage } from './exports';
import { initialLanguage, LANGUAGES, persistLanguage, translator, type Key, type Language, type T } from './i18n';
import { LedgerPage } from './ledger';
import { ModelPage, ModelsPage, VersionPage } from './models';
import { PromotionPage, ReviewPage } from './review';
import { VerifyPage } from './verify';
import { AppContext } from './ui';

const useHash = () => {
  const [hash, setHash] = useState(location.hash.slice(1) || '/models');
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1) || '/models');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
};

function route(path: string) {
  let m: RegExpExecArray | null;
  if ((m = /^\/models\/([^/]+)\/versions\/(\d+)$/.exec(path))) return <VersionPage id={m[1]!} version={Number(m[2])} />;
  if ((m = /^\/models\/([^/]+)$/.exec(path))) return <ModelPage id={m[1]!} />;
  if ((m = /^\/promotions\/([^/]+)$/.exec(path))) return <PromotionPage id={m[1]!} />;
  if (path === '/review') return <ReviewPage />;
  if (path === '/ledger') return <LedgerPage />;
  if (path === '/exports') return <ExportsPage />;
  if (path === '/verify') return <VerifyPage />;
  return <ModelsPage />;
}

function SignIn({ t, onSignedIn }: { t: T; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const { token } = await api.post<{ token: string }>('/auth/sign-in', { email, password });
      session.set(token);
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError ? `${t('signInFailed')}: ${err.message}` : String(err));
    }
  };
  return (
    <main id="main" class="signin">
      <h1>{t('appName')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="email">{t('email')}</label>
        <input id="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        <label for="password">{t('password')}</label>
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary">
          {t('signIn')}
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

const NAV: { path: string; key: Key; roles?: string[] }[] = [
  { path: '/models', key: 'navModels' },
  { path: '/review', key: 'navReview', roles: ['compliance_officer'] },
  { path: '/review', key: 'navDecisions', roles: ['regulator', 'admin'] },
  { path: '/ledger', key: 'navLedger' },
  { path: '/exports', key: 'navExports', roles: ['compliance_officer', 'regulator', 'admin'] },
  { path: '/verify', key: 'navVerify' },
];

function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const t = useMemo(() => translator(language), [language]);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const hash = useHash();
  useEffect(() => persistLanguage(language), [language]);
  useEffect(() => {
    if (!session.get()) return setMe(null);
    api.get<Me>('/auth/me').then(setMe, () => (session.clear(), setMe(null)));
  }, [tick]);
  useEffect(() => {
    document.title = t('appName');
  }, [t]);

  const languageSwitch = (
    <label class="language">
      {t('language')}{' '}
      <select value={language} onChange={(e) => setLanguage((e.target as HTMLSelectElement).value as Language)}>
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
  if (me === undefined) return <p aria-busy="true">{t('loading')}</p>;
  if (me === null)
    return (
      <>
        <header class="top">{languageSwitch}</header>
        <SignIn t={t} onSignedIn={() => setTick((n) => n + 1)} />
      </>
    );
  const signOut = async () => {
    await api.post('/auth/sign-out').catch(() => undefined);
    session.clear();
    setMe(null);
  };
  return (
    <AppContext.Provider value={{ t, me }}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('skip')}
      </a>
      <header class="top">
        <strong class="brand">{t('appName')}</strong>
        <nav aria-label="main">
          <ul>
            {NAV.filter((n) => !n.roles || n.roles.includes(me.user.role)).map((n) => (
              <li key={n.key}>
                <a href={`#${n.path}`} aria-current={hash.startsWith(n.path) ? 'page' : undefined}>
                  {t(n.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="user">
          {t('signedInAs')} {me.user.displayName} ({me.user.role})
        </span>
        {languageSwitch}
        <button type="button" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1} key={hash}>
        {route(hash)}
      </main>
    </AppContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
