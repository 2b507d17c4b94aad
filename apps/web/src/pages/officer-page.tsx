import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  API,
  ApiError,
  del,
  get,
  post,
  query,
  type District,
  type FieldError,
  type ImportPreview,
  type MatchResponse,
  type MeasureList,
  type Officer,
  type Screening,
  type ScreeningChanges,
  type ScreeningResults,
  type ScreeningSummary,
} from '../api';
import { ErrorNote, Loading } from '../components/bits';
import { MatchesView, NearMissesView, PrioritiesView, QuestionsView, resultCounts, SummaryView } from '../components/results';
import { formatDateTime, todayInShanghai, useLang, type StringKey } from '../i18n';
import { EMPTY_FORM, fromProfile } from '../profile';
import { Link, navigate, setSearch, useLocation } from '../router';
import { useProfile } from '../state';
import { useLabels } from '../taxonomy';
import { Pager, useDepartments } from './catalog-pages';
import { choicesFor, MappingStep, saveChoices, savedChoices, type ImportChoices } from './import-mapping';

type Me = { state: 'loading' } | { state: 'out' } | { state: 'in'; officer: Officer } | { state: 'error'; error: unknown };

export function OfficerPage({ path }: { path: string }) {
  const { t } = useLang();
  const [me, setMe] = useState<Me>({ state: 'loading' });
  const check = useCallback(() => {
    get<Officer>('/officers/me')
      .then((officer) => setMe({ state: 'in', officer }))
      .catch((e: unknown) => setMe(e instanceof ApiError && (e.status === 401 || e.status === 403) ? { state: 'out' } : { state: 'error', error: e }));
  }, []);
  useEffect(check, [check]);

  const signOut = async () => {
    await del('/session').catch(() => undefined);
    setMe({ state: 'out' });
    navigate('/officer');
  };

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <ErrorNote error={me.error} onRetry={check} />;
  if (me.state === 'out') return <SignIn onSignedIn={(officer) => setMe({ state: 'in', officer })} />;

  const m = /^\/officer\/screenings\/([^/]+)(?:\/prospects\/(\d+))?\/?$/.exec(path);
  return (
    <div className="page officer-page">
      <div className="officer-bar">
        <p className="muted">{t('signedInAs', { name: me.officer.name })}</p>
        <button type="button" className="btn btn-small" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </div>
      {m && m[2] ? <ProspectView id={decodeURIComponent(m[1])} row={Number(m[2])} /> : m ? <ScreeningView id={decodeURIComponent(m[1])} /> : <OfficerHome />}
    </div>
  );
}

export function SignIn({ onSignedIn }: { onSignedIn: (o: Officer) => void }) {
  const { t } = useLang();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>('');
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setFailure(null);
    try {
      const officer = await post<Officer>('/session', { apiKey: key.trim() });
      setKey('');
      onSignedIn(officer);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('badKey'));
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page narrow">
      <h1 className="page-title">{t('officerTitle')}</h1>
      <p className="lead">{t('officerIntro')}</p>
      <form className="card sign-in" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('signInTitle')}</h2>
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="api-key">{t('apiKey')}</label>
          <p className="hint" id="api-key-hint">
            {t('apiKeyHint')}
          </p>
          <input
            id="api-key"
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={`api-key-hint${error ? ' api-key-err' : ''}`}
          />
          {error ? (
            <p className="field-error" id="api-key-err" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        {failure ? <ErrorNote error={failure} /> : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !key.trim()}>
          {t('signIn')}
        </button>
      </form>
    </div>
  );
}

const ACTIVE = new Set(['queued', 'running', 'paused']);

function StateBadge({ state }: { state: string }) {
  const { t } = useLang();
  return <span className={`badge badge-state-${state}`}>{t(`state_${state}` as StringKey)}</span>;
}

