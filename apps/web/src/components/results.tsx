import { useMemo, useState } from 'react';
import type { ApplicationDetails, District, MatchResponse, MeasureResult, NearMiss, Question } from '../api';
import { formatDate, useLang } from '../i18n';
import { Link } from '../router';
import { useLabels, type Labels } from '../taxonomy';
import { DepartmentList, KindBadge, PrecisionNote, StatusBadge } from './bits';

export function documentLink(documentId: string, measureId: string): string {
  return `/documents/${encodeURIComponent(documentId)}?measure=${encodeURIComponent(measureId)}#quote`;
}

const yuan = (n: number, lang: string): string => (lang === 'zh' ? `${(n / 10000).toLocaleString('zh-CN')} 万元` : `CNY ${n.toLocaleString('en')}`);

/** A measure's application details, shown only as the measure gives them. */
export function ApplicationView({ a }: { a: ApplicationDetails }) {
  const { lang } = useLang();
  const zh = lang === 'zh';
  const rows: [string, React.ReactNode][] = [];
  if (a.automatic) rows.push([zh ? '申请方式' : 'How', zh ? '免申即享（无需申请）' : 'Granted without an application (免申即享)']);
  if (a.opens || a.closes)
    rows.push([zh ? '申请时间' : 'Window', `${a.opens ? formatDate(a.opens, lang) : '…'} – ${a.closes ? formatDate(a.closes, lang) : '…'}`]);
  if (a.amount) {
    const { min, max } = a.amount;
    const text =
      min !== undefined && max !== undefined && min !== max
        ? `${yuan(min, lang)} – ${yuan(max, lang)}`
        : max !== undefined
          ? `${min === max ? '' : zh ? '最高 ' : 'up to '}${yuan(max, lang)}`
          : min !== undefined
            ? `${zh ? '不低于 ' : 'at least '}${yuan(min, lang)}`
            : '';
    const note = zh ? a.amount.note : (a.amount.noteEn ?? a.amount.note);
    rows.push([zh ? '金额' : 'Amount', [text, note].filter(Boolean).join(zh ? '；' : '; ')]);
  }
  if (a.channel)
    rows.push([
      a.channel.kind === 'online' ? (zh ? '网上办理' : 'Apply online') : zh ? '办理窗口' : 'Apply at',
      a.channel.url ? (
        <a href={a.channel.url} rel="noopener noreferrer" target="_blank">
          {zh ? a.channel.name : (a.channel.nameEn ?? a.channel.name)}
        </a>
      ) : (
        [zh ? a.channel.name : (a.channel.nameEn ?? a.channel.name), a.channel.address].filter(Boolean).join(zh ? '，' : ', ')
      ),
    ]);
  if (a.contact) rows.push([zh ? '咨询' : 'Contact', a.contact]);
  return (
    <dl className="meta application">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MeasureCard({ m, headingLevel = 5 }: { m: MeasureResult; headingLevel?: 3 | 4 | 5 }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const H = `h${headingLevel}` as 'h3' | 'h4' | 'h5';
  const titleId = `m-${m.district}-${m.measureId}`;
  return (
    <article className={`card status-${m.status}`} aria-labelledby={titleId} data-measure={m.measureId}>
      <header className="card-head">
        <H id={titleId} className="card-title">
          {lang === 'zh' ? m.title : m.titleEn}
        </H>
        <div className="badges">
          {m.kind === 'priority' ? <KindBadge kind={m.kind} /> : null}
          <StatusBadge status={m.status} validFrom={m.validFrom} validTo={m.validTo} />
          {m.scenario === 'relocation' ? <span className="badge badge-relocation">{t('relocation')}</span> : null}
        </div>
      </header>
      {lang === 'en' ? (
        <p className="alt-title" lang="zh-CN">
          {m.title}
        </p>
      ) : null}
      <p className="summary">{lang === 'zh' ? m.summary : m.summaryEn}</p>
      {m.kind === 'priority' ? <p className="muted small">{t('kindPriorityNote')}</p> : null}
      <PrecisionNote measure={m} />
      <dl className="meta">
        <div>
          <dt>{t('departments')}</dt>
          <dd>
            <DepartmentList departments={m.departments} />
          </dd>
        </div>
        {m.supportType?.length ? (
          <div>
            <dt>{t('supportType')}</dt>
            <dd>{m.supportType.map((s) => labels.supportTypeLabel(s, lang)).join(lang === 'zh' ? '、' : ', ')}</dd>
          </div>
        ) : null}
      </dl>
      {m.application ? <ApplicationView a={m.application} /> : null}
      {m.successors?.length ? (
        <p className="successors note">
          {lang === 'zh' ? '此措施已到期，后续措施：' : 'This measure has ended; it is succeeded by: '}
          {m.successors.map((x, i) => (
            <span key={x.measureId}>
              {i ? (lang === 'zh' ? '、' : ', ') : ''}
              <Link to={`/measures/${encodeURIComponent(x.measureId)}`}>{lang === 'zh' ? x.title : x.titleEn}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {m.explanation?.length ? (
        <div className="why">
          <p className="why-title">{t('whyMatched')}</p>
          <ul>
            {m.explanation.map((e) => (
              <li key={e.condition + e.fact}>{e[lang]}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <figure className="quote">
        <blockquote lang="zh-CN">
          <p>{m.source.quote}</p>
        </blockquote>
        <figcaption>
          《{lang === 'en' && m.source.documentTitleEn ? m.source.documentTitleEn : m.source.documentTitle}》
          <span className="section"> {m.source.section}</span>
        </figcaption>
      </figure>
      <p className="card-links">
        <Link to={documentLink(m.source.documentId, m.measureId)}>{t('viewInDocument')}</Link>
        <Link to={`/measures/${encodeURIComponent(m.measureId)}`}>{t('measureDetails')}</Link>
      </p>
    </article>
  );
}

interface DepartmentGroup {
  key: string;
  name: string;
  measures: MeasureResult[];
}

/** Matches of one district grouped by the first department the measure names. */
function groupByDepartment(matches: MeasureResult[], lang: 'zh' | 'en'): DepartmentGroup[] {
  const groups = new Map<string, DepartmentGroup>();
  for (const m of matches) {
    const d = m.departments[0];
    const key = d?.id ?? '-';
    const g = groups.get(key) ?? { key, name: d ? (lang === 'zh' ? (d.fullName ?? d.name) : d.nameEn) : '—', measures: [] };
    g.measures.push(m);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.measures.length - a.measures.length || a.name.localeCompare(b.name));
}

export interface AddFact {
  (fact: string, code: string): void;
}

export interface FactState {
  has(fact: string, code: string): boolean;
  can(fact: string, code: string): boolean;
}

export function MatchesView({ res, onlyInForce }: { res: MatchResponse; onlyInForce: boolean }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const shown = onlyInForce ? res.matches.filter((m) => m.status === 'in-force' || m.status === 'term-unknown') : res.matches;
  return (
    <div className="matches">
      {res.districts.map((district) => {
        const mine = shown.filter((m) => m.district === district);
        const groups = groupByDepartment(mine, lang);
        return (
          <section key={district} className="district-group" aria-labelledby={`d-${district}`}>
            <h3 id={`d-${district}`} className="district-title">
              {labels.districtLabel(district, lang)}
              <span className="count">{t('measuresCount', { n: mine.length })}</span>
            </h3>
            {mine.length === 0 ? <p className="muted">{t('noMatches')}</p> : null}
            {groups.map((g) => (
              <section key={g.key} className="dept-group" aria-label={`${t('departmentGroup')}: ${g.name}`}>
                <h4 className="dept-title">
                  {g.name}
                  <span className="count">{t('measuresCount', { n: g.measures.length })}</span>
                </h4>
                <div className="cards">
                  {g.measures.map((m) => (
                    <MeasureCard key={m.measureId} m={m} />
                  ))}
                </div>
              </section>
            ))}
          </section>
        );
      })}
    </div>
  );
}

interface Offer {
  fact: string;
  code: string;
}

function offersOf(n: NearMiss): Offer[] {
  const out: Offer[] = [];
  const seen = new Set<string>();
  const push = (fact: string, value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue;
      const key = `${fact}\u0000${v}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ fact, code: v });
    }
  };
  for (const m of n.missing) push(m.fact, m.satisfiedBy);
  for (const f of n.failed) push(f.fact, f.satisfiedBy);
  return out;
}

function AddButton({ fact, code, onAdd, facts, count }: { fact: string; code: string; onAdd?: AddFact; facts?: FactState; count?: number }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const label = labels.pathLabel(fact, code, lang);
  const field = labels.fieldLabel(fact, lang);
  const text = count !== undefined ? `${label} · ${t('optionMeasures', { n: count })}` : label;
  if (!onAdd || !facts) return <span className="chip">{label}</span>;
  if (facts.has(fact, code))
    return (
      <span className="chip chip-done">
        {label} ✓<span className="visually-hidden"> ({t('factAlready')})</span>
      </span>
    );
  if (!facts.can(fact, code)) return null;
  return (
    <button type="button" className="btn btn-add" onClick={() => onAdd(fact, code)} aria-label={t('addFactAria', { field, label })}>
      {t('addFact', { label: text })}
    </button>
  );
}

const NEAR_PAGE = 8;

export function NearMissesView({ res, onAdd, facts }: { res: MatchResponse; onAdd?: AddFact; facts?: FactState }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [shown, setShown] = useState(NEAR_PAGE);
  const many = res.districts.length > 1;
  if (!res.nearMisses.length) return null;
  const list = res.nearMisses.slice(0, shown);
  return (
    <section className="near-misses" aria-labelledby="near-title">
      <h2 id="near-title">
        {t('nearMissesTitle')} <span className="count">{t('measuresCount', { n: res.nearMisses.length })}</span>
      </h2>
      {onAdd ? <p className="muted">{t('nearMissesIntro')}</p> : null}
      <ul className="near-list">
        {list.map((n) => (
          <NearMissItem key={`${n.district}-${n.measureId}`} n={n} many={many} onAdd={onAdd} facts={facts} labels={labels} lang={lang} />
        ))}
      </ul>
      {shown < res.nearMisses.length ? (
        <button type="button" className="btn btn-secondary" onClick={() => setShown((s) => s + NEAR_PAGE * 3)}>
          {t('showMore', { n: Math.min(NEAR_PAGE * 3, res.nearMisses.length - shown) })}
        </button>
      ) : null}
    </section>
  );
}

function NearMissItem({
  n,
  many,
  onAdd,
  facts,
  labels,
  lang,
}: {
  n: NearMiss;
  many: boolean;
  onAdd?: AddFact;
  facts?: FactState;
  labels: Labels;
  lang: 'zh' | 'en';
}) {
  const { t } = useLang();
  const offers = offersOf(n).slice(0, 10);
  return (
    <li className="near" data-measure={n.measureId}>
      <div className="near-head">
        <Link className="near-title" to={`/measures/${encodeURIComponent(n.measureId)}`}>
          {lang === 'zh' ? n.title : n.titleEn}
        </Link>
        <span className="badges">
          {many ? <span className="badge badge-district">{labels.districtLabel(n.district, lang)}</span> : null}
          {n.kind === 'priority' ? <KindBadge kind={n.kind} /> : null}
          <StatusBadge status={n.status} validFrom={n.validFrom} validTo={n.validTo} />
        </span>
      </div>
      <ul className="near-why">
        {n.missing.map((m) => (
          <li key={`m-${m.fact}`}>{t('missingFact', { field: m[lang] })}</li>
        ))}
        {n.failed.map((f) => (
          <li key={`f-${f.condition}`}>
            {t('failedCondition', { words: f[lang] })}
            {f.detailNeeded ? <span className="muted"> · {t('detailNeeded')}</span> : null}
          </li>
        ))}
      </ul>
      {offers.length ? (
        <div className="add-row">
          {offers.map((o) => (
            <AddButton key={`${o.fact}-${o.code}`} fact={o.fact} code={o.code} onAdd={onAdd} facts={facts} />
          ))}
        </div>
      ) : null}
    </li>
  );
}

export function QuestionsView({ res, onAdd, facts }: { res: MatchResponse; onAdd?: AddFact; facts?: FactState }) {
  const { t, lang } = useLang();
  if (!res.questions.length) return null;
  return (
    <section className="questions" aria-labelledby="q-title">
      <h2 id="q-title">{t('questionsTitle')}</h2>
      <ul className="q-list">
        {res.questions.map((q: Question) => (
          <li key={q.fact} className="question" data-fact={q.fact}>
            <p className="q-head">
              <strong>{q[lang]}</strong> <span className="muted">· {t('questionDecides', { n: q.decides })}</span>
            </p>
            <div className="add-row">
              {q.options.slice(0, 10).map((o) => (
                <AddButton key={String(o.value)} fact={q.fact} code={String(o.value)} count={o.measures} onAdd={onAdd} facts={facts} />
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function resultCounts(res: MatchResponse, district: District) {
  const m = res.matches.filter((x) => x.district === district);
  return {
    n: m.length,
    inForce: m.filter((x) => x.status === 'in-force').length,
    near: res.nearMisses.filter((x) => x.district === district).length,
  };
}

/** All of a result as rows, for CSV. */
export function resultRows(res: MatchResponse, labels: Labels, lang: 'zh' | 'en'): { header: string[]; rows: unknown[][] } {
  const header =
    lang === 'zh'
      ? [
          '区',
          '类别',
          '政策编号',
          '政策名称',
          '状态',
          '有效期起',
          '有效期至',
          '情景',
          '责任部门',
          '支持方式',
          '符合原因 / 缺少的条件',
          '文件',
          '章节',
          '原文引文',
        ]
      : [
          'District',
          'Kind',
          'Measure id',
          'Title',
          'Status',
          'Valid from',
          'Valid to',
          'Scenario',
          'Departments',
          'Support',
          'Why / what is missing',
          'Document',
          'Section',
          'Quote',
        ];
  const sep = lang === 'zh' ? '、' : ', ';
  const row = (m: MeasureResult | NearMiss, kind: string, why: string) => [
    labels.districtLabel(m.district, lang),
    kind,
    m.measureId,
    lang === 'zh' ? m.title : m.titleEn,
    labels.statusLabel(m.status, lang),
    m.validFrom ?? '',
    m.validTo ?? '',
    m.scenario,
    m.departments.map((d) => (lang === 'zh' ? d.name : d.nameEn) + (d.source === 'inferred' ? (lang === 'zh' ? '（推断）' : ' (inferred)') : '')).join(sep),
    m.supportType.map((s) => labels.supportTypeLabel(s, lang)).join(sep),
    why,
    ...('source' in m
      ? [lang === 'zh' ? m.source.documentTitle : (m.source.documentTitleEn ?? m.source.documentTitle), m.source.section, m.source.quote]
      : ['', '', '']),
  ];
  const rows = [
    ...res.matches.map((m) => row(m, lang === 'zh' ? '符合' : 'match', m.explanation.map((e) => e[lang]).join('; '))),
    ...res.nearMisses.map((n) =>
      row(n, lang === 'zh' ? '差一点符合' : 'near miss', [...n.missing.map((m) => m[lang]), ...n.failed.map((f) => f[lang])].join('; ')),
    ),
  ];
  return { header, rows };
}

export function useOnlyInForce(): [boolean, (v: boolean) => void] {
  const [v, set] = useState(false);
  return [v, set];
}

export function AsOfNote({ asOf }: { asOf: string }) {
  const { t, lang } = useLang();
  return useMemo(() => <span className="muted">{t('resultsAsOf', { date: formatDate(asOf, lang) })}</span>, [asOf, lang, t]);
}
