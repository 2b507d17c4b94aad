import { DISTRICTS, labelOf, type District } from '@matcher/catalog';
import type { MatchSummary, MeasureResult, PriorityResult, StatusCounts } from './types';
import type { Words } from './types';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let lastDate: { iso: string; words: Words } | undefined;

/** "2026年11月28日" / "28 November 2026". The last date asked is remembered: one answer asks the same date often. */
export function dateWords(iso: string): Words {
  if (lastDate?.iso === iso) return lastDate.words;
  const [y, m, d] = iso.split('-').map(Number);
  const words = Object.freeze({ zh: `${y}年${m}月${d}日`, en: `${d} ${MONTHS[m - 1]} ${y}` });
  lastDate = { iso, words };
  return words;
}

export function statusCounts(results: readonly Pick<MeasureResult, 'status'>[]): StatusCounts {
  const c: StatusCounts = { total: results.length, inForce: 0, termUnknown: 0, notYetInForce: 0, expired: 0 };
  for (const r of results) {
    if (r.status === 'in-force') c.inForce++;
    else if (r.status === 'term-unknown') c.termUnknown++;
    else if (r.status === 'expired') c.expired++;
    else c.notYetInForce++;
  }
  return c;
}

const latest = (dates: (string | null)[]): string | null => dates.reduce<string | null>((a, d) => (d && (!a || d > a) ? d : a), null);

/**
 * The truth as of the date, first: how many matched measures are in force, which expired and when, which
 * state no term (per district: the company must ask the department), then the district priorities.
 */
/** The priorities' part of the headline: current plans as district priorities; ended plans by their period, neutrally. */
function prioritiesWords(priorities: readonly Pick<PriorityResult, 'status' | 'validFrom' | 'validTo'>[]): Words {
  const zh: string[] = [];
  const en: string[] = [];
  const current = priorities.filter((p) => p.status !== 'expired').length;
  if (current > 0) {
    zh.push(`另有${current}项区重点发展方向与您相关。`);
    en.push(`${current} district ${current > 1 ? 'priorities name' : 'priority names'} your company.`);
  }
  const byPeriod = new Map<string, number>();
  for (const p of priorities) {
    if (p.status !== 'expired') continue;
    const period = p.validFrom && p.validTo ? `${p.validFrom.slice(0, 4)}–${p.validTo.slice(0, 4)}` : (p.validTo ?? '').slice(0, 4);
    byPeriod.set(period, (byPeriod.get(period) ?? 0) + 1);
  }
  for (const [period, n] of byPeriod) {
    zh.push(`${current > 0 ? '' : '另有'}${n}项${period} 规划中的重点方向提到您的行业、区域或计划（规划期已结束）。`);
    en.push(
      `${n} ${n > 1 ? 'priorities' : 'priority'} of the district's ${period} plans name${n > 1 ? '' : 's'} your sector, area or plans (the plan period has ended).`,
    );
  }
  return { zh: zh.join(''), en: en.join(' ') };
}