function Progress({ s }: { s: ScreeningSummary }) {
  const { t } = useLang();
  const label = s.rowsTotal ? t('progress', { done: s.rowsDone, total: s.rowsTotal }) : t('progressUnknown', { done: s.rowsDone });
  return (
    <div className="progress">
      <progress max={s.rowsTotal || undefined} value={s.rowsTotal ? s.rowsDone : undefined} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

function OfficerHome() {
  const { t, lang } = useLang();
  const [list, setList] = useState<ScreeningSummary[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const load = useCallback(() => {
    get<{ items: ScreeningSummary[] }>('/screenings')
      .then((r) => setList(r.items))
      .catch((e: unknown) => setFailure(e));
  }, []);
  useEffect(load, [load]);
  // While something runs, the list refreshes itself.
  useEffect(() => {
    if (!list?.some((s) => ACTIVE.has(s.state))) return;
    const id = setTimeout(load, 1500);
    return () => clearTimeout(id);
  }, [list, load]);

  const remove = async (s: ScreeningSummary) => {
    if (!confirm(ACTIVE.has(s.state) ? t('cancelConfirm') : t('removeConfirm'))) return;
    await del(`/screenings/${encodeURIComponent(s.id)}`).catch((e: unknown) => setFailure(e));
    load();
  };

  return (
    <>
      <h1 className="page-title">{t('officerTitle')}</h1>
      <p className="lead">{t('officerIntro')}</p>
      <NewScreening />
      <section aria-labelledby="saved-title" className="saved">
        <h2 id="saved-title">{t('savedScreenings')}</h2>
        {failure ? (
          <ErrorNote
            error={failure instanceof ApiError && failure.status === 404 ? new ApiError(404, '', t('screeningUnavailable'), []) : failure}
            onRetry={load}
          />
        ) : null}
        {!list ? (
          failure ? null : (
            <Loading />
          )
        ) : list.length === 0 ? (
          <p className="muted">{t('noScreenings')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('screeningName')}</th>
                  <th scope="col">{t('filterStatus')}</th>
                  <th scope="col">{t('rows')}</th>
                  <th scope="col">{t('rowsFailed')}</th>
                  <th scope="col">{t('created')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('deleteScreening')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/officer/screenings/${encodeURIComponent(s.id)}`}>{s.name || s.id.slice(0, 8)}</Link>
                    </td>
                    <td>{ACTIVE.has(s.state) ? <Progress s={s} /> : <StateBadge state={s.state} />}</td>
                    <td className="num">{s.rowsTotal ?? s.rowsDone}</td>
                    <td className="num">{s.rowsFailed}</td>
                    <td>{formatDateTime(s.createdAt, lang)}</td>
                    <td>
                      <button type="button" className="btn btn-small btn-link" onClick={() => void remove(s)}>
                        {ACTIVE.has(s.state) ? t('cancel') : t('deleteScreening')}
                        <span className="visually-hidden"> {s.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function NewScreening() {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [districts, setDistricts] = useState<District[]>([]);
  const [asOf, setAsOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const today = todayInShanghai();

  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({ mapping: {}, values: {} });
  const [usedSaved, setUsedSaved] = useState(false);

  const form = (c: ImportChoices): FormData => {
    const body = new FormData();
    body.set('file', file!);
    body.set('lang', lang);
    if (Object.keys(c.mapping).length) body.set('mapping', JSON.stringify(c.mapping));
    if (Object.keys(c.values).length) body.set('values', JSON.stringify(c.values));
    return body;
  };
  const showProblem = (err: unknown) => {
    if (err instanceof ApiError && err.errors.length) setErrors(err.errors.map((x) => x.message));
    else setFailure(err);
  };

  /** The mapping step: what the upload would read, with the saved or current choices applied. */
  const check = async (c: ImportChoices) => {
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const p = await post<ImportPreview>('/screenings/preview', form(c));
      setPreview(p);
      setChoices(c);
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      fileRef.current?.focus();
      return;
    }
    // First read the headers alone, so only the saved choices for this file's columns are sent.
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const first = await post<ImportPreview>('/screenings/preview', form({ mapping: {}, values: {} }));
      const saved = choicesFor(
        first.columns.map((c) => c.header),
        savedChoices(),
      );
      const any = Object.keys(saved.mapping).length + Object.keys(saved.values).length > 0;
      setUsedSaved(any);
      if (any) await check(saved);
      else {
        setPreview(first);
        setChoices(saved);
      }
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  const start = async (save: boolean) => {
    setBusy(true);
    setErrors([]);
    setFailure(null);
    const body = form(choices);
    if (name.trim()) body.set('name', name.trim());
    if (districts.length) body.set('districts', districts.join(','));
    if (asOf) body.set('asOf', asOf);
    try {
      const created = await post<{ id: string }>('/screenings', body);
      if (save) saveChoices(choices);
      navigate(`/officer/screenings/${encodeURIComponent(created.id)}`);
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card new-screening" aria-labelledby="new-title">
      <h2 id="new-title">{t('newScreening')}</h2>
      <p>
        {t('template')}:{' '}
        <a href={`${API}/screenings/template.xlsx`} download>
          XLSX
        </a>{' '}
        ·{' '}
        <a href={`${API}/screenings/template.csv`} download>
          CSV
        </a>
        <span className="muted small"> — {t('templateHint')}</span>
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="new-form">
        <div className={`field${errors.length ? ' has-error' : ''}`}>
          <label htmlFor="upload-file">{t('file')}</label>
          <p className="hint" id="upload-file-hint">
            {t('fileHint')}
          </p>
          <input
            id="upload-file"
            ref={fileRef}
            type="file"
            accept=".csv,.xlsx,.ndjson,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
            }}
            aria-describedby={`upload-file-hint${errors.length ? ' upload-file-err' : ''}`}
            aria-invalid={errors.length ? true : undefined}
          />
          {errors.length ? (
            <ul className="field-error" id="upload-file-err" role="alert">
              {errors.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="upload-name">{t('screeningName')}</label>
          <p className="hint" id="upload-name-hint">
            {t('screeningNameHint')}
          </p>
          <input id="upload-name" type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-describedby="upload-name-hint" />
        </div>
        <fieldset className="field checks compact">
          <legend>{t('screeningDistricts')}</legend>
          <p className="hint" id="upload-districts-hint">
            {t('screeningDistrictsHint')}
          </p>
          <div className="check-row">
            {labels.taxonomy.districts.map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={districts.includes(d)}
                  onChange={(e) => setDistricts((s) => (e.target.checked ? [...s, d] : s.filter((x) => x !== d)))}
                  aria-describedby="upload-districts-hint"
                />
                <span>{labels.districtLabel(d, lang)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="upload-asof">{t('asOf')}</label>
          <input id="upload-asof" type="date" value={asOf || today} onChange={(e) => setAsOf(e.target.value === today ? '' : e.target.value)} />
        </div>
        {failure ? (
          <ErrorNote error={failure instanceof ApiError && failure.status === 404 ? new ApiError(404, '', t('screeningUnavailable'), []) : failure} />
        ) : null}
        {preview ? null : (
          <button type="submit" className="btn btn-primary" disabled={busy || !file}>
            {busy ? t('checking') : t('checkFile')}
          </button>
        )}
      </form>
      {preview ? (
        <MappingStep
          preview={preview}
          choices={choices}
          busy={busy}
          usedSaved={usedSaved}
          onChange={(next, recheck) => (recheck ? void check(next) : setChoices(next))}
          onStart={(save) => void start(save)}
          onBack={() => {
            setPreview(null);
            setFile(null);
            if (fileRef.current) fileRef.current.value = '';
            fileRef.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}

type Sort = 'row' | 'name' | 'matchCount' | '-matchCount';
const RESULTS_PAGE = 50;

let measuresCache: Promise<MeasureList['items']> | null = null;
function useAllMeasures() {
  const [list, setList] = useState<MeasureList['items']>([]);
  useEffect(() => {
    measuresCache ??= get<MeasureList>('/measures?limit=500').then((r) => r.items);
    measuresCache.then(setList).catch(() => {
      measuresCache = null;
    });
  }, []);
  return list;
}

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

function ScreeningView({ id }: { id: string }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { search } = useLocation();
  const departments = useDepartments();
  const measures = useAllMeasures();
  const [s, setS] = useState<Screening | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [results, setResults] = useState<ScreeningResults | null>(null);
  const [resultsFailure, setResultsFailure] = useState<unknown>(null);
  const [changes, setChanges] = useState<ScreeningChanges | null>(null);
  const district = search.get('district') ?? '';
  const department = search.get('department') ?? '';
  const measure = search.get('measure') ?? '';
  const sort = (search.get('sort') as Sort | null) ?? 'row';
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const base = `/screenings/${encodeURIComponent(id)}`;
  const filters = { district, department, measure };
  const resultsPath = `${base}/results${query({ ...filters, sort: sort === 'row' ? undefined : sort, limit: RESULTS_PAGE, offset })}`;

  const load = useCallback(() => {
    get<Screening>(base)
      .then(setS)
      .catch((e: unknown) => setFailure(e));
  }, [base]);
  useEffect(load, [load]);

  const active = s ? ACTIVE.has(s.state) : false;
  // Long work: poll the progress until the screening settles.
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(load, 1000);
    return () => clearTimeout(timer);
  }, [active, s, load]);

  const progressKey = s ? `${s.state}:${s.rowsDone}:${s.runs?.length ?? 0}` : '';
  useEffect(() => {
    if (!s) return;
    const ctrl = new AbortController();
    get<ScreeningResults>(resultsPath, ctrl.signal)
      .then((r) => (setResults(r), setResultsFailure(null)))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setResultsFailure(e);
      });
    return () => ctrl.abort();
    // Results reload when the filters change and as rows get done.
  }, [resultsPath, progressKey]); // eslint-disable-line

  useEffect(() => {
    if (!s || (s.runs?.length ?? 0) < 2 || active) return;
    get<ScreeningChanges>(`${base}/changes`)
      .then(setChanges)
      .catch(() => setChanges(null));
  }, [s?.runs?.length, active, base]); // eslint-disable-line

  const measureTitle = useMemo(() => {
    const map = new Map(measures.map((m) => [m.id, lang === 'zh' ? m.title : m.titleEn]));
    return (mid: string) => map.get(mid) ?? mid;
  }, [measures, lang]);

  if (failure) return <ErrorNote error={failure} onRetry={load} />;
  if (!s) return <Loading />;

  const cancel = async () => {
    if (!confirm(t('cancelConfirm'))) return;
    await del(base).catch((e: unknown) => setFailure(e));
    load();
  };
  const rerun = async () => {
    setChanges(null);
    await post(`${base}/rerun`).catch((e: unknown) => setFailure(e));
    load();
  };
  const update = (params: Record<string, string | undefined>) => setSearch({ offset: undefined, ...params });
  const sortBy = (col: 'row' | 'name' | 'matchCount') => {
    const next: Sort = col === 'matchCount' ? (sort === '-matchCount' ? 'matchCount' : '-matchCount') : col;
    update({ sort: next === 'row' ? undefined : next });
  };
  const ariaSort = (col: 'row' | 'name' | 'matchCount'): 'ascending' | 'descending' | 'none' =>
    col === 'matchCount' ? (sort === '-matchCount' ? 'descending' : sort === 'matchCount' ? 'ascending' : 'none') : sort === col ? 'ascending' : 'none';
  const exportQuery = query(filters);
  const shownDepartments = departments.filter((d) => !district || d.district === district);
  const shownMeasures = measures.filter((m) => !district || m.district === district);

  return (
    <>
      <p className="crumbs">
        <Link to="/officer">{t('savedScreenings')}</Link>
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
          <button type="button" className="btn btn-small" onClick={() => void rerun()}>
            {t('rerun')}
          </button>
        )}
        <a className="btn btn-small" href={`${API}${base}/results.xlsx${exportQuery}`} download>
          {t('exportXlsx')}
        </a>
        <a className="btn btn-small" href={`${API}${base}/results.csv${exportQuery}`} download>
          {t('exportCsv')}
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
          <div className="field">
            <label htmlFor="res-district">{t('filterDistrict')}</label>
            <select
              id="res-district"
              value={district}
              onChange={(e) => update({ district: e.target.value || undefined, department: undefined, measure: undefined })}
            >
              <option value="">{t('filterAll')}</option>
              {labels.taxonomy.districts.map((d) => (
                <option key={d} value={d}>
                  {labels.districtLabel(d, lang)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="res-dept">{t('filterDepartment')}</label>
            <select id="res-dept" value={department} onChange={(e) => update({ department: e.target.value || undefined })}>
              <option value="">{t('filterAll')}</option>
              {shownDepartments.map((d) => (
                <option key={d.id} value={d.id}>
                  {lang === 'zh' ? d.fullName : d.nameEn}
                </option>
              ))}
            </select>
          </div>
          <MeasureFilter measures={shownMeasures} value={measure} onChange={(id) => update({ measure: id || undefined })} />
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
                    <th scope="col">{t('colMeasures')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.items.map((r) => (
                    <tr key={`${r.row}-${r.district}`} data-row={r.row}>
                      <td className="num">{r.row}</td>
                      <td>
                        <Link to={`/officer/screenings/${encodeURIComponent(id)}/prospects/${r.row}`}>{r.name || `#${r.row}`}</Link>
                      </td>
                      <td className="mono">{r.uscc ?? ''}</td>
                      <td className="nowrap">
                        {labels.districtLabel(r.district, lang)}
                        {r.scenario === 'relocation' ? <span className="badge badge-relocation small">{t('relocation')}</span> : null}
                      </td>
                      <td className="num strong">{r.matchCount}</td>
                      <td className="num">{r.inForceCount}</td>
                      <td className="measures-cell">
                        {r.measures.slice(0, 3).map((m) => (
                          <span key={m.measureId} className="measure-pill" title={lang === 'zh' ? m.title : m.titleEn}>
                            {lang === 'zh' ? m.title : m.titleEn}
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

/** The measure filter: type part of a title or id and pick from the matches (304 measures do not fit one drop-down). */
function MeasureFilter({ measures, value, onChange }: { measures: MeasureList['items']; value: string; onChange: (id: string) => void }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [q, setQ] = useState('');
  const listId = 'res-measure-options';
  const selected = measures.find((m) => m.id === value);
  const needle = q.trim().toLowerCase();
  const hits = needle ? measures.filter((m) => `${m.title}\n${m.titleEn}\n${m.id}\n${m.summary ?? ''}`.toLowerCase().includes(needle)).slice(0, 15) : [];
  return (
    <div className="field grow measure-filter">
      <label htmlFor="res-measure">{t('filterMeasure')}</label>
      {selected ? (
        <p className="chip chip-selected">
          {lang === 'zh' ? selected.title : selected.titleEn}
          <button type="button" className="chip-x" onClick={() => onChange('')} aria-label={t('measureClear')}>
            ×
          </button>
        </p>
      ) : null}
      <input
        id="res-measure"
        type="search"
        value={q}
        placeholder={t('filterMeasurePlaceholder')}
        onChange={(e) => setQ(e.target.value)}
        autoComplete="off"
        aria-controls={listId}
      />
      {needle ? (
        <ul id={listId} className="measure-options" aria-live="polite">
          {hits.length === 0 ? <li className="muted small">{t('measureSearchNone')}</li> : null}
          {hits.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className="btn-link measure-option"
                onClick={() => {
                  onChange(m.id);
                  setQ('');
                }}
              >
                {lang === 'zh' ? m.title : m.titleEn} <span className="muted small">· {labels.districtLabel(m.district, lang)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type Prospect = Partial<MatchResponse> & { row: number; name?: string; profile?: Record<string, unknown>; errors?: (FieldError & { column?: string })[] };

function ProspectView({ id, row }: { id: string; row: number }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { setForm, setAutoRun } = useProfile();
  const [res, setRes] = useState<Prospect | null>(null);
  // A failure belongs to the request it came from (prospect, language and attempt): a new one hides it.
  const [failed, setFailed] = useState<{ key: string; error: unknown } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const key = `${id}/${row}/${lang}/${attempt}`;
  useEffect(() => {
    const requestKey = `${id}/${row}/${lang}/${attempt}`;
    get<Prospect>(`/screenings/${encodeURIComponent(id)}/prospects/${row}${query({ lang })}`)
      .then(setRes)
      .catch((e: unknown) => setFailed({ key: requestKey, error: e }));
  }, [id, row, lang, attempt]);
  const failure = failed?.key === key ? failed.error : null;
  const load = () => setAttempt((n) => n + 1);
  const openInMatcher = () => {
    if (!res?.profile) return;
    setForm({ ...EMPTY_FORM, values: fromProfile(res.profile, labels), asOf: res.asOf && res.asOf !== todayInShanghai() ? res.asOf : '' });
    setAutoRun(true);
    navigate('/');
  };
  const full = res && res.matches && res.districts ? (res as MatchResponse) : null;
  return (
    <>
      <p className="crumbs">
        <Link to="/officer">{t('savedScreenings')}</Link> › <Link to={`/officer/screenings/${encodeURIComponent(id)}`}>{t('backToScreening')}</Link>
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
              return <li key={d}>{t('summaryLine', { district: labels.districtLabel(d, lang), n: c.n, inForce: c.inForce, near: c.near })}</li>;
            })}
          </ul>
          <SummaryView res={full} />
          <MatchesView res={full} />
          <PrioritiesView res={full} />
          <NearMissesView res={full} />
          <QuestionsView res={full} />
        </div>
      ) : null}
    </>
  );
}
