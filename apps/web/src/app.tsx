import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { get, type Taxonomy } from './api';
import { ErrorNote, Loading } from './components/bits';
import { LangProvider, useLang } from './i18n';
import { MatchPage } from './pages/match-page';
import { Link, useLocation } from './router';
import { ProfileProvider } from './state';
import { Labels, TaxonomyProvider } from './taxonomy';

// Pages a company rarely needs first are loaded on demand, keeping the first download small.
const ComparePage = lazy(() => import('./pages/compare-page').then((m) => ({ default: m.ComparePage })));
const CatalogPage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.CatalogPage })));
const MeasurePage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.MeasurePage })));
const DocumentPage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.DocumentPage })));
const AdminPage = lazy(() => import('./pages/admin-page').then((m) => ({ default: m.AdminPage })));
const ExpiryPage = lazy(() => import('./pages/admin-page').then((m) => ({ default: m.ExpiryPage })));
const OfficerPage = lazy(() => import('./pages/officer-page').then((m) => ({ default: m.OfficerPage })));

function Header() {
  const i18n = useLang();
  const { t, lang } = i18n;
  const { path } = useLocation();
  const nav: [string, string, (p: string) => boolean][] = [
    ['/', t('navMatch'), (p) => p === '/'],
    ['/compare', t('navCompare'), (p) => p.startsWith('/compare')],
    ['/measures', t('navCatalog'), (p) => p.startsWith('/measures') || p.startsWith('/documents')],
    ['/officer', t('navOfficer'), (p) => p.startsWith('/officer')],
    ['/admin', lang === 'zh' ? '政策管理' : 'Policy management', (p) => p.startsWith('/admin')],
  ];
  return (
    <header className="site-header">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('skipToContent')}
      </a>
      <div className="header-inner">
        <Link to="/" className="brand">
          <span className="brand-name">{t('appName')}</span>
          <span className="brand-tag">{t('appTagline')}</span>
        </Link>
        <nav aria-label={t('appName')} className="main-nav">
          <ul>
            {nav.map(([to, label, active]) => (
              <li key={to}>
                <Link to={to} aria-current={active(path) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="btn btn-small lang-switch"
          onClick={() => i18n.setLang(lang === 'zh' ? 'en' : 'zh')}
          lang={lang === 'zh' ? 'en' : 'zh-CN'}
          aria-label={t('switchLangLabel')}
        >
          {t('switchLang')}
        </button>
      </div>
    </header>
  );
}

function Routes() {
  const { t } = useLang();
  const { path } = useLocation();
  let page;
  let m: RegExpExecArray | null;
  if (path === '/' || path === '/index.html') page = <MatchPage />;
  else if (path === '/compare') page = <ComparePage />;
  else if (path === '/measures') page = <CatalogPage />;
  else if ((m = /^\/measures\/([^/]+)$/.exec(path))) page = <MeasurePage id={decodeURIComponent(m[1])} />;
  else if ((m = /^\/documents\/([^/]+)$/.exec(path))) page = <DocumentPage id={decodeURIComponent(m[1])} />;
  else if (path === '/officer' || path.startsWith('/officer/')) page = <OfficerPage path={path} />;
  else if (path === '/admin') page = <AdminPage />;
  else if (path === '/admin/expiry') page = <ExpiryPage />;
  else
    page = (
      <div className="page">
        <h1 className="page-title">{t('notFound')}</h1>
        <Link to="/">{t('backHome')}</Link>
      </div>
    );
  const title =
    path === '/' || path === '/index.html'
      ? t('navMatch')
      : path === '/compare'
        ? t('navCompare')
        : path.startsWith('/measures') || path.startsWith('/documents')
          ? t('navCatalog')
          : path.startsWith('/officer')
            ? t('navOfficer')
            : t('notFound');
  // Each route its own title, so tabs, history and screen readers tell the pages apart.
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
  }, [title, t]);
  return <Suspense fallback={<Loading />}>{page}</Suspense>;
}

function Shell() {
  const { t } = useLang();
  const [labels, setLabels] = useState<Labels | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const fetchTaxonomy = useCallback(() => {
    get<Taxonomy>('/taxonomy')
      .then((tx) => setLabels(new Labels(tx)))
      .catch((e: unknown) => setFailure(e));
  }, []);
  useEffect(fetchTaxonomy, [fetchTaxonomy]);
  const retry = () => {
    setFailure(null);
    fetchTaxonomy();
  };
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        {failure ? (
          <ErrorNote error={failure} onRetry={retry} />
        ) : !labels ? (
          <Loading />
        ) : (
          <TaxonomyProvider labels={labels}>
            <ProfileProvider>
              <Routes />
            </ProfileProvider>
          </TaxonomyProvider>
        )}
      </main>
      <footer className="site-footer">
        <p>
          {t('appTagline')} · <a href="/docs">API</a>
        </p>
      </footer>
    </>
  );
}

export function App() {
  return (
    <LangProvider>
      <Shell />
    </LangProvider>
  );
}
