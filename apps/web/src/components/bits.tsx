import type { ReactNode } from 'react';
import type { ApiError, Department, FieldError, Lang, Status } from '../api';
import { formatDate, translator, useLang } from '../i18n';
import type { Labels } from '../taxonomy';

/** A state in the words of the badges: "已于 2025年12月31日 到期", "有效，至 … · 27 天后到期". */
export function statusWords(lang: Lang, s: { status: Status; validFrom?: string | null; validTo?: string | null; endsInDays?: number }): string {
  const t = translator(lang);
  const { status, validFrom, validTo, endsInDays } = s;
  if (status === 'in-force') {
    const base = validTo ? t('statusInForceUntil', { date: formatDate(validTo, lang) }) : t('statusInForce');
    if (endsInDays === undefined) return base;
    return `${base} · ${endsInDays === 0 ? t('endsToday') : t('endsInDays', { n: endsInDays })}`;
  }
  // An expired badge without its date would read "已于  到期": say only that it has ended.
  if (status === 'expired') return validTo ? t('statusExpired', { date: formatDate(validTo, lang) }) : t('statusExpiredNoDate');
  if (status === 'not-yet-in-force') return t('statusNotYet', { date: formatDate(validFrom, lang) });
  return t('statusUnknown');
}

export function StatusBadge(props: {
  status: Status;
  validFrom?: string | null;
  validTo?: string | null;
  /** Set by the answer when a measure in force ends within 60 days. */
  endsInDays?: number;
}) {
  const { lang } = useLang();
  const ending = props.status === 'in-force' && props.endsInDays !== undefined;
  return <span className={`badge badge-${props.status}${ending ? ' badge-ending' : ''}`}>{statusWords(lang, props)}</span>;
}

export function DepartmentList({ departments }: { departments: (Pick<Department, 'name' | 'nameEn' | 'source'> & Partial<Department>)[] }) {
  const { t, lang } = useLang();
  return (
    <ul className="depts">
      {departments.map((d) => (
        <li key={d.id ?? d.name} title={lang === 'zh' ? (d.fullName ?? d.name) : d.nameEn}>
          <span className="dept-name">{lang === 'zh' ? d.name : d.nameEn}</span>
          {d.source === 'inferred' ? (
            <span className="inferred" title={t('inferredTitle')}>
              {t('inferred')}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useLang();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </p>
  );
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useLang();
  const e = error as ApiError;
  const text = !e || e.status === 0 || e.status === undefined ? t('networkError') : e.detail || e.title || String(e.message);
  return (
    <div className="note note-error" role="alert">
      <p>{text}</p>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="hint" id={id}>
      {children}
    </p>
  );
}

/** An API field error in the reader's language, naming the field. */
export function errorText(e: FieldError, labels: Labels, lang: Lang): string {
  const m = e.message;
  if (lang === 'en') return m.startsWith('must be one of') || m.startsWith('is not an allowed code') ? 'is not one of the listed choices' : m;
  let r: RegExpExecArray | null;
  if (/^is required/.test(m)) return '必填';
  if ((r = /^must be >= (\S+)/.exec(m))) return `不能小于 ${r[1]}`;
  if ((r = /^must be <= (\S+)/.exec(m))) return `不能大于 ${r[1]}`;
  if ((r = /^must be > (\S+)/.exec(m))) return `须大于 ${r[1]}`;
  if (/must be one of|is not an allowed code/.test(m)) return '不是可选的值';
  if ((r = /^must hold at most (\d+)/.exec(m))) return `最多选择 ${r[1]} 项`;
  if (/NUL character/.test(m)) return '含有不允许的空字符（U+0000）';
  if (/more errors than/.test(m)) return '还有更多错误未列出';
  if (/integer/.test(m)) return '须为整数';
  if (/must be (a )?number/.test(m)) return '须为数字';
  if (/credit code|GB 32100|check character/i.test(m)) return '统一社会信用代码应为 18 位，且校验位正确';
  if (/date/.test(m)) return '请填写有效日期（年-月-日）';
  if (/area|prefix/.test(m)) return `功能区须位于所选的${labels.fieldLabel('location.district', 'zh')}`;
  if (/duplicate|unique/.test(m)) return '有重复的选项';
  if (/too long|maxLength|longer/.test(m)) return '内容过长';
  return m;
}

export function FieldErrors({ id, errors, labels }: { id: string; errors: FieldError[] | undefined; labels: Labels }) {
  const { lang } = useLang();
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id}>
      {[...new Set(errors.map((e) => errorText(e, labels, lang)))].join(lang === 'zh' ? '；' : '; ')}
    </p>
  );
}

/** Measure or district priority, as a badge. */
export function KindBadge({ kind }: { kind: 'measure' | 'priority' }) {
  const { t } = useLang();
  return <span className={`badge badge-kind badge-kind-${kind}`}>{t(kind === 'priority' ? 'kindPriority' : 'kindMeasure')}</span>;
}

/** For broad precision: what the text requires that the profile cannot check, for the company to verify. */
export function PrecisionNote({ measure }: { measure: { precision?: 'broad'; precisionNote?: string; precisionNoteEn?: string } }) {
  const { t, lang } = useLang();
  const note = lang === 'zh' ? measure.precisionNote : measure.precisionNoteEn || measure.precisionNote;
  if (measure.precision !== 'broad' || !note) return null;
  return (
    <p className="precision-note" role="note">
      {t('checkYourself', { note })}
    </p>
  );
}

/** The words of the policy text a condition stands on, beside what the company said: a company can check the match itself. */
export function BasisPair({ basis, fact }: { basis?: string; fact?: string }) {
  const { t } = useLang();
  if (!basis) return null;
  return (
    <span className="basis-pair">
      <span className="basis-text">{t('basisText', { words: basis })}</span>
      {fact !== undefined ? (
        <>
          <span aria-hidden="true"> → </span>
          <span className="basis-fact">{t('basisFact', { fact })}</span>
        </>
      ) : null}
    </span>
  );
}
