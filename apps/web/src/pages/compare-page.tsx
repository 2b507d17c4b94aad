import type { CompareResponse } from '../api';
import { ErrorNote, Loading, StatusBadge } from '../components/bits';
import { useFetch } from '../hooks/use-fetch';
import { useLang } from '../i18n';
import { shareHash, textOf, toMatchRequest, toRequest } from '../profile';
import { Link, navigate } from '../router';
import { href } from '../routes';
import { useProfile } from '../state';
import { useLabels } from '../taxonomy';

export function ComparePage() {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { form, setForm, setAutoRun } = useProfile();
  const ready = Boolean(textOf(form.values, 'location.district'));
  // Facts only: the name and credit code stay in this browser.
  const req = toMatchRequest(form, labels);
  // A failure belongs to the request it came from: a changed profile hides it.
  const { data, error: failure } = useFetch<CompareResponse>(ready ? '/match/compare' : null, {
    body: { profile: req.profile, asOf: req.asOf, includeExpired: req.includeExpired },
  });

  /** "plans:international-standards" → "发展计划：参与标准制修订". */
  const factWords = (f: string): string => {
    const i = f.indexOf(':');
    const fact = f.slice(0, i);
    return `${labels.fieldLabel(fact, lang)}${lang === 'zh' ? '：' : ': '}${labels.pathLabel(fact, f.slice(i + 1), lang)}`;
  };

  return (
    <div className="page compare-page">
      <h1 className="page-title">{t('compareTitle')}</h1>
      <p className="lead">{t('compareIntro')}</p>
      {!ready ? (
        <div className="note">
          <p>{t('compareNeedProfile')}</p>
          <Link className="btn btn-primary" to={href('match')}>
            {t('compareGoForm')}
          </Link>
        </div>
      ) : failure ? (
        <ErrorNote error={failure} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <div className="compare-date no-print">
            <label htmlFor="cmp-asOf">{t('compareDate')}</label>{' '}
            <input id="cmp-asOf" type="date" value={form.asOf || data.asOf} onChange={(e) => setForm((f) => ({ ...f, asOf: e.target.value }))} />
          </div>
          <p className="note verdict" data-testid="verdict">
            {data.verdict[lang]}
          </p>
          <div className="compare-grid">
            {data.districts.map((d) => {
              const districtHash = shareHash({ ...toRequest(form, labels), districts: [d.district] });
              const seeResults = (e: { preventDefault(): void }) => {
                e.preventDefault();
                setForm((f) => ({ ...f, districts: d.district === textOf(f.values, 'location.district') ? [] : [d.district] }));
                setAutoRun(true);
                navigate(href('match'));
              };
              return (
                <section key={d.district} className="compare-col" aria-labelledby={`cmp-${d.district}`}>
                  <h2 id={`cmp-${d.district}`}>
                    {labels.districtLabel(d.district, lang)}
                    <span className={`badge ${d.scenario === 'relocation' ? 'badge-relocation' : 'badge-current'}`}>
                      {d.scenario === 'relocation' ? t('relocation') : t('compareCurrent')}
                    </span>
                  </h2>
                  <dl className="stat-row">
                    <div>
                      <dt>{t('compareInForce')}</dt>
                      <dd className="stat">{d.counts.inForce}</dd>
                    </div>
                    <div>
                      <dt>{t('compareTermUnknown')}</dt>
                      <dd className="stat">{d.counts.termUnknown}</dd>
                    </div>
                    <div>
                      <dt>{t('compareExpired')}</dt>
                      <dd className="stat">{d.counts.expired}</dd>
                    </div>
                    <div>
                      <dt>{t('compareMatches')}</dt>
                      <dd className="stat">{d.counts.matches}</dd>
                    </div>
                    <div>
                      <dt>{t('compareNear')}</dt>
                      <dd className="stat">{d.counts.nearMisses}</dd>
                    </div>
                  </dl>
                  {d.counts.termUnknown > 0 ? <p className="small muted">{t('termUnknownNote')}</p> : null}
                  <h3>{t('compareBySupportType')}</h3>
                  {d.bySupportType.length === 0 ? (
                    <p className="muted">{t('compareNone')}</p>
                  ) : (
                    <ul className="plain support-counts">
                      {d.bySupportType.map((s) => (
                        <li key={s.supportType}>
                          {labels.supportTypeLabel(s.supportType, lang)}：{t('compareTypeCounts', { inForce: s.inForce, all: s.measures })}
                        </li>
                      ))}
                    </ul>
                  )}
                  <h3>{t('compareByDepartment')}</h3>
                  <ul className="dept-counts">
                    {d.byDepartment.map((g) => (
                      <li key={g.departmentId}>
                        <details>
                          <summary>
                            <span>{lang === 'zh' ? g.name : g.nameEn}</span>
                            <span className="count-pill">{g.measures.length}</span>
                          </summary>
                          <ul className="plain">
                            {g.measures.map((m) => (
                              <li key={m.measureId}>
                                <Link to={href('measure', { id: m.measureId })}>{lang === 'zh' ? m.title : m.titleEn}</Link>{' '}
                                <StatusBadge status={m.status} validFrom={m.validFrom} validTo={m.validTo} />
                              </li>
                            ))}
                          </ul>
                        </details>
                      </li>
                    ))}
                  </ul>
                  <h3>{t('compareOnlyHere')}</h3>
                  {d.onlyHere.length === 0 ? (
                    <p className="muted">{t('compareOnlyHereNone')}</p>
                  ) : (
                    <ul className="only-here">
                      {d.onlyHere.map((m) => (
                        <li key={m.measureId}>
                          <Link to={href('measure', { id: m.measureId })}>{lang === 'zh' ? m.title : m.titleEn}</Link>{' '}
                          <StatusBadge status={m.status} validFrom={m.validFrom} validTo={m.validTo} />
                          <span className="muted small"> {t('compareRewards', { facts: m.uniqueFacts.map(factWords).join(lang === 'zh' ? '；' : '; ') })}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <h3>{t('compareSectorPriorities')}</h3>
                  {d.sectorPriorities.length === 0 ? (
                    <p className="muted">{t('compareNone')}</p>
                  ) : (
                    <ul className="plain">
                      {d.sectorPriorities.map((p) => (
                        <li key={p.measureId}>
                          <Link to={href('measure', { id: p.measureId })}>{lang === 'zh' ? p.title : p.titleEn}</Link>{' '}
                          <StatusBadge status={p.status} validFrom={p.validFrom} validTo={p.validTo} />
                        </li>
                      ))}
                    </ul>
                  )}
                  <p>
                    <Link to={`${href('match')}${districtHash}`} onClick={seeResults}>
                      {t('compareSeeResults')}
                    </Link>
                  </p>
                </section>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
