import { useMemo, useState } from 'react';
import type { ScreeningResultsQuery } from '@matcher/contracts';
import { API, del, post, query, type Screening, type ScreeningChanges, type ScreeningResults } from '../../api';
import { ErrorNote, Loading } from '../../components/bits';
import { DepartmentFilter, DistrictFilter, MeasureFilter } from '../../components/filter-fields';
import { Pager } from '../../components/pager';
import { useAllMeasures, useDepartments } from '../../hooks/use-catalog-lists';
import { useFetch } from '../../hooks/use-fetch';
import { formatDateTime, useLang } from '../../i18n';
import { Link, navigate, setSearch, useLocation } from '../../router';
import { href } from '../../routes';
import { useLabels } from '../../taxonomy';
import { ACTIVE, Progress, StateBadge } from './screening-state';

type Sort = NonNullable<ScreeningResultsQuery['sort']>;
const RESULTS_PAGE = 50;

/** A column header that sorts the results table; `sorted` is its aria-sort state. */
function SortHeader({ label, sorted, onSort, num }: { label: string; sorted: 'ascending' | 'descending' | 'none'; onSort: () => void; num?: boolean }) {
  const { t } = useLang();
  return (
    <th scope="col" aria-sort={sorted} className={num ? 'num' : undefined}>
      <button type="button" className="sort" onClick={onSort} aria-label={t('sortBy', { col: label })}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

/** One screening: progress, problems found in the file, what a re-run changed, and the results, filtered and sorted. */
export function ScreeningPage({ id }: { id: string }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { search } = useLocation();
  const departments = useDepartments();
  const measures = useAllMeasures();
  const district = search.get('district') ?? '';
  const department = search.get('department') ?? '';
  const measure = search.get('measure') ?? '';
  const sort = (search.get('sort') as Sort | null) ?? 'row';
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const base = `/screenings/${encodeURIComponent(id)}`;
  const applicable = search.get('applicable') === 'true';
  const filters = { district, department, measure, applicable: applicable ? 'true' : undefined };
  const resultsPath = `${base}/results${query({ ...filters, sort: sort === 'row' ? undefined : sort, limit: RESULTS_PAGE, offset })}`;

  // Long work: poll the progress until the screening settles.
  const screening = useFetch<Screening>(base, { poll: { every: 1000, while: (x) => ACTIVE.has(x.state) } });
  const s = screening.data;
  const [actionFailure, setActionFailure] = useState<unknown>(null);
  const failure = screening.error ?? actionFailure;
  const load = () => {
    setActionFailure(null);
    screening.reload();
  };
  const active = s ? ACTIVE.has(s.state) : false;
  const runs = s?.runs?.length ?? 0;

  // Results reload when the filters change and as rows get done.
  const progressKey = s ? `${s.state}:${s.rowsDone}:${runs}` : '';
  const { data: results, error: resultsFailure } = useFetch<ScreeningResults>(s ? resultsPath : null, { version: progressKey });

  // What changed since the run before, once a re-run has settled; hidden from the moment another re-run is asked for.
  const changesPath = s && runs >= 2 && !active ? `${base}/changes` : null;
  const changesFetch = useFetch<ScreeningChanges>(changesPath, { version: runs });
  const [rerunFrom, setRerunFrom] = useState<number | null>(null);
  const changes = changesPath && rerunFrom !== runs && !changesFetch.loading && !changesFetch.error ? changesFetch.data : null;

  const measureTitle = useMemo(() => {
    const map = new Map(measures.map((m) => [m.id, lang === 'zh' ? m.title : m.titleEn]));
    return (mid: string) => map.get(mid) ?? mid;
  }, [measures, lang]);

  if (failure) return <ErrorNote error={failure} onRetry={load} />;
  if (!s) return <Loading />;

  const cancel = async () => {
    if (!confirm(t('cancelConfirm'))) return;
    await del(base).catch((e: unknown) => setActionFailure(e));
    screening.reload();
  };
  /** Deletes the screening with its rows and results, after the officer confirms; back to the list. */
  const remove = async () => {
    if (!confirm(t('removeConfirm'))) return;
    try {
      await del(base);
      navigate(href('officer'));
    } catch (e) {
      setActionFailure(e);
    }
  };
  const rerun = async () => {
    setRerunFrom(runs);
    await post(`${base}/rerun`).catch((e: unknown) => setActionFailure(e));
    screening.reload();
  };
  const update = (params: Record<string, string | undefined>) => setSearch({ offset: undefined, ...params });
  const sortBy = (col: 'row' | 'name' | 'matchCount') => {
    const next: Sort = col === 'matchCount' ? (sort === '-matchCount' ? 'matchCount' : '-matchCount') : col;
    update({ sort: next === 'row' ? undefined : next });
  };
  const ariaSort = (col: 'row' | 'name' | 'matchCount'): 'ascending' | 'descending' | 'none' =>
    col === 'matchCount' ? (sort === '-matchCount' ? 'descending' : sort === 'matchCount' ? 'ascending' : 'none') : sort === col ? 'ascending' : 'none';
  const exportQuery = query(filters);
  const shownMeasures = measures.filter((m) => !district || m.district === district);

  return (
    <>
      <p className="crumbs">
        <Link to={href('officer')}>{t('savedScreenings')}</Link>
      </p>
      <h1 className="page-title">
        {s.name || t('officerTitle')} <StateBadge state={s.state} />
      </h1>
      <div className="screening-status" aria-live="polite">
        <Progress s={s} />
        {s.runs?.length ? (
          <span className="muted small">
            {t('runOf', { n: s.runs[s.runs.length - 1].run })} · {formatDateTime(s.createdAt, lang)}
          </span>
        ) : null}
      </div>
      <div className="toolbar">
        {active ? (
          <button type="button" className="btn btn-small" onClick={() => void cancel()}>
            {t('cancel')}
          </button>
        ) : (
          <>
            <button type="button" className="btn btn-small" onClick={() => void rerun()}>
              {t('rerun')}
            </button>
            <button type="button" className="btn btn-small" data-testid="delete-screening" onClick={() => void remove()}>
              {t('deleteScreening')}
            </button>
          </>
        )}
        <a className="btn btn-small" href={`${API}${base}/results.xlsx${exportQuery}`} download>
          {t('exportXlsx')}
        </a>
        <a className="btn btn-small" href={`${API}${base}/results.csv${exportQuery}`} download>
          {t('exportCsv')}
        </a>
        <a
          className="btn btn-small"
          href={`${API}${base}/results-measures.csv${exportQuery}`}
          download
          title={t('exportMeasuresHint')}
          data-testid="export-measures"
        >
          {t('exportMeasuresCsv')}
        </a>
      </div>

      {s.columns.ignored.length ? (
        <p className="note note-warn small">{t('ignoredColumns', { cols: s.columns.ignored.map((c) => c.header).join(lang === 'zh' ? '、' : ', ') })}</p>
      ) : null}
      {s.warnings.length ? (
        <ul className="note note-warn small">
          {s.warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
      ) : null}
      {s.rowErrors?.length ? (
        <section className="note note-warn row-errors" aria-labelledby="row-errors-title">
          <h2 id="row-errors-title">{t('rowErrorsTitle', { n: s.rowErrors.length })}</h2>
          <p className="small">{t('rowErrorsIntro')}</p>
          <ul>
            {s.rowErrors.map((r) => (
              <li key={r.row} data-row={r.row}>
                <strong>{t('rowNumber', { n: r.row })}</strong>
                {lang === 'zh' ? '：' : ': '}
                {r.errors
                  .map((e) =>
                    // Import messages name their row and column already; older ones are prefixed with the column.
                    e.column && e.message.includes(e.column)
                      ? e.message.replace(/^(第 \d+ 行|Row \d+, )/, '')
                      : `${e.column ?? e.path ?? ''}${e.column || e.path ? (lang === 'zh' ? '：' : ': ') : ''}${e.message}`,
                  )
                  .join(lang === 'zh' ? '；' : '; ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {changes ? (
        <section className="changes" aria-labelledby="changes-title">
          <h2 id="changes-title">{t('changesTitle')}</h2>
          <p className="muted small">
            {t('runOf', { n: changes.fromRun })} ({changes.fromRulesetVersion}) → {t('runOf', { n: changes.toRun })} ({changes.toRulesetVersion})
          </p>
          {changes.items.length === 0 ? (
            <p>{t('changesNone')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('colRow')}</th>
                    <th scope="col">{t('colName')}</th>
                    <th scope="col">{t('colDistrict')}</th>
                    <th scope="col">{t('gained')}</th>
                    <th scope="col">{t('lost')}</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.items.map((c) => (
                    <tr key={`${c.row}-${c.district}`}>
                      <td className="num">{c.row}</td>
                      <td>{c.name}</td>
                      <td>{labels.districtLabel(c.district, lang)}</td>
                      <td className="gained">{c.gained.map(measureTitle).join(lang === 'zh' ? '、' : ', ')}</td>
                      <td className="lost">{c.lost.map(measureTitle).join(lang === 'zh' ? '、' : ', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      <section aria-labelledby="results-title">
        <h2 id="results-title">{t('resultsTable')}</h2>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <DistrictFilter
            id="res-district"
            value={district}
            onChange={(d) => update({ district: d || undefined, department: undefined, measure: undefined })}
          />
          <DepartmentFilter
            id="res-dept"
            departments={departments}
            district={district}
            value={department}
            onChange={(d) => update({ department: d || undefined })}
          />
          <MeasureFilter measures={shownMeasures} value={measure} onChange={(id) => update({ measure: id || undefined })} />
          <label className="check">
            <input type="checkbox" checked={applicable} onChange={(e) => update({ applicable: e.target.checked ? 'true' : undefined })} />
            <span>{t('filterApplicable')}</span>
          </label>
        </form>
        {resultsFailure ? <ErrorNote error={resultsFailure} /> : null}
        {!results ? (
          <Loading />
        ) : results.items.length === 0 ? (
          <p className="muted">{t('noResultsYet')}</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table results-table">
                <thead>
                  <tr>
                    <SortHeader label={t('colRow')} sorted={ariaSort('row')} onSort={() => sortBy('row')} num />
                    <SortHeader label={t('colName')} sorted={ariaSort('name')} onSort={() => sortBy('name')} />
                    <th scope="col">{t('colUscc')}</th>
                    <th scope="col">{t('colDistrict')}</th>
                    <SortHeader label={t('colMatches')} sorted={ariaSort('matchCount')} onSort={() => sortBy('matchCount')} num />
                    <th scope="col" className="num">
                      {t('colInForce')}
                    </th>
                    <th scope="col" className="num">
                      {t('colTermUnknown')}
                    </th>
                    <th scope="col" className="num">
                      {t('colExpired')}
                    </th>
                    <th scope="col">{t('colMeasures')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.items.map((r) => (
                    <tr key={`${r.row}-${r.district}`} data-row={r.row}>
                      <td className="num">{r.row}</td>
                      <td>
                        <Link to={href('prospect', { id, row: r.row })}>{r.name || `#${r.row}`}</Link>
                      </td>
                      <td className="mono">{r.uscc ?? ''}</td>
                      <td className="nowrap">
                        {labels.districtLabel(r.district, lang)}
                        {r.scenario === 'relocation' ? <span className="badge badge-relocation small">{t('relocation')}</span> : null}
                      </td>
                      <td className="num strong">{r.matchCount}</td>
                      <td className="num">{r.inForceCount}</td>
                      <td className="num">{r.termUnknownCount ?? ''}</td>
                      <td className="num">{r.expiredCount ?? ''}</td>
                      <td className="measures-cell">
                        {r.measures.slice(0, 3).map((m) => (
                          <span key={m.measureId} className="measure-pill" title={lang === 'zh' ? m.title : m.titleEn}>
                            {lang === 'zh' ? m.title : m.titleEn}
                            {m.endsInDays !== undefined ? (
                              <span className="badge badge-in-force badge-ending small">
                                {m.endsInDays === 0 ? t('endsToday') : t('endsInDays', { n: m.endsInDays })}
                              </span>
                            ) : null}
                          </span>
                        ))}
                        {r.measures.length > 3 ? <span className="muted small">{t('moreMeasures', { n: r.measures.length - 3 })}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={results.total} offset={offset} limit={RESULTS_PAGE} onPage={(o) => setSearch({ offset: o || undefined })} />
          </>
        )}
      </section>
    </>
  );
}
