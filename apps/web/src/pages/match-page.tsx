import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, post, type FieldError, type HealthReport, type MatchResponse } from '../api';
import { useFetch } from '../hooks/use-fetch';
import { ErrorNote } from '../components/bits';
import { ProfileForm } from '../components/profile-form';
import { AsOfNote, MatchesView, NearMissesView, PrioritiesView, QuestionsView, resultRows, SummaryView, type FactState } from '../components/results';
import { downloadBlob, fileStamp, toCsv } from '../download';
import { formatDate, useLang } from '../i18n';
import { addFact, canAdd, fieldOfPath, hasFact, shareHash, textOf, toMatchRequest, toRequest, type FormState } from '../profile';
import { Link } from '../router';
import { href } from '../routes';
import { useProfile } from '../state';
import { useLabels } from '../taxonomy';

/** The API's largest nearMissLimit: "show all" asks for it, and gets every near miss up to nearMissesTotal. */
const ALL_NEAR_MISSES = 100;

export function MatchPage() {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { form, setForm, autoRun, setAutoRun, result, setResult } = useProfile();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');
  /** The results on screen belong to an earlier submission: the last one failed. */
  const [stale, setStale] = useState(false);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  // The privacy note states the periods this service is configured with (the defaults until they are known).
  const retention = useFetch<HealthReport>('/health').data?.retention;
  const latest = useRef<AbortController | null>(null);
  /** Once the company asked for every near miss, later runs keep listing them all. */
  const showAllNear = useRef(false);

  const run = useCallback(
    async (state: FormState, { focus = true, message = '' } = {}) => {
      latest.current?.abort();
      const ctrl = new AbortController();
      latest.current = ctrl;
      setBusy(true);
      setFailure(null);
      const req = toMatchRequest(state, labels);
      if (showAllNear.current) req.nearMissLimit = ALL_NEAR_MISSES;
      try {
        const res = await post<MatchResponse>('/match', req, ctrl.signal);
        if (ctrl.signal.aborted) return;
        setErrors([]);
        setStale(false);
        setResult(res);
        // The address now carries the profile (its hash never reaches the server): copy it to share or bookmark.
        history.replaceState(history.state, '', location.pathname + location.search + shareHash(toRequest(state, labels)));
        setAnnounce(message || res.summary.headline[lang]);
        if (focus) requestAnimationFrame(() => resultsHeading.current?.focus());
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        setStale(true);
        if (err instanceof ApiError && err.errors.length) setErrors(err.errors);
        else setFailure(err);
      } finally {
        if (latest.current === ctrl) setBusy(false);
      }
    },
    [labels, lang, setResult],
  );

  useEffect(() => {
    if (!autoRun) return;
    setAutoRun(false);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a share link or the compare page asks for a run on arrival; no event to hang it on
    void run(form, { focus: false });
  }, [autoRun, form, run, setAutoRun]);

  const facts: FactState = {
    has: (fact, code) => hasFact(form, labels, fact, code),
    can: (fact, code) => canAdd(form, labels, fact, code),
  };
  /** Only after the company answered 有 and chose what it has. */
  const onAdd = (fact: string, codes: string[]) => {
    let state = form;
    for (const code of codes) {
      const change = addFact(state, labels, fact, code);
      if (change.changed) state = change.state;
    }
    if (state === form) return;
    setForm(state);
    const label = codes.map((c) => labels.pathLabel(fact, c, lang)).join(lang === 'zh' ? '、' : ', ');
    void run(state, { focus: false, message: t('factAdded', { field: labels.fieldLabel(fact, lang), label }) });
  };
  /** "Hide expired" asks the server again, so that counts, near misses and questions agree with what is shown. */
  const setHideExpired = (hide: boolean) => {
    const state = { ...form, includeExpired: !hide };
    setForm(state);
    void run(state, { focus: false });
  };
  const showAllNearMisses = () => {
    showAllNear.current = true;
    void run(form, { focus: false });
  };

  const download = (kind: 'csv' | 'json') => {
    if (!result) return;
    const name =
      textOf(form.values, 'name')
        .replace(/[\\/:*?"<>|]+/g, '')
        .slice(0, 40) || 'matches';
    if (kind === 'json') {
      downloadBlob(`${name}-${fileStamp()}.json`, JSON.stringify({ request: toRequest(form, labels), response: result }, null, 2), 'application/json');
    } else {
      const { preamble, header, rows } = resultRows(result, labels, lang);
      downloadBlob(`${name}-${fileStamp()}.csv`, toCsv(header, rows, preamble), 'text/csv;charset=utf-8');
    }
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setAnnounce(t('linkCopied'));
    } catch {
      setAnnounce(t('linkCopyFailed'));
    }
  };

  return (
    <div className="match-layout">
      <div className="form-column">
        <h1 className="page-title">{t('introTitle')}</h1>
        <p className="lead">{t('introText')}</p>
        <details className="privacy-note" data-testid="privacy-note">
          <summary>{t('privacyTitle')}</summary>
          <p>{t('privacyText', { days: retention?.evaluationDays ?? 90 })}</p>
        </details>
        {result ? (
          <p className="jump-results">
            <a href="#results" onClick={(e) => (e.preventDefault(), resultsHeading.current?.focus(), resultsHeading.current?.scrollIntoView())}>
              {t('jumpToResults', { n: result.matches.length })}
            </a>
          </p>
        ) : null}
        <ProfileForm
          form={form}
          setForm={(u) => setForm(u)}
          errors={errors}
          busy={busy}
          onSubmit={() => {
            // 行业 is required: say so at the field instead of running without it.
            const given = toRequest(form, labels).profile as { sectors?: unknown[]; additionalSectors?: unknown[] };
            if (!given.sectors?.length && !given.additionalSectors?.length) {
              setErrors([{ path: 'profile.sectors', message: 'is required' }]);
              if (result) setStale(true);
              return;
            }
            void run(form);
          }}
          onEdit={(field) => setErrors((es) => (es.some((e) => fieldOfPath(e.path) === field) ? es.filter((e) => fieldOfPath(e.path) !== field) : es))}
        />
      </div>
      <div className="results-column" aria-busy={busy || undefined}>
        <div className="visually-hidden announce" role="status" aria-live="polite">
          {announce}
        </div>
        <h2 className="results-title" id="results" tabIndex={-1} ref={resultsHeading}>
          {t('resultsTitle')} {result ? <AsOfNote asOf={result.asOf} /> : null}
        </h2>
        {failure ? <ErrorNote error={failure} onRetry={() => void run(form)} /> : null}
        {!result ? (
          <div className="results-empty">
            <p>{t('resultsEmpty')}</p>
          </div>
        ) : (
          <div className={busy ? 'results is-busy' : stale ? 'results is-stale' : 'results'}>
            {stale ? (
              <p className="note note-warn stale-mark" role="status">
                {t('staleResults')}
              </p>
            ) : null}
            <SummaryView res={result} />
            <div className="print-only profile-summary">
              {textOf(form.values, 'name') ? <p className="strong">{textOf(form.values, 'name')}</p> : null}
              <p>
                {labels.taxonomy.fields
                  .map((f) => {
                    const v = form.values[f.key];
                    const codes = Array.isArray(v) ? v : v ? [v] : [];
                    if (!codes.length) return '';
                    const shown =
                      f.kind === 'number'
                        ? codes.join('') + labels.unit(f.key, lang)
                        : codes.map((c) => labels.pathLabel(f.key, c, lang)).join(lang === 'zh' ? '、' : ', ');
                    return `${labels.fieldLabel(f.key, lang)}${lang === 'zh' ? '：' : ': '}${shown}`;
                  })
                  .filter(Boolean)
                  .join(lang === 'zh' ? '；' : '; ')}
              </p>
            </div>
            <div className="toolbar no-print" role="group" aria-label={t('resultsTitle')}>
              <label className="check">
                <input type="checkbox" checked={!form.includeExpired} onChange={(e) => setHideExpired(e.target.checked)} />
                <span>{t('onlyInForce')}</span>
              </label>
              <button type="button" className="btn btn-small" onClick={() => download('csv')}>
                {t('downloadCsv')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => download('json')}>
                {t('downloadJson')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => print()}>
                {t('print')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => void copyLink()}>
                {t('copyLink')}
              </button>
              <Link className="btn btn-small" to={`${href('compare')}${location.hash}`}>
                {t('compareLink')}
              </Link>
            </div>
            {result.matches.length > 0 && result.matches.every((m) => m.status === 'expired') ? (
              <div className="note note-warn">
                <p>{t('allExpired', { date: formatDate(result.asOf, lang) })}</p>
                <button type="button" className="btn btn-small" onClick={() => document.getElementById('f-asOf')?.focus()}>
                  {t('changeDate')}
                </button>
              </div>
            ) : null}
            <p className="legend muted small">
              <span className="inferred">{t('inferred')}</span> = {t('inferredTitle')}
            </p>
            <MatchesView res={result} hidingExpired={!form.includeExpired} onShowExpired={() => setHideExpired(false)} />
            <PrioritiesView res={result} />
            <NearMissesView res={result} onShowAll={showAllNearMisses} />
            <QuestionsView key={result.evaluationId} res={result} onAdd={onAdd} facts={facts} />
          </div>
        )}
      </div>
    </div>
  );
}
