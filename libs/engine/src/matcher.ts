import { DISTRICTS, factsOf, fieldLabel, sectorWithin, type CompanyProfile, type District, type Measure, type MeasureDepartment, type MeasureSource, type SupportType } from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
import type { Ruleset } from './ruleset';
import { FALSE, TRUE, UNKNOWN, type Tri } from './tri';
import { statusOf, statusRank, type MeasureStatus } from './validity';
import { conditionWords, heldWords, satisfyingValues, type Words } from './words';

export type Scenario = 'current-location' | 'relocation';

export interface MatchOptions {
  districts?: District[];
  asOf: string;
  includeExpired?: boolean;
}

export interface HeldCondition extends Words {
  condition: string;
  fact: string;
  values: unknown[];
}

export interface FailedCondition extends Words {
  condition: string;
  fact: string;
  /** What the profile said for this fact. */
  profileValue: unknown;
  /** Codes (or the threshold) that would satisfy the condition. */
  satisfiedBy: unknown;
  /** The profile gave a parent sector where the rule needs a child: more detail needed. */
  detailNeeded: boolean;
}

export interface MissingFact extends Words {
  fact: string;
  /** Codes (or thresholds) the rule would accept for this fact. */
  satisfiedBy: unknown[];
}

/** Match result v1 per measure, plus `specificity`, `summary` and `factsUsed`. */
export interface MeasureResult {
  measureId: string;
  district: District;
  title: string;
  titleEn: string;
  summary: string;
  summaryEn: string;
  departments: MeasureDepartment[];
  source: MeasureSource;
  supportType: SupportType[];
  status: MeasureStatus;
  validFrom: string | null;
  validTo: string | null;
  scenario: Scenario;
  specificity: Measure['specificity'];
  explanation: HeldCondition[];
  /** How many of the profile's facts (besides the district) the rule used. */
  factsUsed: number;
}

export interface NearMiss extends MeasureResult {
  reason: 'unknown-facts' | 'failed-condition' | 'more-detail-needed';
  missing: MissingFact[];
  /** Any one of these, satisfied, would make the measure apply. */
  failed: FailedCondition[];
}

export interface Question extends Words {
  fact: string;
  /** How many undecided measures this fact would help decide. */
  decides: number;
  measureIds: string[];
  /** Codes the undecided rules would accept, most useful first. */
  options: { value: unknown; measures: number }[];
}

export interface MatchOutcome {
  asOf: string;
  districts: District[];
  matches: MeasureResult[];
  nearMisses: NearMiss[];
  questions: Question[];
}

const EVALUATED: ReadonlySet<string> = new Set(DISTRICTS);

/** Default: the company's own district when it is one we cover, otherwise all three. */
export function defaultDistricts(profile: CompanyProfile): District[] {
  const own = profile.location.district;
  return EVALUATED.has(own) ? [own as District] : [...DISTRICTS];
}

/**
 * The facts rules see for a profile evaluated in `district`: extension fields merged in, and for a
 * relocation the company as if registered there (an area elsewhere no longer applies).
 */
export function profileIn(profile: CompanyProfile, district: District): Record<string, unknown> {
  const facts = factsOf(profile);
  if (facts.location.district === district) return facts as unknown as Record<string, unknown>;
  const area = facts.location.area?.startsWith(`${district}/`) ? facts.location.area : undefined;
  return { ...facts, location: area ? { district, area } : { district } };
}

/** Pass/fail only: the measure ids a profile matches, for batch screening and benchmarks. */
export function matchIds(ruleset: Ruleset, profile: CompanyProfile, districts: District[] = defaultDistricts(profile)): string[] {
  const out: string[] = [];
  for (const district of districts) {
    const facts = profileIn(profile, district);
    for (const rule of ruleset.byDistrict.get(district) ?? []) if (rule.match(facts) === TRUE) out.push(rule.id);
  }
  return out;
}

function baseResult(measure: Measure, status: MeasureStatus, scenario: Scenario): Omit<MeasureResult, 'explanation' | 'factsUsed'> {
  return {
    measureId: measure.id,
    district: measure.district,
    title: measure.title,
    titleEn: measure.titleEn,
    summary: measure.summary,
    summaryEn: measure.summaryEn,
    departments: measure.departments,
    source: measure.source,
    supportType: measure.supportType,
    status,
    validFrom: measure.validity.validFrom,
    validTo: measure.validity.validTo,
    scenario,
    specificity: measure.specificity,
  };
}

/** A leaf "holds" when its test passed, or failed under a `not`. */
function holds(leaf: CompiledLeaf, state: number): boolean {
  return leaf.negated ? state === FALSE : state === TRUE;
}

function explain(rule: CompiledRule, facts: Record<string, unknown>, states: Uint8Array, relocation: boolean): HeldCondition[] {
  const held: HeldCondition[] = [];
  for (const leaf of rule.leaves) {
    if (!holds(leaf, states[leaf.index])) continue;
    const values = leaf.negated ? [leaf.read(facts)] : satisfyingValues(leaf.condition, leaf.read(facts));
    const words = leaf.negated ? conditionWords(leaf.condition, leaf.factKey, true) : heldWords(leaf.condition, leaf.factKey, values, relocation);
    held.push({ condition: leaf.condition.name, fact: leaf.factKey, values, ...words });
  }
  return held;
}