export function headline(
  asOf: string,
  matches: readonly MeasureResult[],
  priorities: readonly Pick<PriorityResult, 'status' | 'validFrom' | 'validTo'>[],
): Words {
  const c = statusCounts(matches);
  const date = dateWords(asOf);
  const zh: string[] = [];
  const en: string[] = [];
  const inForceTo = latest(matches.filter((m) => m.status === 'in-force').map((m) => m.validTo));
  const expiredTo = matches.filter((m) => m.status === 'expired').map((m) => m.validTo as string);
  const sameEnd = expiredTo.length > 0 && expiredTo.every((d) => d === expiredTo[0]);
  const lastExpired = latest(expiredTo);
  const stated = c.inForce + c.expired + c.notYetInForce;

  if (c.total === 0) {
    zh.push(`截至${date.zh}，没有匹配到的措施`);
    en.push(`As of ${date.en}, no measure matches`);
  } else if (c.inForce > 0) {
    const until = inForceTo ? dateWords(inForceTo) : null;
    if (c.inForce === c.total) {
      zh.push(`截至${date.zh}，匹配到的${c.total}项措施均有效${until ? `（有效期至${until.zh}）` : ''}`);
      en.push(`As of ${date.en}, all ${c.total} matched measures are in force${until ? ` (until ${until.en})` : ''}`);
    } else {
      zh.push(`截至${date.zh}，${c.inForce}项匹配的措施有效${until ? `（有效期至${until.zh}）` : ''}`);
      en.push(`As of ${date.en}, ${c.inForce} matched measure${c.inForce > 1 ? 's are' : ' is'} in force${until ? ` (until ${until.en})` : ''}`);
      if (c.expired > 0) {
        zh.push(`${c.expired}项已到期`);
        en.push(`${c.expired} expired`);
      }
    }
  } else if (c.expired > 0) {
    const end = dateWords(lastExpired as string);
    const all = c.expired === stated;
    if (sameEnd) {
      zh.push(`截至${date.zh}，匹配到的${c.expired}项措施${all ? '均' : ''}已于${end.zh}到期`);
      en.push(`As of ${date.en}, ${all && c.expired > 1 ? 'all ' : ''}${c.expired} matched measure${c.expired > 1 ? 's' : ''} expired on ${end.en}`);
    } else {
      zh.push(`截至${date.zh}，匹配到的${c.expired}项措施${all ? '均' : ''}已到期（最晚于${end.zh}）`);
      en.push(`As of ${date.en}, ${all && c.expired > 1 ? 'all ' : ''}${c.expired} matched measure${c.expired > 1 ? 's' : ''} expired (the last on ${end.en})`);
    }
  } else {
    zh.push(`截至${date.zh}`);
    en.push(`As of ${date.en}`);
  }
  if (c.notYetInForce > 0) {
    zh.push(`${c.notYetInForce}项尚未生效`);
    en.push(`${c.notYetInForce} not yet in force`);
  }
  let text = { zh: zh.join('，'), en: en.join(', ') };

  if (c.termUnknown > 0) {
    const byDistrict = new Map<District, number>();
    for (const m of matches) if (m.status === 'term-unknown') byDistrict.set(m.district, (byDistrict.get(m.district) ?? 0) + 1);
    const zhParts: string[] = [];
    const enParts: string[] = [];
    for (const d of DISTRICTS) {
      const n = byDistrict.get(d);
      if (!n) continue;
      zhParts.push(`${labelOf('location.district', d, 'zh')}${n}项措施`);
      enParts.push(`${n} ${labelOf('location.district', d, 'en')} measure${n > 1 ? 's' : ''}`);
    }
    const alone = stated === 0;
    text = {
      zh: `${text.zh}${alone ? '，' : '；'}${zhParts.join('、')}未载明期限，请向责任部门确认`,
      en: `${text.en}${alone ? ', ' : '; '}${enParts.join(' and ')} state${enParts.length === 1 && c.termUnknown === 1 ? 's' : ''} no term: confirm with the responsible department`,
    };
  }
  text = { zh: `${text.zh}。`, en: `${text.en}.` };
  if (priorities.length > 0) {
    const p = prioritiesWords(priorities);
    text.zh += p.zh;
    text.en += ` ${p.en}`;
  }
  return text;
}

export function summarize(
  asOf: string,
  matches: readonly MeasureResult[],
  priorities: readonly Pick<PriorityResult, 'status' | 'validFrom' | 'validTo'>[],
  nearMisses: MatchSummary['nearMisses'],
  questionsNote: Words | null,
): MatchSummary {
  let targeted = 0;
  for (const m of matches) if (m.specificity === 'targeted') targeted++;
  return {
    matches: statusCounts(matches),
    targeted,
    general: matches.length - targeted,
    nearMisses,
    priorities: priorities.length,
    lastInForce: latest(matches.filter((m) => m.status === 'in-force' || m.status === 'expired').map((m) => m.validTo)),
    headline: headline(asOf, matches, priorities),
    questionsNote,
  };
}

/** Why there are no questions although facts are missing: they would decide only measures no longer in force. */
export function noLiveQuestions(asOf: string): Words {
  const date = dateWords(asOf);
  return {
    zh: `截至${date.zh}，尚未填写的信息只关系到已到期的措施，因此没有需要补充的问题。`,
    en: `As of ${date.en}, the facts left out decide only measures that are no longer in force, so there is nothing to ask.`,
  };
}
