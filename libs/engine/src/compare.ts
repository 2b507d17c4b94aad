import { DISTRICTS, labelOf, type CompanyProfile, type District, type SupportType } from '@matcher/catalog';
import { matchProfile } from './matcher';
import type { Ruleset } from './ruleset';
import { dateWords } from './summary';
import type { Comparison, DistrictComparison, MatchOptions, MeasureResult, Words } from './types';

/** What about the profile a match rewards, beyond the location: "plans:international-standards". */
function rewardedFacts(m: MeasureResult): string[] {
  return m.explanation.filter((e) => e.fact !== 'location.district').flatMap((e) => e.values.map((v) => `${e.fact}:${String(v)}`));
}

const name = (d: District, lang: 'zh' | 'en'): string => labelOf('location.district', d, lang);

/**
 * The sentence that answers "which district offers my company more": in force first, then measures of
 * unstated term (to be confirmed), and only then what has expired.
 */
export function compareVerdict(asOf: string, districts: readonly DistrictComparison[]): Words {
  const date = dateWords(asOf);
  const best = (key: 'inForce' | 'termUnknown' | 'matches'): DistrictComparison[] => {
    const top = Math.max(0, ...districts.map((d) => d.counts[key]));
    return top > 0 ? districts.filter((d) => d.counts[key] === top) : [];
  };
  const join = (ds: DistrictComparison[], lang: 'zh' | 'en'): string => ds.map((d) => name(d.district, lang)).join(lang === 'zh' ? '和' : ' and ');
  const inForce = best('inForce');
  if (inForce.length) {
    const n = inForce[0].counts.inForce;
    return inForce.length === 1
      ? {
          zh: `截至${date.zh}，${join(inForce, 'zh')}为贵企业提供的有效措施最多（${n}项）。`,
          en: `As of ${date.en}, ${join(inForce, 'en')} offers your company the most measures in force (${n}).`,
        }
      : {
          zh: `截至${date.zh}，${join(inForce, 'zh')}为贵企业提供的有效措施一样多（各${n}项）。`,
          en: `As of ${date.en}, ${join(inForce, 'en')} offer your company as many measures in force (${n} each).`,
        };
  }
  const unknown = best('termUnknown');
  if (unknown.length) {
    const n = unknown[0].counts.termUnknown;
    return {
      zh: `截至${date.zh}，三区均没有有效的匹配措施；${join(unknown, 'zh')}有${n}项匹配措施未载明期限，请向责任部门确认。`,
      en: `As of ${date.en}, no district has a matched measure in force; ${join(unknown, 'en')} ha${unknown.length > 1 ? 've' : 's'} ${n} matched measure${n > 1 ? 's' : ''} with no stated term: confirm with the responsible department.`,
    };
  }
  const any = best('matches');
  if (any.length) {
    const n = any[0].counts.matches;
    return {
      zh: `截至${date.zh}，三区均没有有效的匹配措施；按已到期的措施计，${join(any, 'zh')}最多（${n}项）。`,
      en: `As of ${date.en}, no district has a matched measure in force; counting expired ones, ${join(any, 'en')} had the most (${n}).`,
    };
  }
  return { zh: `截至${date.zh}，三区均没有匹配到的措施。`, en: `As of ${date.en}, no district has a measure that matches.` };
}

/** The same profile in all three districts side by side: which offers the company more. */
export function compareDistricts(ruleset: Ruleset, profile: CompanyProfile, options: Omit<MatchOptions, 'districts' | 'nearMissLimit'>): Comparison {
  const outcomes = new Map(DISTRICTS.map((d) => [d, matchProfile(ruleset, profile, { ...options, districts: [d], nearMissLimit: 0 })]));
  const rewardedBy = new Map<District, Set<string>>(DISTRICTS.map((d) => [d, new Set()]));
  for (const [d, o] of outcomes) for (const m of o.matches) for (const f of rewardedFacts(m)) rewardedBy.get(d)?.add(f);

  const districts = DISTRICTS.map((district): DistrictComparison => {
    const outcome = outcomes.get(district)!;
    const matches = outcome.matches;
    const departments = new Map<string, DistrictComparison['byDepartment'][number]>();
    const types = new Map<SupportType, { supportType: SupportType; measures: number; inForce: number }>();
    for (const m of matches) {
      for (const d of ruleset.measure(m.measureId).departments) {
        const entry = departments.get(d.id) ?? { departmentId: d.id, name: d.name, nameEn: d.nameEn, measures: [] };
        entry.measures.push({ measureId: m.measureId, title: m.title, titleEn: m.titleEn, status: m.status, validFrom: m.validFrom, validTo: m.validTo });
        departments.set(d.id, entry);
      }
      for (const t of m.supportType) {
        const entry = types.get(t) ?? { supportType: t, measures: 0, inForce: 0 };
        entry.measures += 1;
        if (m.status === 'in-force') entry.inForce += 1;
        types.set(t, entry);
      }
    }
    const elsewhere = new Set(DISTRICTS.filter((d) => d !== district).flatMap((d) => [...(rewardedBy.get(d) ?? [])]));
    const onlyHere = matches
      .map((m) => ({
        measureId: m.measureId,
        title: m.title,
        titleEn: m.titleEn,
        status: m.status,
        validFrom: m.validFrom,
        validTo: m.validTo,
        uniqueFacts: rewardedFacts(m).filter((f) => !elsewhere.has(f)),
      }))
      .filter((m) => m.uniqueFacts.length > 0);
    const s = outcome.summary;
    return {
      district,
      scenario: profile.location.district === district ? 'current-location' : 'relocation',
      counts: {
        matches: s.matches.total,
        inForce: s.matches.inForce,
        termUnknown: s.matches.termUnknown,
        expired: s.matches.expired,
        targeted: s.targeted,
        general: s.general,
        nearMisses: outcome.nearMissesTotal,
        priorities: outcome.priorities.length,
      },
      bySupportType: [...types.values()].sort((a, b) => b.measures - a.measures || (a.supportType < b.supportType ? -1 : 1)),
      byDepartment: [...departments.values()].sort((a, b) => b.measures.length - a.measures.length || (a.departmentId < b.departmentId ? -1 : 1)),
      onlyHere,
      sectorPriorities: outcome.priorities
        .filter((p) => p.names.some((n) => n.fact === 'sectors'))
        .map(({ measureId, title, titleEn, section, names, status, validFrom, validTo }) => ({
          measureId,
          title,
          titleEn,
          section,
          names,
          status,
          validFrom,
          validTo,
        })),
    };
  });
  return { asOf: options.asOf, districts, verdict: compareVerdict(options.asOf, districts) };
}
