import {
  DISTRICTS,
  factsOf,
  fieldLabel,
  sectorWithin,
  type CompanyProfile,
  type District,
  type Measure,
  type MeasureDepartment,
  type MeasureSource,
  type SupportType,
} from '@matcher/catalog';
import type { CompiledLeaf, CompiledRule } from './compile';
import type { RuleProgram } from './program';
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
  /** `priority`: the district plans to develop or attract this — nothing to apply for. */
  kind: Measure['kind'];
  /** With precision `broad`: what the text requires that the company must check itself. */
  precision?: Measure['precision'];
  precisionNote?: string;
  precisionNoteEn?: string;
  status: MeasureStatus;
  validFrom: string | null;
  validTo: string | null;
  scenario: Scenario;
  specificity: Measure['specificity'];
  explanation: HeldCondition[];
  /** How many of the profile's facts (besides the district) the rule used. */
  factsUsed: number;
}

/**
 * A measure nearly in reach: which one, who is responsible, and what would decide it. Lean on purpose — a thin
 * profile has hundreds of them; the summary and source quote are one GET /api/v1/measures/:id away.
 */
export interface NearMiss extends Pick<
  MeasureResult,
  'measureId' | 'district' | 'title' | 'titleEn' | 'supportType' | 'kind' | 'status' | 'validFrom' | 'validTo' | 'scenario' | 'specificity' | 'factsUsed'
