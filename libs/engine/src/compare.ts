import { DISTRICTS, type CompanyProfile, type District } from '@matcher/catalog';
import { matchProfile, type MatchOptions, type MeasureResult, type Scenario } from './matcher';
import type { Ruleset } from './ruleset';

export interface DistrictComparison {
  district: District;
  scenario: Scenario;
  counts: { matches: number; inForce: number; targeted: number; general: number; nearMisses: number };
  byDepartment: {
    departmentId: string;
    name: string;
    nameEn: string;
    measures: { measureId: string; title: string; titleEn: string; status: MeasureResult['status'] }[];
  }[];
  /** Matches that reward something about the company no other district's matches reward. */
  onlyHere: { measureId: string; title: string; titleEn: string; uniqueFacts: string[] }[];
}

export interface Comparison {
  asOf: string;
  districts: DistrictComparison[];
}

/** What about the profile a match rewards, beyond the location: "plans:international-standards". */
function rewardedFacts(m: MeasureResult): string[] {
  return m.explanation.filter((e) => e.fact !== 'location.district').flatMap((e) => e.values.map((v) => `${e.fact}:${String(v)}`));
}

/** The same profile in all three districts side by side, for an officer pitching a relocation. */
export function compareDistricts(ruleset: Ruleset, profile: CompanyProfile, options: Omit<MatchOptions, 'districts'>): Comparison {
  const outcome = matchProfile(ruleset, profile, { ...options, districts: [...DISTRICTS] });
  const rewardedBy = new Map<District, Set<string>>(DISTRICTS.map((d) => [d, new Set()]));
  for (const m of outcome.matches) for (const f of rewardedFacts(m)) rewardedBy.get(m.district)?.add(f);

  const districts = DISTRICTS.map((district): DistrictComparison => {
    const matches = outcome.matches.filter((m) => m.district === district);
    const departments = new Map<string, DistrictComparison['byDepartment'][number]>();
    for (const m of matches) {
      for (const d of m.departments) {
        const entry = departments.get(d.id) ?? { departmentId: d.id, name: d.name, nameEn: d.nameEn, measures: [] };
        entry.measures.push({ measureId: m.measureId, title: m.title, titleEn: m.titleEn, status: m.status });
        departments.set(d.id, entry);
      }
    }
    const elsewhere = new Set(DISTRICTS.filter((d) => d !== district).flatMap((d) => [...(rewardedBy.get(d) ?? [])]));
    const onlyHere = matches
      .map((m) => ({ measureId: m.measureId, title: m.title, titleEn: m.titleEn, uniqueFacts: rewardedFacts(m).filter((f) => !elsewhere.has(f)) }))
      .filter((m) => m.uniqueFacts.length > 0);
    return {
      district,
      scenario: profile.location.district === district ? 'current-location' : 'relocation',
      counts: {
        matches: matches.length,
        inForce: matches.filter((m) => m.status === 'in-force').length,
        targeted: matches.filter((m) => m.specificity === 'targeted').length,
        general: matches.filter((m) => m.specificity === 'general').length,
        nearMisses: outcome.nearMisses.filter((n) => n.district === district).length,
      },
      byDepartment: [...departments.values()].sort((a, b) => b.measures.length - a.measures.length || (a.departmentId < b.departmentId ? -1 : 1)),
      onlyHere,
    };
  });
  return { asOf: outcome.asOf, districts };
}
