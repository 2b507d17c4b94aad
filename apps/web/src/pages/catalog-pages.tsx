import { Fragment, useEffect, useRef, useState } from 'react';
import { query, type DocumentDetail, type MeasureDetail, type MeasureList, type RuleWords } from '../api';
import { BasisPair, DepartmentList, ErrorNote, KindBadge, Loading, PrecisionNote, StatusBadge } from '../components/bits';
import { DepartmentFilter, DistrictFilter } from '../components/filter-fields';
import { Pager } from '../components/pager';
import { documentLink } from '../components/results';
import { useDepartments } from '../hooks/use-catalog-lists';
import { useFetch } from '../hooks/use-fetch';
import { formatDate, useLang } from '../i18n';
import { Link, setSearch, useLocation } from '../router';
import { href } from '../routes';
import { useLabels } from '../taxonomy';

const PAGE = 25;

export function CatalogPage() {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { search } = useLocation();
  const departments = useDepartments();
  const district = search.get('district') ?? '';
  const department = search.get('department') ?? '';
  const sector = search.get('sector') ?? '';
  const status = search.get('status') ?? '';
  // Support measures by default: priorities (nothing to apply for) are a filter away, or all entries with kind=all.
  const kind = search.get('kind') ?? 'measure';
  const q = search.get('q') ?? '';
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [text, setText] = useState(q);
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const path = `/measures${query({ district, department, sector, status, kind: kind === 'all' ? undefined : kind, q, limit: PAGE, offset })}`;
  const { data, error, reload, loading } = useFetch<MeasureList>(path);
  const listRef = useRef<HTMLDivElement>(null);

  const update = (params: Record<string, string | number | undefined>) => setSearch({ offset: undefined, ...params });
  const onText = (v: string) => {
    setText(v);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => update({ q: v.trim() || undefined }), 300);
  };
  const sectors = labels.codesOf('sectors').filter((c) => !c.extension);
  const parents = sectors.filter((c) => !c.parent);
  /** Entries on this page that share a title with another: each names its document, to tell them apart. */
  const collides = (m: MeasureList['items'][number]) => {
    const title = lang === 'zh' ? m.title : m.titleEn;
    return (data?.items ?? []).some((x) => x.id !== m.id && (lang === 'zh' ? x.title : x.titleEn) === title);
  };

  return (
    <div className="page catalog-page">
      <h1 className="page-title">{t('catalogTitle')}</h1>
      <p className="lead">{t('catalogIntro')}</p>
      <form className="filters" role="search" onSubmit={(e) => (e.preventDefault(), update({ q: text.trim() || undefined }))}>
        <div className="field grow">
          <label htmlFor="cat-q">{t('search')}</label>
          <input id="cat-q" type="search" value={text} placeholder={t('searchPlaceholder')} onChange={(e) => onText(e.target.value)} />
        </div>
        <DistrictFilter id="cat-district" value={district} onChange={(d) => update({ district: d || undefined, department: undefined })} />
        <DepartmentFilter
          id="cat-dept"
          departments={departments}
          district={district}
          value={department}
          onChange={(d) => update({ department: d || undefined })}
          counts
        />
        <div className="field">
          <label htmlFor="cat-sector">{t('filterSector')}</label>
          <select id="cat-sector" value={sector} onChange={(e) => update({ sector: e.target.value || undefined })}>
            <option value="">{t('filterAll')}</option>
            {parents.map((p) => (
              <optgroup key={p.code} label={p[lang]}>
                <option value={p.code}>{p[lang]}</option>
                {sectors
                  .filter((c) => c.parent === p.code)
                  .map((c) => (
                    <option key={c.code} value={c.code}>
                      {`${p[lang]} / ${c[lang]}`}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cat-status">{t('filterStatus')}</label>
          <select id="cat-status" value={status} onChange={(e) => update({ status: e.target.value || undefined })}>
            <option value="">{t('filterAll')}</option>
            {labels.taxonomy.statuses.map((s) => (
              <option key={s.code} value={s.code}>
                {s[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cat-kind">{t('filterKind')}</label>
          <select id="cat-kind" value={kind} onChange={(e) => update({ kind: e.target.value === 'measure' ? undefined : e.target.value })}>
            <option value="measure">{t('kindMeasure')}</option>
            <option value="priority">{t('kindPriority')}</option>
            <option value="all">{t('filterAll')}</option>
          </select>
        </div>
        {district || department || sector || status || kind !== 'measure' || q ? (
          <button
            type="button"
            className="btn btn-link"
            onClick={() => (
              setText(''),
              setSearch({ district: undefined, department: undefined, sector: undefined, status: undefined, kind: undefined, q: undefined, offset: undefined })
            )}
          >
            {t('clearFilters')}
          </button>
        ) : null}
      </form>
      <div ref={listRef} className="catalog-list" aria-live="polite" aria-busy={loading ? true : undefined}>
        {error ? <ErrorNote error={error} onRetry={reload} /> : null}
        {!data ? (
          <Loading />
        ) : (
          <>
            <p className="muted">
              {t('totalMeasures', { n: data.total })} · {t('resultsAsOf', { date: formatDate(data.asOf, lang) })}
            </p>
            <ul className="measure-list">
              {data.items.map((m) => (
                <li key={m.id} className="measure-item" data-measure={m.id}>
                  <div className="near-head">
                    <Link className="near-title" to={href('measure', { id: m.id })}>
                      {lang === 'zh' ? m.title : m.titleEn}
                    </Link>
                    <span className="badges">
                      <KindBadge kind={m.kind} />
                      <span className="badge badge-district">{labels.districtLabel(m.district, lang)}</span>
                      <StatusBadge status={m.status} validFrom={m.validity?.validFrom} validTo={m.validity?.validTo} />
                    </span>
                  </div>
                  {collides(m) ? (
                    <p className="small muted measure-document">
                      《{m.source.documentTitle}》 {m.source.section}
                    </p>
                  ) : null}
                  <p className="summary small">{lang === 'zh' ? m.summary : m.summaryEn}</p>
                  <PrecisionNote measure={m} />
                  <DepartmentList departments={m.departments} />
                </li>
              ))}
            </ul>
            <Pager total={data.total} offset={offset} limit={PAGE} onPage={(o) => (setSearch({ offset: o || undefined }), listRef.current?.scrollIntoView())} />
          </>
        )}
      </div>
    </div>
  );
}

function RuleTree({ node }: { node: RuleWords }) {
  const { lang } = useLang();
  if (node.kind === 'condition')
    return (
      <li>
        {node[lang]} {node.basis ? <BasisPair basis={node.basis} /> : null}
      </li>
    );
  return (
    <li>
      <span className={`rule-block rule-${node.kind}`}>{node[lang]}</span>
      <ul>
        {node.children?.map((c) => (
          <RuleTree key={c.name} node={c} />
        ))}
      </ul>
    </li>
  );
}

export function MeasurePage({ id }: { id: string }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { data: m, error, reload } = useFetch<MeasureDetail>(`/measures/${encodeURIComponent(id)}`);
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!m || m.id !== id) return <Loading />;
  return (
    <article className="page measure-page">
      <p className="crumbs">
        <Link to={href('catalog')}>{t('catalogTitle')}</Link> › {labels.districtLabel(m.district, lang)}
      </p>
      <h1 className="page-title">{lang === 'zh' ? m.title : m.titleEn}</h1>
      {lang === 'en' ? (
        <p className="alt-title" lang="zh-CN">
          {m.title}
        </p>
      ) : null}
      <p className="badges">
        <KindBadge kind={m.kind} />
        <StatusBadge status={m.status} validFrom={m.validity?.validFrom} validTo={m.validity?.validTo} />
        <span className="badge badge-district">{labels.districtLabel(m.district, lang)}</span>
      </p>
      <p className="lead">{lang === 'zh' ? m.summary : m.summaryEn}</p>
      {m.kind === 'priority' ? <p className="muted">{t('kindPriorityNote')}</p> : null}
      <PrecisionNote measure={m} />
      <dl className="meta wide">
        <div>
          <dt>{t('departments')}</dt>
          <dd>
            <DepartmentList departments={m.departments} />
          </dd>
        </div>
        <div>
          <dt>{t('supportType')}</dt>
          <dd>{m.supportType.map((s) => labels.supportTypeLabel(s, lang)).join(lang === 'zh' ? '、' : ', ')}</dd>
        </div>
        <div>
          <dt>{t('validity')}</dt>
          <dd>
            {m.validity?.validFrom || m.validity?.validTo
              ? `${formatDate(m.validity?.validFrom, lang) || '…'} – ${formatDate(m.validity?.validTo, lang) || '…'}`
              : t('statusUnknown')}
          </dd>
        </div>
        <div>
          <dt>{t('document')}</dt>
          <dd>
            <Link to={documentLink(m.source.documentId, m.id)}>
              《{lang === 'en' && m.source.documentTitleEn ? m.source.documentTitleEn : m.source.documentTitle}》
            </Link>
            <span className="muted">
              {' '}
              · {m.source.issuer} · {formatDate(m.source.issuedOn, lang)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('section')}</dt>
          <dd lang="zh-CN">{m.source.section}</dd>
        </div>
      </dl>
      <section aria-labelledby="rule-title">
        <h2 id="rule-title">{t('ruleInWords')}</h2>
        <ul className="rule-tree">
          <RuleTree node={m.rule} />
        </ul>
      </section>
      <section aria-labelledby="para-title">
        <h2 id="para-title">{t('sourceParagraph')}</h2>
        {m.sourceParagraph ? (
          <p className="source-paragraph" lang="zh-CN">
            {m.sourceParagraph.before}
            <mark>{m.sourceParagraph.quote}</mark>
            {m.sourceParagraph.after}
          </p>
        ) : (
          <blockquote lang="zh-CN">{m.source.quote}</blockquote>
        )}
        <p>
          <Link to={documentLink(m.source.documentId, m.id)}>{t('viewInDocument')}</Link>
        </p>
      </section>
    </article>
  );
}

export function DocumentPage({ id }: { id: string }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const { search } = useLocation();
  const measureId = search.get('measure');
  const { data: doc, error, reload } = useFetch<DocumentDetail>(`/documents/${encodeURIComponent(id)}`);
  const { data: measure } = useFetch<MeasureDetail>(measureId ? `/measures/${encodeURIComponent(measureId)}` : null);
  const markRef = useRef<HTMLElement>(null);
  const span = doc && measure && measure.id === measureId ? measure.quoteRange : null;
  useEffect(() => {
    if (span && markRef.current) {
      markRef.current.scrollIntoView({ block: 'center' });
      markRef.current.focus({ preventScroll: true });
    }
  }, [span]);
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!doc || doc.id !== id) return <Loading />;
  return (
    <article className="page document-page">
      <p className="crumbs">
        <Link to={href('catalog')}>{t('catalogTitle')}</Link> › {labels.districtLabel(doc.district, lang)}
        {measureId ? (
          <>
            {' '}
            › <Link to={href('measure', { id: measureId })}>{t('backToMeasure')}</Link>
          </>
        ) : null}
      </p>
      <h1 className="page-title" lang="zh-CN">
        {doc.title}
      </h1>
      {lang === 'en' ? <p className="alt-title">{doc.titleEn}</p> : null}
      <dl className="meta wide">
        <div>
          <dt>{t('issuer')}</dt>
          <dd>{lang === 'en' && doc.issuerEn ? doc.issuerEn : doc.issuer}</dd>
        </div>
        <div>
          <dt>{t('issuedOn')}</dt>
          <dd>{formatDate(doc.issuedOn, lang)}</dd>
        </div>
        {doc.reference ? (
          <div>
            <dt>{t('reference')}</dt>
            <dd>{doc.reference}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('term')}</dt>
          <dd>{lang === 'en' && doc.termEn ? doc.termEn : doc.term}</dd>
        </div>
      </dl>
      {measureId && measure && !span ? <p className="note">{t('quoteNotFound')}</p> : null}
      {span ? (
        <p className="no-print">
          <a
            href="#quote"
            onClick={(e) => (e.preventDefault(), markRef.current?.scrollIntoView({ block: 'center' }), markRef.current?.focus({ preventScroll: true }))}
          >
            {t('jumpToQuote')}
          </a>
        </p>
      ) : null}
      <details className="doc-measures">
        <summary>{t('measuresInDocument', { n: doc.measures.length })}</summary>
        <ol>
          {doc.measures.map((m) => (
            <li key={m.id}>
              <Link to={href('measure', { id: m.id })}>{lang === 'zh' ? m.title : m.titleEn}</Link>
            </li>
          ))}
        </ol>
      </details>
      <h2>{t('fullText')}</h2>
      <div className="full-text" lang="zh-CN">
        {span ? (
          <Fragment>
            {doc.fullText.slice(0, span[0])}
            <mark id="quote" tabIndex={-1} ref={markRef}>
              {doc.fullText.slice(span[0], span[1])}
            </mark>
            {doc.fullText.slice(span[1])}
          </Fragment>
        ) : (
          doc.fullText
        )}
      </div>
    </article>
  );
}