> {
  departments: NearMissDepartment[];
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

const SINGLE = new Map<string, readonly District[]>(DISTRICTS.map((d) => [d, [d]]));

/** defaultDistricts without allocating: shared read-only lists. */
function defaultDistrictList(profile: CompanyProfile): readonly District[] {
  return SINGLE.get(profile.location.district) ?? DISTRICTS;
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
export function matchIds(ruleset: Ruleset, profile: CompanyProfile, districts: readonly District[] = defaultDistrictList(profile)): string[] {
  const out: string[] = [];
  for (const district of districts) ruleset.matchingIds(district, profileIn(profile, district), out);
  return out;
}

/** A leaf "holds" when its test passed, or failed under a `not`. */
function holds(leaf: CompiledLeaf, state: number): boolean {
  return leaf.negated ? state === FALSE : state === TRUE;
}

/** The leaves whose single change (to holding) would make rule `r` of the program apply. */
function singleFlips(program: RuleProgram, r: number, rule: CompiledRule, states: Uint8Array): CompiledLeaf[] {
  const out: CompiledLeaf[] = [];
  for (const leaf of rule.leaves) {
    const s = states[leaf.index];
    if (s === UNKNOWN || holds(leaf, s)) continue;
    states[leaf.index] = s === TRUE ? FALSE : TRUE;
    if (program.verdict(r) === TRUE) out.push(leaf);
    states[leaf.index] = s;
  }
  return out;
}

function needsDetail(leaf: CompiledLeaf, value: unknown): boolean {
  if (leaf.condition.operator !== 'sectorIn' || !Array.isArray(value)) return false;
  const wanted = leaf.condition.value as string[];
  return value.some((s) => wanted.some((c) => c !== s && sectorWithin(c, String(s))));
}

/*
 * What the explained path precomputes once per ruleset (never per request): each rule's measure and sort
 * key, each leaf's sentences, the "missing facts" of each set of open leaves, the question option ids.
 * Caches hold strings and frozen `satisfiedBy` lists only: every object in an outcome (results, held
 * conditions, missing facts, failed conditions, questions, options) is made for that outcome, so a
 * caller may add to it (MatchService adds `text`) without touching another outcome.
 */

const MAX_CACHED_WORDS = 256;

interface MissingSpec {
  fact: string;
  zh: string;
  en: string;
  satisfiedBy: unknown[];
  /** Per satisfiedBy value: the question option it counts for (by JSON.stringify of the value, per fact). */
  ids: number[];
}

/** Question options numbered per fact, once per ruleset: JSON.stringify(value) → a small integer. */
class OptionIds {
  private readonly byFact = new Map<string, Map<string, number>>();

  of(fact: string, value: unknown): number {
    let ids = this.byFact.get(fact);
    if (!ids) this.byFact.set(fact, (ids = new Map()));
    const key = JSON.stringify(value);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  }
}

class LeafPlan {
  private condition?: Words;
  private readonly held = new Map<string, Words>();
  private readonly heldRelocation = new Map<string, Words>();
  /** The last single value asked, per scenario: the district leaf asks the same one every time. */
  private lastValue: [string | undefined, string | undefined] = [undefined, undefined];
  private lastWords: [Words | undefined, Words | undefined] = [undefined, undefined];
  /** The rule's codes as strings (satisfyingValues); null when a Set cannot stand in for `some(sectorWithin)`. */
  private readonly wanted: Set<string> | null;

  constructor(readonly leaf: CompiledLeaf) {
    const codes = Array.isArray(leaf.condition.value) ? leaf.condition.value.map(String) : [String(leaf.condition.value)];
    this.wanted = codes.includes('') ? null : new Set(codes);
  }

  /** conditionWords(leaf, factKey, negated), once. */
  words(): Words {
    return (this.condition ??= conditionWords(this.leaf.condition, this.leaf.factKey, this.leaf.negated));
  }

  /** satisfyingValues, with the rule's codes in a Set. */
  satisfying(value: unknown): unknown[] {
    if (!Array.isArray(value)) return [value];
    const op = this.leaf.condition.operator;
    const wanted = this.wanted;
    if (!wanted || (op !== 'sectorIn' && op !== 'hasAny')) return satisfyingValues(this.leaf.condition, value);
    const out: unknown[] = [];
    for (const v of value) {
      const s = String(v);
      let hit = wanted.has(s);
      if (!hit && op === 'sectorIn') for (let j = s.indexOf('/'); j >= 0 && !hit; j = s.indexOf('/', j + 1)) hit = wanted.has(s.slice(0, j));
      if (hit) out.push(v);
    }
    return out;
  }

  /**
   * heldWords, cached for string values: keyed by the value itself when there is one (and it does not
   * start with NUL), else by NUL + the values' JSON (injective for strings, so no two lists share words).
   */
  heldWords(values: unknown[], relocation: boolean): Words {
    let value: string;
    if (values.length === 1 && typeof values[0] === 'string' && values[0].charCodeAt(0) !== 0) value = values[0];
    else if (values.length > 0 && values.every((v) => typeof v === 'string')) value = `\u0000${JSON.stringify(values)}`;
    else return heldWords(this.leaf.condition, this.leaf.factKey, values, relocation);
    const slot = relocation ? 1 : 0;
    if (this.lastValue[slot] === value) return this.lastWords[slot] as Words;
    const cache = relocation ? this.heldRelocation : this.held;
    let w = cache.get(value);
    if (!w) {
      w = heldWords(this.leaf.condition, this.leaf.factKey, values, relocation);
      if (cache.size < MAX_CACHED_WORDS) cache.set(value, w);
    }
    this.lastValue[slot] = value;
    this.lastWords[slot] = w;
    return w;
  }
}

class RulePlan {
  readonly leaves: LeafPlan[];
  private readonly missing = new Map<string, MissingSpec[]>();
  private readonly missingByMask = new Map<number, MissingSpec[]>();
  private asOf = '';
  private status: MeasureStatus = 'term-unknown';
  private sortBase = 0;
  private readonly districtOrder: number;

  constructor(
    readonly rule: CompiledRule,
    readonly measure: Measure,
    /** Position of the measure id in code-unit order among all the ruleset's ids (the last sort key). */
    readonly idRank: number,
    private readonly optionIds: OptionIds,
  ) {
    this.leaves = rule.leaves.map((l) => new LeafPlan(l));
    this.districtOrder = DISTRICTS.indexOf(measure.district) + 1;
  }

  /** statusOf(measure.validity, asOf), remembered for the last date asked. */
  statusAsOf(asOf: string): MeasureStatus {
    if (asOf !== this.asOf) {
      this.status = statusOf(this.measure.validity, asOf);
      this.asOf = asOf;
      // Status first, then measures before priorities, then targeted before general.
      this.sortBase = (statusRank(this.status) * 4 + (this.measure.kind === 'priority' ? 2 : 0) + (this.measure.specificity === 'targeted' ? 0 : 1)) * 4096;
    }
    return this.status;
  }

  /**
   * The sort key of a result of this rule (call statusAsOf first): in force first, then measures before
   * priorities, then targeted before general, then more facts used, then district order, then measure id.
   */
  sortKey(factsUsed: number, ranks: number): number {
    return ((this.sortBase + 4095 - Math.min(4095, factsUsed)) * 8 + this.districtOrder) * ranks + this.idRank;
  }

  /** missingFor the open leaves in `mask` (bit i = leaf i). */
  missingForMask(mask: number): MissingSpec[] {
    let specs = this.missingByMask.get(mask);
    if (!specs) this.missingByMask.set(mask, (specs = this.missingFor(this.rule.leaves.filter((l) => (mask & (1 << l.index)) !== 0))));
    return specs;
  }

  /** The conditions that held, with the profile values that satisfied them (values as rule `r` of `program` read them). */
  explain(program: RuleProgram, r: number, states: Uint8Array, relocation: boolean): HeldCondition[] {
    const held: HeldCondition[] = [];
    for (const plan of this.leaves) {
      const leaf = plan.leaf;
      if (!holds(leaf, states[leaf.index])) continue;
      const value = program.valueOf(r, leaf.index);
      const values = leaf.negated ? [value] : plan.satisfying(value);
      const words = leaf.negated ? plan.words() : plan.heldWords(values, relocation);
      held.push({ condition: leaf.condition.name, fact: leaf.factKey, values, zh: words.zh, en: words.en });
    }
    return held;
  }

  /** The missing facts for a set of open leaves (always in depth-first order), computed once per set. */
  missingFor(open: CompiledLeaf[]): MissingSpec[] {
    let key = '';
    for (const leaf of open) key += `${leaf.index},`;
    let specs = this.missing.get(key);
    if (!specs) {
      const byFact = new Map<string, unknown[]>();
      for (const leaf of open) {
        const accepted = byFact.get(leaf.factKey) ?? [];
        accepted.push(...(Array.isArray(leaf.condition.value) ? leaf.condition.value : [leaf.condition.value]));
        byFact.set(leaf.factKey, accepted);
      }
      specs = [...byFact].map(([fact, all]) => {
        // Shared by every near miss that names this fact for this rule: frozen, so no consumer can change another's.
        const satisfiedBy = Object.freeze([...new Set(all)]) as unknown[];
        return { fact, zh: fieldLabel(fact, 'zh'), en: fieldLabel(fact, 'en'), satisfiedBy, ids: satisfiedBy.map((v) => this.optionIds.of(fact, v)) };
      });
      this.missing.set(key, specs);
    }
    return specs;
  }
}

const plans = new WeakMap<Ruleset, Map<District, RulePlan[]>>();

function plansOf(ruleset: Ruleset): Map<District, RulePlan[]> {
  let p = plans.get(ruleset);
  if (!p) {
    const ids = ruleset.rules.map((r) => r.id).sort();
    const rank = new Map(ids.map((id, i) => [id, i]));
    const optionIds = new OptionIds();
    p = new Map(
      DISTRICTS.map((d) => [
        d,
        (ruleset.byDistrict.get(d) ?? []).map((rule) => new RulePlan(rule, ruleset.measure(rule.id), rank.get(rule.id) ?? 0, optionIds)),
      ]),
    );
    plans.set(ruleset, p);
  }
  return p;
}

/** How many of the profile's facts (besides the district) the held conditions used. */
function factsUsed(held: HeldCondition[]): number {
  let n = 0;
  for (let i = 0; i < held.length; i++) {
    const f = held[i].fact;
    if (f === 'location.district') continue;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = held[j].fact === f;
    if (!seen) n += 1;
  }
  return n;
}

/** A match result v1 (+ specificity, explanation, factsUsed), fields in their documented order. */
function measureResult(m: Measure, status: MeasureStatus, scenario: Scenario, explanation: HeldCondition[]): MeasureResult {
  return {
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    summary: m.summary,
    summaryEn: m.summaryEn,
    departments: m.departments,
    source: m.source,
    supportType: m.supportType,
    kind: m.kind,
    ...(m.precision ? { precision: m.precision, precisionNote: m.precisionNote, precisionNoteEn: m.precisionNoteEn } : {}),
    status,
    validFrom: m.validity.validFrom,
    validTo: m.validity.validTo,
    scenario,
    specificity: m.specificity,
    explanation,
    factsUsed: factsUsed(explanation),
  };
}

export type NearMissDepartment = Pick<MeasureDepartment, 'name' | 'nameEn' | 'source'>;

/** Built once per measure: near misses are many, and share these read-only lists. */
const nearMissDepartments = new WeakMap<Measure, readonly NearMissDepartment[]>();

function departmentsOf(m: Measure): NearMissDepartment[] {
  let list = nearMissDepartments.get(m);
  if (!list) nearMissDepartments.set(m, (list = Object.freeze(m.departments.map(({ name, nameEn, source }) => Object.freeze({ name, nameEn, source })))));
  return list as NearMissDepartment[];
}

function nearMiss(
  m: Measure,
  status: MeasureStatus,
  scenario: Scenario,
  held: HeldCondition[],
  reason: NearMiss['reason'],
  missing: MissingFact[],
  failed: FailedCondition[],
): NearMiss {
  return {
    measureId: m.id,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    departments: departmentsOf(m),
    supportType: m.supportType,
    kind: m.kind,
    status,
    validFrom: m.validity.validFrom,
    validTo: m.validity.validTo,
    scenario,
    specificity: m.specificity,
    factsUsed: factsUsed(held),
    reason,
    missing,
    failed,
  };
}

/**
 * Sorts in place by the results' keys (RulePlan.sortKey, unique per measure): one Float64Array sort, the
 * result's position in the low digits.
 */
function sortResults<T>(results: T[], sortKeys: number[]): T[] {
  const n = results.length;
  if (n < 2) return results;
  let slots = 1;
  while (slots < n) slots *= 2;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = sortKeys[i] * slots + i;
  keys.sort();
  const sorted = results.slice();
  for (let i = 0; i < n; i++) results[i] = sorted[keys[i] % slots];
  return results;
}

interface QuestionDraft {
  measureIds: string[];
  /** Options by id (OptionIds), and in the order first seen. */
  slots: ({ value: unknown; measures: number } | undefined)[];
  options: { value: unknown; measures: number }[];
}

/**
 * Evaluates a profile against the measures of the chosen districts: what applies and why, what nearly
 * applies and what is missing, and which unknown facts would decide the most measures.
 */
export function matchProfile(ruleset: Ruleset, profile: CompanyProfile, options: MatchOptions): MatchOutcome {
  const districts = options.districts?.length ? [...new Set(options.districts)] : defaultDistricts(profile);
  const includeExpired = options.includeExpired ?? true;
  const matches: MeasureResult[] = [];
  const nearMisses: NearMiss[] = [];
  const questions = new Map<string, QuestionDraft>();
  const byDistrict = plansOf(ruleset);
  const matchKeys: number[] = [];
  const nearMissKeys: number[] = [];
  const ranks = ruleset.rules.length;

  for (const district of districts) {
    const relocation = profile.location.district !== district;
    const scenario: Scenario = relocation ? 'relocation' : 'current-location';
    const facts = profileIn(profile, district);
    const program = ruleset.programs.get(district);
    const districtPlans = byDistrict.get(district);
    if (!program || !districtPlans) continue;
    // Every leaf of the district's rules at once; then each rule reads its own slice of the states.
    program.evaluate(facts);
    for (let r = 0; r < districtPlans.length; r++) {
      const plan = districtPlans[r];
      const { rule, measure } = plan;
      const status = plan.statusAsOf(options.asOf);
      if (!includeExpired && status === 'expired') continue;
      const states = program.stateViews[r];
      const verdict: Tri = program.verdict(r);
      if (verdict === TRUE) {
        const m = measureResult(measure, status, scenario, plan.explain(program, r, states, relocation));
        matches.push(m);
        matchKeys.push(plan.sortKey(m.factsUsed, ranks));
        continue;
      }
      if (verdict === UNKNOWN) {
        const mask = program.openMask(r);
        const specs = mask >= 0 ? plan.missingForMask(mask) : plan.missingFor(rule.openLeaves(states));
        const missing: MissingFact[] = [];
        for (const s of specs) missing.push({ fact: s.fact, zh: s.zh, en: s.en, satisfiedBy: s.satisfiedBy });
        const n = nearMiss(measure, status, scenario, plan.explain(program, r, states, relocation), 'unknown-facts', missing, []);
        nearMisses.push(n);
        nearMissKeys.push(plan.sortKey(n.factsUsed, ranks));
        for (const s of specs) {
          let q = questions.get(s.fact);
          if (!q) questions.set(s.fact, (q = { measureIds: [], slots: [], options: [] }));
          q.measureIds.push(rule.id);
          for (let k = 0; k < s.ids.length; k++) {
            const o = q.slots[s.ids[k]];
            if (o) o.measures += 1;
            else q.options.push((q.slots[s.ids[k]] = { value: s.satisfiedBy[k], measures: 1 }));
          }
        }
        continue;
      }
      const flips = singleFlips(program, r, rule, states);
      if (flips.length === 0) continue;
      const failed = flips.map((leaf): FailedCondition => {
        const value = program.valueOf(r, leaf.index);
        const words = plan.leaves[leaf.index].words();
        return {
          condition: leaf.condition.name,
          fact: leaf.factKey,
          zh: words.zh,
          en: words.en,
          profileValue: value,
          satisfiedBy: leaf.condition.value,
          detailNeeded: needsDetail(leaf, value),
        };
      });
      const reason = failed.some((f) => f.detailNeeded) ? 'more-detail-needed' : 'failed-condition';
      const n = nearMiss(measure, status, scenario, plan.explain(program, r, states, relocation), reason, [], failed);
      nearMisses.push(n);
      nearMissKeys.push(plan.sortKey(n.factsUsed, ranks));
    }
  }

  sortResults(matches, matchKeys);
  sortResults(nearMisses, nearMissKeys);
  const ranked: Question[] = [...questions]
    .map(([fact, q]) => ({
      fact,
      zh: fieldLabel(fact, 'zh'),
      en: fieldLabel(fact, 'en'),
      decides: q.measureIds.length,
      measureIds: q.measureIds,
      options: q.options.sort((a, b) => b.measures - a.measures),
    }))
    .sort((a, b) => b.decides - a.decides || (a.fact < b.fact ? -1 : 1));
  return { asOf: options.asOf, districts, matches, nearMisses, questions: ranked };
}
