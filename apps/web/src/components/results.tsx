import { useId, useMemo, useState } from 'react';
import type { CsvCell } from '../download';
import type { ApplicationDetails, District, MatchResponse, MeasureResult, NearMiss, PriorityResult, Question, Words } from '../api';
import { formatDate, translator, useLang } from '../i18n';
import { Link } from '../router';
import { href } from '../routes';
import { useLabels, type Labels } from '../taxonomy';
import { BasisPair, DepartmentList, PrecisionNote, StatusBadge, statusWords } from './bits';

export function documentLink(documentId: string, measureId: string): string {
  return `${href('document', { id: documentId })}?measure=${encodeURIComponent(measureId)}#quote`;
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
  const H: 'h3' | 'h4' | 'h5' = `h${headingLevel}`;
  // Unique per card: one measure can be shown twice on a page (the live and the draft answer side by side).
  const titleId = `m-${m.district}-${m.measureId}${useId()}`;
  return (
    <article className={`card status-${m.status}`} aria-labelledby={titleId} data-measure={m.measureId}>
      <header className="card-head">
        <H id={titleId} className="card-title">
          {lang === 'zh' ? m.title : m.titleEn}
        </H>
        <div className="badges">
          <StatusBadge status={m.status} validFrom={m.validFrom} validTo={m.validTo} endsInDays={m.endsInDays} />
          <span className={`badge badge-${m.specificity}`} title={t(m.specificity === 'targeted' ? 'targetedTitle' : 'generalTitle')}>
            {t(m.specificity)}
          </span>
          {m.scenario === 'relocation' ? <span className="badge badge-relocation">{t('relocation')}</span> : null}
        </div>
      </header>
      {lang === 'en' ? (
        <p className="alt-title" lang="zh-CN">
          {m.title}
        </p>
      ) : null}
      {m.status === 'term-unknown' ? <p className="note-inline term-unknown">{t('termUnknownNote')}</p> : null}
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
              <Link to={href('measure', { id: x.measureId })}>{lang === 'zh' ? x.title : x.titleEn}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {m.explanation?.length ? (
        <div className="why">
          <p className="why-title">{t('whyMatched')}</p>
          <ul>
            {withAlternatives(m.explanation, m.anyOf).map((e) => (
              <li key={e.key} className={e.anyOf ? 'any-of' : undefined}>
                {!e.basis ? (
                  e.words[lang]
                ) : e.anyOf ? (
                  <>
                    {e.words[lang]} <BasisPair basis={e.basis} />
                  </>
                ) : (
                  <BasisPair basis={e.basis} fact={e.words[lang]} />
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <figure className="quote">
        <blockquote lang="zh-CN">
          <p>{m.source.quote}</p>
        </blockquote>
        <figcaption>
          《{m.source.documentTitle}》<span className="section"> {m.source.section}</span>
        </figcaption>
      </figure>
      <p className="card-links">
        <Link to={documentLink(m.source.documentId, m.measureId)}>{t('viewInDocument')}</Link>
        <Link to={href('measure', { id: m.measureId })}>{t('measureDetails')}</Link>
      </p>
    </article>
  );
}

/**
 * Conditions as listed, where each group of alternatives (`anyOf`) stands once, in place of its first condition,
 * as "满足其一：A 或 B".
 */
export function withAlternatives<T extends Words & { condition: string; basis?: string }>(
  items: readonly T[],
  anyOf: readonly (Words & { conditions: string[] })[] | undefined,
): { key: string; words: Words; anyOf: boolean; basis?: string; item?: T }[] {
  const out: { key: string; words: Words; anyOf: boolean; basis?: string; item?: T }[] = [];
  const placed = new Set<number>();
  items.forEach((item, i) => {
    const g = anyOf?.findIndex((a) => a.conditions.includes(item.condition)) ?? -1;
    if (g < 0) out.push({ key: `${item.condition}-${i}`, words: item, anyOf: false, basis: item.basis, item });
    else if (!placed.has(g)) {
      placed.add(g);
      // One line for the alternatives: the words of the text of each of them.
      const phrases = [...new Set(items.filter((x) => anyOf![g].conditions.includes(x.condition) && x.basis).map((x) => x.basis as string))];
      out.push({ key: `any-${g}`, words: anyOf![g], anyOf: true, basis: phrases.length ? phrases.join('、') : undefined });
    }
  });
  return out;
}

/** The districts in the order the answer lists them: the company's own first. */
function districtOrder(res: MatchResponse): District[] {
  const seen: District[] = [];
  for (const m of res.matches) if (!seen.includes(m.district)) seen.push(m.district);
  for (const d of res.districts) if (!seen.includes(d)) seen.push(d);
  return seen;
}

/** The answer's first words: the headline as of the date, and the counts by status. */
export function SummaryView({ res }: { res: MatchResponse }) {
  const { t, lang } = useLang();
  const s = res.summary;
  const warn = s.matches.total > 0 && s.matches.inForce === 0;
  return (
    <section className={warn ? 'answer-summary note note-warn' : 'answer-summary note'} aria-label={t('resultsTitle')} data-testid="summary">
      <p className="headline">{s.headline[lang]}</p>
      <p className="status-counts small">
        {t('summaryCounts', {
          total: s.matches.total,
          inForce: s.matches.inForce,
          termUnknown: s.matches.termUnknown,
          expired: s.matches.expired,
          notYet: s.matches.notYetInForce,
        })}
        {' · '}
        {t('summaryMore', { near: s.nearMisses.total, priorities: s.priorities })}
      </p>
    </section>
  );
}

/**
 * `labelledBy`: the id of a heading naming this answer, when two are shown on one page (their district regions stay
 * apart); `hidingExpired`/`onShowExpired`: the empty state when expired measures are hidden.
 */
export function MatchesView({
  res,
  labelledBy,
  hidingExpired,
  onShowExpired,
}: {
  res: MatchResponse;
  labelledBy?: string;
  hidingExpired?: boolean;
  onShowExpired?: () => void;
}) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const uid = useId();
  // What to do when a district has nothing: never point to near misses that are not there.
  const empty =
    hidingExpired && onShowExpired ? (
      <div className="muted">
        <p>{t('noInForceHidden')}</p>
        <button type="button" className="btn btn-small" onClick={onShowExpired}>
          {t('showExpired')}
        </button>
      </div>
    ) : (
      <p className="muted">{t(res.nearMissesTotal > 0 ? 'noMatches' : 'noMatchesNoNear')}</p>
    );
  return (
    <div className="matches">
      {districtOrder(res).map((district) => {
        const mine = res.matches.filter((m) => m.district === district);
        return (
          <section key={district} className="district-group" aria-labelledby={`${labelledBy ? `${labelledBy} ` : ''}d-${district}${uid}`}>
            <h3 id={`d-${district}${uid}`} className="district-title">
              {labels.districtLabel(district, lang)}
              <span className="count">{t('measuresCount', { n: mine.length })}</span>
            </h3>
            {mine.length === 0 ? empty : null}
            <div className="cards">
              {mine.map((m) => (
                <MeasureCard key={m.measureId} m={m} headingLevel={4} />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}

export function PrioritiesView({ res }: { res: MatchResponse }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  if (!res.priorities.length) return null;
  return (
    <section className="priorities" aria-labelledby="priorities-title">
      <h2 id="priorities-title">
        {t('prioritiesTitle')} <span className="count">{t('measuresCount', { n: res.priorities.length })}</span>
      </h2>
      <p className="muted">{t('prioritiesIntro')}</p>
      <ul className="priority-list">
        {res.priorities.map((p: PriorityResult) => (
          <li key={p.measureId} className="priority" data-measure={p.measureId}>
            <p className="near-head">
              <Link to={href('measure', { id: p.measureId })}>{lang === 'zh' ? p.title : p.titleEn}</Link>
              <span className="badges">
                <span className="badge badge-district">{labels.districtLabel(p.district, lang)}</span>
                <StatusBadge status={p.status} validFrom={p.validFrom} validTo={p.validTo} endsInDays={p.endsInDays} />
              </span>
            </p>
            <p className="small">{t('prioritiesNames', { words: p.names.map((n) => n[lang]).join(lang === 'zh' ? '；' : '; ') })}</p>
            <figure className="quote">
              <blockquote lang="zh-CN">
                <p>{p.quote}</p>
              </blockquote>
              <figcaption className="section">{p.section}</figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NearMissesView({ res, onShowAll }: { res: MatchResponse; onShowAll?: () => void }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const many = res.districts.length > 1;
  if (!res.nearMisses.length) return null;
  // Totals come from the summary: a group shows how many of its measures are listed and how many there are.
  const groups = [
    { reason: 'needs-info' as const, title: t('nearNeedsInfoTitle'), intro: t('nearNeedsInfoIntro'), total: res.summary.nearMisses.needsInfo },
    { reason: 'one-change' as const, title: t('nearOneChangeTitle'), intro: t('nearOneChangeIntro'), total: res.summary.nearMisses.oneChange },
  ];
  // The group holding the most relevant near miss (the answer ranks them) comes first.
  const first = (reason: string) => res.nearMisses.findIndex((n) => n.reason === reason) >>> 0;
  groups.sort((a, b) => first(a.reason) - first(b.reason));
  const all = res.nearMisses.length >= res.nearMissesTotal;
  return (
    <section className="near-misses" aria-labelledby="near-title">
      <h2 id="near-title">
        {t('nearMissesTitle')}{' '}
        <span className="count" data-testid="near-total">
          {all ? t('nearAll', { total: res.nearMissesTotal }) : t('nearTotal', { total: res.nearMissesTotal, shown: res.nearMisses.length })}
        </span>
      </h2>
      {!all && onShowAll ? (
        <p>
          <button type="button" className="btn btn-small" onClick={onShowAll} data-testid="near-show-all">
            {t('nearShowAll', { total: res.nearMissesTotal })}
          </button>
        </p>
      ) : null}
      {groups.map((g) => {
        const list = res.nearMisses.filter((n) => n.reason === g.reason);
        if (!list.length) return null;
        return (
          <section key={g.reason} className={`near-group near-${g.reason}`} aria-labelledby={`near-${g.reason}`}>
            <h3 id={`near-${g.reason}`}>
              {g.title}{' '}
              <span className="count">
                {list.length === g.total ? t('measuresCount', { n: g.total }) : t('groupCount', { shown: list.length, total: g.total })}
              </span>
            </h3>
            <p className="muted small">{g.intro}</p>
            <ul className="near-list">
              {list.map((n) => (
                <NearMissItem key={`${n.district}-${n.measureId}`} n={n} many={many} labels={labels} lang={lang} />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

/** What the company said for a fact, in words: its codes' labels, or "not given". */
function profileValueLabel(fact: string, value: unknown, labels: Labels, lang: 'zh' | 'en', notGiven: string): string {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values.length ? values.map((v) => labels.pathLabel(fact, v, lang)).join(lang === 'zh' ? '、' : ', ') : notGiven;
}

function NearMissItem({ n, many, labels, lang }: { n: NearMiss; many: boolean; labels: Labels; lang: 'zh' | 'en' }) {
  const { t } = useLang();
  return (
    <li className={`near status-${n.status}`} data-measure={n.measureId}>
      <div className="near-head">
        <Link className="near-title" to={href('measure', { id: n.measureId })}>
          {lang === 'zh' ? n.title : n.titleEn}
        </Link>
        <span className="badges">
          {many ? <span className="badge badge-district">{labels.districtLabel(n.district, lang)}</span> : null}
          <StatusBadge status={n.status} validTo={n.validTo} endsInDays={n.endsInDays} />
        </span>
      </div>
      <ul className="near-why">
        {n.missing.map((m) => (
          <li key={`m-${m.fact}`}>
            {t('missingFact', { field: m[lang] })} <BasisPair basis={m.basis} fact={t('notGiven')} />
          </li>
        ))}
        {n.reason === 'needs-info' && n.anyOf
          ? n.anyOf.map((a, i) => (
              <li key={`a-${i}`} className="any-of">
                {a[lang]}
              </li>
            ))
          : null}
        {withAlternatives(n.failed, n.anyOf).map((f) => (
          <li key={`f-${f.key}`} className={f.anyOf ? 'any-of' : undefined}>
            {t('failedCondition', { words: f.words[lang] })}{' '}
            <BasisPair basis={f.basis} fact={f.item ? profileValueLabel(f.item.fact, f.item.profileValue, labels, lang, t('notGiven')) : undefined} />
          </li>
        ))}
      </ul>
      <PrecisionNote measure={n} />
      {n.status === 'term-unknown' ? <p className="note-inline term-unknown small">{t('termUnknownNote')}</p> : null}
    </li>
  );
}

export type Answer = 'no' | 'unsure';

/**
 * The questions, each answered 有 / 没有 / 不确定: a fact is added only when the company says 有 and picks
 * what it has; 没有 and 不确定 set the question aside without touching the profile.
 */
export function QuestionsView({ res, onAdd, facts }: { res: MatchResponse; onAdd?: (fact: string, codes: string[]) => void; facts?: FactState }) {
  const { t, lang } = useLang();
  const [answers, setAnswers] = useState<Record<string, Answer | 'yes'>>({});
  const [picked, setPicked] = useState<Record<string, string[]>>({});
  const labels = useLabels();
  if (!res.questions.length)
    return res.summary.questionsNote ? (
      <section className="questions" aria-labelledby="q-title">
        <h2 id="q-title">{t('questionsTitle')}</h2>
        <p className="muted">{res.summary.questionsNote[lang]}</p>
      </section>
    ) : null;
  return (
    <section className="questions" aria-labelledby="q-title">
      <h2 id="q-title">{t('questionsTitle')}</h2>
      <ul className="q-list">
        {res.questions.map((q: Question) => {
          const answer = answers[q.fact];
          const options = q.options.slice(0, 12).filter((o) => typeof o.value === 'string') as { value: string; measures: number }[];
          const name = `q-${q.fact}`;
          const chosen = picked[q.fact] ?? [];
          return (
            <li key={q.fact} className="question" data-fact={q.fact} data-answer={answer ?? ''}>
              <fieldset>
                <legend className="q-head">
                  <strong>{q[lang]}</strong> <span className="muted">· {t('questionDecides', { n: q.decides })}</span>
                </legend>
                {onAdd ? (
                  <div className="answers" role="radiogroup" aria-label={q[lang]}>
                    {(['yes', 'no', 'unsure'] as const).map((a) => (
                      <label key={a} className="check">
                        <input type="radio" name={name} value={a} checked={answer === a} onChange={() => setAnswers((s) => ({ ...s, [q.fact]: a }))} />
                        <span>{t(a === 'yes' ? 'answerYes' : a === 'no' ? 'answerNo' : 'answerUnsure')}</span>
                      </label>
                    ))}
                  </div>
                ) : null}
                {answer === 'no' ? <p className="muted small">{t('answeredNo')}</p> : null}
                {answer === 'unsure' ? <p className="muted small">{t('answeredUnsure')}</p> : null}
                {answer === 'yes' && onAdd ? (
                  <div className="pick">
                    <p className="small">{t('answerPick')}</p>
                    <div className="add-row">
                      {options.map((o) => {
                        const label = labels.pathLabel(q.fact, o.value, lang);
                        const already = facts?.has(q.fact, o.value) ?? false;
                        const possible = facts?.can(q.fact, o.value) ?? true;
                        if (!possible) return null;
                        return (
                          <label key={o.value} className="check chip">
                            <input
                              type="checkbox"
                              disabled={already}
                              checked={already || chosen.includes(o.value)}
                              onChange={(e) =>
                                setPicked((s) => ({ ...s, [q.fact]: e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value) }))
                              }
                            />
                            <span>
                              {label} · {t('optionMeasures', { n: o.measures })}
                            </span>
                          </label>
                        );
                      })}
                    </div>
                    <button type="button" className="btn btn-small" disabled={chosen.length === 0} onClick={() => onAdd(q.fact, chosen)}>
                      {t('answerApply')}
                    </button>
                  </div>
                ) : null}
                {!onAdd ? (
                  <p className="small muted">
                    {options.map((o) => labels.pathLabel(q.fact, o.value, lang)).join(lang === 'zh' ? '、' : ', ')}
                    {lang === 'zh' ? '、' : ', '}
                    {t('questionNone')}
                  </p>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A district's matches by state (near misses are counted once, in the summary, over all districts). */
export function resultCounts(res: MatchResponse, district: District) {
  const m = res.matches.filter((x) => x.district === district);
  return {
    n: m.length,
    inForce: m.filter((x) => x.status === 'in-force').length,
    termUnknown: m.filter((x) => x.status === 'term-unknown').length,
    expired: m.filter((x) => x.status === 'expired').length,
  };
}

export interface FactState {
  has(fact: string, code: string): boolean;
  can(fact: string, code: string): boolean;
}

/**
 * All of a result as rows, for CSV: first the date judged and the headline, then a table of matches, near
 * misses and priorities, every state and code in words.
 */
export function resultRows(res: MatchResponse, labels: Labels, lang: 'zh' | 'en'): { preamble: CsvCell[][]; header: string[]; rows: CsvCell[][] } {
  const zh = lang === 'zh';
  const preamble: CsvCell[][] = [[zh ? '判断日期' : 'As of', formatDate(res.asOf, lang)], [zh ? '结论' : 'Summary', res.summary.headline[lang]], []];
  const header = zh
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
  const t = translator(lang);
  const sep = zh ? '、' : ', ';
  const scenario = (s: string) => (s === 'relocation' ? t('relocation') : t('compareCurrent'));
  const row = (m: MeasureResult | NearMiss, kind: string, why: string) => [
    labels.districtLabel(m.district, lang),
    kind,
    m.measureId,
    zh ? m.title : m.titleEn,
    statusWords(lang, m),
    'validFrom' in m ? (m.validFrom ?? '') : '',
    m.validTo ?? '',
    scenario(m.scenario),
    'departments' in m ? m.departments.map((d) => (zh ? d.name : d.nameEn) + (d.source === 'inferred' ? (zh ? '（推断）' : ' (inferred)') : '')).join(sep) : '',
    'supportType' in m ? m.supportType.map((s) => labels.supportTypeLabel(s, lang)).join(sep) : '',
    why,
    ...('source' in m ? [m.source.documentTitle, m.source.section, m.source.quote] : ['', '', '']),
  ];
  const words = (items: { words: Words }[]) => items.map((i) => i.words[lang]).join('; ');
  const rows = [
    ...res.matches.map((m) => row(m, zh ? '符合' : 'match', words(withAlternatives(m.explanation, m.anyOf)))),
    ...res.nearMisses.map((n) =>
      row(
        n,
        zh ? '差一点符合' : 'near miss',
        [
          ...n.missing.map((m) => t('missingFact', { field: m[lang] })),
          ...(n.reason === 'needs-info' ? (n.anyOf ?? []).map((a) => a[lang]) : []),
          ...withAlternatives(n.failed, n.anyOf).map((f) => t('failedCondition', { words: f.words[lang] })),
        ].join('; '),
      ),
    ),
    ...res.priorities.map((p) => [
      labels.districtLabel(p.district, lang),
      t('kindPriority'),
      p.measureId,
      zh ? p.title : p.titleEn,
      statusWords(lang, p),
      p.validFrom ?? '',
      p.validTo ?? '',
      scenario(p.scenario),
      '',
      '',
      t('prioritiesNames', { words: p.names.map((n) => n[lang]).join(zh ? '；' : '; ') }),
      '',
      p.section,
      p.quote,
    ]),
  ];
  return { preamble, header, rows };
}

export function useOnlyInForce(): [boolean, (v: boolean) => void] {
  const [v, set] = useState(false);
  return [v, set];
}

export function AsOfNote({ asOf }: { asOf: string }) {
  const { t, lang } = useLang();
  return useMemo(() => <span className="muted">{t('resultsAsOf', { date: formatDate(asOf, lang) })}</span>, [asOf, lang, t]);
}
