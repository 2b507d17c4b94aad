import type { Validity } from '../measures/rule.types';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The ways a term writes one date: 2025年12月31日 (with or without padding); 31 December 2025, December 31, 2025, 2025-12-31. */
function writtenForms(date: string, lang: 'zh' | 'en'): string[] {
  const [y, m, d] = date.split('-');
  const [mm, dd] = [Number(m), Number(d)];
  return lang === 'zh' ? [`${y}年${mm}月${dd}日`, `${y}年${m}月${d}日`, date] : [`${dd} ${MONTHS[mm - 1]} ${y}`, `${MONTHS[mm - 1]} ${dd}, ${y}`, date];
}

/**
 * The term text with the old validity's dates rewritten as the new one's, where the text writes them
 * in full. A term that does not (a plan period, "none stated") is returned unchanged; the check then says
 * whether it still agrees.
 */
export function termWithValidity(term: string, before: Validity, after: Validity, lang: 'zh' | 'en'): string {
  let out = term;
  for (const k of ['validTo', 'validFrom'] as const) {
    const [a, b] = [before[k], after[k]];
    if (!a || !b || a === b) continue;
    const to = writtenForms(b, lang);
    writtenForms(a, lang).forEach((form, i) => {
      out = out.split(form).join(to[i]);
    });
  }
  return out;
}

const ZH_DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
const EN_DATE =
  /(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})|(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})/g;
const ISO_DATE = /(\d{4})-(\d{2})-(\d{2})/g;
const YEAR = /(?<!\d)(19|20)\d{2}(?!\d)/g;

const iso = (y: string | number, m: string | number, d: string | number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Full dates a term text writes, as YYYY-MM-DD. */
export function termDates(term: string): string[] {
  const out: string[] = [];
  for (const m of term.matchAll(ZH_DATE)) out.push(iso(m[1], m[2], m[3]));
  for (const m of term.matchAll(EN_DATE)) out.push(m[1] ? iso(m[3], MONTHS.indexOf(m[2]) + 1, m[1]) : iso(m[6], MONTHS.indexOf(m[4]) + 1, m[5]));
  for (const m of term.matchAll(ISO_DATE)) out.push(m[0]);
  return out;
}

/**
 * Why a term text disagrees with its validity, or null: a term that writes full dates must write the end
 * date (the last one written); a term that writes only years must end in the end date's year; a term
 * with dates and a validity with no end disagree too.
 */
export function termDisagreement(term: string, validity: Validity): string | null {
  const dates = termDates(term);
  const years = [...term.replace(ZH_DATE, '').replace(EN_DATE, '').replace(ISO_DATE, '').matchAll(YEAR)].map((m) => m[0]);
  if (!dates.length && !years.length) return null;
  if (!validity.validTo) return `the term “${term}” states dates but the validity has no end date`;
  if (dates.length) {
    const last = [...dates].sort().pop()!;
    return last === validity.validTo ? null : `the term “${term}” says it ends ${last}, the validity ends ${validity.validTo}`;
  }
  const last = [...years].sort().pop()!;
  return last === validity.validTo.slice(0, 4) ? null : `the term “${term}” ends in ${last}, the validity ends ${validity.validTo}`;
}
