import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import type { Taxonomy } from './api';
import { ErrorNote, Loading } from './components/bits';
import { useFetch } from './hooks/use-fetch';
import { LangProvider, useLang } from './i18n';
import { MatchPage } from './pages/match-page';
import { Link, useLocation } from './router';
import { href, matchRoute, SECTION, type RouteName, type RouteParams, type Section } from './routes';
import { ProfileProvider } from './state';
import { Labels, TaxonomyProvider } from './taxonomy';

// Pages a company rarely needs first are loaded on demand, keeping the first download small.
const ComparePage = lazy(() => import('./pages/compare-page').then((m) => ({ default: m.ComparePage })));
const CatalogPage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.CatalogPage })));
const MeasurePage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.MeasurePage })));
const DocumentPage = lazy(() => import('./pages/catalog-pages').then((m) => ({ default: m.DocumentPage })));
const AdminPage = lazy(() => import('./pages/admin-page').then((m) => ({ default: m.AdminPage })));
const ExpiryPage = lazy(() => import('./pages/admin-page').then((m) => ({ default: m.ExpiryPage })));
// The officer pages share one chunk: the sign-in gate and the pages behind it.
const OfficerLayout = lazy(() => import('./pages/officer').then((m) => ({ default: m.OfficerLayout })));
const ScreeningsListPage = lazy(() => import('./pages/officer').then((m) => ({ default: m.ScreeningsListPage })));
const ScreeningPage = lazy(() => import('./pages/officer').then((m) => ({ default: m.ScreeningPage })));
const ProspectPage = lazy(() => import('./pages/officer').then((m) => ({ default: m.ProspectPage })));

/** What each route shows. */
const PAGES: { [N in RouteName]: (params: RouteParams<N>) => ReactNode } = {
  match: () => <MatchPage />,
  compare: () => <ComparePage />,
  catalog: () => <CatalogPage />,
  measure: ({ id }) => <MeasurePage id={id} />,
  document: ({ id }) => <DocumentPage id={id} />,
  officer: () => (
    <OfficerLayout>
      <ScreeningsListPage />
    </OfficerLayout>
  ),
  screening: ({ id }) => (
    <OfficerLayout>
      <ScreeningPage id={id} />
    </OfficerLayout>
  ),
  prospect: ({ id, row }) => (
    <OfficerLayout>
      <ProspectPage id={id} row={Number(row)} />
    </OfficerLayout>
  ),
  admin: () => <AdminPage />,
  expiry: () => <ExpiryPage />,
};

/** Shows the page of a matched route (the lookup keeps each route's parameters typed). */
function pageOf<N extends RouteName>(route: { name: N; params: RouteParams<N> }): ReactNode {
  return PAGES[route.name](route.params);
}

function Header() {
  const i18n = useLang();
  const { t, lang } = i18n;
  const { path } = useLocation();
  const route = matchRoute(path);
  const section = route ? SECTION[route.name] : null;
  const nav: [Section, string][] = [
    ['match', t('navMatch')],
    ['compare', t('navCompare')],
    ['catalog', t('navCatalog')],
    ['officer', t('navOfficer')],
    ['admin', lang === 'zh' ? '政策管理' : 'Policy management'],
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
        <Link to={href('match')} className="brand">
          <span className="brand-name">{t('appName')}</span>
          <span className="brand-tag">{t('appTagline')}</span>
        </Link>
        <nav aria-label={t('appName')} className="main-nav">
          <ul>
            {nav.map(([name, label]) => (
              <li key={name}>
                <Link to={href(name)} aria-current={section === name ? 'page' : undefined}>
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
  const { t, lang } = useLang();
  const { path } = useLocation();
  const route = matchRoute(path);
  const page = route ? (
    pageOf(route)
  ) : (
    <div className="page">
      <h1 className="page-title">{t('notFound')}</h1>
      <Link to={href('match')}>{t('backHome')}</Link>
    </div>
  );
  const section = route ? SECTION[route.name] : null;
  const title =
    section === 'match'
      ? t('navMatch')
      : section === 'compare'
        ? t('navCompare')
        : section === 'catalog'
          ? t('navCatalog')
          : section === 'officer'
            ? t('navOfficer')
            : section === 'admin'
              ? lang === 'zh'
                ? '政策管理'
                : 'Policy management'
              : t('notFound');
  // Each route its own title, so tabs, history and screen readers tell the pages apart.
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
  }, [title, t]);
  return <Suspense fallback={<Loading />}>{page}</Suspense>;
}

function Shell() {
  const { t } = useLang();
  const { data: taxonomy, error: failure, reload: retry } = useFetch<Taxonomy>('/taxonomy');
  const labels = useMemo(() => (taxonomy ? new Labels(taxonomy) : null), [taxonomy]);
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
