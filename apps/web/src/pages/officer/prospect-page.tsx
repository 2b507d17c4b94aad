import { query, type FieldError, type MatchResponse } from '../../api';
import { ErrorNote, Loading } from '../../components/bits';
import { MatchesView, NearMissesView, PrioritiesView, QuestionsView, resultCounts, SummaryView } from '../../components/results';
import { useFetch } from '../../hooks/use-fetch';
import { todayInShanghai, useLang } from '../../i18n';
import { EMPTY_FORM, fromProfile } from '../../profile';
import { Link, navigate } from '../../router';
import { href } from '../../routes';
import { useProfile } from '../../state';
import { useLabels } from '../../taxonomy';

type Prospect = Partial<MatchResponse> & { row: number; name?: string; profile?: Record<string, unknown>; errors?: (FieldError & { column?: string })[] };

/** One prospect of a screening: its row's problems, or its results as the company's own matcher shows them. */
export function ProspectPage({ id, row }: { id: string; row: number }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { setForm, setAutoRun } = useProfile();
  const { data: res, error: failure, reload: load } = useFetch<Prospect>(`/screenings/${encodeURIComponent(id)}/prospects/${row}${query({ lang })}`);
  const openInMatcher = () => {
    if (!res?.profile) return;
    setForm({ ...EMPTY_FORM, values: fromProfile(res.profile, labels), asOf: res.asOf && res.asOf !== todayInShanghai() ? res.asOf : '' });
    setAutoRun(true);
    navigate(href('match'));
  };
  const full = res && res.matches && res.districts ? (res as MatchResponse) : null;
  return (
    <>
      <p className="crumbs">
        <Link to={href('officer')}>{t('savedScreenings')}</Link> › <Link to={href('screening', { id })}>{t('backToScreening')}</Link>
      </p>
      <h1 className="page-title">
        {t('prospectTitle')} · {res?.name || t('rowNumber', { n: row })}
      </h1>
      {failure ? <ErrorNote error={failure} onRetry={load} /> : null}
      {!res ? (
        failure ? null : (
          <Loading />
        )
      ) : res.errors?.length ? (
        <div className="note note-warn">
          <p>{t('rowNumber', { n: row })}</p>
          <ul>
            {res.errors.map((e, i) => (
              <li key={i}>
                {e.column ?? e.path}
                {lang === 'zh' ? '：' : ': '}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : full ? (
        <div className="results">
          {res.profile ? (
            <p className="toolbar">
              <button type="button" className="btn btn-small" onClick={openInMatcher}>
                {t('openInMatcher')}
              </button>
            </p>
          ) : null}
          <ul className="summary-lines">
            {full.districts.map((d) => {
              const c = resultCounts(full, d);
              return (
                <li key={d}>
                  {t('summaryLine', { district: labels.districtLabel(d, lang), n: c.n, inForce: c.inForce, termUnknown: c.termUnknown, expired: c.expired })}
                </li>
              );
            })}
          </ul>
          <SummaryView res={full} />
          <h2 className="results-title">{t('resultsTitle')}</h2>
          <MatchesView res={full} />
          <PrioritiesView res={full} />
          <NearMissesView res={full} />
          <QuestionsView res={full} />
        </div>
      ) : null}
    </>
  );
}