function factsUsed(held: HeldCondition[]): number {
  return new Set(held.map((h) => h.fact).filter((f) => f !== 'location.district')).size;
}

/** The leaves whose single change (to holding) would make the rule apply. */
function singleFlips(rule: CompiledRule, states: Uint8Array): CompiledLeaf[] {
  const out: CompiledLeaf[] = [];
  for (const leaf of rule.leaves) {
    const s = states[leaf.index];
    if (s === UNKNOWN || holds(leaf, s)) continue;
    states[leaf.index] = s === TRUE ? FALSE : TRUE;
    if (rule.combine(states) === TRUE) out.push(leaf);
    states[leaf.index] = s;
  }
  return out;
}

function needsDetail(leaf: CompiledLeaf, value: unknown): boolean {
  if (leaf.condition.operator !== 'sectorIn' || !Array.isArray(value)) return false;
  const wanted = leaf.condition.value as string[];
  return value.some((s) => wanted.some((c) => c !== s && sectorWithin(c, String(s))));
}

const districtOrder = (d: District): number => DISTRICTS.indexOf(d);

const compare = (a: MeasureResult, b: MeasureResult): number =>
  statusRank(a.status) - statusRank(b.status) ||
  (a.specificity === b.specificity ? 0 : a.specificity === 'targeted' ? -1 : 1) ||
  b.factsUsed - a.factsUsed ||
  districtOrder(a.district) - districtOrder(b.district) ||
  (a.measureId < b.measureId ? -1 : a.measureId > b.measureId ? 1 : 0);

/**
 * Evaluates a profile against the measures of the chosen districts: what applies and why, what nearly
 * applies and what is missing, and which unknown facts would decide the most measures.
 */
export function matchProfile(ruleset: Ruleset, profile: CompanyProfile, options: MatchOptions): MatchOutcome {
  const districts = options.districts?.length ? [...new Set(options.districts)] : defaultDistricts(profile);
  const includeExpired = options.includeExpired ?? true;
  const states = new Uint8Array(ruleset.maxLeaves);
  const raw = new Uint8Array(ruleset.maxLeaves);
  const matches: MeasureResult[] = [];
  const nearMisses: NearMiss[] = [];
  const questions = new Map<string, { measureIds: string[]; options: Map<string, { value: unknown; measures: number }> }>();

  for (const district of districts) {
    const scenario: Scenario = profile.location.district === district ? 'current-location' : 'relocation';
    const facts = profileIn(profile, district);
    for (const rule of ruleset.byDistrict.get(district) ?? []) {
      const measure = ruleset.measure(rule.id);
      const status = statusOf(measure.validity, options.asOf);
      if (!includeExpired && status === 'expired') continue;
      rule.evaluateLeaves(facts, states, raw);
      const verdict: Tri = rule.combine(states);
      const held = explain(rule, facts, states, scenario === 'relocation');
      const result = { ...baseResult(measure, status, scenario), explanation: held, factsUsed: factsUsed(held) };
      if (verdict === TRUE) {
        matches.push(result);
        continue;
      }
      if (verdict === UNKNOWN) {
        const unknownLeaves = rule.openLeaves(states);
        const byFact = new Map<string, unknown[]>();
        for (const leaf of unknownLeaves) {
          const accepted = byFact.get(leaf.factKey) ?? [];
          accepted.push(...(Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value]));
          byFact.set(leaf.factKey, accepted);
        }
        const missing = [...byFact].map(([fact, satisfiedBy]) => ({ fact, zh: fieldLabel(fact, 'zh'), en: fieldLabel(fact, 'en'), satisfiedBy: [...new Set(satisfiedBy)] }));
        nearMisses.push({ ...result, reason: 'unknown-facts', missing, failed: [] });
        for (const m of missing) {
          const q = questions.get(m.fact) ?? { measureIds: [] as string[], options: new Map<string, { value: unknown; measures: number }>() };
          q.measureIds.push(rule.id);
          for (const value of m.satisfiedBy) {
            const key = JSON.stringify(value);
            const o = q.options.get(key) ?? { value, measures: 0 };
            o.measures += 1;
            q.options.set(key, o);
          }
          questions.set(m.fact, q);
        }
        continue;
      }
      const flips = singleFlips(rule, states);
      if (flips.length === 0) continue;
      const failed = flips.map((leaf) => {
        const value = leaf.read(facts);
        return {
          condition: leaf.condition.name,
          fact: leaf.factKey,
          ...conditionWords(leaf.condition, leaf.factKey, leaf.negated),
          profileValue: value,
          satisfiedBy: leaf.condition.value,
          detailNeeded: needsDetail(leaf, value),
        };
      });
      const reason = failed.some((f) => f.detailNeeded) ? 'more-detail-needed' : 'failed-condition';
      nearMisses.push({ ...result, reason, missing: [], failed });
    }
  }

  matches.sort(compare);
  nearMisses.sort(compare);
  const ranked: Question[] = [...questions]
    .map(([fact, q]) => ({
      fact,
      zh: fieldLabel(fact, 'zh'),
      en: fieldLabel(fact, 'en'),
      decides: q.measureIds.length,
      measureIds: q.measureIds,
      options: [...q.options.values()].sort((a, b) => b.measures - a.measures),
    }))
    .sort((a, b) => b.decides - a.decides || (a.fact < b.fact ? -1 : 1));
  return { asOf: options.asOf, districts, matches, nearMisses, questions: ranked };
}
